import ZhibiaoCore

/// What the table reader makes of one mention.
enum TableVerdict {
    /// Not in a table, or in a cell of text: the prose annotators decide.
    case prose
    /// Not a figure: in a header row, in the row's header (1至2年, 前10名股东) or in a
    /// column of ordinals or codes (序号).
    case drop
    /// A figure alone in its cell: its row and column say what it is.
    case cell(TableCellFacts)
}

/// A table cell's reading and meaning, from its row and column headers. The label and
/// period are in the extractor's `tableLabel` and `tablePeriod` scratch.
struct TableCellFacts {
    var quantity: Quantity
    var meaning: Meaning
    /// The figure's text: the mention, or the whole cell for a number joined across spaces.
    var span: ByteSpan
}

/// Annotator: a figure alone in a table cell takes its name from the row header (and the
/// column header where it says what is measured: 营业收入 本年比上年增减), its period from
/// the column header (2019年末, 期末, 第一季度) or the table's title, its unit from the
/// nearest unit statement (the cell's own unit, the column header's (万吨) or (%), a
/// percentage column, the row header's （元）, the row's 单位 column, a 单位：万元 line), and
/// its role from the column: `change` for 增减 and 增长 columns, with the direction of its
/// sign; a change of a rate written with % is in percentage points.
extension Extractor {
    func tableVerdict(for index: Int, in mentions: [Mention], text t: UnsafeBufferPointer<UInt8>) -> TableVerdict {
        let mSpan = mentions[index].span
        guard table(at: mSpan.lowerBound, in: t, mentions: mentions) else { return .prose }
        // The row holding the mention (mentions come in order: move the cursor forward).
        var r = tables.cursor
        while r < tables.rows.count && tables.rows[r].line.upperBound < mSpan.lowerBound { r += 1 }
        guard r < tables.rows.count, tables.rows[r].line.lowerBound <= mSpan.lowerBound else { return .prose }
        tables.cursor = r
        let row = tables.rows[r]
        switch row.kind {
        case .header: return .drop
        case .section, .statement: return .prose
        case .data: break
        }
        if tables.preparedRow != r { prepareRow(r, t) }
        // The cell holding it.
        var j = 0
        while j < row.cellCount && tables.cells[row.firstCell + j].upperBound < mSpan.lowerBound { j += 1 }
        guard j < row.cellCount else { return .prose }
        let cell = tables.cells[row.firstCell + j]
        let c = tables.cellColumns[j]
        let columns = row.header >= 0 ? tables.headers[row.header] : []
        let flags: TableFlags = c >= 0 ? columns[c].flags : []
        if flags.contains(.skipColumn) || flags.contains(.unitColumn) || isSerialNumber(j, first: row.firstCell, count: row.cellCount, t) { return .drop }
        if let h = tables.rowName, h.contains(mSpan) { return .drop }
        var quantity = mentions[index].reading.quantity
        var span: ByteSpan?
        if !Self.isCellFigure(mentions, index, cell) {
            // A number broken by spaces (13,848,09 2.69): one row for the cell, from its first mention.
            guard let joined = Self.joinedNumber(cell, t) else { return .prose }
            if index > 0, cell.contains(mentions[index - 1].span), mentions[index - 1].keep { return .drop }
            quantity = Quantity(value: joined, unit: "", kind: .number)
            span = cell
        }
        if quantity.unit.isEmpty && quantity.kind == .number {
            resolveUnit(&quantity, column: c, of: columns, row: row, t)
        }
        var meaning = Meaning.level
        if flags.contains(.change) {
            meaning.role = .change
            meaning.direction = quantity.value.isZero ? .none : quantity.value.isNegative ? .down : .up
            if quantity.kind == .percent,
               flags.contains(.rate) || tables.rowIsRate || isDifference(quantity.value, ofPercentsIn: row, except: mSpan, mentions, from: index) {
                quantity.unit = "百分点"
                quantity.kind = .percentagePoint
            }
        }
        // The label: the row's name, then what the column header measures.
        tableLabel.removeAll()
        tables.rowNameCore.withUnsafeBufferPointer { tableLabel.append($0) }
        if c >= 0, !columns[c].measure.isEmpty {
            if !tables.rowNameCore.isEmpty { Self.space.withUnsafeBufferPointer { tableLabel.append($0) } }
            columns[c].measure.withUnsafeBufferPointer { tableLabel.append($0) }
        }
        // At most four times a prose label's characters: a row name can be a whole clause.
        let label = tableLabel.bytes
        var end = 0, characters = 0
        while end < label.count, characters < 4 * options.maxLabelLength {
            end += UTF8Bytes.scalar(label, at: end).length
            characters += 1
        }
        tableLabel.keepFirst(end)
        tablePeriod.removeAll()
        if c >= 0, let p = columns[c].period {
            columns[c].text[p].withUnsafeBufferPointer { tablePeriod.append($0) }
        } else if !tables.titlePeriod.isEmpty {
            tables.titlePeriod.withUnsafeBufferPointer { tablePeriod.append($0) }
        }
        return .cell(TableCellFacts(quantity: quantity, meaning: meaning, span: span ?? mSpan))
    }

    /// Reads once what every cell of row `r` shares: the header column of each cell, the
    /// row's name (its label core, whether it names a rate, its unit in brackets) and its
    /// cell in a 单位 column.
    func prepareRow(_ r: Int, _ t: UnsafeBufferPointer<UInt8>) {
        let row = tables.rows[r]
        let columns = row.header >= 0 ? tables.headers[row.header] : []
        tables.preparedRow = r
        mapColumns(of: row, to: columns)
        tables.unitCellText.removeAll(keepingCapacity: true)
        for j in 0..<row.cellCount where tables.cellColumns[j] >= 0 && columns[tables.cellColumns[j]].flags.contains(.unitColumn) {
            let c = tables.cells[row.firstCell + j]
            if !c.isEmpty {
                tables.unitCellText += t.slice(c)
                break
            }
        }
        tables.rowName = rowName(of: row, columns: columns, t)
        tables.rowNameCore.removeAll(keepingCapacity: true)
        tables.rowUnit = nil
        tables.rowIsRate = false
        if let h = tables.rowName {
            // Its cells, one space apart, without the empty ones (--) between them.
            let core = labelCore(of: h, in: t)
            for j in 0..<row.cellCount {
                let cell = tables.cells[row.firstCell + j]
                guard cell.upperBound > core.lowerBound, cell.lowerBound < core.upperBound, !cell.isEmpty, !isPlaceholder(cell, t) else { continue }
                if !tables.rowNameCore.isEmpty { tables.rowNameCore.append(0x20) }
                appendSqueezed(ByteSpan(max(cell.lowerBound, core.lowerBound), min(cell.upperBound, core.upperBound)), of: t, to: &tables.rowNameCore)
            }
            tables.rowUnit = trailingBracket(of: h, in: t)
            tables.rowIsRate = engine.hasTableWord(.rate, in: t.slice(h))
        }
    }

    /// The header column (an index of `columns`, or -1) of every cell of `row`, into
    /// `tables.cellColumns`. Conversions from PDF and HTML shift cells (a merged 项目 over two
    /// columns; a figure spread over two): when the row's filled cells after the first are as
    /// many as the header's filled columns after the first, they pair in order; else cells
    /// pair by position, a row shorter than its header skipping the header's first empty
    /// columns, and a figure under an empty column followed by an empty cell takes the next.
    /// One pass over the row and the header.
    func mapColumns(of row: TableRow, to columns: [TableColumn]) {
        tables.cellColumns.removeAll(keepingCapacity: true)
        guard !columns.isEmpty else {
            for _ in 0..<row.cellCount { tables.cellColumns.append(-1) }
            return
        }
        var filledColumns = 0, filledCells = 0
        for c in columns.indices.dropFirst() where !columns[c].isEmpty { filledColumns += 1 }
        for k in 1..<max(1, row.cellCount) where !tables.cells[row.firstCell + k].isEmpty { filledCells += 1 }
        // By position.
        var surplus = max(0, columns.count - row.cellCount)
        var c = 0
        for _ in 0..<row.cellCount {
            while c > 0, surplus > 0, c < columns.count, columns[c].isEmpty { surplus -= 1; c += 1 }
            tables.cellColumns.append(c < columns.count ? c : -1)
            c += 1
        }
        for j in 0..<row.cellCount {
            let p = tables.cellColumns[j]
            if p >= 0, columns[p].isEmpty, j + 1 < row.cellCount, tables.cells[row.firstCell + j + 1].isEmpty {
                let next = tables.cellColumns[j + 1]
                if next >= 0, !columns[next].isEmpty { tables.cellColumns[j] = next }
            }
        }
        // In order, when the filled counts agree.
        if filledCells == filledColumns, filledCells > 0 {
            var next = 1
            for j in 1..<row.cellCount where !tables.cells[row.firstCell + j].isEmpty {
                while next < columns.count && columns[next].isEmpty { next += 1 }
                tables.cellColumns[j] = next < columns.count ? next : -1
                next += 1
            }
        }
    }

    /// True when `value` is the difference of two other percentages of the row (2.66% and
    /// 1.62% beside 同比增减 1.04%): the change of a share, in percentage points.
    func isDifference(_ value: ExactDecimal, ofPercentsIn row: TableRow, except span: ByteSpan, _ mentions: [Mention], from index: Int) -> Bool {
        var k = index
        while k > 0 && mentions[k - 1].span.lowerBound >= row.line.lowerBound { k -= 1 }
        tables.percents.removeAll(keepingCapacity: true)
        while k < mentions.count && mentions[k].span.upperBound <= row.line.upperBound {
            if mentions[k].keep, mentions[k].span != span, mentions[k].reading.quantity.kind == .percent {
                tables.percents.append(mentions[k].reading.quantity.value)
            }
            k += 1
        }
        let percents = tables.percents
        guard percents.count >= 2, percents.count <= 8 else { return false }
        for a in percents {
            for b in percents {
                let d = a - b
                if !d.isZero, !(d < value), !(value < d) { return true }
            }
        }
        return false
    }

    /// The row's name: its cells of text before its first figure, outside the columns of
    /// ordinals and units (电缆连接件 | 生产量 | 套 | 9,384: both; 1 | 客户一 | …: 客户一). Nil
    /// when a figure comes first. Uses `tables.cellColumns` of the row.
    func rowName(of row: TableRow, columns: [TableColumn], _ t: UnsafeBufferPointer<UInt8>) -> ByteSpan? {
        var first: ByteSpan?
        var last: ByteSpan?
        for j in 0..<row.cellCount {
            let cell = tables.cells[row.firstCell + j]
            if cell.isEmpty || isPlaceholder(cell, t) { continue }   // --, —, 不适用: an empty cell
            let flags: TableFlags = tables.cellColumns[j] >= 0 ? columns[tables.cellColumns[j]].flags : []
            if flags.contains(.unitColumn) { continue }
            if isSerialNumber(j, first: row.firstCell, count: row.cellCount, t) { continue }   // 5 | 少数股东资本…
            // A figure, or digits that read as none (12 34): the name has ended.
            let isFigure = row.holdsFigure(j) || isFigureText(cell, t)
            if isFigure {
                if flags.contains(.skipColumn) { continue }   // a serial number before the name
                break
            }
            if first == nil { first = cell }
            last = cell
        }
        guard let first, let last else { return nil }
        return ByteSpan(first.lowerBound, last.upperBound)
    }

    /// True for a cell of digits, signs, separators and % only, with a digit: a figure, not a name.
    func isFigureText(_ cell: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = cell.lowerBound
        var digits = 0
        while i < cell.upperBound {
            let (s, l) = UTF8Bytes.scalar(t, at: i)
            switch s {
            case 0x30...0x39: digits += 1
            case 0x2C, 0x2E, 0x2D, 0x2B, 0x25, 0x20, 0xFF05, 0x2212, 0xFF0D, 0x2F, 0x3A: break   // , . - + % ％ − － / :
            default: return false
            }
            i += l
        }
        return digits > 0
    }

    /// The row header without list markers (一、 1. （1）), tables.tsv prefixes (其中：, ＃)
    /// and a trailing bracket (营业收入（元） → 营业收入).
    func labelCore(of header: ByteSpan, in t: UnsafeBufferPointer<UInt8>) -> ByteSpan {
        var lo = header.lowerBound, hi = header.upperBound
        var progress = true
        while progress && lo < hi {
            progress = false
            if let (flags, length) = engine.tableWords.longestStarting(in: t, at: lo, limit: hi), flags.contains(.rowPrefix) {
                lo += length; progress = true; continue
            }
            if let after = listMarkerEnd(t, at: lo, limit: hi) { lo = after; progress = true }
        }
        if let b = trailingBracketStart(header: ByteSpan(lo, hi), t), b > lo { hi = b }
        return trim(ByteSpan(lo, hi), in: t)
    }

    /// The end of a list marker at `i`: numerals then 、 . ． or ）, or numerals in brackets.
    func listMarkerEnd(_ t: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int) -> Int? {
        var k = i
        let (first, fl) = UTF8Bytes.scalar(t, at: k)
        let bracketed = first == 0x28 || first == 0xFF08
        if bracketed { k += fl }
        let digitsStart = k
        while k < limit {
            let (s, l) = UTF8Bytes.scalar(t, at: k)
            guard (0x30...0x39).contains(s) || Self.headingNumerals.contains(s) else { break }
            k += l
        }
        guard k > digitsStart, k < limit else { return nil }
        let (s, l) = UTF8Bytes.scalar(t, at: k)
        if bracketed { return s == 0x29 || s == 0xFF09 ? k + l : nil }
        // 1.粮食 but not 1.5: the mark is followed by no digit.
        guard s == 0x3001 || s == 0x2E || s == 0xFF0E || s == 0x29 || s == 0xFF09 else { return nil }
        if k + l < limit, t[k + l] >= 0x30 && t[k + l] <= 0x39 { return nil }
        return k + l
    }

    /// Where a bracket that ends the row header starts (营业收入（元）: at （), or nil.
    func trailingBracketStart(header: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let last = UTF8Bytes.previousStart(t, before: header.upperBound), last >= header.lowerBound else { return nil }
        let close = UTF8Bytes.scalar(t, at: last).value
        guard close == 0x29 || close == 0xFF09 else { return nil }
        var i = last
        while let p = UTF8Bytes.previousStart(t, before: i), p >= header.lowerBound {
            let s = UTF8Bytes.scalar(t, at: p).value
            if s == 0x28 || s == 0xFF08 { return p }
            if s == 0x29 || s == 0xFF09 { return nil }
            i = p
        }
        return nil
    }

    /// The text inside a bracket ending the row header (元 of 营业收入（元）).
    func trailingBracket(of header: ByteSpan, in t: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let b = trailingBracketStart(header: header, t) else { return nil }
        let open = UTF8Bytes.scalar(t, at: b).length
        let closeStart = UTF8Bytes.previousStart(t, before: header.upperBound)!
        guard b + open < closeStart else { return nil }
        return Array(t[(b + open)..<closeStart])
    }

    /// Gives a bare number the unit its table states, the first that reads as one: the
    /// column header's (万吨, %), % in a percentage column, the row header's (元), the row's
    /// 单位 column, the unit statement (in a percentage column its %, else its first unit).
    /// `column` indexes `columns` (-1: none); the column is read in place, not copied.
    func resolveUnit(_ q: inout Quantity, column c: Int, of columns: [TableColumn], row: TableRow, _ t: UnsafeBufferPointer<UInt8>) {
        let percentColumn = c >= 0 && columns[c].flags.contains(.percent)
        let percent = Self.percentSign
        func apply(_ unit: [UInt8]) -> Bool {
            guard let per = unitReading(unit) else { return false }
            q.value = q.value * per.value
            q.unit = per.unit
            q.kind = per.kind
            return true
        }
        if c >= 0, !columns[c].unit.isEmpty, apply(columns[c].unit) { return }
        if percentColumn, apply(percent) { return }
        if let u = tables.rowUnit, apply(u) { return }
        if !tables.unitCellText.isEmpty, apply(tables.unitCellText) { return }
        if row.statement >= 0 {
            let units = tables.statements[row.statement]
            if percentColumn, units.contains(percent), apply(percent) { return }
            if let u = units.first(where: { $0 != percent }) ?? units.first, apply(u) { return }
        }
    }

    static let percentSign: [UInt8] = [0x25]
    static let space: [UInt8] = [0x20]

    /// What one of `unit` is (`万吨` → 10000 吨, measure), read by the same scanner as prose
    /// from `1` and the unit, so that a cell reads as if the unit were written after it;
    /// nil when the text is no unit. Remembered per extractor: a document has few units.
    func unitReading(_ unit: [UInt8]) -> Quantity? {
        // Compared in place: `first(where:)` on the array copied each entry (its unit and reading).
        if let k = tables.units.withUnsafeBufferPointer({ $0.firstIndex { $0.unit == unit } }) { return tables.units[k].reading }
        tableReadBuffer.removeAll(keepingCapacity: true)
        tableReadBuffer.append(0x31)   // 1
        tableReadBuffer += unit
        var found: [Mention] = []
        let ok = tableReadBuffer.withUnsafeBufferPointer { b -> Bool in
            do { try scan(b, into: &found) } catch { return false }
            return true
        }
        var reading: Quantity?
        if ok, let first = found.first, first.keep, first.span.lowerBound == 0, first.span.upperBound > 1,
           !first.reading.quantity.unit.isEmpty, first.reading.quantity.valueMax == nil {
            reading = first.reading.quantity
        }
        if tables.units.count < 64 { tables.units.append((unit, reading)) }
        return reading
    }
}

extension ExtractionEngine {
    /// True when `bytes` holds a tables.tsv word with `flag` (率 in 加权平均净资产收益率).
    func hasTableWord(_ flag: TableFlags, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            if let (flags, _) = tableWords.longestStarting(in: bytes, at: i), flags.contains(flag) { return true }
            i += UTF8Decoding.scalar(bytes, at: i).length   // words begin at a character
        }
        return false
    }
}
