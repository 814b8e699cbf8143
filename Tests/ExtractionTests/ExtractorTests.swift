// The extractor on short texts: positions, sentences, kinds, user patterns.
@testable import Extraction
import Foundation
import PatternCatalog
import Testing
import TestSupport
import ZhibiaoCore

func extract(_ text: String, kinds: Set<Kind> = Kind.defaultSet, extra: [PatternCatalog.File] = []) throws -> [Indicator] {
    let engine = try ExtractionEngine(catalog: try PatternCatalog(extra: extra))
    let extractor = try Extractor(engine: engine, options: ExtractionOptions(kinds: kinds))
    return try Array(text.utf8).withUnsafeBufferPointer { try extractor.extract($0) }
}

@Suite struct ExtractorTests {
    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineAndColumnCountCharacters(lineEnd: String) throws {
        let rows = try extract("第一行没有数字" + lineEnd + "受理纠纷972宗，化解率99.69%" + lineEnd + "ab 5个")
        #expect(rows.map(\.line) == [2, 2, 3])
        #expect(rows.map(\.column) == [5, 13, 4])
        #expect(rows.map(\.match) == ["972宗", "99.69%", "5个"])
    }

    @Test func sentenceIsTheICUSentenceAroundTheMatch() throws {
        let rows = try extract("去年情况良好。今年受理纠纷972宗，成功调处969宗。其他工作稳步推进。")
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.sentence == "今年受理纠纷972宗，成功调处969宗。" })
    }

    /// Labels are trimmed of Unicode whitespace of every kind (em space, line separator …).
    /// The trim skips the property lookup above U+3000, where Unicode has no whitespace.
    @Test func labelsAreTrimmedOfAnyWhitespace() throws {
        let rows = try extract("今年，\u{2003}营业收入\u{205F}12亿元，\u{2028}\u{3000}利润\u{0085}3亿元")
        #expect(rows.map(\.label) == ["营业收入", "利润"])
        let above = (0x3001...0x10FFFF).filter { Unicode.Scalar($0)?.properties.isWhitespace ?? false }
        #expect(above.isEmpty)
    }

    @Test func byteSpanPointsAtTheMatch() throws {
        let text = "涉及金额2004.5万元"
        let rows = try extract(text)
        let bytes = Array(text.utf8)
        let r = try #require(rows.first)
        #expect(String(decoding: bytes[r.span.lowerBound..<r.span.upperBound], as: UTF8.self) == r.match)
    }

    @Test func kindsSelectWhatIsWritten() throws {
        let text = "2024年投入资金3亿元，占比5%，第一批"
        #expect(try extract(text).map(\.quantity.kind) == [.money, .percent])
        #expect(try extract(text, kinds: [.percent]).map(\.match) == ["5%"])
        let all = try extract(text, kinds: Set(Kind.allCases)).map(\.quantity.kind)
        #expect(all.contains(.year) && all.contains(.ordinal))
    }

    @Test func userPatternAddsAnIndicator() throws {
        let file = PatternCatalog.File(name: "extra.patterns", displayPath: "my/extra.patterns",
                                       text: "# scores\ncount\t分\t(?<num>{number})分(?=制)\n")
        let rows = try extract("实行100分制考核", extra: [file])
        #expect(rows.map(\.match) == ["100分"])
        #expect(rows.first?.quantity.unit == "分")
    }

    @Test func userUnitIsOneLine() throws {
        let file = PatternCatalog.File(name: "units.tsv", displayPath: "my/units.tsv", text: "羽\t羽\tcount\n")
        let rows = try extract("放生鸽子300羽", extra: [file])
        #expect(rows.map(\.match) == ["300羽"])
    }

    @Test func hugeInputsFinish() throws {
        // A 100,000-digit number and 10,000 repetitions of 万 finish in linear time; their
        // values would print with more than NumeralReader.maxDigits digits, so they are no
        // quantity (issue 14: no 1 MB value cells).
        let digits = String(repeating: "7", count: 100_000) + "元"
        #expect(try extract(digits).isEmpty)
        #expect(try extract(String(repeating: "7", count: 100) + "元").first?.quantity.value.digits.count == 100)
        let wan = "一" + String(repeating: "万", count: 10_000) + "元"
        #expect(try extract(wan).isEmpty)
        // Long runs of mixed numerals (quadratic readers take minutes here).
        let mixed = String(repeating: "一二三四五六七八九十百千万亿", count: 20_000)
        #expect(try extract(mixed, kinds: Set(Kind.allCases)).count >= 1)
        // A long numeral that turns out to be a code (followed by G) must not be re-read from
        // every position inside it (that took minutes before the numeral-run lookbehinds).
        for trap in [String(repeating: "一二三四五六七八九", count: 5_000) + "G",
                     Array(repeating: "1", count: 50_000).joined(separator: " ") + "G",
                     Array(repeating: "一", count: 50_000).joined(separator: " ") + "G"] {
            _ = try extract(trap, kinds: Set(Kind.allCases))
        }
        let ones = String(repeating: "一", count: 300_000)
        #expect(try extract(ones, kinds: Set(Kind.allCases)).isEmpty)   // a 300,000-digit sequence
    }
}

@Suite struct ChunkedExtractionTests {
    /// Every cut at a line end gives the same rows as the whole document.
    @Test func chunksCutAtLineEndsGiveTheSameRows() throws {
        let text = "第一行受理纠纷972宗，化解率99.69%\r\n第二行涉及金额2004.5万元\n\n配备32名法律顾问\r第五行约3.5亿元"
        let bytes = Array(text.utf8)
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog()))
        let whole = try bytes.withUnsafeBufferPointer { try extractor.extract($0) }
        #expect(whole.count == 5)
        let cuts = bytes.indices.filter { bytes[$0] == 0x0A || (bytes[$0] == 0x0D && bytes[$0 + 1] != 0x0A) }.map { $0 + 1 }
        for cut in cuts {
            var rows: [Indicator] = []
            try bytes.withUnsafeBufferPointer { all in
                let first = UnsafeBufferPointer(rebasing: all[0..<cut])
                let second = UnsafeBufferPointer(rebasing: all[cut...])
                rows += try extractor.extract(first)
                rows += try extractor.extract(second, startingAt: TextPosition().advanced(over: first))
            }
            #expect(rows == whole, Comment(rawValue: "cut at byte \(cut)"))
        }
    }
}

@Suite struct PrefilterTests {
    /// The @start prefilter with the anchored pattern (and the @number_start look-ahead after
    /// qualifiers and signs) finds exactly what PCRE2's own scan finds, on the bundled and the
    /// real fixture documents.
    @Test func prefilterFindsWhatAFullScanFinds() throws {
        let catalog = try PatternCatalog()
        let fast = try Extractor(engine: try ExtractionEngine(catalog: catalog), options: ExtractionOptions(kinds: Set(Kind.allCases)))
        let full = try Extractor(engine: try ExtractionEngine(catalog: catalog, prefilter: false),
                                 options: ExtractionOptions(kinds: Set(Kind.allCases)))
        var corpus = ""
        for folder in [repositoryRoot + "/corpus", repositoryRoot + "/Tests/Fixtures/corpus-slice/input"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".txt") {
                guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else { continue }  // GB18030
                corpus += text + "\n"
            }
        }
        corpus += "超过一半；US$20；HK$5；￥300；负3%；-5℃；.5；第3名；约5万元；逾百分之六十；数百人；几十年；半年；１２３．４５亿元\n"
        let bytes = Array(corpus.utf8)
        let a = try bytes.withUnsafeBufferPointer { try fast.extract($0) }
        let b = try bytes.withUnsafeBufferPointer { try full.extract($0) }
        #expect(a.count > 500)
        #expect(a == b)
        // Without JIT (small inputs), PCRE2's interpreter finds the same.
        let interpreted = try Extractor(engine: try ExtractionEngine(catalog: catalog, jit: false),
                                        options: ExtractionOptions(kinds: Set(Kind.allCases)))
        #expect(try bytes.withUnsafeBufferPointer { try interpreted.extract($0) } == a)
    }
}

@Suite struct StartSetTests {
    /// Testing only ASCII and the letters of the @start class gives the set a test of every
    /// BMP character gives, for the built-in patterns and with a user qualifier added.
    @Test func literalProbeEqualsExhaustiveProbe() throws {
        let user = PatternCatalog.File(name: "qualifiers.tsv", displayPath: "user/qualifiers.tsv", text: "殆\tbefore\tunder\n")
        for catalog in [try PatternCatalog(), try PatternCatalog(extra: [user])] {
            let start = try #require(catalog.startPattern)
            #expect(StartSet.literalCharacters(of: start) != nil)
            #expect(try StartSet(startClass: start) == StartSet(startClass: start, exhaustive: true))
        }
    }

    /// A class that could match more than its letters is probed over the whole BMP.
    @Test func rangesAndPropertiesFallBackToTheFullProbe() {
        #expect(StartSet.literalCharacters(of: "[一-龥]") == nil)
        #expect(StartSet.literalCharacters(of: "[\\p{Han}]") == nil)
        #expect(StartSet.literalCharacters(of: "[\\x{4E00}]") == nil)
        #expect(StartSet.literalCharacters(of: "[0-9一二\\-]") == [0x4E00, 0x4E8C])
    }
}

@Suite struct SentenceBoundTests {
    /// A line with no full stop (clauses end in ；) no longer repeats kilobytes of text in every
    /// row: the sentence is cut to `maxSentenceLength` characters around the match, with
    /// `…` where text was left out (issue 14: one such 2 MB line gave 741 MB of output).
    @Test func longSentenceIsCutAroundTheMatch() throws {
        let line = String(repeating: "受理纠纷972宗；", count: 300)
        let engine = try ExtractionEngine(catalog: try PatternCatalog())
        let extractor = try Extractor(engine: engine, options: ExtractionOptions(maxSentenceLength: 100))
        let rows = try Array(line.utf8).withUnsafeBufferPointer { try extractor.extract($0) }
        #expect(rows.count == 300)
        for row in rows {
            #expect(row.sentence.count <= 102)
            #expect(row.sentence.contains(row.match))
        }
        #expect(rows[0].sentence.hasPrefix("受理纠纷972宗") && rows[0].sentence.hasSuffix("…"))
        #expect(rows[150].sentence.hasPrefix("…") && rows[150].sentence.hasSuffix("…"))
        // A sentence within the bound is kept whole.
        let short = try Array("全年受理纠纷972宗，化解率99.69%。".utf8).withUnsafeBufferPointer { try extractor.extract($0) }
        #expect(short.map(\.sentence) == ["全年受理纠纷972宗，化解率99.69%。", "全年受理纠纷972宗，化解率99.69%。"])
    }
}
