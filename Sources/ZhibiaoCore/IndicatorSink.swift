/// One row as a sink sees it: the reading, where it stands, and its text fields as views of
/// the chunk's bytes (or of the extractor's scratch, for a rewritten label). Nothing is
/// copied to make it; the views are valid only during the `IndicatorSink.write` call that
/// receives it (as ripgrep's `SinkMatch` borrows its lines).
public struct RowView {
    /// The input's name as written in the `file` column.
    public var file: UnsafeBufferPointer<UInt8>
    /// 1-based line and column (column in Unicode scalars) of the match.
    public var line: Int
    /// 1-based column of the match, in Unicode scalars from the line start.
    public var column: Int
    /// Byte span of the match in the whole document (not the chunk).
    public var span: ByteSpan
    /// The match's exact source text.
    public var match: UnsafeBufferPointer<UInt8>
    /// The reading: value, range, unit, kind, qualifier.
    public var quantity: Quantity
    /// The indicator's name, possibly empty.
    public var label: UnsafeBufferPointer<UInt8>
    /// The period the figure refers to, as written in its sentence (全年, 2024年以来), possibly empty.
    public var period: UnsafeBufferPointer<UInt8>
    /// Level, change or end of a movement; its direction; target or result.
    public var meaning: Meaning
    /// The sentence around the match, whitespace-trimmed.
    public var sentence: UnsafeBufferPointer<UInt8>
    /// For a figure in a table cell, the line where its table begins (the same for every
    /// cell of one table); 0 for a figure in prose.
    public var table: Int

    /// A row of views; every buffer must stay valid while a sink handles the row.
    public init(file: UnsafeBufferPointer<UInt8>, line: Int, column: Int, span: ByteSpan,
                match: UnsafeBufferPointer<UInt8>, quantity: Quantity,
                label: UnsafeBufferPointer<UInt8>, sentence: UnsafeBufferPointer<UInt8>,
                period: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0), meaning: Meaning = .level,
                table: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
        self.span = span
        self.match = match
        self.quantity = quantity
        self.label = label
        self.sentence = sentence
        self.period = period
        self.meaning = meaning
        self.table = table
    }
}

/// Where the extractor pushes its rows, in document order: the output formats, or the
/// adapter that builds `Indicator` values for library callers. Only `write` is required.
public protocol IndicatorSink {
    mutating func write(_ row: RowView)
}

/// The adapter sink for library callers: collects each row as an `Indicator` with owned
/// strings (the output formats never build these).
public struct IndicatorCollector: IndicatorSink {
    /// The rows so far, in the order written.
    public var indicators: [Indicator]

    /// Starts with `indicators` (empty by default) and appends to it.
    public init(into indicators: [Indicator] = []) { self.indicators = indicators }

    /// Appends `row` as an `Indicator` (its strings copied out of the views).
    public mutating func write(_ row: RowView) {
        func string(_ b: UnsafeBufferPointer<UInt8>) -> String { String(decoding: b, as: UTF8.self) }
        indicators.append(Indicator(quantity: row.quantity, span: row.span, line: row.line, column: row.column,
                                    match: string(row.match), label: string(row.label), sentence: string(row.sentence),
                                    period: string(row.period), meaning: row.meaning, table: row.table == 0 ? nil : row.table))
    }
}
