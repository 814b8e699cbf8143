import ZhibiaoCore

/// The output formats. All carry the same fields in the same order (`RowWriter.columns`).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// RFC 4180: comma-separated, CRLF line ends, fields quoted only when needed.
    case csv
    /// Tab-separated, LF line ends; TAB, LF, CR and backslash inside a field are written
    /// `\t`, `\n`, `\r`, `\\` (the escapes of PostgreSQL's and MySQL's text format).
    case tsv
    /// One JSON object per line (JSON Lines), numbers as strings to keep them exact, `null`
    /// for an absent `value_max`.
    case jsonl
    /// An Excel workbook (.xlsx): numbers as numbers, text as text; written to a file only
    /// (see `XLSXDestination`). Workers encode rows as `XLSXRecord`s.
    case xlsx

    /// The format a file name implies (`.xlsx`, `.tsv`, `.jsonl`/`.ndjson`, `.csv`), else nil.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".xlsx") { self = .xlsx }
        else if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { self = .tsv }
        else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { self = .jsonl }
        else if lower.hasSuffix(".csv") { self = .csv }
        else { return nil }
    }
}

/// The output columns, in order. This one list drives the header and every row of every
/// format: adding a column is one case here and one line in `RowWriter.field(_:of:)`.
public enum Column: String, CaseIterable, Sendable {
    case file, line, column, match, value, valueMax = "value_max", unit, kind, qualifier, label
    case period, role, direction, target, table
    case sentence

    /// `allCases`, built once (the synthesized property builds a new array at each call).
    static let all = Column.allCases
}

/// One field of a row, as the formats write it.
enum Field {
    /// Text: a view of the chunk's bytes (or of a table's constant string).
    case text(UnsafeBufferPointer<UInt8>)
    case integer(Int)
    case decimal(ExactDecimal)
    /// No value (an empty `value_max`).
    case absent
}

/// Serializes rows into bytes: the sink behind CSV, TSV and JSON Lines. Each field is written
/// straight from the chunk's bytes into a caller-owned buffer, so that the rows of a chunk
/// are built on a worker thread and written in input order by the main one.
public struct RowWriter: Sendable {
    /// The column names, in order (the header of CSV and TSV, the keys of JSON Lines).
    public static let columns = Column.allCases.map(\.rawValue)
    /// The format written.
    public let format: OutputFormat
    /// No CSV-injection guard (`--raw`): text fields are written exactly as found.
    public let raw: Bool

    /// A writer of `format`; `raw` turns the CSV/TSV formula guard off.
    public init(format: OutputFormat, raw: Bool = false) {
        self.format = format
        self.raw = raw
    }

    /// The header (CSV, TSV) or nothing (JSON Lines), with the UTF-8 byte-order mark first when asked.
    public func header(byteOrderMark: Bool) -> [UInt8] {
        var out: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        switch format {
        case .csv, .tsv:
            for (i, column) in Column.all.enumerated() {
                if i > 0 { out.append(separator) }
                column.rawValue.utf8.withContiguousStorageIfAvailable { appendField($0, to: &out) }
            }
            appendRecordEnd(to: &out)
        case .jsonl, .xlsx: break   // JSON Lines has none; the xlsx destination writes its own
        }
        return out
    }

    /// The value of `column` in `row`. Unit, kind and qualifier come from constant strings
    /// (table entries, enum names), so `body` reads them in place.
    @inline(__always)
    func field<R>(_ column: Column, of row: RowView, _ body: (Field) -> R) -> R {
        switch column {
        case .file: return body(.text(row.file))
        case .line: return body(.integer(row.line))
        case .column: return body(.integer(row.column))
        case .match: return body(.text(row.match))
        case .value: return body(.decimal(row.quantity.value))
        case .valueMax: return body(row.quantity.valueMax.map { .decimal($0) } ?? .absent)
        case .unit: return Self.withBytes(row.quantity.unit) { body(.text($0)) }
        case .kind: return Self.withBytes(row.quantity.kind.rawValue) { body(.text($0)) }
        case .qualifier: return Self.withBytes(row.quantity.qualifier.rawValue) { body(.text($0)) }
        case .label: return body(.text(row.label))
        case .period: return body(.text(row.period))
        case .role: return Self.withBytes(row.meaning.role.rawValue) { body(.text($0)) }
        case .direction: return Self.withBytes(row.meaning.direction.rawValue) { body(.text($0)) }
        case .target: return Self.withBytes(row.meaning.target ? "true" : "false") { body(.text($0)) }
        case .table: return body(row.table == 0 ? .absent : .integer(row.table))
        case .sentence: return body(.text(row.sentence))
        }
    }

    @inline(__always)
    static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var s = s
        return s.withUTF8(body)
    }

    /// Appends one row.
    public func append(_ row: RowView, to out: inout [UInt8]) {
        if format == .xlsx {
            for column in Column.all { field(column, of: row) { XLSXRecord.append($0, to: &out) } }
            return
        }
        if format == .jsonl {
            out.append(UInt8(ascii: "{"))
            for (i, column) in Column.all.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(0x22); out += column.rawValue.utf8; out += [0x22, UInt8(ascii: ":")]
                field(column, of: row) { f in
                    switch f {
                    case .text(let b): appendJSONString(b, to: &out)
                    case .integer(let n): appendInteger(n, to: &out)
                    case .decimal(let d): out.append(0x22); d.appendDescription(to: &out); out.append(0x22)
                    case .absent: out += "null".utf8   // an absent value (value_max outside ranges)
                    }
                }
            }
            out += "}\n".utf8
            return
        }
        for (i, column) in Column.all.enumerated() {
            if i > 0 { out.append(separator) }
            field(column, of: row) { f in
                switch f {
                case .text(let b): appendTextField(b, to: &out)
                case .integer(let n): appendInteger(n, to: &out)
                case .decimal(let d): d.appendDescription(to: &out)
                case .absent: break
                }
            }
        }
        appendRecordEnd(to: &out)
    }

    /// Appends one row for `indicator`, found in `file` (for callers holding `Indicator` values).
    public func append(_ indicator: Indicator, file: String, to out: inout [UInt8]) {
        Self.withBytes(file) { f in
            Self.withBytes(indicator.match) { m in
                Self.withBytes(indicator.label) { l in
                    Self.withBytes(indicator.sentence) { s in
                      Self.withBytes(indicator.period) { p in
                        append(RowView(file: f, line: indicator.line, column: indicator.column, span: indicator.span,
                                       match: m, quantity: indicator.quantity, label: l, sentence: s,
                                       period: p, meaning: indicator.meaning, table: indicator.table ?? 0), to: &out)
                      }
                    }
                }
            }
        }
    }

    /// A text field of a row (CSV, TSV): guarded against formula reading unless `raw`.
    /// (Numbers never pass here: `-5` stays `-5`.)
    func appendTextField(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let guarded = !raw && FormulaGuard.needsGuard(bytes)
        if format == .csv { appendCSVField(bytes, guarded: guarded, to: &out) } else { appendTSVField(bytes, guarded: guarded, to: &out) }
    }

    /// A header field, never guarded.
    func appendField(_ field: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if format == .csv { appendCSVField(field, guarded: false, to: &out) } else { appendTSVField(field, guarded: false, to: &out) }
    }

    /// A non-negative integer in decimal.
    func appendInteger(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "line and column are positive")
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 { out.append(UInt8(rest / divisor) + 0x30); rest %= divisor; divisor /= 10 }
    }

    /// Between fields: a comma (CSV) or a tab (TSV).
    var separator: UInt8 { format == .csv ? UInt8(ascii: ",") : 0x09 }

    /// CRLF (CSV, RFC 4180) or LF (TSV).
    func appendRecordEnd(to out: inout [UInt8]) {
        if format == .csv { out.append(0x0D) }
        out.append(0x0A)
    }

    /// RFC 4180: quote a field that holds a comma, quote, CR or LF; double inner quotes.
    /// Copies the field in one go when no quoting is needed. `guarded` puts the formula
    /// guard's apostrophe first (inside the quotes when there are any).
    func appendCSVField(_ bytes: UnsafeBufferPointer<UInt8>, guarded: Bool, to out: inout [UInt8]) {
        guard Self.containsASCII(bytes, where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else {
            if guarded { out.append(FormulaGuard.prefix) }
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        if guarded { out.append(FormulaGuard.prefix) }
        // Copy the runs between inner quotes whole; double each quote.
        var start = 0
        while let q = bytes[start...].firstIndex(of: 0x22) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...q]))
            out.append(0x22)
            start = q + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        out.append(0x22)
    }

    /// TSV: TAB, LF, CR and backslash inside a field become `\t`, `\n`, `\r`, `\\`, so every
    /// field survives and a reader that knows the escapes gets it back exactly.
    func appendTSVField(_ bytes: UnsafeBufferPointer<UInt8>, guarded: Bool, to out: inout [UInt8]) {
        if guarded { out.append(FormulaGuard.prefix) }
        guard Self.containsASCII(bytes, where: Self.needsTSVEscape) else {
            out.append(contentsOf: bytes)
            return
        }
        for b in bytes {
            switch b {
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x5C: out += [0x5C, 0x5C]
            default: out.append(b)
            }
        }
    }

    /// `bytes.contains(where: isSpecial)` for a test that holds for ASCII bytes only: eight
    /// bytes at a time, a word of non-ASCII bytes (most of a Chinese field) is passed over
    /// with one test.
    @inline(__always)
    static func containsASCII(_ bytes: UnsafeBufferPointer<UInt8>, where isSpecial: (UInt8) -> Bool) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0x8080_8080_8080_8080 {
                for k in i..<(i + 8) where isSpecial(base[k]) { return true }
            }
            i += 8
        }
        while i < n { if isSpecial(base[i]) { return true }; i += 1 }
        return false
    }

    @inline(__always)
    static func needsTSVEscape(_ b: UInt8) -> Bool { b == 0x09 || b == 0x0A || b == 0x0D || b == 0x5C }

    func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}

/// The sink the command line uses on each worker: rows formatted into a reused buffer.
public struct FormattedRows: IndicatorSink {
    /// The format of the rows.
    public let writer: RowWriter
    /// The rows written so far.
    public var bytes: [UInt8]
    /// How many rows were written.
    public private(set) var count = 0

    /// Rows in `writer`'s format, appended to `bytes` (a recycled buffer keeps its capacity).
    public init(writer: RowWriter, bytes: [UInt8] = []) {
        self.writer = writer
        self.bytes = bytes
    }

    /// Formats `row` onto the end of `bytes`.
    public mutating func write(_ row: RowView) {
        writer.append(row, to: &bytes)
        count += 1
    }
}
