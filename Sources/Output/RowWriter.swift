#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
            let names = Column.all.map(\.rawValue).joined(separator: format == .csv ? "," : "\t")
            out += names.utf8   // plain words: nothing to quote or escape
            out += format == .csv ? [0x0D, 0x0A] : [0x0A]
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

    /// Appends one row. CSV, TSV and JSON Lines rows are written straight into the array's
    /// spare capacity, reserved once for the row's most bytes (`maximumBytes`): no capacity
    /// or uniqueness check per field.
    public func append(_ row: RowView, to out: inout [UInt8]) {
        if format == .xlsx {
            for column in Column.all { field(column, of: row) { XLSXRecord.append($0, to: &out) } }
            return
        }
        let bound = maximumBytes(row)
        let spare = out.capacity - out.count
        if spare < bound { out.reserveCapacity(max(out.count + bound, 2 * out.capacity)) }   // geometric growth
        withUnsafePointer(to: row) { out.append(contentsOf: RowBytes(writer: self, row: $0, bound: bound)) }
    }

    /// Most bytes `write(_:at:)` can take for `row`: every text byte escaped at its longest
    /// (a doubled quote in CSV, two bytes in TSV, `\u00XX` in JSON), numbers at their
    /// longest, and the separators, quotes, guards and JSON keys around each field.
    func maximumBytes(_ row: RowView) -> Int {
        let growth = format == .jsonl ? 6 : 2
        var total = 8 + (format == .jsonl ? Self.jsonKeyBytes : 0)
        for column in Column.all {
            total &+= 6 &+ growth &* Self.unescapedBytes(column, of: row)   // separator, quotes, guard (CSV, TSV); quotes, colon, comma (JSON)
        }
        return total
    }

    /// At least as many bytes as `column`'s value in `row` takes before escaping (a number at
    /// its longest; 4 for `null`), read without building the field (counts, no copies).
    @inline(__always)
    static func unescapedBytes(_ column: Column, of row: RowView) -> Int {
        switch column {
        case .file: row.file.count
        case .line, .column, .table: 20
        case .match: row.match.count
        case .value: row.quantity.value.descriptionBound
        case .valueMax: row.quantity.valueMax?.descriptionBound ?? 4
        case .unit: row.quantity.unit.utf8.count
        case .kind: row.quantity.kind.rawValue.utf8.count
        case .qualifier: row.quantity.qualifier.rawValue.utf8.count
        case .label: row.label.count
        case .period: row.period.count
        case .role: row.meaning.role.rawValue.utf8.count
        case .direction: row.meaning.direction.rawValue.utf8.count
        case .target: 5   // true, false
        case .sentence: row.sentence.count
        }
    }

    /// Bytes of the JSON Lines keys of a row, once each.
    static let jsonKeyBytes = Column.all.reduce(0) { $0 + $1.rawValue.utf8.count }

    /// Writes `row` at `start`, which has room for `maximumBytes(row)` bytes; returns the end.
    func write(_ row: RowView, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var out = ByteCursor(start)
        if format == .jsonl {
            out.put(UInt8(ascii: "{"))
            for (i, column) in Column.all.enumerated() {
                if i > 0 { out.put(UInt8(ascii: ",")) }
                out.put(0x22); Self.withBytes(column.rawValue) { out.put($0) }; out.put(0x22, UInt8(ascii: ":"))
                field(column, of: row) { f in
                    switch f {
                    case .text(let b): writeJSONString(b, to: &out)
                    case .integer(let n): writeInteger(n, to: &out)
                    case .decimal(let d): out.put(0x22); out.position = d.writeDescription(to: out.position); out.put(0x22)
                    case .absent: out.put(0x6E, 0x75); out.put(0x6C, 0x6C)   // null: an absent value (value_max outside ranges)
                    }
                }
            }
            out.put(UInt8(ascii: "}"), 0x0A)
            return out.position
        }
        for (i, column) in Column.all.enumerated() {
            if i > 0 { out.put(separator) }
            field(column, of: row) { f in
                switch f {
                case .text(let b): writeTextField(b, to: &out)
                case .integer(let n): writeInteger(n, to: &out)
                case .decimal(let d): out.position = d.writeDescription(to: out.position)
                case .absent: break
                }
            }
        }
        writeRecordEnd(to: &out)
        return out.position
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
    @inline(__always)
    func writeTextField(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteCursor) {
        let guarded = !raw && FormulaGuard.needsGuard(bytes)
        if format == .csv { writeCSVField(bytes, guarded: guarded, to: &out) } else { writeTSVField(bytes, guarded: guarded, to: &out) }
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    func writeInteger(_ value: Int, to out: inout ByteCursor) {
        precondition(value >= 0, "line and column are positive")
        var count = 1, m = value
        while m >= 10 { m /= 10; count += 1 }
        m = value
        var k = count
        while k > 0 { k -= 1; (out.position + k).initialize(to: UInt8(truncatingIfNeeded: m % 10) &+ 0x30); m /= 10 }
        out.position += count
    }

    /// Between fields: a comma (CSV) or a tab (TSV).
    var separator: UInt8 { format == .csv ? UInt8(ascii: ",") : 0x09 }

    /// CRLF (CSV, RFC 4180) or LF (TSV).
    @inline(__always)
    func writeRecordEnd(to out: inout ByteCursor) {
        if format == .csv { out.put(0x0D) }
        out.put(0x0A)
    }

    /// RFC 4180: quote a field that holds a comma, quote, CR or LF; double inner quotes.
    /// Copies the field in one go when no quoting is needed. `guarded` puts the formula
    /// guard's apostrophe first (inside the quotes when there are any).
    func writeCSVField(_ bytes: UnsafeBufferPointer<UInt8>, guarded: Bool, to out: inout ByteCursor) {
        guard Self.containsASCII(bytes, CSVSpecials.self) else {
            if guarded { out.put(FormulaGuard.prefix) }
            out.put(bytes)
            return
        }
        out.put(0x22)
        if guarded { out.put(FormulaGuard.prefix) }
        // Copy the runs between inner quotes whole (memchr finds each); double each quote.
        let base = bytes.baseAddress!   // not empty: it holds a special byte
        var start = 0
        while start < bytes.count, let found = memchr(base + start, 0x22, bytes.count - start) {
            let q = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            out.put(UnsafeBufferPointer(rebasing: bytes[start...q]))
            out.put(0x22)
            start = q + 1
        }
        out.put(UnsafeBufferPointer(rebasing: bytes[start...]))
        out.put(0x22)
    }

    /// TSV: TAB, LF, CR and backslash inside a field become `\t`, `\n`, `\r`, `\\`, so every
    /// field survives and a reader that knows the escapes gets it back exactly.
    func writeTSVField(_ bytes: UnsafeBufferPointer<UInt8>, guarded: Bool, to out: inout ByteCursor) {
        if guarded { out.put(FormulaGuard.prefix) }
        guard Self.containsASCII(bytes, TSVSpecials.self) else {
            out.put(bytes)
            return
        }
        for b in bytes {
            switch b {
            case 0x09: out.put(0x5C, UInt8(ascii: "t"))
            case 0x0A: out.put(0x5C, UInt8(ascii: "n"))
            case 0x0D: out.put(0x5C, UInt8(ascii: "r"))
            case 0x5C: out.put(0x5C, 0x5C)
            default: out.put(b)
            }
        }
    }

    /// True when `bytes` holds a byte of `S`, read eight bytes at a time (the last word
    /// overlapping; a field under eight bytes as two overlapping halves, one under four
    /// padded with 0x80, a byte of no set).
    @inline(__always)
    static func containsASCII<S: SpecialBytes>(_ bytes: UnsafeBufferPointer<UInt8>, _ set: S.Type) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if S.hits(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
                i += 8
            }
            return S.hits(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        let word: UInt64
        if n >= 4 {
            word = UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
        } else if n >= 2 {
            word = UInt64(raw.loadUnaligned(as: UInt16.self)) | UInt64(raw.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self)) << 16
                | 0x8080_8080_0000_0000
        } else if n == 1 {
            word = UInt64(base[0]) | 0x8080_8080_8080_8000
        } else {
            return false
        }
        return S.hits(word)
    }

    /// The high bit of each byte of `word` that equals `b` (exact as to whether there is
    /// one; a flag may spill onto the byte above a true one).
    @inline(__always)
    static func bytes(of word: UInt64, equalTo b: UInt8) -> UInt64 {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(b))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// The high bit of each byte of `word` below `limit` (at most 0x80; exact as to whether
    /// there is one).
    @inline(__always)
    static func bytes(of word: UInt64, below limit: UInt8) -> UInt64 {
        (word &- 0x0101_0101_0101_0101 &* UInt64(limit)) & ~word & 0x8080_8080_8080_8080
    }

    /// A JSON string: quote, backslash and control characters escaped; the runs between them
    /// (a whole field, nearly always) copied at once.
    func writeJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteCursor) {
        out.put(0x22)
        guard Self.containsASCII(bytes, JSONSpecials.self) else {
            out.put(bytes)
            out.put(0x22)
            return
        }
        for b in bytes {
            switch b {
            case 0x22: out.put(0x5C, 0x22)
            case 0x5C: out.put(0x5C, 0x5C)
            case 0x0A: out.put(0x5C, UInt8(ascii: "n"))
            case 0x0D: out.put(0x5C, UInt8(ascii: "r"))
            case 0x09: out.put(0x5C, UInt8(ascii: "t"))
            case 0..<0x20:
                out.put(0x5C, UInt8(ascii: "u")); out.put(0x30, 0x30)
                out.put(Self.hexDigit(b >> 4), Self.hexDigit(b & 0xF))
            default: out.put(b)
            }
        }
        out.put(0x22)
    }

    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }   // 0-9, a-f
}

/// A set of ASCII bytes a format must quote or escape, tested eight bytes at a time (a
/// word's first byte lowest). The test must flag no non-ASCII byte.
protocol SpecialBytes {
    static func hits(_ word: UInt64) -> Bool
}

/// CSV: a comma, quote, CR or LF makes a field quoted.
enum CSVSpecials: SpecialBytes {
    @inline(__always)
    static func hits(_ w: UInt64) -> Bool {
        // All four are below 0x2D: a word with no byte below it (Chinese, digits) passes at once.
        RowWriter.bytes(of: w, below: 0x2D) != 0 && (RowWriter.bytes(of: w, equalTo: 0x2C) | RowWriter.bytes(of: w, equalTo: 0x22)
            | RowWriter.bytes(of: w, equalTo: 0x0D) | RowWriter.bytes(of: w, equalTo: 0x0A)) != 0
    }
}

/// TSV: TAB, LF, CR and backslash are escaped.
enum TSVSpecials: SpecialBytes {
    @inline(__always)
    static func hits(_ w: UInt64) -> Bool {
        RowWriter.bytes(of: w, equalTo: 0x09) | RowWriter.bytes(of: w, equalTo: 0x0A)
            | RowWriter.bytes(of: w, equalTo: 0x0D) | RowWriter.bytes(of: w, equalTo: 0x5C) != 0
    }
}

/// JSON: quote, backslash and the control characters are escaped.
enum JSONSpecials: SpecialBytes {
    @inline(__always)
    static func hits(_ w: UInt64) -> Bool {
        // All are below 0x23 but the backslash: a word with neither (Chinese, digits) passes at once.
        (RowWriter.bytes(of: w, below: 0x23) | RowWriter.bytes(of: w, equalTo: 0x5C)) != 0
            && (RowWriter.bytes(of: w, equalTo: 0x22) | RowWriter.bytes(of: w, equalTo: 0x5C) | RowWriter.bytes(of: w, below: 0x20)) != 0
    }
}

/// A write position in memory reserved for a row: each byte is stored with no capacity or
/// uniqueness check (the row's `maximumBytes` were reserved first).
struct ByteCursor {
    var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

    @inline(__always)
    mutating func put(_ b: UInt8) { position.initialize(to: b); position += 1 }

    @inline(__always)
    mutating func put(_ b0: UInt8, _ b1: UInt8) { position.initialize(to: b0); (position + 1).initialize(to: b1); position += 2 }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        position.initialize(from: base, count: bytes.count)
        position += bytes.count
    }
}

/// One row's bytes as a sequence, for `Array.append(contentsOf:)`: its `_copyContents`
/// writes the row straight into the array's spare capacity when that holds `bound` bytes
/// (it does: `append` reserved them). Otherwise, and when iterated, it formats the row into
/// an array of its own first, so any consumer gets the same bytes.
struct RowBytes: Sequence {
    let writer: RowWriter
    let row: UnsafePointer<RowView>
    /// `writer.maximumBytes(row)`.
    let bound: Int

    var underestimatedCount: Int { 0 }

    /// The row in an array of its own (the plain way, for an iterator or a short buffer).
    func materialized() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            count = writer.write(row.pointee, at: buffer.baseAddress!) - buffer.baseAddress!
        }
    }

    func makeIterator() -> IndexingIterator<ArraySlice<UInt8>> { materialized()[...].makeIterator() }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt8>) -> (IndexingIterator<ArraySlice<UInt8>>, Int) {
        if buffer.count >= bound, let base = buffer.baseAddress {
            return (ArraySlice().makeIterator(), writer.write(row.pointee, at: base) - base)
        }
        let bytes = materialized()
        let n = Swift.min(buffer.count, bytes.count)
        if n > 0 { bytes.withUnsafeBufferPointer { buffer.baseAddress!.initialize(from: $0.baseAddress!, count: n) } }
        return (bytes[n...].makeIterator(), n)
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
