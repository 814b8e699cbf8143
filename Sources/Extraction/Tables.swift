import Glibc
import PatternCatalog
import ZhibiaoCore

/// What the words of tables.tsv say about a column or row header, as a set.
struct TableFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let statement = TableFlags(rawValue: 1 << 0)
    static let unitColumn = TableFlags(rawValue: 1 << 1)
    static let skipColumn = TableFlags(rawValue: 1 << 2)
    static let change = TableFlags(rawValue: 1 << 3)
    static let percent = TableFlags(rawValue: 1 << 4)
    static let rate = TableFlags(rawValue: 1 << 5)
    static let period = TableFlags(rawValue: 1 << 6)
    static let plain = TableFlags(rawValue: 1 << 7)
    static let rowPrefix = TableFlags(rawValue: 1 << 8)
    static let empty = TableFlags(rawValue: 1 << 9)
    static let currency = TableFlags(rawValue: 1 << 10)

    init(rawValue: UInt16) { self.rawValue = rawValue }
    init(_ role: TableRole) {
        switch role {
        case .statement: self = .statement
        case .unitColumn: self = .unitColumn
        case .skipColumn: self = .skipColumn
        case .change: self = .change
        case .percent: self = .percent
        case .rate: self = .rate
        case .period: self = .period
        case .plain: self = .plain
        case .rowPrefix: self = .rowPrefix
        case .empty: self = .empty
        case .currency: self = .currency
        }
    }
}

/// One column of a table's header, read once for all the cells beneath it.
struct TableColumn {
    /// The header cells of the column, top to bottom, spaces removed (本年末比上年末增 + 减).
    var text: [UInt8] = []
    /// The period written in `text` (2019年末, 期末, 第一季度), as a range of it.
    var period: Range<Int>?
    /// What the label takes from the header: `text` without its period, plain words and unit.
    var measure: [UInt8] = []
    /// A unit in brackets in the header: 产量(万吨), 比上年增长(%).
    var unit: [UInt8] = []
    /// The tables.tsv roles of the header's words (change, percent, rate, skip, unit column).
    var flags: TableFlags = []
    /// True when every header cell of the column is empty.
    var isEmpty = true
}

/// One line of a table, as cells.
struct TableRow {
    enum Kind { case header, data, section, statement }
    /// The line, without its line end.
    var line: ByteSpan
    /// The row's cells are `cells[firstCell..<firstCell + cellCount]`, trimmed of spaces.
    var firstCell: Int
    var cellCount: Int
    var kind: Kind
    /// The header the row is read under (an index of `TableState.headers`), or -1.
    var header: Int = -1
    /// The unit statement in force (an index of `TableState.statements`), or -1.
    var statement: Int = -1
    /// The first cell holding a figure alone; the cells before it name the row. -1 for none.
    var firstFigure: Int = -1
    /// Which of the first 64 cells hold a figure alone (bit j for cell j).
    var figures: UInt64 = 0

    /// Notes that cell `j` holds a figure alone.
    mutating func markFigure(_ j: Int) {
        if firstFigure < 0 { firstFigure = j }
        if j < 64 { figures |= 1 << UInt64(j) }
    }

    /// True when cell `j` holds a figure alone (beyond the 64th cell: any cell from the first figure on).
    func holdsFigure(_ j: Int) -> Bool { j < 64 ? figures & (1 << UInt64(j)) != 0 : j >= firstFigure && firstFigure >= 0 }
}

/// A table of the current chunk (consecutive lines holding a TAB), read into rows and headers.
/// The extractor keeps one and rebuilds it when its mentions reach the next table; the
/// storage is reused from table to table.
struct TableState {
    /// The table's lines, from the first line's start to the last line's end.
    var span = ByteSpan(0, 0)
    /// Where the next search for a TAB starts (the end of the last table read).
    var searchFrom = 0
    /// The start of the line of the next TAB after `searchFrom`, or nil when there is none.
    var nextTableLine: Int?? = .none
    var rows: [TableRow] = []
    var cells: [ByteSpan] = []
    /// Each header group's columns.
    var headers: [[TableColumn]] = []
    /// Unit statements (单位：万元、%): the units listed, as text.
    var statements: [[[UInt8]]] = []
    /// A period in the table's title line (表2 2025年规模以上工业主要产品产量), else empty.
    var titlePeriod: [UInt8] = []
    /// The row of the last lookup, where the next one starts (mentions come in order).
    var cursor = 0
    /// The document line where the table starts (for the `table` column), 0 before it is located.
    var firstLineNumber = 0
    /// The row whose facts below are read (Annotators/TableCell.swift), or -1.
    var preparedRow = -1
    /// Of the prepared row: the header column of each cell (-1: none), its name and that
    /// name's label core, its unit in brackets, whether it names a rate, the text of its 单位
    /// cell (empty: none).
    var cellColumns: [Int] = []
    var rowName: ByteSpan?
    var rowNameCore: [UInt8] = []
    var rowUnit: [UInt8]?
    var rowIsRate = false
    var unitCellText: [UInt8] = []
    /// Scratch: the other percentages of a row (Annotators/TableCell.swift, `isDifference`).
    var percents: [ExactDecimal] = []
    /// Units read so far (`万吨` → one is 10000 吨), kept across tables and chunks.
    var units: [(unit: [UInt8], reading: Quantity?)] = []

    mutating func reset() {
        span = ByteSpan(0, 0)
        searchFrom = 0
        nextTableLine = .none
        cursor = 0
        firstLineNumber = 0
        preparedRow = -1
    }
}

extension Extractor {
    /// True when byte `offset` of `t` stands in a table (then `tables` holds it, read if it is
    /// a new one); false in prose. Called with increasing offsets within a chunk.
    func table(at offset: Int, in t: UnsafeBufferPointer<UInt8>, mentions: [Mention]) -> Bool {
        if tables.span.lowerBound <= offset && offset < tables.span.upperBound && !tables.span.isEmpty { return true }
        while true {
            if tables.nextTableLine == .none {
                tables.nextTableLine = .some(Self.lineOfNextTab(t, from: tables.searchFrom))
            }
            guard let start = tables.nextTableLine!, start <= offset else { return false }
            readTable(startingAt: start, in: t, mentions: mentions)
            tables.searchFrom = tables.span.upperBound
            tables.nextTableLine = .none
            if offset < tables.span.upperBound { return true }
        }
    }

    /// The start of the line holding the first TAB at or after `from`, or nil.
    static func lineOfNextTab(_ t: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < t.count, let base = t.baseAddress else { return nil }
        guard let p = memchr(base + from, 0x09, t.count - from) else { return nil }
        var i = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base
        while i > 0 && t[i - 1] != 0x0A && t[i - 1] != 0x0D { i -= 1 }
        return i
    }

    /// Reads the table whose first line starts at `start`: its lines (up to the first line
    /// without a TAB), their cells, the kind of each row, the headers and unit statements,
    /// and the title period and unit statement of the two lines before it.
    func readTable(startingAt start: Int, in t: UnsafeBufferPointer<UInt8>, mentions: [Mention]) {
        tables.rows.removeAll(keepingCapacity: true)
        tables.cells.removeAll(keepingCapacity: true)
        tables.headers.removeAll(keepingCapacity: true)
        tables.statements.removeAll(keepingCapacity: true)
        tables.titlePeriod.removeAll(keepingCapacity: true)
        tables.cursor = 0
        tables.firstLineNumber = 0
        tables.preparedRow = -1
        // The unit statement in force: its index in `tables.statements`, or -1.
        var statement = -1
        func state(_ units: [[UInt8]]) {
            tables.statements.append(units)
            statement = tables.statements.count - 1
        }
        // The two lines before: a unit statement, a title with a period.
        var lineStart = start
        var before: [ByteSpan] = []
        for _ in 0..<2 {
            guard lineStart > 0 else { break }
            var e = lineStart - 1
            if e > 0 && t[e] == 0x0A && t[e - 1] == 0x0D { e -= 1 }
            var s = e
            while s > 0 && t[s - 1] != 0x0A && t[s - 1] != 0x0D { s -= 1 }
            before.append(ByteSpan(s, e))
            lineStart = s
        }
        for line in before.reversed() {
            let trimmed = trim(line, in: t)
            if let units = unitStatement(trimmed, in: t) {
                state(units)
            } else if tables.titlePeriod.isEmpty, trimmed.count <= 120, !endsSentence(trimmed, t) {
                var text: [UInt8] = []
                appendSqueezed(trimmed, of: t, to: &text)
                if let p = headerPeriod(in: text) { tables.titlePeriod = Array(text[p]) }
            }
        }
        // The lines holding a TAB.
        var i = start
        var m = firstMention(atOrAfter: start, in: mentions)
        var header = -1
        var pendingHeader: [Int] = []   // rows of a header being read
        while i < t.count {
            var e = i
            var hasTab = false
            while e < t.count && t[e] != 0x0A && t[e] != 0x0D {
                if t[e] == 0x09 { hasTab = true }
                e += 1
            }
            if !hasTab {
                // One short line between two table lines (a page's running title, 单位：元)
                // does not end the table. The chunk cut keeps such a line with the table.
                guard !tables.rows.isEmpty, e - i <= 180, let next = Self.nextLine(t, after: e), next.hasTab else { break }
                let line = trim(ByteSpan(i, e), in: t)
                if let units = unitStatement(line, in: t) { state(units) }
                tables.rows.append(TableRow(line: ByteSpan(i, e), firstCell: tables.cells.count, cellCount: 0, kind: .section, statement: statement))
                i = next.start
                continue
            }
            let first = tables.cells.count
            var c = i
            while true {
                var d = c
                while d < e && t[d] != 0x09 { d += 1 }
                tables.cells.append(trim(ByteSpan(c, d), in: t))
                if d >= e { break }
                c = d + 1
            }
            var row = TableRow(line: ByteSpan(i, e), firstCell: first, cellCount: tables.cells.count - first, kind: .section)
            // Numeric cells: a kept mention (not a year, date or ordinal) that is the whole cell.
            while m < mentions.count && mentions[m].span.upperBound <= i { m += 1 }
            var numeric = 0, nonEmpty = 0, firstNonEmpty = -1, placeholders = 0
            var prose = false   // a cell of running text or values: the row is no header
            var k = m
            for j in 0..<row.cellCount {
                let cell = tables.cells[first + j]
                if cell.isEmpty { continue }
                nonEmpty += 1
                if firstNonEmpty < 0 { firstNonEmpty = j } else if isPlaceholder(cell, t) { placeholders += 1 }
                if !prose && isProse(cell, t) { prose = true }
                while k < mentions.count && mentions[k].span.lowerBound < cell.lowerBound { k += 1 }
                // An amount or a rate in a cell of text (16%、13%, 5.86元/股): the row is no header.
                var a = k
                while !prose && a < mentions.count && mentions[a].span.upperBound <= cell.upperBound {
                    if mentions[a].keep {
                        switch mentions[a].reading.quantity.kind {
                        case .money, .percent, .percentagePoint, .ratio: prose = true
                        default: break
                        }
                    }
                    a += 1
                }
                // The row's first cell names it even when it is a quantity (1至2年, 3年以上), unless
                // it is a bare figure (a serial number, a table without row names).
                if j != firstNonEmpty || isFigureText(cell, t), Self.joinedNumber(cell, t) != nil {   // 13,848,09 2.69
                    numeric += 1
                    row.markFigure(j)
                    continue
                }
                var f = k
                if j == firstNonEmpty && (!isFigureText(cell, t) || isSerialNumber(j, first: first, count: row.cellCount, t)) { f = mentions.count }
                while f < mentions.count && mentions[f].span.lowerBound == cell.lowerBound {   // 4/4 after its 4
                    if Self.isCellFigure(mentions, f, cell) {
                        numeric += 1
                        row.markFigure(j)
                        break
                    }
                    f += 1
                }
            }
            if firstNonEmpty >= 0, let units = unitStatement(tables.cells[first + firstNonEmpty], in: t) {
                state(units)
                row.kind = .statement
            } else if numeric > 0 {
                row.kind = .data
            } else if !prose, firstNonEmpty < 0 || !isSerialNumber(firstNonEmpty, first: first, count: row.cellCount, t),   // 10 | 减：… | - | -
                      (nonEmpty > 1 && placeholders < nonEmpty - 1) || (nonEmpty == 1 && firstNonEmpty > 0 && placeholders == 0) {
                row.kind = .header
            }
            if row.kind == .header {
                pendingHeader.append(tables.rows.count)
            } else if !pendingHeader.isEmpty && row.kind == .data {
                header = buildHeader(pendingHeader, in: t)
                pendingHeader.removeAll(keepingCapacity: true)
            }
            row.header = row.kind == .data ? header : -1
            row.statement = statement
            tables.rows.append(row)
            i = e
            if i < t.count && t[i] == 0x0D { i += 1 }
            if i < t.count && t[i] == 0x0A { i += 1 }
        }
        var end = i
        while end > start && (t[end - 1] == 0x0A || t[end - 1] == 0x0D) { end -= 1 }
        tables.span = ByteSpan(start, max(end, start + 1))
    }

    /// The line after the line end at `e`: its start and whether it holds a TAB.
    static func nextLine(_ t: UnsafeBufferPointer<UInt8>, after e: Int) -> (start: Int, hasTab: Bool)? {
        var i = e
        if i < t.count && t[i] == 0x0D { i += 1 }
        if i < t.count && t[i] == 0x0A { i += 1 }
        guard i < t.count, i > e else { return nil }
        var k = i
        while k < t.count && t[k] != 0x0A && t[k] != 0x0D {
            if t[k] == 0x09 { return (i, true) }
            k += 1
        }
        return (i, false)
    }

    /// True for a cell of running text rather than a heading: longer than 40 characters, or
    /// holding a clause mark (，。；).
    func isProse(_ cell: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = cell.lowerBound
        var n = 0
        while i < cell.upperBound {
            let (s, l) = UTF8Bytes.scalar(t, at: i)
            if s == 0xFF0C || s == 0x3002 || s == 0xFF1B { return true }
            n += 1
            if n > 40 { return true }
            i += l
        }
        return false
    }

    /// True for a cell that says there is no figure: dashes (—, -, --) or a word of
    /// tables.tsv's `empty` role (不适用).
    func isPlaceholder(_ cell: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        if let (flags, length) = engine.tableWords.longestStarting(in: t, at: cell.lowerBound, limit: cell.upperBound),
           flags.contains(.empty), length == cell.count { return true }
        var i = cell.lowerBound
        while i < cell.upperBound {
            let (s, l) = UTF8Bytes.scalar(t, at: i)
            guard s == 0x2D || s == 0x2014 || s == 0x2013 || s == 0xFF0D || s == 0x2212 || s == 0x2F else { return false }
            i += l
        }
        return true
    }

    /// True when cell `j` of the row whose cells start at `first` numbers the row: its first
    /// filled cell, one to three digits and perhaps a small letter, with a cell of text after
    /// it (5 | 少数股东资本可计入部分 | 591; 2a | 盈余公积 | 36,439).
    func isSerialNumber(_ j: Int, first: Int, count: Int, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let cell = tables.cells[first + j]
        var digits = 0, i = cell.lowerBound
        while i < cell.upperBound, t[i] >= 0x30 && t[i] <= 0x39 { digits += 1; i += 1 }
        if i < cell.upperBound, t[i] >= 0x61 && t[i] <= 0x7A { i += 1 }
        guard (1...3).contains(digits), i == cell.upperBound else { return false }
        guard (0..<j).allSatisfy({ tables.cells[first + $0].isEmpty }) else { return false }
        for k in (j + 1)..<max(j + 1, count) {
            let next = tables.cells[first + k]
            if next.isEmpty { continue }
            return !isFigureText(next, t) && !isPlaceholder(next, t)
        }
        return false
    }

    /// The number of a cell that PDF conversion broke with spaces (`13,848,09 2.69`), when
    /// the thousands grouping of the joined digits proves the join (13,848,092.69); else nil.
    static func joinedNumber(_ cell: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        // First without allocating: most cells (text, or a figure with no space) stop here.
        var spaces = 0
        for i in cell.lowerBound..<cell.upperBound {
            switch t[i] {
            case 0x20: spaces += 1
            case 0x30...0x39, 0x2C, 0x2E: break
            case 0x2D where i == cell.lowerBound: break
            default: return nil
            }
        }
        guard spaces > 0 else { return nil }
        var joined: [UInt8] = []
        joined.reserveCapacity(cell.count - spaces)
        for i in cell.lowerBound..<cell.upperBound where t[i] != 0x20 { joined.append(t[i]) }
        // -?d{1,3}(,ddd)+(.d+)?
        var k = joined.first == 0x2D ? 1 : 0
        var lead = 0
        while k < joined.count, joined[k] != 0x2C, joined[k] != 0x2E { lead += 1; k += 1 }
        guard (1...3).contains(lead), k < joined.count, joined[k] == 0x2C else { return nil }
        while k < joined.count, joined[k] == 0x2C {
            for d in 1...3 where !(k + d < joined.count && joined[k + d] >= 0x30 && joined[k + d] <= 0x39) { return nil }
            k += 4
        }
        if k < joined.count {
            guard joined[k] == 0x2E, k + 1 < joined.count else { return nil }
            for d in (k + 1)..<joined.count where !(joined[d] >= 0x30 && joined[d] <= 0x39) { return nil }
        }
        return ExactDecimal(String(decoding: joined.filter { $0 != 0x2C }, as: UTF8.self))
    }

    /// True when mention `i` is a figure standing alone in `cell`: kept, not a year, date or
    /// ordinal, and covering the cell.
    static func isCellFigure(_ mentions: [Mention], _ i: Int, _ cell: ByteSpan) -> Bool {
        guard mentions[i].keep, mentions[i].span == cell else { return false }
        switch mentions[i].reading.quantity.kind {
        case .year, .date, .ordinal: return false
        default: return true
        }
    }

    /// The index of the first mention ending after `offset`.
    func firstMention(atOrAfter offset: Int, in mentions: [Mention]) -> Int {
        var lo = 0, hi = mentions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if mentions[mid].span.upperBound <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Reads the header rows `rows` into columns: the cells of each column top to bottom;
    /// in an upper row, an empty cell right after a filled one takes its text when the row
    /// below has a cell there (2019年 over 金额 | 占营业收入比重).
    func buildHeader(_ rows: [Int], in t: UnsafeBufferPointer<UInt8>) -> Int {
        let width = rows.map { tables.rows[$0].cellCount }.max() ?? 0
        var columns = [TableColumn](repeating: TableColumn(), count: width)
        for (r, rowIndex) in rows.enumerated() {
            let row = tables.rows[rowIndex]
            let below = r + 1 < rows.count ? tables.rows[rows[r + 1]] : nil
            var inherited: ByteSpan?
            for j in 0..<width {
                var cell = j < row.cellCount ? tables.cells[row.firstCell + j] : ByteSpan(0, 0)
                if !cell.isEmpty {
                    inherited = cell
                } else if let from = inherited, j > 0, let below, j < below.cellCount, !tables.cells[below.firstCell + j].isEmpty,
                          spanHasPeriod(from, t), !spanHasPeriod(tables.cells[below.firstCell + j], t) {
                    cell = from
                    inherited = nil   // a span of two columns, no more
                } else {
                    inherited = nil
                }
                if !cell.isEmpty {
                    columns[j].isEmpty = false
                    appendSqueezed(cell, of: t, to: &columns[j].text)
                }
            }
        }
        for j in columns.indices { describeColumn(&columns[j]) }
        tables.headers.append(columns)
        return tables.headers.count - 1
    }

    /// True when the text of `span` names a period (2019年, 期末).
    func spanHasPeriod(_ span: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        headerPeriod(in: t.slice(span)) != nil
    }

    /// Finds a column's period, unit, flags and measure in its header text.
    func describeColumn(_ c: inout TableColumn) {
        defer {
            // Dashes (----, —) name nothing.
            if Self.isDashesOnly(c.measure) {
                c.measure.removeAll()
            }
        }
        c.period = headerPeriod(in: c.text)
        var i = 0
        let text = c.text
        while i < text.count {
            if let p = c.period, i == p.lowerBound { i = p.upperBound; continue }
            let b = text[i]
            // A bracketed part: a unit (万吨, %) or a note; never part of the measure.
            if let close = Self.bracketEnd(text, at: i) {
                let inner = Array(text[(i + Self.bracketLength(text, at: i))..<(close - Self.bracketLength(text, at: close - 1, closing: true))])
                if c.unit.isEmpty { c.unit = inner }
                i = close
                continue
            }
            let found: (value: TableFlags, length: Int)? = text.withUnsafeBufferPointer { engine.tableWords.longestStarting(in: $0, at: i) }
            if let (flags, length) = found {
                c.flags.formUnion(flags)
                if !flags.contains(.plain) && !flags.contains(.period) {
                    c.measure += text[i..<(i + length)]
                }
                i += length
                continue
            }
            let length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            c.measure += text[i..<min(text.count, i + length)]
            i += length
        }
    }

    /// True when `text` holds only dashes (- — – －) and spaces (or nothing). Decoded scalar by
    /// scalar, without a String: none of these combine, so each character is one scalar.
    static func isDashesOnly(_ text: [UInt8]) -> Bool {
        var bytes = text.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let s):
                switch s.value {
                case 0x2D, 0x20, 0x2014, 0x2013, 0xFF0D: continue
                default: return false
                }
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The period in a header's text: a year with month, day and what extends it
    /// (2019年12月31日, 2019年末, 2019年度), a period word of periods.tsv (第一季度) or of
    /// tables.tsv (期末, 本期); the first one written.
    func headerPeriod(in text: [UInt8]) -> Range<Int>? {
        text.withUnsafeBufferPointer { headerPeriod(in: $0) }
    }

    /// `headerPeriod(in:)` over bytes in place (a header cell of the chunk, no copy).
    func headerPeriod(in t: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        /// After one or two digits at `hi`, the character E6 `c2` `c3` (月 E6 9C 88, 日 E6 97 A5): its end, else `hi`.
        func digitsAnd(_ c2: UInt8, _ c3: UInt8, at hi: Int) -> Int {
            var d = hi
            while d < t.count && d - hi < 2 && t[d] >= 0x30 && t[d] <= 0x39 { d += 1 }
            return d > hi && d + 3 <= t.count && t[d] == 0xE6 && t[d + 1] == c2 && t[d + 2] == c3 ? d + 3 : hi
        }
        var i = 0
        while i < t.count {
            if let year = Self.yearEnd(t, at: i) {
                let hi = digitsAnd(0x97, 0xA5, at: digitsAnd(0x9C, 0x88, at: year))   // 12月, 31日
                var end = hi
                if let (_, more) = engine.periodAfterYear.longestStarting(in: t, at: end) { end += more }
                if end + 3 <= t.count, t[end] == 0xE5, t[end + 1] == 0xBA, t[end + 2] == 0xA6 { end += 3 }   // 度
                return i..<end
            }
            if let (isPeriod, length) = engine.headerPeriods.longestStarting(in: t, at: i) {
                if isPeriod { return i..<(i + length) }
                i += length   // 比上年: a comparison, no period
                continue
            }
            let b = t[i]
            i += b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        }
        return nil
    }

    /// The end of `2019年` when four ASCII digits and 年 start at `i` (no digit before them).
    static func yearEnd(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i + 7 <= t.count, i == 0 || !(t[i - 1] >= 0x30 && t[i - 1] <= 0x39) else { return nil }
        for k in 0..<4 where !(t[i + k] >= 0x30 && t[i + k] <= 0x39) { return nil }
        guard t[i + 4] == 0xE5, t[i + 5] == 0xB9, t[i + 6] == 0xB4 else { return nil }   // 年
        return i + 7
    }

    /// The units a statement line lists (单位：万元、% → 万元, %), or nil when `span` is none.
    /// A line that starts with a currency and a unit (人民币百万元，另有标注除外) states one too;
    /// the currency before a unit is dropped (单位：人民币百万元 → 百万元).
    func unitStatement(_ span: ByteSpan, in t: UnsafeBufferPointer<UInt8>) -> [[UInt8]]? {
        guard !span.isEmpty, let (flags, length) = engine.tableWords.longestStarting(in: t, at: span.lowerBound, limit: span.upperBound),
              flags.contains(.statement) || flags.contains(.currency) else { return nil }
        var units: [[UInt8]] = []
        var current: [UInt8] = []
        var i = span.lowerBound + (flags.contains(.statement) ? length : 0)
        func add() {
            if let (f, l) = current.withUnsafeBufferPointer({ engine.tableWords.longestStarting(in: $0, at: 0) }), f.contains(.currency), l < current.count {
                current.removeFirst(l)
            }
            if !current.isEmpty { units.append(current) }
            current = []
        }
        while i < span.upperBound {
            let (s, l) = UTF8Bytes.scalar(t, at: i)
            if UTF8Bytes.isSpace(s) {
                if !current.isEmpty { break }   // 单位：万元 币种：人民币
            } else if s == 0x3001 || s == 0xFF0C || s == 0x2C || s == 0xFF1B || s == 0x3B {   // 、，,；;
                add()
            } else {
                current += t[i..<(i + l)]
            }
            i += l
        }
        add()
        if !flags.contains(.statement) {
            // 人民币百万元，另有标注除外: a statement only when what follows the currency is a unit.
            guard let first = units.first, unitReading(first) != nil else { return nil }
            return [first]
        }
        return units.isEmpty ? nil : units
    }

    /// `span` without spaces (ASCII, U+3000, no-break) at either end.
    func trim(_ span: ByteSpan, in t: UnsafeBufferPointer<UInt8>) -> ByteSpan {
        var lo = span.lowerBound, hi = span.upperBound
        while lo < hi {
            let (s, l) = UTF8Bytes.scalar(t, at: lo)
            guard UTF8Bytes.isSpace(s) else { break }
            lo += l
        }
        while hi > lo, let p = UTF8Bytes.previousStart(t, before: hi), p >= lo, UTF8Bytes.isSpace(UTF8Bytes.scalar(t, at: p).value) { hi = p }
        return ByteSpan(lo, hi)
    }

    /// True when the line ends with a sentence end (。！？): prose, not a table's title.
    func endsSentence(_ span: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !span.isEmpty, let p = UTF8Bytes.previousStart(t, before: span.upperBound) else { return false }
        let s = UTF8Bytes.scalar(t, at: p).value
        return s == 0x3002 || s == 0xFF01 || s == 0xFF1F
    }

    /// Appends the text of `span` without the spaces between two non-ASCII characters (PDF
    /// and HTML conversion spread 产 量 and 指 标); spaces between Latin words stay, and a TAB
    /// (between two cells of a row header) becomes one space.
    func appendSqueezed(_ span: ByteSpan, of t: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var i = span.lowerBound
        var lastWide = false
        // The space waiting before the next character: 0 none, 0x09 a TAB, 0x20 another space.
        var pendingSpace: UInt8 = 0
        while i < span.upperBound {
            let (s, l) = UTF8Bytes.scalar(t, at: i)
            if UTF8Bytes.isSpace(s) {
                if !out.isEmpty { pendingSpace = s == 0x09 ? 0x09 : 0x20 }
            } else {
                let wide = s >= 0x80
                if pendingSpace == 0x09 || (pendingSpace != 0 && !(wide || lastWide)) { out.append(0x20) }
                pendingSpace = 0
                for k in i..<(i + l) { out.append(t[k]) }
                lastWide = wide
            }
            i += l
        }
    }

    /// When an opening bracket (（ or ( ) starts at `i`, the index after its closing bracket.
    static func bracketEnd(_ t: [UInt8], at i: Int) -> Int? {
        let open = bracketLength(t, at: i)
        guard open > 0 else { return nil }
        var k = i + open
        while k < t.count {
            if t[k] == 0x29 { return k + 1 }                                                        // )
            if k + 3 <= t.count, t[k] == 0xEF, t[k + 1] == 0xBC, t[k + 2] == 0x89 { return k + 3 }  // ）
            k += 1
        }
        return nil
    }

    /// The length of the bracket at `i` (1 for ( or ), 3 for （ or ）), 0 when there is none.
    static func bracketLength(_ t: [UInt8], at i: Int, closing: Bool = false) -> Int {
        if closing {
            if i >= 0, i < t.count, t[i] == 0x29 { return 1 }
            if i >= 2, t[i - 2] == 0xEF, t[i - 1] == 0xBC, t[i] == 0x89 { return 3 }
            return 0
        }
        if i < t.count, t[i] == 0x28 { return 1 }
        if i + 3 <= t.count, t[i] == 0xEF, t[i + 1] == 0xBC, t[i + 2] == 0x88 { return 3 }
        return 0
    }
}
