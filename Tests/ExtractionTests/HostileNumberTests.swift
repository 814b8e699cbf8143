import Extraction
import Normalization
import PatternCatalog
import Testing
import ZhibiaoCore

/// Issue 14: numbers written to cost a lot (huge exponents, powers, denominators, digit runs)
/// and ranges whose ends came out reversed. Each case failed (or crashed, or ran for a minute)
/// before the limits of `NumeralReader` and the range checks of `QuantityNormalizer`.
@Suite struct HostileNumberTests {
    let reader = NumeralReader(catalog: try! PatternCatalog())

    @Test func hugeExponentIsNoQuantity() throws {
        // Was one row with a 1,000,000-digit value (100 such lines: 100 MB of CSV).
        #expect(try extract("金额1e999999元").isEmpty)
        #expect(try extract("金额1e99元").first?.quantity.value.plainDigitCount == 100)   // the limit itself still reads
        #expect(try extract("金额1e100元").isEmpty)
        #expect(reader.read("2.5e-3")?.value.description == "0.0025")
    }

    @Test func hugePowerIsNoQuantity() throws {
        // Was 44.6 s for this 310-byte line (999 schoolbook products of a growing number).
        let line = "规模" + String(repeating: "1", count: 300) + "^999元"
        #expect(try extract(line).isEmpty)
        #expect(reader.read("2^100")?.value.description == "1267650600228229401496703205376")
        #expect(reader.read("1.5^2")?.value.description == "2.25")
        #expect(reader.read("2^-2")?.value.description == "0.25")
        #expect(reader.read("10^101") == nil)
    }

    @Test func hugeFractionIsNoQuantity() throws {
        // Was 72.8 s: a 10,000-digit denominator under a 1,000,000-digit numerator.
        let line = "占" + String(repeating: "7", count: 10_000) + "分之1e999999。"
        #expect(try extract(line).isEmpty)
        #expect(try extract("占三分之一。").first?.quantity.value.description == "0.333333")
    }

    @Test func longDigitRunsAreNoNumber() throws {
        #expect(reader.read(String(repeating: "9", count: NumeralReader.maxDigits))?.value.digitCount == NumeralReader.maxDigits)
        #expect(reader.read(String(repeating: "9", count: NumeralReader.maxDigits + 1)) == nil)
        #expect(reader.read(String(repeating: "九", count: NumeralReader.maxDigits + 1)) == nil)
        #expect(reader.read("一" + String(repeating: "亿", count: 13)) == nil)       // 10^104
        #expect(reader.read("一" + String(repeating: "亿", count: 12))?.value.plainDigitCount == 97)
    }

    /// A user pattern may capture any digits after `^`: the power was summed in an `Int`
    /// without a check, and `2^99999999999999999999` stopped the process (SIGILL).
    @Test func userPatternWithHugePowerDoesNotCrash() throws {
        #expect(reader.read("2^99999999999999999999") == nil)
        #expect(reader.read("2^-99999999999999999999") == nil)
        #expect(reader.read("2e99999999999999999999") == nil)
        let file = PatternCatalog.File(name: "power.patterns", displayPath: "my/power.patterns",
                                       text: "count\t次\t(?<num>[0-9]+\\^[0-9]+)次\n")
        // No crash, and no row reads the power (the built-in pattern may still see 99999…次).
        #expect(try extract("试验2^99999999999999999999次", extra: [file]).allSatisfy { !$0.match.contains("^") })
        #expect(try extract("试验2^10次", extra: [file]).first?.quantity.value.description == "1024")
    }

    @Test func plainDigitCountCountsWhatIsPrinted() {
        #expect(ExactDecimal("20045000")!.plainDigitCount == 8)
        #expect(ExactDecimal("0.05")!.plainDigitCount == 3)
        #expect(ExactDecimal("12.5")!.plainDigitCount == 3)
        #expect(ExactDecimal.zero.plainDigitCount == 1)
        #expect(ExactDecimal("-1234567890123456789012.5")!.plainDigitCount == 23)
    }

    // MARK: - Ranges are low < high

    func onlyRow(_ text: String) throws -> Quantity {
        let rows = try extract(text, kinds: Set(Kind.allCases))
        #expect(rows.count == 1, "\(text): \(rows.map(\.match))")
        return try #require(rows.first).quantity
    }

    @Test func negativeVagueAmountRunsLowToHigh() throws {
        // Was -10000 … -90000.
        let q = try onlyRow("亏损-几万元")
        #expect(q.value.description == "-90000")
        #expect(q.valueMax?.description == "-10000")
        let q2 = try onlyRow("负十几个")
        #expect(q2.value.description == "-19")
        #expect(q2.valueMax?.description == "-10")
    }

    @Test func tenthAfterTheSecondEndBelongsToIt() throws {
        // Was value 4.5 (3.8 + the tenth), value_max 4.
        let q = try onlyRow("3.8至4平方米七")
        #expect(q.value.description == "3.8")
        #expect(q.valueMax?.description == "4.7")
    }

    @Test func vagueDigitsAfterYiReadAlikeAtBothEnds() throws {
        // Was 1090000000.7 … 1000000099.7: the low reading took 几 as a dropped place.
        let q = try onlyRow("壹十亿几九点七两")
        let high = try #require(q.valueMax)
        #expect(q.value < high)
        #expect(q.value.description == "1000000009.7")
        #expect(high.description == "1000000099.7")
    }

    @Test func heightRangeWithTenths() throws {
        // Was 一米 = 1, then 七 and 一米八 on their own.
        let rows = try extract("身高一米七至一米八")
        #expect(rows.map(\.match) == ["一米七至一米八"])
        #expect(rows.first?.quantity.value.description == "1.7")
        #expect(rows.first?.quantity.valueMax?.description == "1.8")
        #expect(rows.first?.quantity.unit == "米")
        #expect(try extract("身高一米七").first?.quantity.value.description == "1.7")
    }
}
