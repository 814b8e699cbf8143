import Output
import Testing
import ZhibiaoCore

let sample = Indicator(quantity: Quantity(value: ExactDecimal(20045000), unit: "元", kind: .money),
                       span: ByteSpan(0, 14), line: 18, column: 96, match: "2004.5万元",
                       label: "涉及金额", sentence: "纠纷化解率99.69%,涉及金额2004.5万元。他说\"好\"\n",
                       period: "2024年", meaning: Meaning(role: .change, direction: .down, target: true))

@Suite struct RowWriterTests {
    @Test func csvFollowsRFC4180() {
        let w = RowWriter(format: .csv)
        var out: [UInt8] = []
        w.append(sample, file: "a,b.txt", to: &out)
        let line = String(decoding: out, as: UTF8.self)
        #expect(line == "\"a,b.txt\",18,96,2004.5万元,20045000,,元,money,,涉及金额,2024年,change,down,true,\"纠纷化解率99.69%,涉及金额2004.5万元。他说\"\"好\"\"\n\"\r\n")
        #expect(String(decoding: w.header(byteOrderMark: false), as: UTF8.self) ==
                "file,line,column,match,value,value_max,unit,kind,qualifier,label,period,role,direction,target,sentence\r\n")
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

    @Test func jsonLinesEscape() {
        let w = RowWriter(format: .jsonl)
        var out: [UInt8] = []
        w.append(sample, file: "a.txt", to: &out)
        let line = String(decoding: out, as: UTF8.self)
        #expect(line.hasPrefix("{\"file\":\"a.txt\",\"line\":18,\"column\":96,\"match\":\"2004.5万元\",\"value\":\"20045000\",\"value_max\":\"\""))
        #expect(line.contains("他说\\\"好\\\"\\n\"}"))
        #expect(line.hasSuffix("}\n"))
        #expect(w.header(byteOrderMark: false).isEmpty)
    }
}
