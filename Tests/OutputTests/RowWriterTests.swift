@testable import Output
import Testing
import ZhibiaoCore

let sample = Indicator(quantity: Quantity(value: ExactDecimal(20045000), unit: "元", kind: .money),
                       span: ByteSpan(0, 14), line: 18, column: 96, match: "2004.5万元",
                       label: "涉及金额", sentence: "纠纷化解率99.69%,涉及金额2004.5万元。他说\"好\"\n",
                       period: "2024年", meaning: Meaning(role: .change, direction: .down, target: true))

@Suite struct RowWriterTests {
    /// The word-at-a-time tests for bytes that need quoting or escaping answer as a byte
    /// loop, wherever the byte stands among Chinese text and at every length (the short
    /// fields read as padded words, the last word overlapping), for the special bytes and
    /// their neighbours.
    @Test func wordAtATimeScanFindsEverySpecialByte() {
        let chinese = Array("纠纷化解率九十九涉及金额两千万元".utf8)
        let tests: [((UnsafeBufferPointer<UInt8>) -> Bool, (UInt8) -> Bool)] = [
            ({ RowWriter.containsASCII($0, CSVSpecials.self) }, { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }),
            ({ RowWriter.containsASCII($0, TSVSpecials.self) }, { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }),
            ({ RowWriter.containsASCII($0, JSONSpecials.self) }, { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }),
        ]
        let probes: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x2B,
                               0x2C, 0x2D, 0x41, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xAC, 0xA2, 0xDC, 0xFF]
        for special in probes {
            for length in 0...chinese.count {
                for at in 0...length {
                    var bytes = Array(chinese[..<length])
                    bytes.insert(special, at: at)
                    // The same among ASCII letters (words with no non-ASCII byte at all).
                    let ascii = [UInt8](repeating: 0x61, count: length).enumerated().map { $0.offset == at ? special : $0.element }
                    for (words, byte) in tests {
                        for sample in [bytes, ascii, Array(bytes.prefix(at + 1)), [special] + Array(chinese[..<length])] {
                            sample.withUnsafeBufferPointer { buf in
                                #expect(words(buf) == buf.contains(where: byte),
                                        "byte \(special) at \(at) of \(sample.count)")
                            }
                        }
                    }
                }
                for (words, _) in tests {
                    chinese[..<length].withUnsafeBufferPointer { #expect(!words($0)) }
                }
            }
        }
    }

    /// A row full of what must be escaped (quotes, control bytes, leading formula signs), long
    /// numbers and an extreme exponent never writes more than `maximumBytes`, the room
    /// reserved for it; and the row is the same through the array's spare capacity, through
    /// a short buffer, and through the row's iterator.
    @Test func rowsStayWithinTheirReservedRoomAndReadTheSameEveryWay() throws {
        var worst = sample
        worst.label = String(repeating: "\"", count: 400)
        worst.sentence = String(repeating: "\u{01}", count: 300) + "\\\t"
        worst.match = "=1,2\r\n"
        worst.period = "-"
        worst.quantity.value = try #require(ExactDecimal("-0.000000000000000000000000000001234567890123456789012345"))
        worst.quantity.valueMax = ExactDecimal(coefficient: 999_999_999_999_999_999, exponent: 40)
        worst.table = Int.max
        var controls = worst   // every text byte at its longest in JSON (\u0001)
        controls.label = String(repeating: "\u{01}", count: 400)
        controls.sentence = String(repeating: "\u{01}", count: 2000)
        for format in [OutputFormat.csv, .tsv, .jsonl] {
            for raw in [false, true] {
                let w = RowWriter(format: format, raw: raw)
                for indicator in [sample, worst, controls] {
                    try Self.withRow(indicator, file: "=file,\"") { row in
                        let bound = w.maximumBytes(row)
                        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4 * bound + 4096)
                        defer { scratch.deallocate() }
                        let written = w.write(row, at: scratch.baseAddress!) - scratch.baseAddress!
                        #expect(written <= bound, "\(format) raw \(raw): \(written) > \(bound)")
                        let direct = Array(scratch[..<written])
                        withUnsafePointer(to: row) { p in
                            let bytes = RowBytes(writer: w, row: p, bound: bound)
                            #expect(Array(bytes.makeIterator()) == direct)   // the plain way
                            #expect(bytes.materialized() == direct)
                            // A buffer too short for the bound: what fits, then the rest by the iterator.
                            for room in [0, 1, written / 2, bound - 1] where room >= 0 {
                                let short = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: room)
                                defer { short.deallocate() }
                                var (rest, n) = bytes._copyContents(initializing: short)
                                var got = Array(short[..<n])
                                while let b = rest.next() { got.append(b) }
                                #expect(got == direct, "room \(room)")
                            }
                        }
                        // Appending to an array with content and any spare capacity.
                        for spare in [0, 1, 7, bound] {
                            var out: [UInt8] = Array("prefix".utf8)
                            out.reserveCapacity(out.count + spare)
                            w.append(row, to: &out)
                            #expect(out == Array("prefix".utf8) + direct)
                        }
                    }
                }
            }
        }
    }

    /// Views of `indicator`'s strings as a row, for `body`.
    static func withRow(_ indicator: Indicator, file: String, _ body: (RowView) throws -> Void) throws {
        var f = file, m = indicator.match, l = indicator.label, s = indicator.sentence, p = indicator.period
        try f.withUTF8 { f in try m.withUTF8 { m in try l.withUTF8 { l in try s.withUTF8 { s in try p.withUTF8 { p in
            try body(RowView(file: f, line: indicator.line, column: indicator.column, span: indicator.span, match: m,
                             quantity: indicator.quantity, label: l, sentence: s, period: p,
                             meaning: indicator.meaning, table: indicator.table ?? 0))
        } } } } }
    }

    @Test func csvFollowsRFC4180() {
        let w = RowWriter(format: .csv)
        var out: [UInt8] = []
        w.append(sample, file: "a,b.txt", to: &out)
        let line = String(decoding: out, as: UTF8.self)
        #expect(line == "\"a,b.txt\",18,96,2004.5万元,20045000,,元,money,,涉及金额,2024年,change,down,true,,\"纠纷化解率99.69%,涉及金额2004.5万元。他说\"\"好\"\"\n\"\r\n")
        // A table cell's row carries the line where its table begins.
        var cell = sample
        cell.table = 127
        out = []
        w.append(cell, file: "a.txt", to: &out)
        #expect(String(decoding: out, as: UTF8.self).contains(",change,down,true,127,"))
        #expect(String(decoding: w.header(byteOrderMark: false), as: UTF8.self) ==
                "file,line,column,match,value,value_max,unit,kind,qualifier,label,period,role,direction,target,table,sentence\r\n")
        #expect(w.header(byteOrderMark: true).prefix(3) == [0xEF, 0xBB, 0xBF])
    }

    @Test func csvDoublesEveryQuoteWhereverItStands() {
        let w = RowWriter(format: .csv)
        for (label, written) in [("\"", "\"\"\"\""), ("\"\"a\"", "\"\"\"\"\"a\"\"\""), ("a\"\"b", "\"a\"\"\"\"b\""), ("a,b", "\"a,b\"")] {
            var row = sample
            row.label = label
            var out: [UInt8] = []
            w.append(row, file: "f", to: &out)
            let fields = String(decoding: out, as: UTF8.self)
            #expect(fields.contains(",money,," + written + ","), "label \(label)")
        }
    }

    @Test func tsvHasNoTabsOrBreaksInFields() {
        let w = RowWriter(format: .tsv)
        var out: [UInt8] = []
        w.append(sample, file: "a.txt", to: &out)
        let fields = String(decoding: out.dropLast(), as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false)
        #expect(fields.count == RowWriter.columns.count)
        #expect(!fields.contains { $0.contains("\n") })
    }

    /// TAB, LF, CR and backslash inside a field are escaped, not turned into spaces: a
    /// reader that knows the four escapes gets every field back exactly.
    @Test func tsvEscapesTabNewlineCarriageReturnAndBackslash() {
        let w = RowWriter(format: .tsv)
        var row = sample
        row.label = "a\tb\nc\rd\\e"
        row.sentence = "\\n is not a newline\n"
        var out: [UInt8] = []
        w.append(row, file: "dir\\a.txt", to: &out)
        let line = String(decoding: out, as: UTF8.self)
        #expect(line.hasSuffix("\n") && line.dropLast().split(separator: "\n").count == 1)
        let fields = line.dropLast().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == RowWriter.columns.count)
        #expect(fields[col("file")] == #"dir\\a.txt"#)
        #expect(fields[col("label")] == #"a\tb\nc\rd\\e"#)
        #expect(fields[col("sentence")] == #"\\n is not a newline\n"#)
        func unescape(_ s: String) -> String {
            var out = "", it = s.makeIterator()
            while let c = it.next() {
                guard c == "\\", let n = it.next() else { out.append(c); continue }
                switch n { case "t": out += "\t"; case "n": out += "\n"; case "r": out += "\r"; default: out.append(n) }
            }
            return out
        }
        #expect(unescape(fields[col("label")]) == row.label && unescape(fields[col("sentence")]) == row.sentence)
    }

    @Test func jsonLinesEscape() {
        let w = RowWriter(format: .jsonl)
        var out: [UInt8] = []
        w.append(sample, file: "a.txt", to: &out)
        let line = String(decoding: out, as: UTF8.self)
        #expect(line.hasPrefix("{\"file\":\"a.txt\",\"line\":18,\"column\":96,\"match\":\"2004.5万元\",\"value\":\"20045000\",\"value_max\":null,"))
        #expect(line.contains("他说\\\"好\\\"\\n\"}"))
        #expect(line.hasSuffix("}\n"))
        #expect(w.header(byteOrderMark: false).isEmpty)
    }
}

@Suite struct JSONLinesTests {
    /// An absent value_max is JSON null (was the empty string); a range keeps both ends as strings.
    @Test func absentValueMaxIsNull() throws {
        let w = RowWriter(format: .jsonl)
        var out: [UInt8] = []
        w.append(sample, file: "a.txt", to: &out)
        var range = sample
        range.quantity.valueMax = ExactDecimal(30045000)
        w.append(range, file: "a.txt", to: &out)
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        #expect(lines[0].contains("\"value_max\":null,"))
        #expect(lines[1].contains("\"value\":\"20045000\",\"value_max\":\"30045000\","))
    }
}
