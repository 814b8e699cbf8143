import ZhibiaoCore

/// Where a piece of language data came from, for error messages (`units.tsv:41`).
public struct SourceLine: Hashable, Sendable, CustomStringConvertible {
    /// The file as error messages name it (`patterns/units.tsv`, or the user's path).
    public var file: String
    /// The 1-based line number in that file.
    public var line: Int
    /// The place `file:line`.
    public init(file: String, line: Int) { self.file = file; self.line = line }
    /// `file:line`, as error messages print it.
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
    /// The character's role (digit, tens, big …).
    public var role: NumeralRole
    /// The digit for `digit`/`arabic`, the power of ten for `small`/`big`, else 0.
    public var value: Int
    /// An entry for one numerals.tsv row.
    public init(role: NumeralRole, value: Int) { self.role = role; self.value = value }
}

/// One row of units.tsv.
public struct UnitEntry: Hashable, Sendable {
    /// The unit as written in the text (块, 个百分点).
    public var surface: String
    /// The canonical unit written to the `unit` column (元 for 块).
    public var unit: String
    /// The kind of figure this unit gives (money, percent, count …).
    public var kind: Kind
    /// Factor applied to the value (角 = 0.1 元).
    public var scale: ExactDecimal
    /// True for units written before the number (百分之, ￥).
    public var isPrefix: Bool
    /// A two-digit number is already the percentage and takes no scale (七五折 = 75 %, 九折 = 90 %).
    public var twoDigitsAreWhole: Bool = false
    /// The file and line the row came from, for errors.
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
    /// The qualifier word as written (超过, 余, 以上).
    public var word: String
    /// Where it stands: before the number, between number and unit, or after the unit.
    public var position: QualifierPosition
    /// What it means for the figure (over, under, about).
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
    /// The word looked for in the label (金额, 资金).
    public var word: String
    /// The kind the bare amount takes.
    public var kind: Kind
    /// The unit the bare amount takes (元).
    public var unit: String
}

/// A user pattern from a `*.patterns` file, compiled like quantity.pcre (PCRE2 extended mode:
/// spaces are ignored, write `\x20` for one). Every match of `pattern` is an indicator of
/// `kind` and `unit`, its value read from the named group `num` (and `mag`, if present).
public struct CustomPattern: Sendable {
    /// The kind every match of the pattern has.
    public var kind: Kind
    /// The unit every match of the pattern has.
    public var unit: String
    /// The regex with `{fragments}` already expanded.
    public var pattern: String
    /// The `*.patterns` file and line the pattern came from, for errors.
    public var origin: SourceLine
}

/// What a word of changes.tsv says about the figure after it.
public enum ChangeRole: String, Sendable, CaseIterable {
    case level, change, from, to, skip
}

/// One row of changes.tsv: `增长 change up`, `降至 to down`, `从 from`.
public struct ChangeWord: Hashable, Sendable {
    /// The word as written (增长, 降至, 从).
    public var word: String
    /// What it makes of the figure after it (a change, one end of a movement, or nothing).
    public var role: ChangeRole
    /// Which way it moves (up, down, or none).
    public var direction: Direction
}

/// What a word of targets.tsv does: marks the figures after it as targets, or masks a cue.
public enum TargetRole: String, Sendable, CaseIterable {
    case cue, not, section
}

/// One row of targets.tsv.
public struct TargetWord: Hashable, Sendable {
    /// The word as written (目标, 力争).
    public var word: String
    /// Whether it is a cue, a longer word that masks one, or a section heading cue.
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
    /// The word as written (全年, 以来, 过去).
    public var word: String
    /// How it makes or extends a period (see periods.tsv's header).
    public var role: PeriodRole
}

/// One row of nouns.tsv: a noun after a bare 万/亿 amount that makes it a count (学生 人).
public struct CountedNoun: Hashable, Sendable {
    /// The noun as written after the amount (学生).
    public var noun: String
    /// The unit the count takes (人).
    public var unit: String
}

/// One row of distant.tsv: a qualifier word that applies a few characters away (不低于人民币…).
public struct DistantQualifier: Hashable, Sendable {
    /// The qualifier word as written (不低于).
    public var word: String
    /// What it means for the figure (over, under, about).
    public var qualifier: Qualifier
}

/// What a word of tables.tsv says about a table (see the file's header).
public enum TableRole: String, Sendable, Hashable, CaseIterable {
    case statement
    case unitColumn = "unit_column"
    case skipColumn = "skip_column"
    case change, percent, rate, period, plain, empty, currency
    case rowPrefix = "row_prefix"
}

/// One row of tables.tsv: a word that says how to read a table's cells.
public struct TableWord: Hashable, Sendable {
    /// The word as written (单位：, 增减, 期末).
    public var word: String
    /// What it says (see `TableRole`).
    public var role: TableRole
}
