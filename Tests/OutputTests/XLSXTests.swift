import Foundation
import Output
import Testing
import XLSXReading
import ZhibiaoCore

/// The sheet's last column as a letter (A…Z; the table has fewer than 27 columns).
let lastColumnLetter = String(UnicodeScalar(UInt8(64 + RowWriter.columns.count)))

func temporaryFolder() throws -> String {
    let dir = NSTemporaryDirectory() + "zhibiao-xlsx-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func row(value: String, max: String? = nil, match: String = "2004.5万元", label: String = "涉及金额",
         sentence: String = "涉及金额2004.5万元。", unit: String = "元", qualifier: Qualifier = .none, line: Int = 18) -> Indicator {
    Indicator(quantity: Quantity(value: ExactDecimal(value)!, valueMax: max.map { ExactDecimal($0)! }, unit: unit, kind: .money, qualifier: qualifier),
              span: ByteSpan(0, 3), line: line, column: 96, match: match, label: label, sentence: sentence)
}

/// Writes `rows` as a workbook the way the CLI does (records made by RowWriter, decoded by
/// XLSXDestination) and reads it back.
func writeWorkbook(_ rows: [Indicator], file: String = "a.txt", rowsPerSheet: Int = XLSXDestination.maximumRowsPerSheet,
                   textBytesPerSheet: Int = XLSXDestination.maximumTextBytesPerSheet,
                   in dir: String) throws -> (XLSXWorkbookContent, [String]) {
    let path = dir + "/out.xlsx"
    let destination = try XLSXDestination(file: AtomicOutputFile(path: path, requireRegularFile: true),
                                          rowsPerSheet: rowsPerSheet, textBytesPerSheet: textBytesPerSheet)
    let writer = RowWriter(format: .xlsx)
    // Two pieces, as two workers' chunks would come.
    var first: [UInt8] = [], second: [UInt8] = []
    for (i, r) in rows.enumerated() {
        if i < rows.count / 2 { writer.append(r, file: file, to: &first) } else { writer.append(r, file: file, to: &second) }
    }
    try destination.write(writer.header(byteOrderMark: false))
    try destination.write(first)
    try destination.write(second)
    try destination.commit()
    return (try XLSXWorkbookContent(path: path), destination.notes)
}

@Suite struct XLSXTests {
    @Test func cellsAreTypedAndExact() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = [
            row(value: "20045000"),
            row(value: "3000", max: "5000", qualifier: .about),
            row(value: "0.333333", match: "1/3", unit: ""),
            row(value: "70", match: "70%", unit: "%"),
            row(value: "-5", match: "-5%", label: "-2"),
            row(value: "123456789012345"),                      // 15 digits: a number
            row(value: "1234567890123456"),                     // 16: text, exact
            row(value: "320423197201277819", match: "320423197201277819"),
            row(value: "0.00000000000000000000123"),            // few digits, tiny: a number
            row(value: "1" + String(repeating: "0", count: 400)), // beyond doubles: text
            row(value: "1", label: "=HYPERLINK(\"http://x\",\"y\")", sentence: "+1 @SUM(A1) _x0041_ \u{1}\r\n末"),
            row(value: "2", label: "  两端空格  ", sentence: "a\tb"),
        ]
        let (book, notes) = try writeWorkbook(rows, file: "-", in: dir)
        #expect(notes.isEmpty)
        try #require(book.sheets.count == 1)
        let sheet = book.sheets[0]
        #expect(sheet.name == "indicators")
        #expect(sheet.rows[0] == RowWriter.columns.map { .text($0) })
        #expect(sheet.frozenRows == 1)
        #expect(sheet.autoFilter == "A1:\(lastColumnLetter)\(rows.count + 1)")
        #expect(sheet.columnWidths.count == RowWriter.columns.count)
        #expect((sheet.columnWidths[col("sentence")] ?? 0) > (sheet.columnWidths[col("line")] ?? 0))   // sentence wider than line
        let body = Array(sheet.rows.dropFirst())
        try #require(body.count == rows.count)
        func cell(_ r: Int, _ c: String) -> XLSXCell? {
            let i = RowWriter.columns.firstIndex(of: c)!
            return i < body[r].count ? body[r][i] : nil
        }
        #expect(cell(0, "file") == .text("-"))
        #expect(cell(0, "line") == .number("18") && cell(0, "column") == .number("96"))
        #expect(cell(0, "value") == .number("20045000"))
        #expect(cell(0, "value_max") == nil)
        #expect(cell(0, "qualifier") == nil)
        #expect(cell(0, "kind") == .text("money"))
        #expect(cell(1, "value_max") == .number("5000") && cell(1, "qualifier") == .text("about"))
        #expect(cell(2, "value") == .number("0.333333") && cell(2, "match") == .text("1/3"))
        #expect(cell(3, "match") == .text("70%"))
        #expect(cell(4, "value") == .number("-5") && cell(4, "label") == .text("-2"))
        #expect(cell(5, "value") == .number("123456789012345"))
        #expect(cell(6, "value") == .text("1234567890123456"))
        #expect(cell(7, "value") == .text("320423197201277819") && cell(7, "match") == .text("320423197201277819"))
        if case .number(let v) = cell(8, "value") { #expect(Double(v) == 1.23e-21) } else { Issue.record("tiny value not a number") }
        #expect(cell(9, "value") == .text("1" + String(repeating: "0", count: 400)))
        #expect(cell(10, "label") == .text("=HYPERLINK(\"http://x\",\"y\")"))
        #expect(cell(10, "sentence") == .text("+1 @SUM(A1) _x0041_ \u{1}\r\n末"))
        #expect(cell(11, "label") == .text("  两端空格  ") && cell(11, "sentence") == .text("a\tb"))
        // Whole values in full (format 0, not General's 1.2E+11); fractions and line numbers General.
        let value = RowWriter.columns.firstIndex(of: "value")!
        #expect(book.numberFormat(sheet: 0, row: 1, column: value) == 1)
        #expect(book.numberFormat(sheet: 0, row: 3, column: value) == 0)   // 0.333333
        #expect(book.numberFormat(sheet: 0, row: 1, column: 1) == 0)
        // No formula anywhere.
        #expect(!sheet.rows.joined().contains { if case .formula = $0 { true } else { false } })
    }

    /// More rows than a sheet holds continue on the next sheet, which has its own header,
    /// frozen row and autofilter. (A low limit stands in for 1,048,575.)
    @Test func rowsContinueOnNewSheets() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = (1...7).map { row(value: String($0), line: $0) }
        let (book, _) = try writeWorkbook(rows, rowsPerSheet: 3, in: dir)
        #expect(book.sheets.map(\.name) == ["indicators", "indicators 2", "indicators 3"])
        #expect(book.sheets.map { $0.rows.count } == [4, 4, 2])
        for sheet in book.sheets {
            #expect(sheet.rows[0].first == .text("file"))
            #expect(sheet.frozenRows == 1)
            #expect(sheet.autoFilter == "A1:\(lastColumnLetter)\(sheet.rows.count)")
        }
        let lines = book.sheets.flatMap { $0.rows.dropFirst().map { $0[col("line")] } }
        #expect(lines == (1...7).map { .number(String($0)) })
        #expect(XLSXDestination.maximumRowsPerSheet == 1_048_575)
    }

    /// A sheet also ends before its XML could outgrow a zip member (4 GiB without ZIP64):
    /// here a 1,000-byte budget and rows of about 600 bytes: the sheet that passes it ends.
    @Test func sheetsEndBeforeTheirXMLOutgrowsTheZip() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = (1...3).map { row(value: String($0), sentence: String(repeating: "句", count: 200), line: $0) }
        let (book, _) = try writeWorkbook(rows, textBytesPerSheet: 1_000, in: dir)
        #expect(book.sheets.map { $0.rows.count } == [3, 2])
        #expect(XLSXDestination.maximumTextBytesPerSheet * 5 + XLSXDestination.maximumRowsPerSheet * 450 < 4_000_000_000)
    }

    /// A cell holds at most 32,767 characters: a longer text is cut, ends with …, and the
    /// destination says how many were cut.
    @Test func overlongTextIsCutWithANote() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let long = String(repeating: "长句", count: 20_000)
        let (book, notes) = try writeWorkbook([row(value: "1", sentence: long)], in: dir)
        guard case .text(let t) = book.sheets[0].rows[1][col("sentence")] else { Issue.record("no sentence"); return }
        #expect(t.count == 32_767 && t.hasSuffix("…") && long.hasPrefix(t.dropLast()))
        #expect(notes.count == 1 && notes[0].contains("1 cell(s) longer than 32767"))
    }

    @Test func numbersOnlyWhenExact() {
        #expect(XLSXRecord.spreadsheetNumber(ExactDecimal("999999999999999")!) == 999999999999999)
        #expect(XLSXRecord.spreadsheetNumber(ExactDecimal("9999999999999999")!) == nil)
        #expect(XLSXRecord.spreadsheetNumber(ExactDecimal("0.1")!) == 0.1)
        #expect(XLSXRecord.spreadsheetNumber(ExactDecimal("-0.000123456789012345")!) == -0.000123456789012345)
        #expect(XLSXRecord.spreadsheetNumber(.zero) == 0)
        #expect(XLSXRecord.spreadsheetNumber(ExactDecimal(coefficient: 1, exponent: 400)) == nil)
        #expect(XLSXRecord.spreadsheetNumber(ExactDecimal(coefficient: 1, exponent: -400)) == nil)
    }

    /// Abandoned (a failed run): no workbook, no temporary file, the old file untouched.
    @Test func abandonLeavesTheOldFile() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.xlsx"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let destination = try XLSXDestination(file: AtomicOutputFile(path: path, requireRegularFile: true))
        var bytes: [UInt8] = []
        RowWriter(format: .xlsx).append(row(value: "1"), file: "f", to: &bytes)
        try destination.write(bytes)
        destination.abandon()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.xlsx"])
    }

    @Test func onlyToARegularFile() {
        #expect(throws: ZhibiaoError.self) { try XLSXDestination(file: AtomicOutputFile(path: "-", requireRegularFile: true)) }
        #expect(throws: ZhibiaoError.self) { try XLSXDestination(file: AtomicOutputFile(path: "/dev/null", requireRegularFile: true)) }
        #expect(OutputFormat(fileName: "a/Report.XLSX") == .xlsx)
        #expect(OutputFormat(fileName: "x.tsv") == .tsv && OutputFormat(fileName: "x.jsonl") == .jsonl)
        #expect(OutputFormat(fileName: "x.txt") == nil)
    }
}

@Suite struct XLSXWorkbookTests {
    /// libxlsxwriter's error codes come back as typed errors naming what failed.
    @Test func libraryErrorsAreTypedErrors() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let book = try XLSXWorkbook(path: dir + "/w.xlsx")
        #expect(throws: XLSXError.self) { try book.addSheet(named: "bad[name]") }
        let sheet = try book.addSheet(named: "ok")
        try sheet.writeString(row: 1, column: 0, "a")
        let early = #expect(throws: XLSXError.self) { try sheet.writeNumber(row: 0, column: 0, 1) }   // constant memory: rows in order
        #expect(early?.description.contains("row 1, column 1") == true)
        #expect(throws: XLSXError.self) { try sheet.writeNumber(row: 2_000_000, column: 0, 1) }
        try book.close()
        #expect(throws: XLSXError.self) { try book.close() }
        #expect(throws: XLSXError.self) { try sheet.writeString(row: 3, column: 0, "late") }
        #expect(try XLSXWorkbookContent(path: dir + "/w.xlsx").sheets.map(\.name) == ["ok"])
        // Closing into a folder that does not exist fails with the library's reason.
        let lost = try XLSXWorkbook(path: dir + "/no/such/dir/w.xlsx")
        let failure = #expect(throws: XLSXError.self) { try lost.close() }
        #expect(failure?.code ?? 0 > 0)
    }
}
