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

    /// The format a file name implies (`.xlsx`, `.tsv`, `.jsonl`/`.ndjson`), else nil.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".xlsx") { self = .xlsx }
        else if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { self = .tsv }
        else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { self = .jsonl }
        else if lower.hasSuffix(".csv") { self = .csv }
        else { return nil }
    }
}

/// Serializes indicators into bytes. Writes into a caller-owned buffer so that rows for
/// one file can be built on a worker thread and written in input order by the main one.
public struct RowWriter: Sendable {
    public static let columns = ["file", "line", "column", "match", "value", "value_max", "unit", "kind", "qualifier", "label", "sentence"]
    public let format: OutputFormat
    /// No CSV-injection guard (`--raw`): text fields are written exactly as found.
    public let raw: Bool

    public init(format: OutputFormat, raw: Bool = false) {
        self.format = format
        self.raw = raw
    }

    /// The header (CSV, TSV) or nothing (JSON Lines), with the UTF-8 byte-order mark first when asked.
    public func header(byteOrderMark: Bool) -> [UInt8] {
        var out: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        switch format {
        case .csv: appendRecord(Self.columns, to: &out)
        case .tsv: appendRecord(Self.columns, to: &out)
        case .jsonl, .xlsx: break   // JSON Lines has none; the xlsx destination writes its own
        }
        return out
    }

    /// Appends one row for `indicator`, found in `file`.
    public func append(_ indicator: Indicator, file: String, to out: inout [UInt8]) {
        let q = indicator.quantity
        if format == .xlsx {
            XLSXRecord.append(indicator, file: file, to: &out)
            return
        }
        if format == .jsonl {
            let fields: [String?] = [file, String(indicator.line), String(indicator.column), indicator.match,
                                     q.value.description, q.valueMax?.description, q.unit, q.kind.rawValue,
                                     q.qualifier.rawValue, indicator.label, indicator.sentence]
            out.append(UInt8(ascii: "{"))
            for (i, (name, value)) in zip(Self.columns, fields).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendJSONString(name, to: &out)
                out.append(UInt8(ascii: ":"))
                if let value {
                    if name == "line" || name == "column" { out += value.utf8 } else { appendJSONString(value, to: &out) }
                } else {
                    out += "null".utf8   // an absent value (value_max outside ranges)
                }
            }
            out += "}\n".utf8
            return
        }
        // CSV and TSV, field by field with no intermediate strings: numbers (digits, '-', '.')
        // and the fixed words of kind and qualifier never need quoting.
        // Free-text fields go through `appendTextField` (formula guard unless --raw).
        appendTextField(file, to: &out); out.append(separator)
        appendInteger(indicator.line, to: &out); out.append(separator)
        appendInteger(indicator.column, to: &out); out.append(separator)
        appendTextField(indicator.match, to: &out); out.append(separator)
        q.value.appendDescription(to: &out); out.append(separator)
        q.valueMax?.appendDescription(to: &out); out.append(separator)
        appendTextField(q.unit, to: &out); out.append(separator)
        out += q.kind.rawValue.utf8; out.append(separator)
        out += q.qualifier.rawValue.utf8; out.append(separator)
        appendTextField(indicator.label, to: &out); out.append(separator)
        appendTextField(indicator.sentence, to: &out)
        appendRecordEnd(to: &out)
    }

    /// A free-text field of a row (CSV, TSV): guarded against formula reading unless `raw`.
    func appendTextField(_ field: String, to out: inout [UInt8]) {
        var field = field
        field.withUTF8 { appendTextField($0, to: &out) }
    }

    /// The same from the field's UTF-8 bytes.
    func appendTextField(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let guarded = !raw && FormulaGuard.needsGuard(bytes)
        if format == .csv { appendCSVField(bytes, guarded: guarded, to: &out) } else { appendTSVField(bytes, guarded: guarded, to: &out) }
    }

    /// A header or other fixed field, never guarded.
    func appendField(_ field: String, to out: inout [UInt8]) {
        var field = field
        field.withUTF8 { bytes in
            if format == .csv { appendCSVField(bytes, guarded: false, to: &out) } else { appendTSVField(bytes, guarded: false, to: &out) }
        }
    }

    /// A non-negative integer in decimal.
    func appendInteger(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "line and column are positive")
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 { out.append(UInt8(rest / divisor) + 0x30); rest %= divisor; divisor /= 10 }
    }

    func appendRecord(_ fields: [String], to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(separator) }
            appendField(field, to: &out)
        }
        appendRecordEnd(to: &out)
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
        guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else {
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
        guard bytes.contains(where: Self.needsTSVEscape) else {
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

    @inline(__always)
    static func needsTSVEscape(_ b: UInt8) -> Bool { b == 0x09 || b == 0x0A || b == 0x0D || b == 0x5C }

    func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
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
