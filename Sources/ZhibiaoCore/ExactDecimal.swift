/// An exact decimal number: `coefficient × 10^exponent`, with a sign.
///
/// Values are never held in binary floating point: report figures such as `2.72亿`
/// must print as `272000000`, and a 100,000-digit string must not overflow. The coefficient
/// has no trailing zeros (they move into `exponent`), so equal values have equal
/// representations. Coefficients below 10^18, which is nearly every figure in a report,
/// live in one machine word with no allocation; longer ones in a digit array. Arithmetic
/// takes the word path while nothing overflows and falls back to the digits otherwise.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The coefficient when it is below `smallLimit`, else 0.
    private var small: UInt64
    /// The coefficient's decimal digits, most significant first, when it is `smallLimit` or
    /// more; nil otherwise. (Invariant, kept by `init(coefficient:…)` and `init(digits:…)`,
    /// the only ways in: exactly one form, no leading or trailing zeros.)
    private var large: [UInt8]?
    /// Power of ten applied to the coefficient.
    public private(set) var exponent: Int
    /// True for values below zero (never set for zero).
    public private(set) var isNegative: Bool

    /// Coefficients below this are held in `small`.
    static let smallLimit: UInt64 = 1_000_000_000_000_000_000

    /// 0, exactly.
    public static let zero = ExactDecimal(coefficient: 0, exponent: 0)
    /// 1, exactly.
    public static let one = ExactDecimal(coefficient: 1, exponent: 0)
    /// 0.5, for 半 and 一半.
    public static let half = ExactDecimal(coefficient: 5, exponent: -1)

    /// Decimal digits 0...9 of the coefficient, most significant first; empty for zero.
    public var digits: [UInt8] { large ?? Self.decimalDigits(small) }

    /// The decimal digits of `m`, most significant first; empty for 0.
    private static func decimalDigits(_ m: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var m = m
        while m > 0 { out.append(UInt8(m % 10)); m /= 10 }
        return out.reversed()
    }

    /// Count of digits of the coefficient (0 for zero).
    public var digitCount: Int {
        if let large { return large.count }
        var n = 0, m = small
        while m > 0 { n += 1; m /= 10 }
        return n
    }

    /// Count of digits `description` prints, integer and fraction digits together, sign and
    /// point left out (`20045000` → 8, `0.05` → 3, `0` → 1). O(1) for word-sized coefficients.
    public var plainDigitCount: Int {
        if isZero { return 1 }
        let n = digitCount
        if exponent >= 0 { return n + exponent }
        return n + exponent > 0 ? n : 1 - exponent    // 12.5 → 3; 0.05 → "0" + 2 places
    }

    /// Builds a value and normalizes it (strips leading/trailing zeros).
    public init(digits: [UInt8], exponent: Int, isNegative: Bool = false) {
        precondition(digits.allSatisfy { $0 < 10 }, "ExactDecimal digits must be 0...9")
        var lo = 0, hi = digits.count
        while lo < hi, digits[lo] == 0 { lo += 1 }
        var e = exponent
        while hi > lo, digits[hi - 1] == 0 { hi -= 1; e += 1 }
        if hi - lo <= 18 {
            var m: UInt64 = 0
            for i in lo..<hi { m = m * 10 + UInt64(digits[i]) }
            self.init(coefficient: m, exponent: e, isNegative: isNegative)
        } else {
            self.init(small: 0, large: Array(digits[lo..<hi]), exponent: e, isNegative: isNegative)
        }
    }

    /// The stored form as it is; callers keep the invariants.
    private init(small: UInt64, large: [UInt8]?, exponent: Int, isNegative: Bool) {
        self.small = small
        self.large = large
        self.exponent = exponent
        self.isNegative = isNegative
    }

    /// `coefficient × 10^exponent`, normalized; no allocation below 10^18.
    public init(coefficient: UInt64, exponent: Int, isNegative: Bool = false) {
        var m = coefficient, e = exponent
        if m == 0 {
            small = 0; large = nil; self.exponent = 0; self.isNegative = false
            return
        }
        while m % 10 == 0 { m /= 10; e += 1 }
        if m < Self.smallLimit {
            small = m; large = nil
        } else {
            small = 0; large = Self.decimalDigits(m)
        }
        self.exponent = e
        self.isNegative = isNegative
    }

    /// The integer `value`, exactly.
    public init(_ value: Int) {
        self.init(coefficient: UInt64(value.magnitude), exponent: 0, isNegative: value < 0)
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
        self.isNegative = negative && !v.isZero
    }

    /// True for zero (never negative).
    public var isZero: Bool { large == nil && small == 0 }
    /// Count of digits before the decimal point (0 for values below one).
    public var integerDigitCount: Int { max(0, digitCount + exponent) }
    /// True when the value has no fractional part.
    public var isInteger: Bool { exponent >= 0 }
    /// True for 10^k (1, 100, 0.01), positive.
    public var isPowerOfTen: Bool { large == nil && small == 1 && !isNegative }

    /// The value times 10^power (exact). O(1): only the exponent moves. Readers of untrusted
    /// text bound `power` first (`NumeralReader.maxDigits`); an exponent beyond `Int` traps.
    public func shifted(by power: Int) -> ExactDecimal {
        var r = self
        if !r.isZero {
            let (e, overflow) = r.exponent.addingReportingOverflow(power)
            precondition(!overflow, "ExactDecimal exponent out of range")
            r.exponent = e
        }
        return r
    }

    /// The value with its sign flipped; zero stays zero.
    public func negated() -> ExactDecimal {
        var r = self
        if !r.isZero { r.isNegative.toggle() }
        return r
    }

    /// 10^k for 0 <= k <= 19, else nil.
    private static func powerOfTen(_ k: Int) -> UInt64? {
        guard k >= 0, k <= 19 else { return nil }
        var p: UInt64 = 1
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// Both coefficients as words aligned to the smaller exponent, when both are small and fit.
    private static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (UInt64, UInt64, Int)? {
        guard a.large == nil, b.large == nil else { return nil }
        let e = min(a.exponent, b.exponent)
        guard let pa = powerOfTen(a.exponent - e), let pb = powerOfTen(b.exponent - e) else { return nil }
        let (x, ox) = a.small.multipliedReportingOverflow(by: pa)
        let (y, oy) = b.small.multipliedReportingOverflow(by: pb)
        return ox || oy ? nil : (x, y, e)
    }

    /// Little-endian digits aligned to `exponent` `e` (must be <= self.exponent).
    private func littleEndian(alignedTo e: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: exponent - e)
        out.append(contentsOf: digits.reversed())
        return out
    }

    private static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero || b.isZero { return (a.isZero ? 0 : 1) - (b.isZero ? 0 : 1) }
        let la = a.digitCount + a.exponent, lb = b.digitCount + b.exponent
        if la != lb { return la < lb ? -1 : 1 }
        if let (x, y, _) = aligned(a, b) { return x == y ? 0 : (x < y ? -1 : 1) }
        let da = a.digits, db = b.digits
        let n = max(da.count, db.count)
        for i in 0..<n {
            let x = i < da.count ? da[i] : 0
            let y = i < db.count ? db[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// Exact sum, of any signs and sizes (no rounding).
    public static func + (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        if a.isZero { return b }
        if b.isZero { return a }
        if let (x, y, e) = aligned(a, b) {
            if a.isNegative == b.isNegative {
                let (sum, overflow) = x.addingReportingOverflow(y)
                if !overflow { return ExactDecimal(coefficient: sum, exponent: e, isNegative: a.isNegative) }
            } else if x >= y {
                return ExactDecimal(coefficient: x - y, exponent: e, isNegative: a.isNegative)
            } else {
                return ExactDecimal(coefficient: y - x, exponent: e, isNegative: b.isNegative)
            }
        }
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

    /// Exact difference: `a` plus `b` negated.
    public static func - (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal { a + b.negated() }

    /// Exact product (one word multiplication when it fits, else schoolbook on digits).
    public static func * (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        if a.isZero || b.isZero { return .zero }
        let negative = a.isNegative != b.isNegative
        if a.large == nil, b.large == nil {
            let (p, overflow) = a.small.multipliedReportingOverflow(by: b.small)
            if !overflow { return ExactDecimal(coefficient: p, exponent: a.exponent + b.exponent, isNegative: negative) }
        }
        let x = Array(a.digits.reversed()), y = Array(b.digits.reversed())
        var acc = [Int](repeating: 0, count: x.count + y.count)
        for i in 0..<x.count where x[i] != 0 {
            for j in 0..<y.count { acc[i + j] += Int(x[i]) * Int(y[j]) }
        }
        var out: [UInt8] = []
        var carry = 0
        for v in acc { let s = v + carry; out.append(UInt8(s % 10)); carry = s / 10 }
        while carry > 0 { out.append(UInt8(carry % 10)); carry /= 10 }
        return ExactDecimal(digits: out.reversed(), exponent: a.exponent + b.exponent, isNegative: negative)
    }

    /// `self / divisor` rounded half-up to `places` decimal places; nil when dividing by zero.
    /// Long division: costs (digits of `self` + places) × digits of `divisor` steps, so callers
    /// reading untrusted text bound both (`NumeralReader.maxDigits`).
    public func divided(by divisor: ExactDecimal, places: Int) -> ExactDecimal? {
        if divisor.isZero { return nil }
        if isZero { return .zero }
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

    /// Numeric order, sign first, then magnitude.
    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        let c = compareMagnitude(a, b)
        return a.isNegative ? c > 0 : c < 0
    }

    /// Plain decimal notation: never an exponent, no trailing zeros (`"20045000"`, `"99.69"`, `"0.05"`).
    public var description: String {
        String(unsafeUninitializedCapacity: descriptionBound) { buffer in
            writeDescription(to: buffer.baseAddress!) - buffer.baseAddress!
        }
    }

    /// Appends `description`'s UTF-8 to `out`, without building a String.
    public func appendDescription(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: descriptionBound) { buffer in
            let end = writeDescription(to: buffer.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress, count: end - buffer.baseAddress!))
        }
    }

    /// At least as many bytes as `description` takes (sign, digits, point, the zeros the
    /// exponent adds), found without counting digits: the room `writeDescription` needs.
    public var descriptionBound: Int {
        (large?.count ?? 19) &+ Int(clamping: exponent.magnitude) &+ 3
    }

    /// Writes `description`'s UTF-8 at `start`, which has room for `descriptionBound` bytes;
    /// returns the end of what was written. (The row writer's path: no array, no String.)
    public func writeDescription(to start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = start
        if isZero { p.initialize(to: 0x30); return p + 1 }
        if isNegative { p.initialize(to: UInt8(ascii: "-")); p += 1 }
        if let large {
            return large.withUnsafeBufferPointer { digits in
                Self.layOut(count: digits.count, exponent: exponent, at: p) { to in
                    for k in 0..<digits.count { (to + k).initialize(to: digits[k] &+ 0x30) }
                }
            }
        }
        var count = 1, m = small
        while m >= 10 { m /= 10; count += 1 }
        let coefficient = small
        return Self.layOut(count: count, exponent: exponent, at: p) { to in
            // The digits, last first, into the `count` bytes at `to`.
            var m = coefficient, k = count
            while k > 0 { k -= 1; (to + k).initialize(to: UInt8(truncatingIfNeeded: m % 10) &+ 0x30); m /= 10 }
        }
    }

    /// Plain notation for `count` ASCII digits (put at a given place by `digits`) times
    /// 10^`exponent`, written at `p`: trailing zeros, `0.0…` or a point within; returns the end.
    @inline(__always)
    private static func layOut(count: Int, exponent: Int, at p: UnsafeMutablePointer<UInt8>,
                               digits: (UnsafeMutablePointer<UInt8>) -> Void) -> UnsafeMutablePointer<UInt8> {
        if exponent >= 0 {
            digits(p)
            (p + count).initialize(repeating: 0x30, count: exponent)
            return p + count + exponent
        }
        let intCount = count + exponent
        if intCount <= 0 {   // 0.05: "0." and zeros before the digits
            p.initialize(to: 0x30); (p + 1).initialize(to: UInt8(ascii: "."))
            (p + 2).initialize(repeating: 0x30, count: -intCount)
            digits(p + 2 - intCount)
            return p + 2 - intCount + count
        }
        // 99.69: the digits one place apart, then the point moved in between.
        digits(p + 1)
        UnsafeMutableRawPointer(p).copyMemory(from: p + 1, byteCount: intCount)   // overlapping: a memmove
        (p + intCount).initialize(to: UInt8(ascii: "."))
        return p + count + 1
    }
}
