import PatternCatalog
import ZhibiaoCore

/// The pieces of one quantity match, as the named groups of `quantity.pcre` cut them: byte
/// spans into the text being read (the normalizer is given the text with them). Absent
/// groups are nil; the extractor maps groups to parts without building any text.
public struct QuantityParts {
    /// 第 before the number (第三): the figure is an ordinal.
    public var ordinal = false
    /// A qualifier word before the number (超, 近, 约: `qualifier_before`).
    public var before: ByteSpan?
    /// A unit written before the number (百分之, ￥).
    public var prefix: ByteSpan?
    /// A minus sign or 负 before the number.
    public var negative = false
    /// The first (or only) number, the one group every match has.
    public var num: ByteSpan
    /// A qualifier word right after the first number (5000余: `qualifier_approx`).
    public var approx: ByteSpan?
    /// The magnitude after the first number (万, 亿, 千万).
    public var mag: ByteSpan?
    /// A qualifier word after the first magnitude (293万余次).
    public var approx2: ByteSpan?
    /// The unit after the first end of a range (5天至7天: 天).
    public var unit1: ByteSpan?
    /// The second end of a range (3至5万元: 5).
    public var num2: ByteSpan?
    /// The magnitude after the second end of a range.
    public var mag2: ByteSpan?
    /// A qualifier word after the second end of a range, before the unit.
    public var approx3: ByteSpan?
    /// The unit after the number, or after the second end of a range.
    public var unit: ByteSpan?
    /// A qualifier word after the unit (以上, 左右: `qualifier_after`).
    public var after: ByteSpan?
    /// 半 after the unit (一吨半).
    public var half = false
    /// A fraction: denominator and numerator (三分之一, 1/3).
    public var fractionDenominator: ByteSpan?
    /// The numerator of the fraction (the 一 of 三分之一).
    public var fractionNumerator: ByteSpan?
    /// The whole part before 又 (三百五又三分之一).
    public var fractionWhole: ByteSpan?
    /// 负 before the whole fraction, and before the numerator (负３分之负一百五十七).
    public var fractionNegative = false
    /// True for 负 before the numerator (分之负一百五十七).
    public var numeratorNegative = false
    /// 角 and 分 digits after a yuan amount (五元三角, 三块零四).
    public var jiao: ByteSpan?
    /// 一半 (one half).
    public var oneHalf = false
    /// The 分 digit after a yuan amount or 角 (五元三角二分: 二).
    public var fen: ByteSpan?
    /// A digit after 米 (一米八 = 1.8 米).
    public var tenth: ByteSpan?
    /// A digit after the first end's 米 in a range (一米七至一米八: 七).
    public var tenthLow: ByteSpan?

    /// Parts with only the number; the extractor fills in the groups that matched.
    public init(num: ByteSpan) { self.num = num }
}

/// What the normalizer read, with the facts the extractor's filters need.
public struct Reading: Sendable {
    /// The value, range, unit, kind and qualifier read.
    public var quantity: Quantity
    /// The match ends early: the parts after this group were not part of the quantity
    /// (`2023-12` is not a range). Nil when the whole match stands.
    public var truncatedAfter: TruncationPoint?
    /// The first number of the match as read.
    public var number: ParsedNumber
    /// True when a magnitude (万, 亿, 千万) was written after an Arabic number or inside a Chinese one.
    public var hasMagnitude: Bool

    /// A reading with all its facts; `truncatedAfter` nil keeps the whole match.
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

/// The compound units of compound.tsv (元/吨), found by their parts, numerator, slash and
/// denominator, rather than listed pair by pair: asked for a unit that units.tsv lacks.
struct CompoundUnits: Sendable {
    let numerators: ByteWordTable<UnitEntry>
    let denominators: ByteWordTable<String>
    /// The slashes as UTF-8 (/ and ／).
    let slashes: [[UInt8]]

    init(_ catalog: PatternCatalog) {
        let (numerators, denominators) = catalog.compoundParts()
        self.numerators = ByteWordTable(numerators.map { ($0.surface, $0.base) })
        self.denominators = ByteWordTable(denominators.map { ($0.surface, $0.unit) })
        slashes = PatternCatalog.compoundSlashes.map { Array($0.utf8) }
    }

    /// True when compound.tsv gave no compound.
    var isEmpty: Bool { numerators.count == 0 }

    /// The row of the compound spelled by `word`, or nil.
    func value(for word: UnsafeBufferPointer<UInt8>) -> UnitEntry? {
        guard !isEmpty else { return nil }
        for slash in slashes {
            var i = 0
            while i + slash.count <= word.count {
                if slash.indices.allSatisfy({ word[i + $0] == slash[$0] }),
                   let base = numerators.value(for: UnsafeBufferPointer(rebasing: word[..<i])),
                   let unit = denominators.value(for: UnsafeBufferPointer(rebasing: word[(i + slash.count)...])) {
                    return PatternCatalog.compoundUnit(base, surface: String(decoding: word, as: UTF8.self), denominatorUnit: unit)
                }
                i += 1
            }
        }
        return nil
    }
}

/// Turns match pieces into an exact `Quantity`: value in the base unit, range, unit, kind, qualifier.
public struct QuantityNormalizer: Sendable {
    /// The numeral reader built from the same catalog; the extractor also reads the `num`
    /// group of user patterns with it.
    public let numerals: NumeralReader
    let suffixUnits: ByteWordTable<UnitEntry>
    let compounds: CompoundUnits
    let prefixUnits: ByteWordTable<UnitEntry>
    let qualifiersBefore: ByteWordTable<Qualifier>
    let qualifiersApprox: ByteWordTable<Qualifier>
    let qualifiersAfter: ByteWordTable<Qualifier>

    /// Builds the unit and qualifier word tables of `catalog` (user rows override built-in ones).
    public init(catalog: PatternCatalog) {
        numerals = NumeralReader(catalog: catalog)
        // Later rows (user files) override earlier ones.
        // Compounds (元/吨) after the units.tsv rows; none of them spells a units.tsv unit.
        suffixUnits = ByteWordTable(catalog.units.filter { !$0.isPrefix }.map { ($0.surface, $0) })
        compounds = CompoundUnits(catalog)
        prefixUnits = ByteWordTable(catalog.units.filter { $0.isPrefix }.map { ($0.surface, $0) })
        func words(_ position: QualifierPosition) -> ByteWordTable<Qualifier> {
            ByteWordTable(catalog.qualifiers.filter { $0.position == position }.map { ($0.word, $0.qualifier) })
        }
        qualifiersBefore = words(.before)
        qualifiersApprox = words(.approx)
        qualifiersAfter = words(.after)
    }

    /// The unit entry for a surface written after a number (`万元` is not one: 万 is a magnitude).
    public func suffixUnit(_ surface: String) -> UnitEntry? {
        var w = surface
        return w.withUTF8 { suffixUnits.value(for: $0) ?? compounds.value(for: $0) }
    }

    /// What `normalize` takes from a compound unit (元/吨), asked only when units.tsv has no
    /// such unit. Out of line, and not the whole entry: passed through `normalize` as an
    /// optional `UnitEntry`, entries were copied whole and `normalize` ran 5% slower.
    @inline(never)
    func compoundUnit(_ word: UnsafeBufferPointer<UInt8>) -> (unit: String, kind: Kind, scale: ExactDecimal, twoDigitsAreWhole: Bool)? {
        compounds.value(for: word).map { ($0.unit, $0.kind, $0.scale, $0.twoDigitsAreWhole) }
    }

    /// The qualifier `word` spells at `position`, `.none` without one. Inlined: most matches
    /// have no qualifier word, and five calls per match cost more than the tests they make.
    @inline(__always)
    func qualifier(_ word: ByteSpan?, _ position: QualifierPosition, _ t: UnsafeBufferPointer<UInt8>) -> Qualifier {
        guard let word else { return .none }
        let table: ByteWordTable<Qualifier>
        switch position {
        case .before: table = qualifiersBefore
        case .approx: table = qualifiersApprox
        case .after: table = qualifiersAfter
        }
        return table.value(for: t.slice(word)) ?? .none
    }

    @inline(__always)
    func read(_ span: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> ParsedNumber? { numerals.read(utf8: t.slice(span)) }

    /// 三分之一 = 0.333333 (6 places), 一百分之五十五点五七九 = 0.55579 (exact when the
    /// denominator is a power of ten), 1/3: kind `ratio`, no unit.
    func fraction(_ denominator: ByteSpan, _ numerator: ByteSpan, _ parts: QuantityParts, _ t: UnsafeBufferPointer<UInt8>) -> Reading? {
        guard let d = read(denominator, t), let n = read(numerator, t),
              !d.value.isZero else { return nil }
        let top = parts.numeratorNegative ? n.value.negated() : n.value
        var value: ExactDecimal
        if d.value.isPowerOfTen {
            value = top.shifted(by: -d.value.exponent)
        } else {
            guard let v = top.divided(by: d.value, places: 6) else { return nil }
            value = v
        }
        if let w = parts.fractionWhole {
            guard let whole = read(w, t) else { return nil }
            value = whole.value + value
        }
        if parts.fractionNegative { value = value.negated() }
        guard NumeralReader.fits(value) else { return nil }
        return Reading(quantity: Quantity(value: value, unit: "", kind: .ratio), number: n, hasMagnitude: false)
    }

    /// Reads the parts of one match (spans into `t`); nil when the text is not a number after all.
    ///
    /// Every reading it gives holds two invariants, checked here: its values print within
    /// `NumeralReader.maxDigits` digits, and a range is low < high (a reading that breaks
    /// either is not a quantity: no row rather than a wrong one). The reading is built once,
    /// in the return slot: copies of this large value were a tenth of the time spent here.
    public func normalize(_ parts: QuantityParts, in t: UnsafeBufferPointer<UInt8>) -> Reading? {
        if let d = parts.fractionDenominator, let n = parts.fractionNumerator { return fraction(d, n, parts, t) }
        if parts.oneHalf {
            return Reading(quantity: Quantity(value: .half, unit: "", kind: .ratio, qualifier: qualifier(parts.before, .before, t)),
                           number: .half, hasMagnitude: false)
        }
        guard let first = read(parts.num, t) else { return nil }
        var value = first.value
        var vagueMax = first.valueMax
        var ownMagnitude = first.trailingMagnitude > 0
        if let mag = parts.mag {
            guard let p = numerals.magnitude(utf8: t.slice(mag)) else { return nil }
            value = value.shifted(by: p)
            vagueMax = vagueMax?.shifted(by: p)
            ownMagnitude = true
        }
        if parts.negative {
            // 负几万 = -90000 … -10000: negating swaps the ends of a vague range.
            if let high = vagueMax { (value, vagueMax) = (high.negated(), value.negated()) } else { value = value.negated() }
        }

        var truncated: TruncationPoint?
        var unitText = parts.unit
        var valueMax: ExactDecimal? = vagueMax
        /// A digit after 米 is a tenth of the end it follows (一米七至一米八 = 1.7 … 1.8).
        func tenth(_ span: ByteSpan?) -> ExactDecimal {
            guard let span, let d = read(span, t) else { return .zero }
            return d.value.shifted(by: -1)
        }
        var tenthUsed = false

        if let num2 = parts.num2 {
            // A range. The unit written after the second end applies to both; a magnitude
            // written only after the second end applies to both too (3至5万元 = 30000..50000).
            var ok = false
            if let second = read(num2, t) {
                var high = second.value
                var highPower = second.trailingMagnitude
                if let mag2 = parts.mag2, let p = numerals.magnitude(utf8: t.slice(mag2)) {
                    high = high.shifted(by: p); highPower += p
                }
                high = high + tenth(parts.tenth)
                var low = value + tenth(parts.tenthLow)
                if !ownMagnitude, highPower > 0, low.shifted(by: highPower) <= high { low = low.shifted(by: highPower) }
                let unitsAgree: Bool = {
                    guard let u1 = parts.unit1 else { return true }
                    guard let u = parts.unit else { return false }
                    func unitName(_ s: ByteSpan) -> String? {
                        suffixUnits.value(for: t.slice(s))?.unit ?? (compounds.isEmpty ? nil : compoundUnit(t.slice(s))?.unit)
                    }
                    return unitName(u1) == unitName(u)
                }()
                if unitsAgree, low < high { value = low; valueMax = high; ok = true; tenthUsed = true }
            }
            if !ok {
                if let u1 = parts.unit1 { unitText = u1; truncated = .firstUnit; value = value + tenth(parts.tenthLow) } else { unitText = nil; truncated = .firstNumber }
            }
        } else if parts.unit1 != nil {
            unitText = parts.unit1; truncated = .firstUnit
        }

        // Qualifier: the first one written wins (超130亿元; 5000余万元; 1200万人以上).
        var q = qualifier(parts.before, .before, t)
        if q == .none { q = qualifier(parts.approx, .approx, t) }
        if q == .none { q = qualifier(parts.approx2, .approx, t) }
        if q == .none { q = qualifier(parts.approx3, .approx, t) }
        if q == .none, truncated == nil { q = qualifier(parts.after, .after, t) }

        // Unit and kind.
        var unit = ""
        var kind = Kind.number
        var scale = ExactDecimal.one
        var twoDigitsAreWhole = false
        if let p = parts.prefix, let entry = prefixUnits.value(for: t.slice(p)) {
            unit = entry.unit; kind = entry.kind; scale = entry.scale
        } else if let u = unitText, let entry = suffixUnits.value(for: t.slice(u)) {
            unit = entry.unit; kind = entry.kind; scale = entry.scale; twoDigitsAreWhole = entry.twoDigitsAreWhole
        } else if let u = unitText, !compounds.isEmpty, let entry = compoundUnit(t.slice(u)) {
            unit = entry.unit; kind = entry.kind; scale = entry.scale; twoDigitsAreWhole = entry.twoDigitsAreWhole
        }
        if twoDigitsAreWhole {
            // 七五折 = 75 %, 九折 = 90 %; 十折 or 120折 is no discount at all.
            if first.sequenceLength == 2 { scale = .one }
            else if !(value < ExactDecimal(10)) { unit = ""; kind = .number; scale = .one }
        }
        if !tenthUsed, truncated == nil, parts.tenth != nil {
            let d = tenth(parts.tenth)          // 一米八; both ends of a vague 几米八
            value = value + d
            valueMax = valueMax.map { $0 + d }
        }
        if parts.half, truncated == nil {
            // 一吨半 = 1.5 吨, 三成半 = 3.5 成
            value = value + .half
            valueMax = valueMax.map { $0 + .half }
        }
        if vagueMax != nil, q == .none { q = .about }
        if scale != .one {
            value = value * scale
            valueMax = valueMax.map { $0 * scale }
        }

        if kind == .money, truncated == nil {
            // 五元三角 = 5.3 元, 三块零四 = 3.04 元
            if let j = parts.jiao, let d = read(j, t) { value = value + d.value.shifted(by: -1) }
            if let f = parts.fen, let d = read(f, t) { value = value + d.value.shifted(by: -2) }
        }
        // Years and calendar positions: 2024年, 二〇二四年, 2023-2024年 are dates, not durations.
        if kind == .duration, let u = unitText, Self.isYearUnit(t.slice(u)), parts.mag == nil, q == .none,
           first.isDigitSequence, first.sequenceLength == 4 {
            kind = .year
        }
        if parts.ordinal { kind = .ordinal }

        // 一个, 一批, 突破一批, 重要一年: the lone numeral 一 before a classifier or a time unit is
        // an article, not an amount (reported as a bare number with --kinds all).
        if kind == .count || kind == .duration || kind == .date, first.isLoneOne, parts.mag == nil, valueMax == nil {
            kind = .number
        }

        guard NumeralReader.fits(value), valueMax.map(NumeralReader.fits) ?? true else { return nil }
        if let high = valueMax, !(value < high) {
            guard high == value else { return nil }
            valueMax = nil
        }
        return Reading(quantity: Quantity(value: value, valueMax: valueMax, unit: unit, kind: kind, qualifier: q),
                       truncatedAfter: truncated, number: first, hasMagnitude: ownMagnitude)
    }

    /// 年 and 年度: after a four-digit number they name a year, not a duration.
    static func isYearUnit(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        u.elementsEqual("年".utf8) || u.elementsEqual("年度".utf8)
    }
}
