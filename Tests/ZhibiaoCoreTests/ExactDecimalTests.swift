import Testing
import ZhibiaoCore

@Suite struct ExactDecimalTests {
    @Test(arguments: [("2.72", 8, "272000000"), ("2004.5", 4, "20045000"), ("99.69", 0, "99.69"), ("0.05", 0, "0.05"), ("7", -3, "0.007")])
    func shiftingIsExact(text: String, power: Int, expected: String) throws {
        let d = try #require(ExactDecimal(text))
        #expect(d.shifted(by: power).description == expected)
    }

    @Test func addsAndSubtracts() throws {
        let a = try #require(ExactDecimal("123.45")), b = try #require(ExactDecimal("0.55"))
        #expect((a + b).description == "124")
        #expect((b - a).description == "-122.9")
        #expect((a - a).description == "0")
    }

    @Test func multipliesAndDivides() throws {
        let a = try #require(ExactDecimal("1.5")), b = try #require(ExactDecimal("-0.4"))
        #expect((a * b).description == "-0.6")
        #expect(ExactDecimal(1).divided(by: ExactDecimal(3), places: 6)?.description == "0.333333")
        #expect(ExactDecimal(2).divided(by: ExactDecimal(3), places: 6)?.description == "0.666667")
        #expect(ExactDecimal(1).divided(by: .zero, places: 6) == nil)
    }

    @Test func normalizesSoEqualValuesAreEqual() throws {
        #expect(ExactDecimal("1.50") == ExactDecimal("1.5"))
        #expect(ExactDecimal("0100") == ExactDecimal(100))
        #expect(ExactDecimal("100")?.description == "100")
        #expect(ExactDecimal("1e5") == nil)
    }

    @Test func orders() throws {
        #expect(ExactDecimal(-5) < ExactDecimal(3))
        #expect(ExactDecimal("2.5")! < ExactDecimal("2.51")!)
        #expect(!(ExactDecimal(30000) < ExactDecimal(30000)))
    }

    @Test func neverWritesAnExponent() {
        let big = ExactDecimal(digits: [1], exponent: 30)
        #expect(big.description == "1" + String(repeating: "0", count: 30))
    }

    /// Values cross between the one-word form (below 10^18) and the digit form; the results
    /// must not depend on which form a value had.
    @Test func crossesBetweenWordAndDigitForms() throws {
        let nines = try #require(ExactDecimal("999999999999999999"))     // 18 digits: one word
        let sum = nines + .one                                              // 10^18: one digit 1, exponent 18
        #expect(sum.description == "1" + String(repeating: "0", count: 18))
        #expect(sum == ExactDecimal(digits: [1], exponent: 18))
        let long = try #require(ExactDecimal("1234567890123456789012.5"))   // 23 digits: digit form
        #expect(long.description == "1234567890123456789012.5")
        #expect((long - long).isZero)
        #expect((long + nines).description == "1235567890123456789011.5")
        #expect((long - (long - .one)) == .one)                             // back to one word
        let square = nines * nines                                          // overflows a word
        #expect(square.description == "999999999999999998000000000000000001")
        #expect(nines < sum && sum < long && !(long < sum))
        #expect(Set([sum, ExactDecimal(digits: [1, 0, 0], exponent: 16)]).count == 1)
        #expect(ExactDecimal(digits: Array(repeating: 0, count: 40) + [7], exponent: -2).description == "0.07")
        #expect(ExactDecimal(-12).description == "-12" && ExactDecimal("0.000")!.isZero)
    }

    @Test func writesItsDescriptionIntoABuffer() throws {
        for text in ["0", "-0.05", "20045000", "99.69", "123456789012345678901234567890"] {
            var out: [UInt8] = Array("x=".utf8)
            try #require(ExactDecimal(text)).appendDescription(to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x=" + (text == "-0.05" ? "-0.05" : text))
        }
    }

    /// The digits written straight into memory (`writeDescription`, behind `description` and
    /// the row writer) read as the plain notation built from the digits by string operations,
    /// for coefficients of 1 to 40 digits (word and digit forms) at exponents from -45 to 45,
    /// both signs; and never take more than `descriptionBound` bytes.
    @Test func writtenDescriptionIsThePlainNotation() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for trial in 0..<4000 {
            let count = 1 + Int(next() % 40)
            var digits = (0..<count).map { _ in UInt8(next() % 10) }
            digits[0] = 1 + UInt8(next() % 9)
            digits[count - 1] = 1 + UInt8(next() % 9)   // no zeros to strip: the reference stays simple
            let exponent = Int(next() % 91) - 45
            let negative = trial % 3 == 0
            let value = ExactDecimal(digits: digits, exponent: exponent, isNegative: negative)
            let text = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
            var plain: String
            if exponent >= 0 { plain = text + String(repeating: "0", count: exponent) }
            else if count + exponent <= 0 { plain = "0." + String(repeating: "0", count: -(count + exponent)) + text }
            else { plain = String(text.prefix(count + exponent)) + "." + String(text.dropFirst(count + exponent)) }
            if negative { plain = "-" + plain }
            #expect(value.description == plain)
            #expect(plain.utf8.count <= value.descriptionBound)
            var out: [UInt8] = [0x78]
            value.appendDescription(to: &out)
            #expect(out == [0x78] + Array(plain.utf8))
        }
        #expect(ExactDecimal.zero.description == "0" && ExactDecimal.zero.descriptionBound >= 1)
    }
}
