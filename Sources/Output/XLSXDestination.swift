import ZhibiaoCore

/// Writes the rows as an .xlsx workbook: the main-thread side of `--format xlsx`.
///
/// Takes the `XLSXRecord`s the workers encoded and hands each cell to libxlsxwriter in
/// constant-memory mode. Each sheet ("indicators", then "indicators 2", … when a sheet is
/// full at 1,048,575 data rows, or its XML nears the 4 GB a zip member can hold without
/// ZIP64) starts with the bold header row, frozen, with the autofilter over all its rows and
/// column widths fitted to what it holds (within bounds). The workbook is assembled into the
/// temporary file of an `AtomicOutputFile` and renamed into place by `commit()`.
public final class XLSXDestination: OutputDestination {
    private let file: AtomicOutputFile
    private var workbook: XLSXWorkbook?
    private var sheet: XLSXSheet?
    private var sheetCount = 0
    /// Data rows in the current sheet (the header is row 0).
    private var rowsInSheet = 0
    /// Text bytes in the current sheet, a lower bound of its XML size.
    private var bytesInSheet = 0
    private var widths: [Int] = []
    private var cutCells = 0
    private let rowsPerSheet: Int
    private let bytesPerSheet: Int

    /// Data rows a sheet holds (Excel's 1,048,576 rows less the header).
    public static let maximumRowsPerSheet = XLSXSheet.lastRow
    /// Start a new sheet before a sheet's XML could pass 4 GiB (the zip limit without ZIP64):
    /// 600 MiB of cell bytes, which XML escaping (`&` → `&amp;`, 5×) and the cell markup
    /// (about 450 bytes a row) keep under 3.5 GB. Rows of ordinary length reach the row limit first.
    public static let maximumTextBytesPerSheet = 600 << 20

    /// - Parameters:
    ///   - file: an `AtomicOutputFile` on a regular file (`requireRegularFile: true`).
    ///   - rowsPerSheet, textBytesPerSheet: lower limits, for tests of the sheet change.
    public init(file: AtomicOutputFile, rowsPerSheet: Int = maximumRowsPerSheet,
                textBytesPerSheet: Int = maximumTextBytesPerSheet) throws(ZhibiaoError) {
        self.file = file
        self.rowsPerSheet = min(rowsPerSheet, Self.maximumRowsPerSheet)
        self.bytesPerSheet = textBytesPerSheet
        guard let temporary = file.releaseTemporaryFile() else {
            throw ZhibiaoError(.output, path: file.path ?? "standard output",
                               "an .xlsx workbook can only be written to a file (use -o FILE.xlsx)")
        }
        do {
            workbook = try XLSXWorkbook(path: temporary, temporaryFolder: file.folder)
            try startSheet()
        } catch {
            throw ZhibiaoError(.output, path: file.path, "\(error)")
        }
    }

    /// The workbook's temporary file (libxlsxwriter assembles it there at the end).
    public var temporaryPath: String? { file.temporaryPath }

    /// How many cells were cut to fit, when any were.
    public var notes: [String] {
        guard cutCells > 0 else { return [] }
        return ["\(file.path ?? "output"): \(cutCells) cell(s) longer than \(XLSXSheet.maximumCellCharacters) characters (the most a spreadsheet cell holds) were cut and end with …; CSV, TSV and JSON Lines keep them whole"]
    }

    private func startSheet() throws(XLSXError) {
        guard let workbook else { return }
        sheetCount += 1
        let s = try workbook.addSheet(named: sheetCount == 1 ? "indicators" : "indicators \(sheetCount)")
        for (column, name) in RowWriter.columns.enumerated() {
            try s.writeString(row: 0, column: column, name, header: true)
        }
        try s.freezeRows(1)
        sheet = s
        rowsInSheet = 0
        bytesInSheet = 0
        widths = RowWriter.columns.map { $0.utf8.count + 3 }   // room for the filter button
    }

    /// Autofilter over the rows written and column widths from the widest cells, bounded:
    /// up to 60 characters for the sentence, 40 for the others.
    private func finishSheet() throws(XLSXError) {
        guard let sheet else { return }
        try sheet.autofilter(lastRow: rowsInSheet, lastColumn: RowWriter.columns.count - 1)
        for (column, width) in widths.enumerated() {
            let cap = column == RowWriter.columns.count - 1 ? 60 : 40
            try sheet.setColumnWidth(column, Double(min(width + 1, cap)))
        }
        self.sheet = nil
    }

    /// Decodes the workers' records and writes their cells, row after row.
    public func write(_ bytes: [UInt8]) throws {
        // (No typed throws through withUnsafeBytes: the 6.3 compiler crashes on that thunk.)
        var failure: XLSXError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            do {
                while offset < buffer.count { try writeRecord(buffer, at: &offset) }
            } catch let e as XLSXError {
                failure = e
            } catch {
                failure = XLSXError(operation: "writing a row", reason: "\(error)")
            }
        }
        if let failure { throw ZhibiaoError(.output, path: file.path, "\(failure)") }
    }

    private func writeRecord(_ buffer: UnsafeRawBufferPointer, at offset: inout Int) throws(XLSXError) {
        if rowsInSheet >= rowsPerSheet || bytesInSheet >= bytesPerSheet {
            try finishSheet()
            try startSheet()
        }
        guard let sheet else { throw XLSXError(operation: "writing a row", reason: "the workbook is closed") }
        let row = rowsInSheet + 1
        let start = offset
        for column in 0..<RowWriter.columns.count {
            guard let cell = XLSXRecord.readCell(buffer, at: &offset) else {
                throw XLSXError(operation: "reading the rows to write", reason: "malformed record (internal error)")
            }
            switch cell {
            case .blank:
                break
            case .number(let value, let width, let whole):
                try sheet.writeNumber(row: row, column: column, value, whole: whole)
                if width > widths[column] { widths[column] = width }
            case .text(let pointer, let width, let cut):
                try sheet.writeString(row: row, column: column, pointer)
                if width > widths[column] { widths[column] = width }
                if cut { cutCells += 1 }
            }
        }
        rowsInSheet += 1
        bytesInSheet += offset - start
    }

    /// Finishes the last sheet, assembles the workbook and renames it into place.
    public func commit() throws {
        do {
            try finishSheet()
            let wb = workbook
            workbook = nil
            try wb?.close()
        } catch {
            file.abandon()
            throw ZhibiaoError(.output, path: file.path, "\(error)")
        }
        try file.commit()
    }

    /// Frees the workbook unwritten and removes the temporary file.
    public func abandon() {
        workbook?.discard()
        workbook = nil
        file.abandon()
    }
}
