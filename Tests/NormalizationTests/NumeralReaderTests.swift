import Normalization
import PatternCatalog
import Testing
import ZhibiaoCore

let catalog = try! PatternCatalog()
let reader = NumeralReader(catalog: catalog)

@Suite struct NumeralReaderTests {
    @Test(arguments: [
        ("一千零五", "1005"), ("一万零一十二", "10012"), ("一百九十万零三千九百七十一", "1903971"),
        ("两百", "200"), ("两万", "20000"), ("十五", "15"), ("百二", "120"), ("一万二", "12000"),
        ("三千五", "3500"), ("两百五", "250"), ("三亿零五百三十万", "305300000"), ("三万亿", "3000000000000"),
        ("一亿三千万", "130000000"), ("二〇二四", "2024"), ("三点一四", "3.14"), ("壹佰贰拾叁", "123"),
        ("叁萬肆仟伍佰陸拾柒", "34567"), ("兩千", "2000"), ("2.72亿", "272000000"), ("3千", "3000"),
        ("１２３．４５", "123.45"), ("12,345.6", "12345.6"), ("1，484", "1484"), ("1 9 9 7", "1997"),
    ])
    func readsNumerals(text: String, expected: String) throws {
        let n = try #require(reader.read(text))
        #expect(n.value.description == expected)
    }

    @Test func aCharacterAloneReadsAsTheGeneralReaderReadsIt() {
        // A one-character number is answered from a table made at start-up; with a space after
        // it (spaces are ignored) the same character takes the general reader.
        var checked = 0
        for (scalar, _) in catalog.numerals where scalar.value >= 0x800 && scalar.value < 0x10000 {
            let alone = reader.read(String(scalar)), spaced = reader.read(String(scalar) + " ")
            #expect(alone == spaced, "\(scalar)")
            checked += 1
        }
        #expect(checked > 40)
        #expect(reader.read("十")?.value.description == "10" && reader.read("两")?.value.description == "2")
        #expect(reader.read("　") == nil && reader.read("中") == nil)
    }

    /// Arabic numbers with group separators (`1,234,567.89`) take a shortcut past the general
    /// reader; a trailing space (ignored, but not taken by the shortcut) sends the same text
    /// through the general reader, and both must read it alike, field by field.
    @Test func groupedDigitsReadAsTheGeneralReaderReadsThem() {
        func check(_ text: String) -> ParsedNumber? {
            let shortcut = reader.read(text), general = reader.read(text + " ")
            #expect(shortcut == general, "\(text)")
            return shortcut
        }
        let cases = ["1,234,567.89", "12,345", "1，484", "１２，３４５．６", "1,2,3", "123,", ",123", "1.234,5",
                     "1,234.", "0,001", "00,123.50", "1,,2", "1,.5", ".5", ".,5", "1.2.3", "·5", "1·5", "1,234e3", "1,234万"]
        for text in cases { _ = check(text) }
        #expect(check("1,234,567.89")?.value.description == "1234567.89")
        #expect(check("12,345")?.sequenceLength == 5)
        // At the digit limit and one past it, groups between the digits.
        let hundred = (0..<25).map { _ in "1234" }.joined(separator: ",")
        #expect(check(hundred) != nil && check(hundred + "5") == nil && check(hundred + ".5") == nil)

        // Random strings of digits, groups and marks (ASCII and full-width), a few non-digits.
        let alphabet = ["0", "1", "2", "5", "7", "9", "0", "3", ",", ",", ",", ".", ".", "，", "．", "１", "９", "·", "e", "万", "k"]
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        var groupedRead = 0
        for _ in 0..<6000 {
            let text = (0...next(12)).map { _ in alphabet[next(alphabet.count)] }.joined()
            if check(text) != nil, text.contains(",") || text.contains("，") { groupedRead += 1 }
        }
        #expect(groupedRead > 300)
    }

    @Test func marksDigitSequencesAndLoneOne() throws {
        #expect(reader.read("二〇二四")?.isDigitSequence == true)
        #expect(reader.read("二〇二四")?.sequenceLength == 4)
        #expect(reader.read("一")?.isLoneOne == true)
        #expect(reader.read("一百")?.isLoneOne == false)
        #expect(reader.read("三十万")?.trailingMagnitude == 4)
    }

    /// Runs are read in a machine word up to 18 digits and spill into digits beyond; the
    /// reading must not change at the border (leading zeros and all).
    @Test func readsRunsLongerThanAWord() throws {
        let chinese = "一二三四五六七八九〇一二三四五六七八九〇一"          // 21 digits
        #expect(reader.read(chinese)?.value.description == "123456789012345678901")
        #expect(reader.read(chinese)?.sequenceLength == 21)
        let fullWidth = "０００１２３４５６７８９０１２３４５６７８．５"      // 3 leading zeros, 18 more, a fraction
        #expect(reader.read(fullWidth)?.value.description == "123456789012345678.5")
        #expect(reader.read("１２３４５６７８９０１２３４５６７８９")?.value.description == "1234567890123456789")
        #expect(reader.read("１２３４５６７８９０１２３４５６７８")?.value.description == "123456789012345678")
        #expect(reader.read("一二三四五六七八九〇一二三四五六七八九亿")?.value.description == "1234567890123456789" + String(repeating: "0", count: 8))
        #expect(reader.read("２.５e３")?.value.description == "2500")
        #expect(reader.read("１２３４５６７８９０１２３４５６７８９０e-２")?.value.description == "123456789012345678.9")
    }

    @Test func rejectsWhatIsNotANumber() {
        #expect(reader.read("元") == nil)
        #expect(reader.read("三点") == nil)
        #expect(reader.read("") == nil)
    }
}

/// Builds the text of one match piece by piece, with the span of each piece, as the scanner
/// hands them to the normalizer.
struct MatchText {
    var bytes: [UInt8] = []
    mutating func add(_ piece: String) -> ByteSpan {
        let lo = bytes.count
        bytes += piece.utf8
        return ByteSpan(lo, bytes.count)
    }
}

@Suite struct QuantityNormalizerTests {
    let normalizer = QuantityNormalizer(catalog: catalog)

    /// Reads `num` [`mag`] [`unit`], and a second end `num2` [`mag2`] when given.
    func read(_ num: String, mag: String? = nil, unit: String? = nil, num2: String? = nil, mag2: String? = nil) -> Reading? {
        var t = MatchText()
        var p = QuantityParts(num: t.add(num))
        p.mag = mag.map { t.add($0) }
        if let num2 { _ = t.add("至"); p.num2 = t.add(num2); p.mag2 = mag2.map { t.add($0) } }
        p.unit = unit.map { t.add($0) }
        return t.bytes.withUnsafeBufferPointer { normalizer.normalize(p, in: $0) }
    }

    @Test func moneyAtAnyMagnitudeIsYuan() throws {
        let r = try #require(read("2.72", mag: "亿", unit: "元"))
        #expect(r.quantity == Quantity(value: ExactDecimal(272_000_000), unit: "元", kind: .money))
    }

    @Test func fourDigitYearIsAYear() throws {
        #expect(read("2024", unit: "年")?.quantity.kind == .year)
        #expect(read("3", unit: "年")?.quantity.kind == .duration)
        #expect(read("二〇二四", unit: "年")?.quantity.kind == .year)
    }

    @Test func rangeTakesTheSecondMagnitude() throws {
        let q = try #require(read("3", unit: "元", num2: "5", mag2: "万")).quantity
        #expect(q.value == ExactDecimal(30000) && q.valueMax == ExactDecimal(50000))
    }

    @Test func descendingRangeIsNotARange() throws {
        let r = try #require(read("2023", num2: "12"))
        #expect(r.quantity.valueMax == nil)
        #expect(r.truncatedAfter == .firstNumber)
    }

    /// A value that would print with more than `maxDigits` digits is no reading, whichever
    /// way it was reached: a magnitude after the number, or the whole part of a fraction.
    @Test func valuesBeyondTheDigitLimitAreNoReading() throws {
        let ninety = String(repeating: "9", count: 90), ninetyEight = String(repeating: "9", count: 98)
        #expect(read(ninety, mag: "亿", unit: "元") != nil)
        #expect(read(ninetyEight, mag: "亿", unit: "元") == nil)
        func fraction(whole: String) -> Reading? {
            var t = MatchText()
            var p = QuantityParts(num: t.add(whole))
            p.fractionWhole = p.num
            _ = t.add("又")
            p.fractionDenominator = t.add("三")
            _ = t.add("分之")
            p.fractionNumerator = t.add("一")
            return t.bytes.withUnsafeBufferPointer { normalizer.normalize(p, in: $0) }
        }
        #expect(fraction(whole: ninety)?.quantity.value.description == ninety + ".333333")
        #expect(fraction(whole: ninetyEight) == nil)
    }

    @Test func scaleApplies() throws {
        #expect(read("三", unit: "角")?.quantity.value == ExactDecimal("0.3"))
    }
}
