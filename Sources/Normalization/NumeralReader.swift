import PatternCatalog
import ZhibiaoCore

/// A number read from its written form (`2.72`, `１２３．４５`, `一百九十万零三千九百七十一`, `3千`).
public struct ParsedNumber: Hashable, Sendable {
    public var value: ExactDecimal
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
}

/// Reads numerals with the characters of `numerals.tsv`, in exact decimal arithmetic.
///
/// Chinese numerals are read by sections (Duckling's grain idea): 十/百/千 multiply the
/// digit before them (an implied 一 when there is none: 十五, 百二), 万 closes a section
/// of up to four digits, 亿 multiplies everything before it (三万亿 = 3×10^12).
/// A digit after the last unit with no 零 between takes the next lower place
/// (一万二 = 12000, 三千五 = 3500); with 零 it stays in the units place (一千零五 = 1005).
public struct NumeralReader: Sendable {
    let table: [Unicode.Scalar: NumeralEntry]

    public init(catalog: PatternCatalog) { table = catalog.numerals }

    private enum Atom {
        case number(ExactDecimal, chinese: Bool, digits: Int, leadingZero: Bool)
        case small(Int)
        case big(Int)
    }

    /// Reads `text` (the whole of it) as a number, or nil when it is not one.
    public func read(_ text: Substring.UnicodeScalarView) -> ParsedNumber? {
        var atoms: [Atom] = []
        var isChinese = false
        var i = text.startIndex
        var sawUnit = false

        // Pass 1: group characters into number atoms and unit atoms.
        while i < text.endIndex {
            let s = text[i]
            let entry: NumeralEntry?
            if s.value >= 0x30 && s.value <= 0x39 { entry = NumeralEntry(role: .arabic, value: Int(s.value - 0x30)) } else { entry = table[s] }
            guard let entry else { return nil }
            switch entry.role {
            case .arabic:
                // An Arabic number: digits, thousands separators, one decimal mark.
                var digits: [UInt8] = []
                var fraction = 0
                var inFraction = false
                while i < text.endIndex {
                    let c = text[i]
                    let e: NumeralEntry? = (c.value >= 0x30 && c.value <= 0x39) ? NumeralEntry(role: .arabic, value: Int(c.value - 0x30)) : table[c]
                    if c == " " { i = text.index(after: i); continue }   // 1 9 9 7: digits spaced out
                    guard let e else { break }
                    if e.role == .arabic { digits.append(UInt8(e.value)); if inFraction { fraction += 1 } }
                    else if e.role == .group && !inFraction { }
                    else if e.role == .arabicPoint && !inFraction { inFraction = true }
                    else { break }
                    i = text.index(after: i)
                }
                if digits.isEmpty { return nil }
                atoms.append(.number(ExactDecimal(digits: digits, exponent: -fraction), chinese: false, digits: inFraction ? 0 : digits.count, leadingZero: false))
                continue
            case .digit, .point:
                isChinese = true
                // A run of Chinese digits, possibly with a decimal point: 二〇二四, 零五, 三点一四.
                var digits: [UInt8] = []
                var fraction = 0
                var inFraction = false
                let leadingZero = entry.role == .digit && entry.value == 0
                while i < text.endIndex, let e = table[text[i]], e.role == .digit || (e.role == .point && !inFraction) {
                    if e.role == .point { inFraction = true } else { digits.append(UInt8(e.value)); if inFraction { fraction += 1 } }
                    i = text.index(after: i)
                }
                if inFraction && fraction == 0 { return nil }
                if digits.isEmpty { return nil }
                // 〇/零 alone before the point read as a digit; a run with no point is a digit sequence.
                atoms.append(.number(ExactDecimal(digits: digits, exponent: -fraction), chinese: true,
                                     digits: inFraction ? 0 : digits.count, leadingZero: leadingZero && digits.count > 1))
                continue
            case .small:
                isChinese = true; sawUnit = true
                atoms.append(.small(entry.value))
            case .big:
                isChinese = true; sawUnit = true
                atoms.append(.big(entry.value))
            case .arabicPoint, .group:
                return nil
            }
            i = text.index(after: i)
        }
        guard !atoms.isEmpty else { return nil }

        // A bare digit sequence: 2024, 二〇二四, 3.5.
        if !sawUnit, atoms.count == 1, case let .number(v, chinese, digits, _) = atoms[0] {
            let loneOne = chinese && digits == 1 && v == .one && text.count == 1
            return ParsedNumber(value: v, isChinese: chinese, isDigitSequence: digits > 0, sequenceLength: digits,
                                trailingMagnitude: 0, isLoneOne: loneOne)
        }

        // Pass 2: evaluate by sections.
        var total = ExactDecimal.zero
        var section = ExactDecimal.zero
        var pending: ExactDecimal?
        var pendingElidable = false
        var lastPower: Int?
        var zeroSinceUnit = false
        var trailing = 0
        for atom in atoms {
            switch atom {
            case let .number(v, chinese, digits, leadingZero):
                if pending != nil { return nil }        // two numbers in a row: 3二
                pending = v
                // Only a lone Chinese digit can stand for the next lower place (一万二).
                pendingElidable = chinese && digits == 1 && v.isInteger && !leadingZero
                if leadingZero { zeroSinceUnit = true }
                trailing = 0
            case let .small(p):
                section = section + (pending ?? .one).shifted(by: p)
                pending = nil; lastPower = p; zeroSinceUnit = false; trailing = 0
            case let .big(p):
                let s = section + (pending ?? .zero)
                let sectionValue = (s.isZero && total.isZero) ? ExactDecimal.one : s
                if p >= 8 {
                    total = (total + sectionValue).shifted(by: p)
                } else {
                    total = total + sectionValue.shifted(by: p)
                }
                section = .zero; pending = nil; lastPower = p; zeroSinceUnit = false
                trailing += p
            }
        }
        if var p = pending {
            if pendingElidable, !zeroSinceUnit, let lp = lastPower, lp >= 2 {
                // 一万二 = 12000, 三千五 = 3500, 两百五 = 250: the digit takes the next lower place.
                p = p.shifted(by: lp - 1)
            }
            section = section + p
        }
        let value = total + section
        return ParsedNumber(value: value, isChinese: isChinese, isDigitSequence: false, sequenceLength: 0,
                            trailingMagnitude: trailing, isLoneOne: false)
    }

    public func read(_ text: String) -> ParsedNumber? { read(Substring(text).unicodeScalars) }

    /// The power of ten of a magnitude run such as `万`, `千万`, `万亿` (sum of the characters' powers).
    public func magnitude(_ text: Substring.UnicodeScalarView) -> Int? {
        var power = 0
        for s in text {
            guard let e = table[s], e.role == .small || e.role == .big else { return nil }
            power += e.value
        }
        return power
    }
}
