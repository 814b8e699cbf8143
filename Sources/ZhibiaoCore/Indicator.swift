/// What a quantity measures. The first six are reported by default; the rest only
/// when asked for (`--kinds all`), because in report text they are rarely indicators.
public enum Kind: String, CaseIterable, Sendable, Hashable {
    case money, percent, percentagePoint = "percentage_point", count, measure, duration, ratio
    case number, ordinal, year, date

    /// Kinds written when the user does not choose (`--kinds` omitted).
    public static let defaultSet: Set<Kind> = [.money, .percent, .percentagePoint, .count, .measure, .duration, .ratio]
}

/// How the text qualifies an amount: 余/多/超 (over), 近/不足 (under), 约/左右 (about).
public enum Qualifier: String, Sendable, Hashable {
    case none = "", over, under, about
}

/// A half-open range of UTF-8 byte offsets into one document's text.
///
/// Invariant (checked): `0 <= lowerBound <= upperBound`.
public struct ByteSpan: Hashable, Sendable {
    /// First byte of the span.
    public let lowerBound: Int
    /// One past the last byte.
    public let upperBound: Int
    /// The span `lowerBound..<upperBound` (checked: `0 <= lowerBound <= upperBound`).
    public init(_ lowerBound: Int, _ upperBound: Int) {
        precondition(0 <= lowerBound && lowerBound <= upperBound, "ByteSpan bounds out of order: \(lowerBound)..<\(upperBound)")
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }
    /// Length in bytes.
    public var count: Int { upperBound - lowerBound }
    /// True for an empty span.
    public var isEmpty: Bool { lowerBound == upperBound }
    /// True when `other` lies within this span.
    public func contains(_ other: ByteSpan) -> Bool { lowerBound <= other.lowerBound && other.upperBound <= upperBound }
}

/// The normalized reading of one quantity, before it is placed in a document.
public struct Quantity: Hashable, Sendable {
    /// The value in the base unit (the lower end of a range).
    public var value: ExactDecimal
    /// Upper end of a range (`3000-5000元`), else nil.
    public var valueMax: ExactDecimal?
    /// Canonical unit (`元`, `%`, `宗`, `公里` …), empty for bare numbers.
    public var unit: String
    /// What it measures (money, percent, count …).
    public var kind: Kind
    /// Over, under, about, or none.
    public var qualifier: Qualifier

    /// A reading; `valueMax` only for ranges.
    public init(value: ExactDecimal, valueMax: ExactDecimal? = nil, unit: String, kind: Kind, qualifier: Qualifier = .none) {
        self.value = value
        self.valueMax = valueMax
        self.unit = unit
        self.kind = kind
        self.qualifier = qualifier
    }
}

/// One output row: a quantity with where it was found and what it measures.
///
/// Positions are stated in the units a person uses: `line` and `column` are 1-based,
/// `column` counts Unicode scalars from the start of the line. `span` keeps the UTF-8
/// byte offsets into the document for programs.
public struct Indicator: Hashable, Sendable {
    /// The reading.
    public var quantity: Quantity
    /// Byte span of `match` in the document text.
    public var span: ByteSpan
    /// 1-based line of the match.
    public var line: Int
    /// 1-based column of the match, in Unicode scalars.
    public var column: Int
    /// Exact source text of the quantity (qualifier words beside it may be included).
    public var match: String
    /// The indicator's name from the same clause, possibly empty.
    public var label: String
    /// The period as written in the sentence (全年, 2024年以来), possibly empty.
    public var period: String
    /// Role, direction and target flag.
    public var meaning: Meaning
    /// The sentence that contains the match, whitespace-trimmed.
    public var sentence: String
    /// For a figure in a table cell, the line where its table begins; nil in prose.
    public var table: Int?

    /// A row (checked: `line` and `column` are 1-based).
    public init(quantity: Quantity, span: ByteSpan, line: Int, column: Int, match: String, label: String, sentence: String,
                period: String = "", meaning: Meaning = .level, table: Int? = nil) {
        precondition(line >= 1 && column >= 1, "line and column are 1-based")
        self.quantity = quantity
        self.span = span
        self.line = line
        self.column = column
        self.match = match
        self.label = label
        self.sentence = sentence
        self.period = period
        self.meaning = meaning
        self.table = table
    }
}
