// Test support: reads back the .xlsx files zhibiao writes (a zip of XML parts), so tests can
// check every cell's type and exact content. Only what those files use: stored or deflated
// members, inline-string and number cells, frozen panes, autofilter, column widths.
import CZlib
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

public struct XLSXReadError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

/// The members of a zip archive, by name.
public struct ZipArchive {
    public let members: [String: [UInt8]]

    public init(path: String) throws {
        try self.init(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    public init(bytes: [UInt8]) throws {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // End of central directory: the last "PK\5\6" (a comment may follow it).
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 65_535), by: -1)
            .first(where: { u32($0) == 0x0605_4B50 }) else { throw XLSXReadError("not a zip archive") }
        let count = u16(end + 10)
        var at = u32(end + 16)
        var members: [String: [UInt8]] = [:]
        for _ in 0..<count {
            guard u32(at) == 0x0201_4B50 else { throw XLSXReadError("bad central directory entry") }
            let method = u16(at + 10)
            let compressed = u32(at + 20), size = u32(at + 24)
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32)
            let local = u32(at + 42)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard u32(local) == 0x0403_4B50 else { throw XLSXReadError("\(name): bad local header") }
            let data = local + 30 + u16(local + 26) + u16(local + 28)
            let raw = Array(bytes[data..<(data + compressed)])
            switch method {
            case 0: members[name] = raw
            case 8: members[name] = try Self.inflate(raw, size: size, name: name)
            default: throw XLSXReadError("\(name): compression method \(method)")
            }
            at += 46 + nameLength + extra + comment
        }
        self.members = members
    }

    static func inflate(_ input: [UInt8], size: Int, name: String) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var stream = z_stream()
        guard czlib_inflate_init_raw(&stream) == Z_OK else { throw XLSXReadError("inflateInit failed") }
        defer { inflateEnd(&stream) }
        var input = input
        let status = input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                stream.next_in = i.baseAddress
                stream.avail_in = uInt(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw XLSXReadError("\(name): inflate failed (\(status))")
        }
        return Array(output.prefix(size))
    }
}

/// One cell as a spreadsheet sees it.
public enum XLSXCell: Equatable, CustomStringConvertible {
    case number(String)   // the number as written in the XML (`<v>`)
    case text(String)     // the string, _xHHHH_ escapes decoded
    case formula(String)

    public var description: String {
        switch self {
        case .number(let v): "number \(v)"
        case .text(let t): "text \(t.debugDescription)"
        case .formula(let f): "formula \(f)"
        }
    }
}

/// One sheet: its rows (nil for a blank cell), and its layout.
public struct XLSXSheetContent {
    public var name = ""
    public var rows: [[XLSXCell?]] = []
    /// Rows frozen at the top (`ySplit` of a frozen pane).
    public var frozenRows = 0
    public var autoFilter: String?
    /// Widths of the columns with one set, by 0-based column.
    public var columnWidths: [Int: Double] = [:]
    /// The style (index into the workbook's `cellFormats`) of each styled cell, by "row,column".
    public var styles: [String: Int] = [:]
}

/// A workbook's sheets in order.
public struct XLSXWorkbookContent {
    public var sheets: [XLSXSheetContent] = []
    /// The number format id of each cell style (`cellXfs`), in order: 0 General, 1 `0`, …
    public var cellFormats: [Int] = []

    /// The number format id of the cell at (row, column) of `sheet` (0, General, when unstyled).
    public func numberFormat(sheet: Int, row: Int, column: Int) -> Int {
        guard let style = sheets[sheet].styles["\(row),\(column)"], style < cellFormats.count else { return 0 }
        return cellFormats[style]
    }

    public init(path: String) throws {
        let zip = try ZipArchive(path: path)
        guard let workbook = zip.members["xl/workbook.xml"] else { throw XLSXReadError("no xl/workbook.xml") }
        let names = try XMLCollector.sheetNames(workbook)
        if let styles = zip.members["xl/styles.xml"] { cellFormats = try XMLCollector.parse(styles).cellFormats }
        for (i, name) in names.enumerated() {
            guard let xml = zip.members["xl/worksheets/sheet\(i + 1).xml"] else { throw XLSXReadError("no sheet \(i + 1)") }
            var sheet = try XMLCollector.sheet(xml)
            sheet.name = name
            sheets.append(sheet)
        }
    }
}

/// Decodes OOXML's `_xHHHH_` escapes (a UTF-16 unit each) in a cell string.
public func decodeOOXMLEscapes(_ s: String) -> String {
    guard s.contains("_x") else { return s }
    var units: [UInt16] = []
    let u = Array(s.utf16)
    var i = 0
    func hex(_ c: UInt16) -> UInt16? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
    while i < u.count {
        if u[i] == 0x5F, i + 6 < u.count, u[i + 1] == 0x78, u[i + 6] == 0x5F,
           let a = hex(u[i + 2]), let b = hex(u[i + 3]), let c = hex(u[i + 4]), let d = hex(u[i + 5]) {
            units.append(a << 12 | b << 8 | c << 4 | d)
            i += 7
        } else {
            units.append(u[i])
            i += 1
        }
    }
    return String(decoding: units, as: UTF16.self)
}

/// XMLParser delegate gathering what the tests look at.
final class XMLCollector: NSObject, XMLParserDelegate {
    var sheet = XLSXSheetContent()
    var sheetNames: [String] = []
    var cellFormats: [Int] = []
    private var inCellXfs = false
    private var cellColumn = 0, cellRow = 0
    private var cellType: String?
    private var buffer = ""
    private var inValue = false, inText = false, inFormula = false
    private var value: String?, text: String?, formula: String?

    static func parse(_ bytes: [UInt8]) throws -> XMLCollector {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = collector
        guard parser.parse() else { throw XLSXReadError("XML: \(parser.parserError.map { "\($0)" } ?? "error")") }
        return collector
    }

    static func sheetNames(_ bytes: [UInt8]) throws -> [String] { try parse(bytes).sheetNames }
    static func sheet(_ bytes: [UInt8]) throws -> XLSXSheetContent { try parse(bytes).sheet }

    /// "K12" as (row 11, column 10).
    static func reference(_ r: String) -> (row: Int, column: Int) {
        var column = 0, row = 0
        for ch in r.unicodeScalars {
            if ch.value >= 65 && ch.value <= 90 { column = column * 26 + Int(ch.value - 64) } else if let d = Int(String(ch)) { row = row * 10 + d }
        }
        return (row - 1, column - 1)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "sheet": if let n = attributes["name"] { sheetNames.append(n) }
        case "cellXfs": inCellXfs = true
        case "xf": if inCellXfs { cellFormats.append(Int(attributes["numFmtId"] ?? "0") ?? 0) }
        case "pane": if attributes["state"] == "frozen" { sheet.frozenRows = Int(attributes["ySplit"] ?? "0") ?? 0 }
        case "autoFilter": sheet.autoFilter = attributes["ref"]
        case "col":
            if let min = Int(attributes["min"] ?? ""), let max = Int(attributes["max"] ?? ""), let w = Double(attributes["width"] ?? "") {
                for c in min...max { sheet.columnWidths[c - 1] = w }
            }
        case "c":
            (cellRow, cellColumn) = Self.reference(attributes["r"] ?? "A1")
            cellType = attributes["t"]
            if let style = attributes["s"].flatMap(Int.init) { sheet.styles["\(cellRow),\(cellColumn)"] = style }
            value = nil; text = nil; formula = nil
        case "v": inValue = true; buffer = ""
        case "t": inText = true; buffer = ""
        case "f": inFormula = true; buffer = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue || inText || inFormula { buffer += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "cellXfs": inCellXfs = false
        case "v": inValue = false; value = buffer
        case "t": inText = false; text = (text ?? "") + buffer
        case "f": inFormula = false; formula = buffer
        case "c":
            var cell: XLSXCell?
            if let formula { cell = .formula(formula) }
            else if cellType == "inlineStr" || cellType == "str" { cell = text.map { .text(decodeOOXMLEscapes($0)) } }
            else if cellType == "s" { cell = .text("<shared string \(value ?? "")>") }
            else if let value { cell = .number(value) }
            while sheet.rows.count <= cellRow { sheet.rows.append([]) }
            while sheet.rows[cellRow].count <= cellColumn { sheet.rows[cellRow].append(nil) }
            sheet.rows[cellRow][cellColumn] = cell
        default: break
        }
    }
}
