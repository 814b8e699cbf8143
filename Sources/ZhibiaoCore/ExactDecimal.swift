/// An exact decimal number: `digits × 10^exponent`, with a sign.
///
/// Values are never held in binary floating point: report figures such as `2.72亿`
/// must print as `272000000`, and a 100,000-digit string must not overflow. Digits are
/// stored most significant first, without leading or trailing zeros (trailing zeros
/// move into `exponent`), so equal values have equal representations.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// Decimal digits 0...9, most significant first; empty for zero.
    public private(set) var digits: [UInt8]
    /// Power of ten applied to `digits`.
    public private(set) var exponent: Int
    /// True for values below zero (never set for zero).
    public private(set) var isNegative: Bool

    public static let zero = ExactDecimal(digits: [], exponent: 0, isNegative: false)
    public static let one = ExactDecimal(1)
    /// 0.5, for 半 and 一半.
    public static let half = ExactDecimal(digits: [5], exponent: -1)

    /// Builds a value and normalizes it (strips leading/trailing zeros).
    public init(digits: [UInt8], exponent: Int, isNegative: Bool = false) {
        precondition(digits.allSatisfy { $0 < 10 }, "ExactDecimal digits must be 0...9")
        var d = digits[...]
        while let f = d.first, f == 0 { d = d.dropFirst() }
        var e = exponent
        while let l = d.last, l == 0 { d = d.dropLast(); e += 1 }
        self.digits = Array(d)
        self.exponent = self.digits.isEmpty ? 0 : e
        self.isNegative = self.digits.isEmpty ? false : isNegative
    }

    public init(_ value: Int) {
        var m = value.magnitude
        var ds: [UInt8] = []
        while m > 0 { ds.append(UInt8(m % 10)); m /= 10 }
        self.init(digits: ds.reversed(), exponent: 0, isNegative: value < 0)
    }

    /// Parses ASCII digits with an optional single `.` (e.g. `"2004.5"`); other bytes are rejected.
    public init?<C: Collection>(asciiDigits text: C) where C.Element == UInt8 {
        var ds: [UInt8] = []
        ds.reserveCapacity(text.count)
        var fraction = 0
        var seenPoint = false
        for b in text {
            if b == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if b >= 0x30 && b <= 0x39 {
                ds.append(b - 0x30)
                if seenPoint { fraction += 1 }
            } else {
                return nil
            }
        }
        if ds.isEmpty { return nil }
        self.init(digits: ds, exponent: -fraction)
    }

    /// Parses a plain decimal string such as `"-12.5"`.
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes.removeFirst() }
        guard let v = ExactDecimal(asciiDigits: bytes) else { return nil }
        self = v
        self.isNegative = negative && !v.digits.isEmpty
    }

    public var isZero: Bool { digits.isEmpty }
    /// Count of digits before the decimal point (0 for values below one).
    public var integerDigitCount: Int { max(0, digits.count + exponent) }
    /// True when the value has no fractional part.
    public var isInteger: Bool { exponent >= 0 }

    /// The value times 10^power (exact).
    public func shifted(by power: Int) -> ExactDecimal {
        var r = self
        if !r.digits.isEmpty { r.exponent += power }
        return r
    }

    public func negated() -> ExactDecimal {
        var r = self
        if !r.digits.isEmpty { r.isNegative.toggle() }
        return r
    }

    /// Little-endian digits aligned to `exponent` `e` (must be <= self.exponent).
    private func littleEndian(alignedTo e: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: exponent - e)
        out.append(contentsOf: digits.reversed())
        return out
    }

    private static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.digits.isEmpty || b.digits.isEmpty { return (a.digits.isEmpty ? 0 : 1) - (b.digits.isEmpty ? 0 : 1) }
        let la = a.digits.count + a.exponent, lb = b.digits.count + b.exponent
        if la != lb { return la < lb ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let x = i < a.digits.count ? a.digits[i] : 0
            let y = i < b.digits.count ? b.digits[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    public static func + (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        if a.digits.isEmpty { return b }
        if b.digits.isEmpty { return a }
        let e = min(a.exponent, b.exponent)
        let x = a.littleEndian(alignedTo: e), y = b.littleEndian(alignedTo: e)
        if a.isNegative == b.isNegative {
            var out: [UInt8] = []
            out.reserveCapacity(max(x.count, y.count) + 1)
            var carry: UInt8 = 0
            for i in 0..<max(x.count, y.count) {
                let s = (i < x.count ? x[i] : 0) + (i < y.count ? y[i] : 0) + carry
                out.append(s % 10); carry = s / 10
            }
            if carry > 0 { out.append(carry) }
            return ExactDecimal(digits: out.reversed(), exponent: e, isNegative: a.isNegative)
        }
        // Different signs: subtract the smaller magnitude from the larger.
        let c = compareMagnitude(a, b)
        if c == 0 { return .zero }
        let (big, small, sign) = c > 0 ? (x, y, a.isNegative) : (y, x, b.isNegative)
        var out: [UInt8] = []
        var borrow: Int = 0
        for i in 0..<big.count {
            var d = Int(big[i]) - borrow - (i < small.count ? Int(small[i]) : 0)
            if d < 0 { d += 10; borrow = 1 } else { borrow = 0 }
            out.append(UInt8(d))
        }
        return ExactDecimal(digits: out.reversed(), exponent: e, isNegative: sign)
    }

    public static func - (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal { a + b.negated() }

    /// Exact product (schoolbook multiplication).
    public static func * (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        if a.digits.isEmpty || b.digits.isEmpty { return .zero }
        if b.digits == [1] { var r = a.shifted(by: b.exponent); if b.isNegative { r = r.negated() }; return r }
        if a.digits == [1] { var r = b.shifted(by: a.exponent); if a.isNegative { r = r.negated() }; return r }
        let x = Array(a.digits.reversed()), y = Array(b.digits.reversed())
        var acc = [Int](repeating: 0, count: x.count + y.count)
        for i in 0..<x.count where x[i] != 0 {
            for j in 0..<y.count { acc[i + j] += Int(x[i]) * Int(y[j]) }
        }
        var out: [UInt8] = []
        var carry = 0
        for v in acc { let s = v + carry; out.append(UInt8(s % 10)); carry = s / 10 }
        while carry > 0 { out.append(UInt8(carry % 10)); carry /= 10 }
        return ExactDecimal(digits: out.reversed(), exponent: a.exponent + b.exponent,
                            isNegative: a.isNegative != b.isNegative)
    }

    /// `self / divisor` rounded half-up to `places` decimal places; nil when dividing by zero.
    public func divided(by divisor: ExactDecimal, places: Int) -> ExactDecimal? {
        if divisor.digits.isEmpty { return nil }
        if digits.isEmpty { return .zero }
        // Scale both to integers: (n × 10^(ea)) / (d × 10^(eb)).
        // result × 10^places = n × 10^(ea - eb + places) / d, computed by long division.
        let shift = exponent - divisor.exponent + places + 1   // one guard digit for rounding
        var numerator = digits
        if shift > 0 { numerator += [UInt8](repeating: 0, count: shift) }
        else if shift < 0 {
            if -shift >= numerator.count { return .zero }
            numerator.removeLast(-shift)
        }
        let d = divisor.digits
        var quotient: [UInt8] = []
        var remainder: [UInt8] = []  // big-endian, no leading zeros
        func lessThan(_ r: [UInt8], _ d: [UInt8]) -> Bool {
            if r.count != d.count { return r.count < d.count }
            return r.lexicographicallyPrecedes(d)
        }
        func subtract(_ r: [UInt8], _ d: [UInt8]) -> [UInt8] {
            var out = r; var borrow = 0
            var i = out.count - 1, j = d.count - 1
            while i >= 0 {
                var v = Int(out[i]) - borrow - (j >= 0 ? Int(d[j]) : 0)
                if v < 0 { v += 10; borrow = 1 } else { borrow = 0 }
                out[i] = UInt8(v); i -= 1; j -= 1
            }
            while let f = out.first, f == 0 { out.removeFirst() }
            return out
        }
        for nd in numerator {
            remainder.append(nd)
            while let f = remainder.first, f == 0 { remainder.removeFirst() }
            var q: UInt8 = 0
            while !lessThan(remainder, d) { remainder = subtract(remainder, d); q += 1 }
            quotient.append(q)
        }
        // Round half up on the guard digit.
        let guardDigit = quotient.popLast() ?? 0
        var result = ExactDecimal(digits: quotient, exponent: -places)
        if guardDigit >= 5 { result = result + ExactDecimal(digits: [1], exponent: -places) }
        return isNegative != divisor.isNegative ? result.negated() : result
    }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        let c = compareMagnitude(a, b)
        return a.isNegative ? c > 0 : c < 0
    }

    /// Plain decimal notation: never an exponent, no trailing zeros (`"20045000"`, `"99.69"`, `"0.05"`).
    public var description: String {
        if digits.isEmpty { return "0" }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + max(0, exponent) + 3)
        if isNegative { out.append(UInt8(ascii: "-")) }
        let ascii = digits.map { $0 + 0x30 }
        if exponent >= 0 {
            out += ascii
            out += [UInt8](repeating: 0x30, count: exponent)
        } else {
            let intCount = digits.count + exponent
            if intCount <= 0 {
                out += [0x30, UInt8(ascii: ".")]
                out += [UInt8](repeating: 0x30, count: -intCount)
                out += ascii
            } else {
                out += ascii[..<intCount]
                out.append(UInt8(ascii: "."))
                out += ascii[intCount...]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
