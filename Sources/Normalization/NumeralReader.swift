import PatternCatalog
import ZhibiaoCore

/// A number read from its written form (`2.72`, `１２３．４５`, `一百九十万零三千九百七十一`, `3千`).
public struct ParsedNumber: Hashable, Sendable {
    /// The value as read, or the lower end when the numeral is vague (二三十: 20).
    public var value: ExactDecimal
    /// The upper end when the numeral itself is vague: 二三十 (20…30), 十几 (10…19), 数百 (100…900).
    public var valueMax: ExactDecimal?
    /// True when any Chinese numeral character took part (not only Arabic digits).
    public var isChinese: Bool
    /// True for a bare run of digits with no 十/百/千/万/亿 (`2024`, `二〇二四`).
    public var isDigitSequence: Bool
    /// Count of digits in a digit sequence (4 for `2024`), else 0.
    public var sequenceLength: Int
    /// Power of ten of the 万/亿 characters that end the number (4 for `三十万`), else 0.
    public var trailingMagnitude: Int
    /// True for the lone numeral 一 (一个, 一批: an article more often than a count).
    public var isLoneOne: Bool

    /// 半 and 一半: one half, written in Chinese.
    public static let half = ParsedNumber(value: .half, valueMax: nil, isChinese: true, isDigitSequence: false,
                                          sequenceLength: 0, trailingMagnitude: 0, isLoneOne: false)
}

/// Reads numerals with the characters of `numerals.tsv`, in exact decimal arithmetic.
///
/// Chinese numerals are read by grains (Duckling's idea): 十/百/千 multiply the digit before
/// them (an implied 一 when there is none: 十五, 百二); 万, 亿 and 兆 close a section and
/// multiply every lower-grain part before them (三万亿 = 3×10^12, 四万万 = 4×10^8) but not a
/// higher one (五兆六十二亿 = 5×10^12 + 62×10^8). A lone digit right after a unit, with no 零
/// between, takes the next lower place (一万二 = 12000, 三千五 = 3500, 百二万 = 1200000);
/// with 零 it stays in the units place (一千零五 = 1005).
///
/// Vague numerals give a range: 几 is an unknown digit (0…9, or 1…9 when it leads: 几十 = 10…90),
/// 数 an unknown leading digit (数百 = 100…900), two adjacent digits one apart are an
/// approximation (二三十 = 20…30, 七八 = 7…8).
///
/// Hostile text costs little: a number whose value would print with more than `maxDigits`
/// digits (`1e999999`, `2^999`, a 300-digit run, 一亿亿亿…) is not a number, and reading stops
/// as soon as that is certain, so the cost of one number is linear in its length.
public struct NumeralReader: Sendable {
    let table: [Unicode.Scalar: NumeralEntry]
    /// The entries of `table`, and for each BMP character the index + 1 of its entry (0: none):
    /// a lookup per character without hashing. Empty when `table` has 255 entries or more
    /// (user rows), and for characters beyond the BMP: `table` answers then.
    private let entries: [NumeralEntry]
    private let bmpIndex: [UInt8]
    /// What each entry of `entries` reads as alone (一, 三, 十, 两: most Chinese numbers in
    /// reports are one character), read once by the general reader at start-up.
    private var singles: [ParsedNumber?] = []
    /// For each ASCII byte, its role as `readPlainDigits` takes it from `table`: 1 for a
    /// decimal mark (`.`), 2 for a group separator (`,`), 0 otherwise (digits are read apart).
    private let asciiRoles: [UInt8]

    /// Most digits a value may print with, integer and fraction digits together (a report
    /// figure has at most ~20). Also bounds `e` exponents, `^` powers, magnitudes and
    /// fraction denominators, whose results must print within it.
    public static let maxDigits = 100
    /// Largest `^` power read (`2^5`); beyond it the text is not a number.
    public static let maxPower = 100

    /// True when `v` prints (as a plain decimal) within `maxDigits` digits.
    @inline(__always)
    public static func fits(_ v: ExactDecimal) -> Bool { v.plainDigitCount <= maxDigits }

    /// A reader with the numeral characters of `catalog` (numerals.tsv and user rows).
    public init(catalog: PatternCatalog) {
        table = catalog.numerals
        var entries: [NumeralEntry] = []
        var index: [UInt8] = []
        if table.count < 255 {
            index = [UInt8](repeating: 0, count: 0x10000)
            for (scalar, entry) in table where scalar.value < 0x10000 {
                entries.append(entry)
                index[Int(scalar.value)] = UInt8(entries.count)
            }
        }
        self.entries = entries
        bmpIndex = index
        let numerals = catalog.numerals
        asciiRoles = (0..<128).map { b -> UInt8 in
            switch numerals[Unicode.Scalar(UInt8(b))]?.role {
            case .arabicPoint?: return 1
            case .group?: return 2
            default: return 0
            }
        }
        var singles: [ParsedNumber?] = []
        singles.reserveCapacity(entries.count)
        for (scalar, _) in table where scalar.value < 0x10000 && !index.isEmpty {
            singles.append(withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: 1) { one in
                one[0] = scalar
                return readGeneral(UnsafeBufferPointer(one))
            })
        }
        self.singles = singles
    }

    /// The entry of the character `v` in `table`.
    @inline(__always)
    func lookup(_ v: UInt32) -> NumeralEntry? {
        if v < 0x10000, !bmpIndex.isEmpty {
            let k = Int(bmpIndex[Int(v)])
            return k == 0 ? nil : entries[k - 1]
        }
        guard let scalar = Unicode.Scalar(v) else { return nil }
        return table[scalar]
    }

    /// A digit run (Arabic or Chinese digits with an optional point) or a unit.
    private enum Atom {
        /// `low`/`high` differ for vague runs (几, 二三).
        /// `integerDigits`: digits written before the point (2 for 几九点七, whatever 几 reads as).
        case number(low: ExactDecimal, high: ExactDecimal, chinese: Bool, digits: Int, leadingZero: Bool, hasFraction: Bool,
                    integerDigits: Int)
        case small(Int)
        case big(Int)
        case tens(Int)
    }

    @inline(__always)
    func entry(_ s: Unicode.Scalar) -> NumeralEntry? {
        if s.value >= 0x30 && s.value <= 0x39 { return NumeralEntry(role: .arabic, value: Int(s.value - 0x30)) }
        return lookup(s.value)
    }

    /// Reads `text` (the whole of it) as a number, or nil when it is not one. Spaces are ignored.
    public func read(_ text: Substring.UnicodeScalarView) -> ParsedNumber? {
        var s = String(text)
        return s.withUTF8 { read(utf8: $0) }
    }

    /// Reads the UTF-8 bytes `text` (the whole of them) as a number, or nil when they are not
    /// one: the form the extractor uses, straight from the document buffer. Spaces are ignored.
    public func read(utf8 text: UnsafeBufferPointer<UInt8>) -> ParsedNumber? {
        switch readPlainDigits(text) {
        case .number(let plain): return plain
        case .tooLong: return nil
        case .notPlain: break
        }
        if text.count == 3, !bmpIndex.isEmpty {
            // One Chinese character: its reading was taken at start-up.
            let (s, length) = UTF8Decoding.scalar(text, at: 0)
            let k = length == 3 && s != 0x3000 ? Int(bmpIndex[Int(s)]) : 0   // U+3000 is a space
            if k != 0 { return singles[k - 1] }
        }
        return withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: max(1, text.count)) { buffer in
            var n = 0
            var i = 0
            while i < text.count {
                let (s, length) = UTF8Decoding.scalar(text, at: i)
                if s != 0x20 && s != 0x3000 { buffer[n] = Unicode.Scalar(s) ?? "\u{FFFD}"; n += 1 }
                i += length
            }
            return readGeneral(UnsafeBufferPointer(rebasing: buffer[..<n]))
        }
    }

    /// The power of ten of a magnitude run given as UTF-8 bytes (`万`, `千万`, `万亿`: the sum
    /// of the characters' powers). Nil beyond `maxDigits` (万万万…: no value of that size prints
    /// within the limit).
    public func magnitude(utf8 text: UnsafeBufferPointer<UInt8>) -> Int? {
        var power = 0
        var i = 0
        while i < text.count {
            let (s, length) = UTF8Decoding.scalar(text, at: i)
            i += length
            if s == 0x20 || s == 0x3000 { continue }
            guard let e = lookup(s), e.role == .small || e.role == .big else { return nil }
            power += e.value
            if power > Self.maxDigits { return nil }
        }
        return power
    }

    /// `read` for everything but plain ASCII numbers; `scalars` has no spaces. The atoms live
    /// on the stack (at most one per character), so a reading allocates nothing.
    private func readGeneral(_ scalars: UnsafeBufferPointer<Unicode.Scalar>) -> ParsedNumber? {
        guard !scalars.isEmpty else { return nil }
        return withUnsafeTemporaryAllocation(of: Atom.self, capacity: scalars.count) { storage -> ParsedNumber? in
            var n = 0
            defer { storage.baseAddress!.deinitialize(count: n) }
            func push(_ atom: Atom) { (storage.baseAddress! + n).initialize(to: atom); n += 1 }
            var isChinese = false
            var sawUnit = false
            var i = 0

            // Pass 1: group characters into digit runs and units.
            while i < scalars.count {
                guard let e = entry(scalars[i]) else { return nil }
                switch e.role {
                case .digit, .two, .arabic, .some, .several, .point, .arabicPoint:
                    guard let (atom, next) = readRun(scalars, from: i) else { return nil }
                    if case let .number(_, _, chinese, _, _, _, _) = atom, chinese { isChinese = true }
                    push(atom)
                    i = next
                    continue
                case .small: push(.small(e.value)); isChinese = true; sawUnit = true
                case .big: push(.big(e.value)); isChinese = isChinese || !scalars[i].isASCII; sawUnit = true
                case .tens: push(.tens(e.value)); isChinese = true; sawUnit = true
                case .half:
                    guard scalars.count == 1 else { return nil }   // 半 alone, before its unit
                    return .half
                case .group, .exponent, .power:
                    return nil
                }
                i += 1
            }
            guard n > 0 else { return nil }
            let atoms = UnsafeBufferPointer(start: storage.baseAddress, count: n)

            // A bare digit sequence: 2024, 二〇二四, 3.5, 五五.
            if !sawUnit, n == 1, case let .number(low, high, chinese, digits, _, _, _) = atoms[0] {
                let loneOne = chinese && scalars.count == 1 && low == .one
                return ParsedNumber(value: low, valueMax: high == low ? nil : high, isChinese: chinese,
                                    isDigitSequence: digits > 0 && high == low, sequenceLength: high == low ? digits : 0,
                                    trailingMagnitude: 0, isLoneOne: loneOne)
            }
            guard let low = evaluate(atoms, high: false), Self.fits(low) else { return nil }
            let high = evaluate(atoms, high: true) ?? low
            guard Self.fits(high) else { return nil }
            var trailing = 0
            for atom in atoms.reversed() { if case let .big(p) = atom { trailing += p } else { break } }
            return ParsedNumber(value: low, valueMax: high == low ? nil : high, isChinese: isChinese, isDigitSequence: false,
                                sequenceLength: 0, trailingMagnitude: trailing, isLoneOne: false)
        }
    }

    public func read(_ text: String) -> ParsedNumber? { read(Substring(text).unicodeScalars) }

    /// What `readPlainDigits` found.
    enum PlainDigits {
        case number(ParsedNumber)
        /// Plain digits, but more than `maxDigits` of them: not a number.
        case tooLong
        /// Not plain ASCII digits: the general reader decides.
        case notPlain
    }

    /// The common case without the general machinery: Arabic digits (ASCII or full-width) with
    /// group separators before at most one decimal mark (`2024`, `99.69`, `.5`, `1,234,567.89`,
    /// `1，484`). Gives what the general reader gives (`readRun` skips a group after a digit
    /// and ends the run at one after the point); any other shape, spaces too, is `.notPlain`.
    /// No allocation up to 18 digits (`RunDigits` spills into an array beyond).
    @inline(__always)
    func readPlainDigits(_ text: UnsafeBufferPointer<UInt8>) -> PlainDigits {
        var digits = RunDigits()
        var fraction = 0
        var point = false
        var tooLong = false
        var i = 0
        while i < text.count {
            let v = text[i]
            let digit: Int
            if v >= 0x30 && v <= 0x39 {
                digit = Int(v - 0x30)
                i += 1
            } else {
                let role: NumeralRole
                if v < 0x80 {
                    i += 1
                    let c = asciiRoles[Int(v)]
                    guard c != 0 else { return .notPlain }
                    role = c == 1 ? .arabicPoint : .group
                    digit = 0
                } else {
                    let (s, length) = UTF8Decoding.scalar(text, at: i)
                    i += length
                    guard s != 0x3000, let e = lookup(s) else { return .notPlain }   // U+3000 is a space
                    role = e.role
                    digit = e.value
                }
                switch role {
                case .arabic: break
                case .arabicPoint:
                    // A second mark ends the run in the general reader: not plain.
                    if point { return .notPlain }
                    point = true
                    continue
                case .group:
                    // A group before any digit, or after the point, is the general reader's to judge.
                    guard digits.count > 0, !point else { return .notPlain }
                    continue
                default:
                    return .notPlain
                }
            }
            if digits.count < Self.maxDigits { digits.push(digit) } else { tooLong = true }
            if point { fraction += 1 }
        }
        guard digits.count > 0, !point || fraction > 0 else { return .notPlain }
        if tooLong { return .tooLong }
        return .number(ParsedNumber(value: digits.value(exponent: -fraction), valueMax: nil, isChinese: false,
                                    isDigitSequence: !point, sequenceLength: point ? 0 : digits.count,
                                    trailingMagnitude: 0, isLoneOne: false))
    }

    /// The digits of a run as read so far: in one machine word up to 18 digits (no
    /// allocation), spilled into an array beyond (a 100,000-digit number still reads).
    private struct RunDigits {
        private var word: UInt64 = 0
        private var spilled: [UInt8]?
        private(set) var count = 0
        /// The first two digits, for 二三十 (two adjacent digits) and leading zeros.
        private(set) var first = 0, second = 0

        mutating func push(_ digit: Int) {
            if count == 18, spilled == nil {
                var ds = [UInt8](repeating: 0, count: count)   // keeps leading zeros
                var m = word
                for k in stride(from: count - 1, through: 0, by: -1) { ds[k] = UInt8(m % 10); m /= 10 }
                spilled = ds
            }
            if spilled != nil { spilled!.append(UInt8(digit)) } else { word = word * 10 + UInt64(digit) }
            count += 1
            if count == 1 { first = digit } else if count == 2 { second = digit }
        }

        func value(exponent: Int) -> ExactDecimal {
            if let spilled { return ExactDecimal(digits: spilled, exponent: exponent) }
            return ExactDecimal(coefficient: word, exponent: exponent)
        }
    }

    /// Reads one run of digits from `i`: Arabic or Chinese digits, separators, one decimal
    /// point, an exponent (2.5e3). Returns the atom and the index after the run.
    private func readRun(_ s: UnsafeBufferPointer<Unicode.Scalar>, from start: Int) -> (Atom, Int)? {
        var low = RunDigits(), high = RunDigits()
        var fraction = 0
        var inFraction = false
        var chinese = false
        var vague = false
        var i = start
        scan: while i < s.count, let e = entry(s[i]) {
            // More digits than any value may print with: not a number (stops here, so a
            // million-digit run costs no more than a short one).
            if low.count > Self.maxDigits { return nil }
            switch e.role {
            case .digit, .two:
                chinese = true
                low.push(e.value); high.push(e.value)
            case .arabic:
                low.push(e.value); high.push(e.value)
            case .some, .several:
                // 几: 0…9 (1…9 when it leads the number); 数: a leading 1…9 only.
                let leads = low.count == 0 && start == 0
                if e.role == .several && !leads { return nil }
                chinese = true; vague = true
                low.push(leads ? 1 : 0); high.push(9)
            case .point, .arabicPoint:
                if inFraction { break scan }
                if e.role == .point { chinese = true }
                inFraction = true
                i += 1
                continue scan
            case .group:
                if inFraction || chinese { break scan }
                i += 1
                continue scan
            case .exponent:
                // 2.5e3, 1.2E-3: an exponent ends the run.
                guard !chinese, low.count > 0 else { break scan }
                var j = i + 1
                var negative = false
                if j < s.count, Self.signs.contains(s[j]) { negative = s[j] != "+"; j += 1 }
                var power = 0, count = 0
                while j < s.count, let d = entry(s[j]), d.role == .arabic {
                    power = power * 10 + d.value; count += 1; j += 1
                    if power > Self.maxDigits * 2 { return nil }   // 1e999999: prints beyond maxDigits anyway
                }
                guard count > 0 else { return nil }
                let v = low.value(exponent: (negative ? -power : power) - fraction)
                guard Self.fits(v) else { return nil }
                return (.number(low: v, high: v, chinese: false, digits: 0, leadingZero: false, hasFraction: true,
                                integerDigits: v.integerDigitCount), j)
            case .power:
                // 2^5, 2.5^-1, 1.1^+23: an integer power ends the run ("--" reads as "+").
                guard !chinese, low.count > 0 else { break scan }
                var j = i + 1
                var negative = false
                while j < s.count, Self.signs.contains(s[j]) { if s[j] != "+" { negative.toggle() }; j += 1 }
                var power = 0, count = 0
                while j < s.count, let d = entry(s[j]), d.role == .arabic {
                    power = power * 10 + d.value; count += 1; j += 1
                    if power > Self.maxPower { return nil }    // checked before it can overflow: 2^99999999999999999999
                }
                guard count > 0 else { return nil }
                let base = low.value(exponent: -fraction)
                // The result has at most digits×power digits and exponent×power: check before
                // multiplying, so 111…(300 digits)^999 costs nothing.
                guard base.digitCount * power <= Self.maxDigits, abs(base.exponent) * power <= Self.maxDigits else { return nil }
                var v = ExactDecimal.one, square = base, p = power
                while p > 0 {                      // by squaring: log2(power) products
                    if p & 1 == 1 { v = v * square }
                    p >>= 1
                    if p > 0 { square = square * square }
                }
                if negative { guard let r = ExactDecimal.one.divided(by: v, places: 15) else { return nil }; v = r }
                guard Self.fits(v) else { return nil }
                return (.number(low: v, high: v, chinese: false, digits: 0, leadingZero: false, hasFraction: true,
                                integerDigits: v.integerDigitCount), j)
            case .small, .big, .tens, .half:
                break scan
            }
            if inFraction { fraction += 1 }
            i += 1
        }
        guard low.count > 0, low.count <= Self.maxDigits else { return nil }
        if inFraction && fraction == 0 { return nil }
        // Two adjacent Chinese digits one apart before a unit or at the end: 二三十, 七八个.
        if chinese, !vague, fraction == 0, low.count == 2, low.second == low.first + 1, low.first != 0 {
            let next = i < s.count ? entry(s[i])?.role : nil
            if next == nil || next == .small || next == .big {
                return (.number(low: ExactDecimal(low.first), high: ExactDecimal(low.second), chinese: true,
                                digits: 1, leadingZero: false, hasFraction: false, integerDigits: 1), i)
            }
        }
        let leadingZero = low.count > 1 && low.first == 0 && fraction == 0
        return (.number(low: low.value(exponent: -fraction), high: high.value(exponent: -fraction), chinese: chinese,
                        digits: fraction == 0 ? low.count : 0, leadingZero: leadingZero, hasFraction: fraction > 0,
                        integerDigits: low.count - fraction), i)
    }

    /// Signs of an exponent or a power.
    private static let signs: Set<Unicode.Scalar> = ["+", "-", "－", "−"]

    /// Evaluates atoms by grains; `high` picks the upper reading of vague runs.
    private func evaluate(_ atoms: UnsafeBufferPointer<Atom>, high: Bool) -> ExactDecimal? {
        // The parts read so far (one per 万/亿 at most), on the stack: no allocation per numeral.
        withUnsafeTemporaryAllocation(of: (value: ExactDecimal, power: Int).self, capacity: max(1, atoms.count)) { parts in
            var count = 0
            defer { parts.baseAddress!.deinitialize(count: count) }
            func push(_ part: (value: ExactDecimal, power: Int)) { (parts.baseAddress! + count).initialize(to: part); count += 1 }
            var section = ExactDecimal.zero
            var pending: ExactDecimal?
            var pendingFraction = ExactDecimal.zero
            var pendingElidable = false
            var lastPower: Int?
            var zeroSinceUnit = false
            var digitsSinceBig = false

            /// The pending digit, moved to the next lower place when it stands right after a unit.
            func settle(_ pending: ExactDecimal?) -> ExactDecimal {
                guard var p = pending else { return .zero }
                if pendingElidable, !zeroSinceUnit, let lp = lastPower, lp >= 2 { p = p.shifted(by: lp - 1) }
                return p + pendingFraction
            }

            for atom in atoms {
                switch atom {
                case let .number(low, hi, chinese, digits, leadingZero, hasFraction, integerDigits):
                    if pending != nil { return nil }        // two numbers in a row: 3二
                    var v = high ? hi : low
                    pendingFraction = .zero
                    if hasFraction, chinese, lastPower != nil {
                        // 两千三点一: the integer digit takes its place, the fraction stays.
                        let whole = ExactDecimal(digits: v.digits.dropLast(max(0, -v.exponent)).map { $0 }, exponent: 0)
                        pendingFraction = v - whole
                        v = whole
                    }
                    pending = v
                    // Decided by the digits as written, so both readings of a vague run agree (几九点七).
                    pendingElidable = chinese && (digits == 1 || (hasFraction && integerDigits <= 1)) && !leadingZero
                    if leadingZero { zeroSinceUnit = true }
                    digitsSinceBig = true
                case let .tens(t):
                    section = section + settle(pending) + ExactDecimal(t * 10)
                    pending = nil; pendingFraction = .zero; lastPower = 1; zeroSinceUnit = false; digitsSinceBig = true
                case let .small(p):
                    // 十五, 一万零十二: no digit (or a lone 零) before 十/百/千 means 一.
                    let multiplier = (pending == nil || pending!.isZero) ? ExactDecimal.one : pending!
                    section = section + multiplier.shifted(by: p) + pendingFraction
                    pending = nil; pendingFraction = .zero; lastPower = p; zeroSinceUnit = false; digitsSinceBig = true
                case let .big(p):
                    // A digit right after 百/千 before 万 takes the next lower place (百二萬 = 120万);
                    // right after 亿 it starts a section of its own (六十二亿四万 = 4万).
                    let s = section + ((lastPower ?? 0) < 4 ? settle(pending) : (pending ?? .zero) + pendingFraction)
                    if !digitsSinceBig {
                        if count == 0 {
                            push((ExactDecimal.one.shifted(by: p), p))          // 万九: an implied 一
                        } else {
                            // 四万万, 三万亿: a unit right after a unit scales the part before it.
                            parts[count - 1].value = parts[count - 1].value.shifted(by: p)
                            parts[count - 1].power += p
                        }
                    } else {
                        // Parts are kept in falling grain order, so the lower grains are at the end:
                        // popping them keeps the whole reading linear in the numeral's length.
                        var low = ExactDecimal.zero
                        while count > 0, parts[count - 1].power < p {
                            low = low + parts[count - 1].value
                            count -= 1
                            (parts.baseAddress! + count).deinitialize(count: 1)
                        }
                        push(((low + s).shifted(by: p), p))
                    }
                    // 一亿亿亿…: stop as soon as the value cannot print within maxDigits.
                    if count > 0, !Self.fits(parts[count - 1].value) { return nil }
                    section = .zero; pending = nil; pendingFraction = .zero; lastPower = p; zeroSinceUnit = false
                    digitsSinceBig = false
                }
            }
            var total = section + settle(pending)
            for k in 0..<count { total = total + parts[k].value }
            return total
        }
    }

    /// The power of ten of a magnitude run such as `万`, `千万`, `万亿` (`magnitude(utf8:)`).
    public func magnitude(_ text: Substring.UnicodeScalarView) -> Int? {
        var s = String(text)
        return s.withUTF8 { magnitude(utf8: $0) }
    }
}
