import PatternCatalog
import PCRE2Matching
import ZhibiaoCore

/// The fast path of the scan: the commonest quantity, a plain Arabic number (`972`, `2,004`,
/// `99.69`, `5万`, `3.2亿`) or Chinese number (`一`, `三十五`) followed by a unit of units.tsv
/// or by nothing, read without the quantity pattern
/// where that pattern could only read the same.
///
/// Nothing here knows the language: the number's characters are numerals.tsv's (`arabic`
/// digits are read as ASCII only, `group`, `arabic_point`), the units are the suffix units of
/// units.tsv, and what may follow is quantity.pcre's: `@not_inside` (where no match begins,
/// tried with PCRE2 itself) and the classes `@plain_number_more` and `@plain_unit_more` (every
/// character that could make the match longer or different). When a character of those
/// classes follows, the reader answers `.unsure` and the scan tries the full pattern.
/// PlainQuantityTests compare both readings at every digit of the examples files, of a real
/// corpus slice and of random text.
final class PlainQuantityReader: Sendable {
    /// Where a match may begin at all (`@not_inside` with an empty body, anchored).
    let guardPattern: CompiledPattern
    /// The non-ASCII characters written in `@not_inside`: after any other non-ASCII
    /// character its look-behinds hold, and PCRE2 need not be asked (nil: always ask).
    let guardCharacters: StartSet?
    let numberMore: StartSet
    let unitMore: StartSet
    /// numerals.tsv `group` and `arabic_point` characters.
    let groupMarks: StartSet
    let pointMarks: StartSet
    /// Full-width and other non-ASCII Arabic digits (a group is not taken before one).
    let otherDigits: StartSet
    /// `{magnitude_char}`: 十 百 千 万 亿 … after the digits belong to the number (5万, 3.2亿).
    let magnitudes: StartSet
    /// Where a Chinese number may begin for the fast path: a `digit` of numerals.tsv that
    /// begins no qualifier (before) and no prefix unit (those are read by the pattern).
    let chineseFirst: StartSet
    /// What a Chinese number is made of after its first character (`{chinese_more}` without
    /// 两 and 0, which go to the pattern): digits, 廿 卅, 几, magnitudes.
    let chineseRun: StartSet
    /// The suffix units; the value says whether the unit may end the fast path's match: false
    /// when a shorter unit inside it is followed by a character of `@plain_unit_more`
    /// (PCRE2 could stop there for a range, a compound unit or 一米八).
    let units: ByteTrie<Bool>
    /// `{qualifier_approx}` (qualifiers.tsv `approx`: 余, 多, 来): read right after the number
    /// (3000余份, 293万余次, 四十多人) when what follows it settles the match as after a number.
    let approxWords: ByteTrie<Bool>

    /// What the reader found at one digit.
    enum Reading {
        /// No quantity begins here (`@not_inside` does not hold).
        case none
        /// The match, its number and its unit, exactly as the quantity pattern reads them.
        /// An approximation word stands between the number and the unit (or the match's end)
        /// when they do not meet: see `approximation(match:number:unit:)`.
        case plain(match: ByteSpan, number: ByteSpan, unit: ByteSpan?)
        /// Something could follow that only the quantity pattern reads.
        case unsure
    }

    /// Nil when quantity.pcre is not the built-in one or lacks one of the fragments: the
    /// reasoning above holds for the built-in pattern only.
    init?(catalog: PatternCatalog) throws(ZhibiaoError) {
        guard catalog.quantityPatternIsBuiltIn,
              let notInside = catalog.fragments["not_inside"],
              let numberMore = catalog.fragments["plain_number_more"],
              let unitMore = catalog.fragments["plain_unit_more"] else { return nil }
        guardPattern = try CompiledPattern(notInside, options: [.extended, .anchored])
        guardCharacters = try StartSet.literalCharacters(of: notInside).map { chars throws(ZhibiaoError) in
            let scalars = chars.compactMap(Unicode.Scalar.init)
            return try StartSet(startClass: scalars.isEmpty ? "(?!)" : "[" + PatternCatalog.characterClass(scalars) + "]")
        }
        self.numberMore = try StartSet(startClass: numberMore)
        self.unitMore = try StartSet(startClass: unitMore)
        func set(_ roles: NumeralRole...) throws(ZhibiaoError) -> StartSet {
            let chars = catalog.numerals.filter { roles.contains($0.value.role) }.map(\.key)
            return try StartSet(startClass: chars.isEmpty ? "(?!)" : "[" + PatternCatalog.characterClass(chars) + "]")
        }
        groupMarks = try set(.group)
        pointMarks = try set(.arabicPoint)
        otherDigits = try set(.arabic)
        guard let magnitudeChars = catalog.fragments["magnitude_char"] else { return nil }
        magnitudes = try StartSet(startClass: "[" + magnitudeChars + "]")
        let wordStarts = Set(catalog.qualifiers.filter { $0.position == .before }.compactMap(\.word.unicodeScalars.first)
                             + catalog.units.filter(\.isPrefix).compactMap(\.surface.unicodeScalars.first))
        let digits = catalog.numerals.filter { $0.value.role == .digit && !$0.key.isASCII && !wordStarts.contains($0.key) }.map(\.key)
        chineseFirst = try StartSet(startClass: digits.isEmpty ? "(?!)" : "[" + PatternCatalog.characterClass(digits) + "]")
        let run = catalog.numerals.filter { [.digit, .tens, .some, .small, .big].contains($0.value.role) && !$0.key.isASCII }.map(\.key)
        chineseRun = try StartSet(startClass: run.isEmpty ? "(?!)" : "[" + PatternCatalog.characterClass(run) + "]")
        approxWords = ByteTrie(catalog.qualifiers.filter { $0.position == .approx }.map { ($0.word, true) })
        let surfaces = catalog.suffixUnitSurfaces
        let known = Set(surfaces)
        let unitMoreSet = self.unitMore
        units = ByteTrie(surfaces.map { word in
            let scalars = Array(word.unicodeScalars)
            var safe = true
            for k in 1..<max(1, scalars.count) where known.contains(String(String.UnicodeScalarView(scalars[..<k]))) {
                if unitMoreSet.contains(scalars[k].value) { safe = false }
            }
            return (word, safe)
        })
    }

    /// Reads the quantity beginning at byte `i` of `text`: an ASCII digit, or a character of
    /// `chineseFirst`.
    func read(_ text: UnsafeBufferPointer<UInt8>, at i: Int, guard scratch: MatchScratch) throws(ZhibiaoError) -> Reading {
        let n = text.count
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < n && text[k] &- 0x30 < 10 }
        var j = i
        if text[i] >= 0x80 {
            // A Chinese number: its characters, none a magnitude that begins a unit.
            while j < n, text[j] >= 0x80 {
                let (c, length) = UTF8Bytes.scalar(text, at: j)
                guard chineseRun.containsExactly(c) else { break }
                if magnitudes.containsExactly(c), units.longestStarting(in: text, at: j) != nil { return .unsure }
                j += length
            }
            return try follow(text, i, j, scratch)
        }
        // The number: digits, groups of exactly three digits, a decimal part.
        while isDigit(j) { j += 1 }
        while j < n {
            let (c, length) = UTF8Bytes.scalar(text, at: j)
            guard groupMarks.containsExactly(c), isDigit(j + length), isDigit(j + length + 1), isDigit(j + length + 2) else { break }
            let after = j + length + 3
            if isDigit(after) { break }
            if after < n, text[after] >= 0x80, otherDigits.contains(UTF8Bytes.scalar(text, at: after).value) { break }
            j = after
        }
        if j < n {
            let (c, length) = UTF8Bytes.scalar(text, at: j)
            if pointMarks.containsExactly(c), isDigit(j + length) {
                j += length
                while isDigit(j) { j += 1 }
            }
        }
        // Magnitudes (5万, 3.2亿, 2千万): none may begin a unit (5千米 is 5 and 千米).
        while j < n, text[j] >= 0x80 {
            let (c, length) = UTF8Bytes.scalar(text, at: j)
            guard magnitudes.containsExactly(c) else { break }
            if units.longestStarting(in: text, at: j) != nil { return .unsure }
            j += length
        }
        return try follow(text, i, j, scratch)
    }

    /// The reading of the number `text[i..<j]` with what follows it: an approximation word
    /// or not, then a unit or nothing.
    @inline(__always)
    func follow(_ text: UnsafeBufferPointer<UInt8>, _ i: Int, _ j: Int, _ scratch: MatchScratch) throws(ZhibiaoError) -> Reading {
        let n = text.count
        let number = ByteSpan(i, j)
        // What follows the number: a character of @plain_number_more leaves the match to
        // the pattern, unless it begins an approximation word that such a character does
        // not follow (the pattern takes the word, then what comes after it as after a number).
        var k = j
        if j < n, numberMore.contains(UTF8Bytes.scalar(text, at: j).value) {
            // (An ASCII character is never looked up: 2021-2025, 1.5.3, 12A go to the pattern.)
            guard text[j] >= 0x80, let (_, length) = approxWords.longestStarting(in: text, at: j) else { return .unsure }
            k = j + length
            if k < n, numberMore.contains(UTF8Bytes.scalar(text, at: k).value) { return .unsure }
        }
        var unit: ByteSpan?
        if k < n, let (safe, length) = units.longestStarting(in: text, at: k) {
            guard safe else { return .unsure }
            let end = k + length
            if end < n, unitMore.contains(UTF8Bytes.scalar(text, at: end).value) { return .unsure }
            unit = ByteSpan(k, end)
        }
        if try !mayBegin(text, at: i, scratch) { return .none }
        return .plain(match: ByteSpan(i, unit?.upperBound ?? k), number: number, unit: unit)
    }

    /// The approximation word of a `.plain` reading: what stands between its number and its
    /// unit (or the match's end), nil when they meet.
    @inline(__always)
    static func approximation(match: ByteSpan, number: ByteSpan, unit: ByteSpan?) -> ByteSpan? {
        let end = unit?.lowerBound ?? match.upperBound
        return end > number.upperBound ? ByteSpan(number.upperBound, end) : nil
    }

    /// `@not_inside` at `i`: true when no look-behind of it holds.
    @inline(__always)
    func mayBegin(_ text: UnsafeBufferPointer<UInt8>, at i: Int, _ scratch: MatchScratch) throws(ZhibiaoError) -> Bool {
        if let guardCharacters, i > 0, text[i - 1] >= 0x80, let p = UTF8Bytes.previousStart(text, before: i),
           !guardCharacters.contains(UTF8Bytes.scalar(text, at: p).value) {
            return true
        }
        return try scratch.firstMatch(in: text, from: i) != nil
    }
}
