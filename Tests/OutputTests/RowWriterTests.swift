@testable import Output
import Testing
import ZhibiaoCore

let sample = Indicator(quantity: Quantity(value: ExactDecimal(20045000), unit: "元", kind: .money),
                       span: ByteSpan(0, 14), line: 18, column: 96, match: "2004.5万元",
                       label: "涉及金额", sentence: "纠纷化解率99.69%,涉及金额2004.5万元。他说\"好\"\n",
                       period: "2024年", meaning: Meaning(role: .change, direction: .down, target: true))

@Suite struct RowWriterTests {
    /// The word-at-a-time test for bytes that need quoting or escaping answers as a byte loop,
    /// wherever the byte stands among Chinese text, at every length.
    @Test func wordAtATimeScanFindsEverySpecialByte() {
        let chinese = Array("纠纷化解率九十九涉及金额两千万元".utf8)
        for special: UInt8 in [0x2C, 0x22, 0x0D, 0x0A, 0x09, 0x5C, 0x41] {
            for length in 0...chinese.count {
                for at in 0...length {
                    var bytes = Array(chinese[..<length])
                    bytes.insert(special, at: at)
                    for test in [{ (b: UInt8) in b == 0x2C || b == 0x22 || b == 0x0D || b == 0x0A }, RowWriter.needsTSVEscape] {
                        bytes.withUnsafeBufferPointer { buf in
                            #expect(RowWriter.containsASCII(buf, where: test) == buf.contains(where: test))
                        }
                    }
                }
                chinese[..<length].withUnsafeBufferPointer { #expect(!RowWriter.containsASCII($0, where: { $0 == 0x2C })) }
            }
        }
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
