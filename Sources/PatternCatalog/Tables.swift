import ZhibiaoCore

/// Where a piece of language data came from, for error messages (`units.tsv:41`).
public struct SourceLine: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
    public var description: String { "\(file):\(line)" }
}

/// What a numeral character does inside a number (numerals.tsv).
public enum NumeralRole: String, Sendable, CaseIterable {
    case digit, two, small, big, tens, some, several, half, point, arabic
    case arabicPoint = "arabic_point"
    case group, exponent, power
}

/// One row of numerals.tsv: `万 big 4` means 万 multiplies by 10^4.
public struct NumeralEntry: Hashable, Sendable {
    public var role: NumeralRole
    /// The digit for `digit`/`arabic`, the power of ten for `small`/`big`, else 0.
    public var value: Int
    public init(role: NumeralRole, value: Int) { self.role = role; self.value = value }
}

/// One row of units.tsv.
public struct UnitEntry: Hashable, Sendable {
    public var surface: String
    public var unit: String
    public var kind: Kind
    /// Factor applied to the value (角 = 0.1 元).
    public var scale: ExactDecimal
    /// True for units written before the number (百分之, ￥).
    public var isPrefix: Bool
    /// A two-digit number is already the percentage and takes no scale (七五折 = 75 %, 九折 = 90 %).
    public var twoDigitsAreWhole: Bool = false
    public var origin: SourceLine
    /// Made from compound.tsv (元/吨): looked up like any unit, matched by the compact
    /// numerator/denominator branch of `{unit_suffix}` rather than listed in it one by one.
    public var isCompound: Bool = false
}

/// Where a qualifier word stands relative to the number (qualifiers.tsv).
public enum QualifierPosition: String, Sendable {
    case before, approx, after
}

/// One row of qualifiers.tsv.
public struct QualifierEntry: Hashable, Sendable {
    public var word: String
    public var position: QualifierPosition
    public var qualifier: Qualifier
}

/// Words that shape labels (labels.tsv), by role.
public struct LabelWords: Sendable {
    /// Dropped from the start of a label (共, 累计, 其中 …).
    public var lead: [String] = []
    /// Dropped from the end of a label (达, 为, 超 …).
    public var link: [String] = []
    /// The label starts after the last of these (等, 的 …).
    public var cut: [String] = []
    /// A label read after the unit stops before these (及, 担任 …).
    public var stop: [String] = []
    /// Comparisons dropped from the end of a label with the verb of change after them
    /// (比上年, 同比, 年均): 工业增加值比上年增长6% -> 工业增加值.
    public var tail: [String] = []
    /// Verbs that end the clause before a figure whose name follows it (使用1000亿元失业保险基金).
    public var verb: [String] = []
}

/// One row of context.tsv: a word that makes a bare 万/亿 amount a money amount.
public struct ContextWord: Hashable, Sendable {
    public var word: String
    public var kind: Kind
    public var unit: String
}

/// A user pattern from a `*.patterns` file, compiled like quantity.pcre (PCRE2 extended mode:
/// spaces are ignored, write `\x20` for one). Every match of `pattern` is an indicator of
/// `kind` and `unit`, its value read from the named group `num` (and `mag`, if present).
public struct CustomPattern: Sendable {
    public var kind: Kind
    public var unit: String
    /// The regex with `{fragments}` already expanded.
    public var pattern: String
    public var origin: SourceLine
}

/// What a word of changes.tsv says about the figure after it.
public enum ChangeRole: String, Sendable, CaseIterable {
    case level, change, from, to, skip
}

/// One row of changes.tsv: `增长 change up`, `降至 to down`, `从 from`.
public struct ChangeWord: Hashable, Sendable {
    public var word: String
    public var role: ChangeRole
    public var direction: Direction
}

/// What a word of targets.tsv does: marks the figures after it as targets, or masks a cue.
public enum TargetRole: String, Sendable, CaseIterable {
    case cue, not, section
}

/// One row of targets.tsv.
public struct TargetWord: Hashable, Sendable {
    public var word: String
    public var role: TargetRole
}

/// What a word of periods.tsv does (see the table's header).
public enum PeriodRole: String, Sendable, CaseIterable {
    case word
    case afterYear = "after_year"
    case spanBefore = "span_before"
    case spanAfter = "span_after"
    case plan, not
    case rhetoricBefore = "rhetoric_before"
    case rhetoricAfter = "rhetoric_after"
}

/// One row of periods.tsv.
public struct PeriodWord: Hashable, Sendable {
    public var word: String
    public var role: PeriodRole
}

/// One row of nouns.tsv: a noun after a bare 万/亿 amount that makes it a count (学生 人).
public struct CountedNoun: Hashable, Sendable {
    public var noun: String
    public var unit: String
}

/// One row of distant.tsv: a qualifier word that applies a few characters away (不低于人民币…).
public struct DistantQualifier: Hashable, Sendable {
    public var word: String
    public var qualifier: Qualifier
}
