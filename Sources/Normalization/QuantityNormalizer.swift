import PatternCatalog
import ZhibiaoCore

/// The pieces of one quantity match, as the named groups of `quantity.pcre` cut them.
/// Every piece is a view of the document text; absent groups are nil.
public struct QuantityParts {
    public var ordinal = false
    public var before: Substring?
    public var prefix: Substring?
    public var negative = false
    public var num: Substring
    public var approx: Substring?
    public var mag: Substring?
    public var approx2: Substring?
    public var unit1: Substring?
    public var num2: Substring?
    public var mag2: Substring?
    public var approx3: Substring?
    public var unit: Substring?
    public var after: Substring?

    public init(num: Substring) { self.num = num }
}

/// What the normalizer read, with the facts the extractor's filters need.
public struct Reading: Sendable {
    public var quantity: Quantity
    /// The match ends early: the parts after this group were not part of the quantity
    /// (`2023-12` is not a range). Nil when the whole match stands.
    public var truncatedAfter: TruncationPoint?
    /// The first number of the match as read.
    public var number: ParsedNumber
    /// True when a magnitude (万, 亿, 千万) was written after an Arabic number or inside a Chinese one.
    public var hasMagnitude: Bool

    public init(quantity: Quantity, truncatedAfter: TruncationPoint? = nil, number: ParsedNumber, hasMagnitude: Bool) {
        self.quantity = quantity
        self.truncatedAfter = truncatedAfter
        self.number = number
        self.hasMagnitude = hasMagnitude
    }
}

/// Where a match is cut when only its first part is a quantity.
public enum TruncationPoint: Sendable {
    /// Keep up to the first number, its magnitude and qualifier words.
    case firstNumber
    /// Keep up to the unit written after the first number (`5天` of `5天至2`).
    case firstUnit
}

/// Turns match pieces into an exact `Quantity`: value in the base unit, range, unit, kind, qualifier.
public struct QuantityNormalizer: Sendable {
    public let numerals: NumeralReader
    let suffixUnits: [Substring: UnitEntry]
    let prefixUnits: [Substring: UnitEntry]
    let qualifierWords: [QualifierPosition: [Substring: Qualifier]]

    public init(catalog: PatternCatalog) {
        numerals = NumeralReader(catalog: catalog)
        var suffix: [Substring: UnitEntry] = [:], prefix: [Substring: UnitEntry] = [:]
        for u in catalog.units {          // later rows (user files) override earlier ones
            if u.isPrefix { prefix[Substring(u.surface)] = u } else { suffix[Substring(u.surface)] = u }
        }
        suffixUnits = suffix
        prefixUnits = prefix
        var q: [QualifierPosition: [Substring: Qualifier]] = [:]
        for e in catalog.qualifiers { q[e.position, default: [:]][Substring(e.word)] = e.qualifier }
        qualifierWords = q
    }

    /// The unit entry for a surface written after a number (`万元` is not one: 万 is a magnitude).
    public func suffixUnit(_ surface: Substring) -> UnitEntry? { suffixUnits[surface] }

    func qualifier(_ word: Substring?, _ position: QualifierPosition) -> Qualifier {
        guard let word else { return .none }
        return qualifierWords[position]?[word] ?? .none
    }

    /// Reads the parts of one match; nil when the text is not a number after all.
    public func normalize(_ parts: QuantityParts) -> Reading? {
        guard let first = numerals.read(parts.num.unicodeScalars) else { return nil }
        var value = first.value
        var ownMagnitude = first.trailingMagnitude > 0
        if let mag = parts.mag {
            guard let p = numerals.magnitude(mag.unicodeScalars) else { return nil }
            value = value.shifted(by: p)
            ownMagnitude = true
        }
        if parts.negative { value = value.negated() }

        var truncated: TruncationPoint?
        var unitText = parts.unit
        var valueMax: ExactDecimal?

        if let num2 = parts.num2 {
            // A range. The unit written after the second end applies to both; a magnitude
            // written only after the second end applies to both too (3至5万元 = 30000..50000).
            var ok = false
            if let second = numerals.read(num2.unicodeScalars) {
                var high = second.value
                var highPower = second.trailingMagnitude
                if let mag2 = parts.mag2, let p = numerals.magnitude(mag2.unicodeScalars) {
                    high = high.shifted(by: p); highPower += p
                }
                var low = value
                if !ownMagnitude, highPower > 0, low.shifted(by: highPower) <= high { low = low.shifted(by: highPower) }
                let unitsAgree: Bool = {
                    guard let u1 = parts.unit1 else { return true }
                    guard let u = parts.unit else { return false }
                    return suffixUnits[u1]?.unit == suffixUnits[u]?.unit
                }()
                if unitsAgree, low < high { value = low; valueMax = high; ok = true }
            }
            if !ok {
                if let u1 = parts.unit1 { unitText = u1; truncated = .firstUnit } else { unitText = nil; truncated = .firstNumber }
            }
        } else if parts.unit1 != nil {
            unitText = parts.unit1; truncated = .firstUnit
        }

        // Qualifier: the first one written wins (超130亿元; 5000余万元; 1200万人以上).
        var q = qualifier(parts.before, .before)
        for (word, position) in [(parts.approx, QualifierPosition.approx), (parts.approx2, .approx), (parts.approx3, .approx)] where q == .none {
            q = qualifier(word, position)
        }
        if q == .none, truncated == nil { q = qualifier(parts.after, .after) }

        // Unit and kind.
        var unit = ""
        var kind = Kind.number
        var scale = ExactDecimal.one
        if let p = parts.prefix, let entry = prefixUnits[p] {
            unit = entry.unit; kind = entry.kind; scale = entry.scale
        } else if let u = unitText, let entry = suffixUnits[u] {
            unit = entry.unit; kind = entry.kind; scale = entry.scale
        }
        if scale != .one {
            value = value * scale
            valueMax = valueMax.map { $0 * scale }
        }

        // Years and calendar positions: 2024年, 二〇二四年, 2023-2024年 are dates, not durations.
        if kind == .duration, unitText == "年" || unitText == "年度", parts.mag == nil, q == .none,
           first.isDigitSequence, first.sequenceLength == 4 {
            kind = .year
        }
        if parts.ordinal { kind = .ordinal }

        // 一个, 一批, 一项: the lone numeral 一 before a classifier is an article, not a count.
        if kind == .count, first.isLoneOne, parts.mag == nil, q == .none, valueMax == nil {
            kind = .number
        }

        return Reading(quantity: Quantity(value: value, valueMax: valueMax, unit: unit, kind: kind, qualifier: q),
                       truncatedAfter: truncated, number: first, hasMagnitude: ownMagnitude)
    }
}
