import CXLSXWriter

/// A failure reported by libxlsxwriter, as a Swift error: which call failed and the
/// library's own explanation. No C type is exposed.
public struct XLSXError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The library's error number (`lxw_error`), kept for tests and diagnostics.
    public let code: Int
    /// What zhibiao was doing (`"closing the workbook"`).
    public let operation: String
    /// libxlsxwriter's message for `code`.
    public let reason: String

    init(_ code: lxw_error, _ operation: String) {
        self.code = Int(code.rawValue)
        self.operation = operation
        self.reason = lxw_strerror(code).map { String(cString: $0) } ?? "libxlsxwriter error \(code.rawValue)"
    }

    init(operation: String, reason: String) {
        self.code = -1
        self.operation = operation
        self.reason = reason
    }

    /// `xlsx: OPERATION: REASON`, for the one-line error message.
    public var description: String { "xlsx: \(operation): \(reason)" }
}

/// A streaming .xlsx workbook (libxlsxwriter in constant-memory mode: each row goes to a
/// temporary file as soon as the next one starts, so memory stays flat however many rows).
/// Owns the C workbook; its sheets are handles valid while the workbook is open.
///
/// The file is written only by `close()`; `discard()` (or deinit) frees everything and
/// writes nothing.
public final class XLSXWorkbook {
    private var workbook: OpaquePointer?
    private var bold: OpaquePointer?
    /// Number format `0`: whole numbers in full (General turns 12 digits and more into 1.2E+11).
    private var whole: OpaquePointer?
    /// Keeps the C strings given to the library alive as long as the workbook.
    private var retained: [UnsafeMutablePointer<CChar>] = []

    /// - Parameters:
    ///   - path: the file written by `close()` (created or truncated then).
    ///   - temporaryFolder: where the library spools sheet data; nil for the system's.
    public init(path: String, temporaryFolder: String? = nil) throws(XLSXError) {
        var options = lxw_workbook_options()
        options.constant_memory = UInt8(LXW_TRUE.rawValue)
        options.use_zip64 = UInt8(LXW_FALSE.rawValue)
        if let temporaryFolder {
            let copy = strdup(temporaryFolder)!
            retained.append(copy)
            options.tmpdir = copy
        }
        guard let wb = path.withCString({ workbook_new_opt($0, &options) }) else {
            retained.forEach { free($0) }
            throw XLSXError(operation: "creating the workbook", reason: "libxlsxwriter could not allocate it")
        }
        workbook = OpaquePointer(wb)
        guard let format = workbook_add_format(wb) else {
            throw XLSXError(operation: "creating the header format", reason: "out of memory")
        }
        format_set_bold(format)
        bold = OpaquePointer(format)
        guard let integer = workbook_add_format(wb) else {
            throw XLSXError(operation: "creating the number format", reason: "out of memory")
        }
        format_set_num_format_index(integer, 1)   // built-in format 1: "0"
        whole = OpaquePointer(integer)
    }

    deinit { discard() }

    private var handle: UnsafeMutablePointer<lxw_workbook> {
        get throws(XLSXError) {
            guard let workbook else { throw XLSXError(operation: "using the workbook", reason: "it is already closed") }
            return UnsafeMutablePointer(workbook)
        }
    }

    /// Adds a sheet named `name` (at most 31 characters, none of `[]:*?/\`).
    public func addSheet(named name: String) throws(XLSXError) -> XLSXSheet {
        let wb = try handle
        guard let sheet = name.withCString({ workbook_add_worksheet(wb, $0) }) else {
            throw XLSXError(operation: "adding the sheet '\(name)'", reason: "invalid or duplicate sheet name, or out of memory")
        }
        return XLSXSheet(sheet: OpaquePointer(sheet), bold: bold, whole: whole, owner: self)
    }

    /// Assembles the .xlsx file at the path given to `init`. The workbook is freed whatever
    /// the outcome.
    public func close() throws(XLSXError) {
        let wb = try handle
        workbook = nil
        let status = workbook_close(wb)
        retained.forEach { free($0) }
        retained = []
        guard status == LXW_NO_ERROR else { throw XLSXError(status, "writing the .xlsx file") }
    }

    /// Frees the workbook without writing any file (after a failure elsewhere).
    public func discard() {
        if let workbook { lxw_workbook_free(UnsafeMutablePointer(workbook)) }
        workbook = nil
        retained.forEach { free($0) }
        retained = []
    }

    fileprivate var isOpen: Bool { workbook != nil }
}

/// One sheet of an open `XLSXWorkbook`. In constant-memory mode rows must be written in
/// increasing order; a cell of an earlier row is refused.
public struct XLSXSheet {
    fileprivate let sheet: OpaquePointer
    fileprivate let bold: OpaquePointer?
    fileprivate let whole: OpaquePointer?
    /// The workbook, kept alive while a sheet handle exists.
    fileprivate let owner: XLSXWorkbook

    private var handle: UnsafeMutablePointer<lxw_worksheet> {
        get throws(XLSXError) {
            guard owner.isOpen else { throw XLSXError(operation: "writing a cell", reason: "the workbook is closed") }
            return UnsafeMutablePointer(sheet)
        }
    }

    /// The largest row index a sheet holds (1,048,576 rows, 0-based).
    public static let lastRow = Int(LXW_ROW_MAX) - 1
    /// Excel's limit on the characters of one cell.
    public static let maximumCellCharacters = 32_767

    /// Writes `text` (NUL-terminated UTF-8, at most 32,767 characters) as a string cell:
    /// never read as a formula, number or date, whatever it starts with.
    public func writeString(row: Int, column: Int, _ text: UnsafePointer<CChar>, header: Bool = false) throws(XLSXError) {
        let status = worksheet_write_string(try handle, lxw_row_t(row), lxw_col_t(column), text,
                                            header ? UnsafeMutablePointer(bold) : nil)
        guard status == LXW_NO_ERROR else { throw XLSXError(status, "writing the text cell at row \(row + 1), column \(column + 1)") }
    }

    /// Writes a string cell from a Swift string (headers, tests).
    public func writeString(row: Int, column: Int, _ text: String, header: Bool = false) throws(XLSXError) {
        let copy = Array(text.utf8CString)
        var failure: XLSXError?
        copy.withUnsafeBufferPointer { b in
            do { try writeString(row: row, column: column, b.baseAddress!, header: header) } catch let e as XLSXError { failure = e } catch {}
        }
        if let failure { throw failure }
    }

    /// Writes a number cell: General format, or `0` for a whole number (shown in full, where
    /// General would show 1.21E+14 for a GDP of 121万亿).
    public func writeNumber(row: Int, column: Int, _ value: Double, whole isWhole: Bool = false) throws(XLSXError) {
        let status = worksheet_write_number(try handle, lxw_row_t(row), lxw_col_t(column), value,
                                            isWhole ? UnsafeMutablePointer(whole) : nil)
        guard status == LXW_NO_ERROR else { throw XLSXError(status, "writing the number cell at row \(row + 1), column \(column + 1)") }
    }

    /// Keeps the first `rows` rows in view while scrolling.
    public func freezeRows(_ rows: Int) throws(XLSXError) {
        worksheet_freeze_panes(try handle, lxw_row_t(rows), 0)
    }

    /// Turns the autofilter on over rows `0...lastRow` and columns `0...lastColumn`.
    public func autofilter(lastRow: Int, lastColumn: Int) throws(XLSXError) {
        let status = worksheet_autofilter(try handle, 0, 0, lxw_row_t(lastRow), lxw_col_t(lastColumn))
        guard status == LXW_NO_ERROR else { throw XLSXError(status, "setting the autofilter") }
    }

    /// Sets the width of one column, in characters of the default font.
    public func setColumnWidth(_ column: Int, _ width: Double) throws(XLSXError) {
        let status = worksheet_set_column(try handle, lxw_col_t(column), lxw_col_t(column), width, nil)
        guard status == LXW_NO_ERROR else { throw XLSXError(status, "setting the width of column \(column + 1)") }
    }
}
