import ZhibiaoCore

/// The compact form in which worker threads hand xlsx rows to the main thread.
///
/// Workers do everything that costs: deciding whether a value is a number, converting it to
/// a double, escaping text for the sheet XML, cutting over-long text, measuring display
/// widths. The main thread (`XLSXDestination`) then only walks the bytes and hands each cell
/// to libxlsxwriter, pointing straight into the buffer: no String is built on the writer
/// side. A record is the cells of `RowWriter.columns` in order, each one of:
///
///     0x00                                       blank (absent value_max, empty text)
///     0x01  f64 bits (8, LE)  width (u16 LE)     number
///     0x04  (as 0x01)                            whole number (shown in full, format `0`)
///     0x02  n (u32 LE)  width (u16 LE)  n bytes  0x00    text, NUL-terminated
///     0x03  (as 0x02)                            text cut to fit a cell (counted for a warning)
///
/// Records follow each other with no separator; a buffer holds whole records only.
public enum XLSXRecord {
    static let tagBlank: UInt8 = 0, tagNumber: UInt8 = 1, tagText: UInt8 = 2, tagCutText: UInt8 = 3, tagWholeNumber: UInt8 = 4

    /// The most significant digits a value may have to be written as a number: spreadsheets
    /// compute in binary doubles and show 15 digits, so a longer value (an ID-card number, a
    /// credit code) would lose digits; it is written as text, exactly.
    public static let maximumNumberDigits = 15

    /// Appends one cell; a row is the cells of `Column.all` in order.
    static func append(_ field: Field, to out: inout [UInt8]) {
        switch field {
        case .text(let bytes): appendText(bytes, to: &out)
        case .integer(let n): appendNumber(Double(n), width: decimalWidth(n), to: &out)
        case .decimal(let d): appendValue(d, to: &out)
        case .absent: out.append(tagBlank)
        }
    }

    /// The double a decimal is written as, or nil when it must stay text: more than 15
    /// significant digits, or beyond ±1e300 (or a nonzero value nearer zero than 1e-300),
    /// where a spreadsheet's doubles stop holding it.
    public static func spreadsheetNumber(_ value: ExactDecimal) -> Double? {
        if value.isZero { return 0 }
        let digits = value.digitCount
        guard digits <= maximumNumberDigits else { return nil }
        let magnitude = value.exponent + digits - 1   // the power of ten of the leading digit
        guard magnitude > -300, magnitude < 300 else { return nil }
        guard let d = Double(value.description), d.isFinite else { return nil }   // correctly rounded
        return d
    }

    static func appendValue(_ value: ExactDecimal, to out: inout [UInt8]) {
        if let d = spreadsheetNumber(value) {
            appendNumber(d, width: min(value.digitCount + max(0, value.exponent) + 2, 30), whole: value.isInteger, to: &out)
        } else {
            var text = value.description
            text.withUTF8 { appendText($0, to: &out) }
        }
    }

    static func appendNumber(_ value: Double, width: Int, whole: Bool = false, to out: inout [UInt8]) {
        out.append(whole ? tagWholeNumber : tagNumber)
        appendLittleEndian(value.bitPattern, to: &out)
        appendLittleEndian(UInt16(clamping: width), to: &out)
    }

    static func decimalWidth(_ n: Int) -> Int {
        var width = 1, m = n
        while m >= 10 { m /= 10; width += 1 }
        return width
    }

    /// Text cell: escaped for the sheet XML, cut to Excel's 32,767 characters if longer.
    ///
    /// Escaping: OOXML reads `_xHHHH_` in a cell as the UTF-16 unit HHHH, so a literal
    /// `_x0041_` in the text must have its underscore written `_x005F_`; NUL and the
    /// noncharacters U+FFFE, U+FFFF, which XML cannot carry, are written `_x0000_`,
    /// `_xFFFE_`, `_xFFFF_`. (Other control characters are escaped by libxlsxwriter itself.)
    static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if bytes.isEmpty { out.append(tagBlank); return }
        if !appendPlainText(bytes, to: &out) { appendEscapedText(String(decoding: bytes, as: UTF8.self), to: &out) }
    }

    /// The common case in one pass over the bytes: text short enough for a cell with nothing
    /// to escape (no `_x`, no control character but TAB and LF, no U+FFFE/U+FFFF) is copied
    /// whole. Returns false, having written nothing, when the text needs `appendEscapedText`.
    static func appendPlainText(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        // UTF-8 bytes >= UTF-16 units, so this bound keeps the cell within its limit.
        guard bytes.count < XLSXSheet.maximumCellCharacters else { return false }
        var width = 0
        for i in bytes.indices {
            let b = bytes[i]
            if b < 0x20 {
                guard b == 0x09 || b == 0x0A else { return false }
                width += 1
            } else if b < 0x80 {
                if b == 0x5F, i + 1 < bytes.count, bytes[i + 1] | 0x20 == 0x78 { return false }   // "_x"
                width += 1
            } else if b >= 0xC0 {
                if b == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { return false }   // U+FFFE, U+FFFF
                width += b >= 0xE1 ? 2 : 1   // from U+1100 on: wide (CJK) characters
            }
        }
        out.append(tagText)
        appendLittleEndian(UInt32(bytes.count), to: &out)
        appendLittleEndian(UInt16(min(width, 255)), to: &out)
        out.append(contentsOf: bytes)
        out.append(0)
        return true
    }

    /// Text that needs escaping or cutting, scalar by scalar.
    static func appendEscapedText(_ string: String, to out: inout [UInt8]) {
        let tagAt = out.count
        out.append(tagText)
        let lengthAt = out.count
        out += [0, 0, 0, 0, 0, 0]   // length and width, filled below
        let start = out.count
        var width = 0, units = 0, cut = false
        let limit = XLSXSheet.maximumCellCharacters - 1   // room for the "…" of a cut cell
        let scalars = string.unicodeScalars
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let s = scalars[i]
            let v = s.value
            // What this scalar costs in the cell, in UTF-16 units (libxlsxwriter counts
            // characters of the escaped text, never more than this).
            var escaped: String?
            if v == 0 || v == 0xFFFE || v == 0xFFFF || v < 0x20 && v != 0x09 && v != 0x0A {
                escaped = hexEscape(v)
            } else if v == 0x5F, startsEscapeLookalike(scalars, at: i) {
                escaped = "_x005F_"
            }
            let cost = escaped.map { $0.utf8.count } ?? (v > 0xFFFF ? 2 : 1)
            if units + cost > limit {
                cut = true
                break
            }
            units += cost
            if let escaped, v == 0 || v >= 0x20 {
                out += escaped.utf8   // ours to escape (libxlsxwriter escapes the other controls)
            } else {
                appendUTF8(s, to: &out)
            }
            if width < 255 { width += v >= 0x1100 ? 2 : 1 }
            i = scalars.index(after: i)
        }
        if cut {
            out[tagAt] = tagCutText
            out += "…".utf8
        }
        let count = UInt32(out.count - start)
        out.append(0)
        withUnsafeBytes(of: count.littleEndian) { for (k, b) in $0.enumerated() { out[lengthAt + k] = b } }
        withUnsafeBytes(of: UInt16(min(width, 255)).littleEndian) { for (k, b) in $0.enumerated() { out[lengthAt + 4 + k] = b } }
    }

    /// True when the `_` at `i` begins `_xHHHH_` (H a hex digit, either case).
    static func startsEscapeLookalike(_ scalars: String.UnicodeScalarView, at i: String.UnicodeScalarView.Index) -> Bool {
        var j = scalars.index(after: i)
        guard j < scalars.endIndex, scalars[j] == "x" || scalars[j] == "X" else { return false }
        for _ in 0..<4 {
            j = scalars.index(after: j)
            guard j < scalars.endIndex, scalars[j].properties.isASCIIHexDigit else { return false }
        }
        j = scalars.index(after: j)
        return j < scalars.endIndex && scalars[j] == "_"
    }

    static func hexEscape(_ v: UInt32) -> String {
        let hex = Array("0123456789ABCDEF")
        return "_x" + String([hex[Int(v >> 12 & 0xF)], hex[Int(v >> 8 & 0xF)], hex[Int(v >> 4 & 0xF)], hex[Int(v & 0xF)]]) + "_"
    }

    static func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(s) { out.append($0) }
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    /// One decoded cell, pointing into the record buffer (valid while it is).
    enum Cell {
        case blank
        case number(Double, width: Int, whole: Bool)
        /// NUL-terminated UTF-8 at `pointer`.
        case text(UnsafePointer<CChar>, width: Int, cut: Bool)
    }

    /// Reads the cell at `offset` of `bytes` and moves `offset` past it; nil on a malformed buffer.
    static func readCell(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> Cell? {
        guard offset < bytes.count else { return nil }
        let tag = bytes[offset]
        offset += 1
        switch tag {
        case tagBlank:
            return .blank
        case tagNumber, tagWholeNumber:
            guard offset + 10 <= bytes.count else { return nil }
            let bits = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let width = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt16.self)
            offset += 10
            return .number(Double(bitPattern: UInt64(littleEndian: bits)), width: Int(UInt16(littleEndian: width)), whole: tag == tagWholeNumber)
        case tagText, tagCutText:
            guard offset + 6 <= bytes.count else { return nil }
            let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let width = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)))
            offset += 6
            guard offset + count < bytes.count, bytes[offset + count] == 0 else { return nil }
            let pointer = (bytes.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
            offset += count + 1
            return .text(UnsafePointer(pointer), width: width, cut: tag == tagCutText)
        default:
            return nil
        }
    }
}
