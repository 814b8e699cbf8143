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

@Suite struct QuantityNormalizerTests {
    let normalizer = QuantityNormalizer(catalog: catalog)

    func parts(_ num: String, mag: String? = nil, unit: String? = nil) -> QuantityParts {
        var p = QuantityParts(num: Substring(num))
        p.mag = mag.map { Substring($0) }
        p.unit = unit.map { Substring($0) }
        return p
    }

    @Test func moneyAtAnyMagnitudeIsYuan() throws {
        let r = try #require(normalizer.normalize(parts("2.72", mag: "亿", unit: "元")))
        #expect(r.quantity == Quantity(value: ExactDecimal(272_000_000), unit: "元", kind: .money))
    }

    @Test func fourDigitYearIsAYear() throws {
        #expect(normalizer.normalize(parts("2024", unit: "年"))?.quantity.kind == .year)
        #expect(normalizer.normalize(parts("3", unit: "年"))?.quantity.kind == .duration)
        #expect(normalizer.normalize(parts("二〇二四", unit: "年"))?.quantity.kind == .year)
    }

    @Test func rangeTakesTheSecondMagnitude() throws {
        var p = parts("3", unit: "元")
        p.num2 = "5"; p.mag2 = "万"
        let q = try #require(normalizer.normalize(p)).quantity
        #expect(q.value == ExactDecimal(30000) && q.valueMax == ExactDecimal(50000))
    }

    @Test func descendingRangeIsNotARange() throws {
        var p = parts("2023")
        p.num2 = "12"
        let r = try #require(normalizer.normalize(p))
        #expect(r.quantity.valueMax == nil)
        #expect(r.truncatedAfter == .firstNumber)
    }

    @Test func scaleApplies() throws {
        #expect(normalizer.normalize(parts("三", unit: "角"))?.quantity.value == ExactDecimal("0.3"))
    }
}
