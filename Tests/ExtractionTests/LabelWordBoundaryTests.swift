// Label word boundaries: the shortcuts (byte rule, memo of windows) against ICU asked for
// every window.
@testable import Extraction
import Foundation
import PatternCatalog
import Testing
import TestSupport
import ZhibiaoCore

/// Asks `words` (checking its byte rule against ICU) whether each character start of `shape`
/// is a word boundary; returns how many of them the byte rule decided.
func askEveryPlace(_ shape: String, _ words: LazyBoundaries, _ extractor: Extractor) -> Int {
    var decided = 0
    let bytes = Array(shape.utf8)
    bytes.withUnsafeBufferPointer { t in
        words.reset(finder: extractor.words, text: t, span: ByteSpan(0, t.count))
        var i = 1
        while i < t.count {
            if !UTF8Bytes.isContinuation(t[i]), LazyBoundaries.byteRule(t, i) != nil { decided += 1 }
            _ = words.contains(i)
            i += 1
        }
    }
    return decided
}

@Suite struct LabelWordBoundaryTests {
    static func fixtureText() throws -> [UInt8] {
        var corpus = ""
        for folder in [repositoryRoot + "/corpus", repositoryRoot + "/Tests/Fixtures/corpus-slice/input"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".txt") {
                guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else { continue }  // GB18030
                corpus += text + "\n"
            }
        }
        return Array(corpus.utf8)
    }

    /// Every kind, on the fixture reports: the same rows with the shortcuts as with ICU for
    /// every window, every answer of the byte rule equal to ICU's, and both shortcuts used.
    @Test func shortcutsGiveICUsLabels() throws {
        let engine = try ExtractionEngine(catalog: try PatternCatalog())
        let options = ExtractionOptions(kinds: Set(Kind.allCases))
        let fast = try Extractor(engine: engine, options: options)
        let checked = try Extractor(engine: engine, options: options)
        checked.labelWords.checksByteRule = true
        let plain = try Extractor(engine: engine, options: options)
        plain.labelWords.usesShortcuts = false
        let bytes = try Self.fixtureText()
        let a = try bytes.withUnsafeBufferPointer { try fast.extract($0) }
        let b = try bytes.withUnsafeBufferPointer { try checked.extract($0) }
        let c = try bytes.withUnsafeBufferPointer { try plain.extract($0) }
        #expect(a.count > 2000)
        #expect(a.count == c.count && b.count == c.count)
        for (name, rows) in [("shortcuts", a), ("checked", b)] {
            if let i = zip(rows, c).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("\(name), row \(i): label \(rows[i].label) where ICU gives \(c[i].label)")
            }
        }
        #expect(checked.labelWords.disagreements == 0)
        #expect(checked.labelWords.answeredByBytes > 20)
        #expect(fast.labelWords.windowsSegmented < plain.labelWords.windowsSegmented)
    }

    /// The byte rule over its whole neighbour set: each character it calls plain, between
    /// and beside ideographs, in windows of several shapes, against ICU's boundaries.
    @Test func byteRuleAgreesWithICUForEveryPlainNeighbour() throws {
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog()))
        let words = extractor.labelWords
        words.checksByteRule = true
        let candidates = Array(0x20...0x7E) + Array(0x2000...0x206F) + Array(0x3000...0x303F) + Array(0xFF00...0xFFEF)
        var plain = 0, decided = 0
        for v in candidates where LazyBoundaries.isPlainNeighbour(UInt32(v)) {
            plain += 1
            let x = String(Unicode.Scalar(UInt32(v))!)
            for shape in ["中\(x)国", "\(x)国家", "国家\(x)", "a\(x)中国1", "中国\(x)\(x)人民", "人\(x)a中", "１\(x)亿元"] {
                decided += askEveryPlace(shape, words, extractor)
            }
        }
        #expect(plain == 95 + 94 + 3 + 10 + 12 + 24)
        #expect(decided > 2 * plain)
        #expect(words.disagreements == 0)
    }

    /// The other side of the rule: ideographs across U+4E00–U+9FFF (every 37th) beside plain
    /// neighbours of each kind, against ICU's boundaries.
    @Test func byteRuleAgreesWithICUAcrossTheIdeographs() throws {
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog()))
        let words = extractor.labelWords
        words.checksByteRule = true
        var checked = 0
        for v in stride(from: 0x4E00, through: 0x9FFF, by: 37) {
            let c = String(Unicode.Scalar(UInt32(v))!)
            for shape in ["\(c)，\(c)", "a\(c)1", "（\(c)）", "\(c)\(c)“Z”\(c)", "—\(c)％\(c)"] {
                checked += askEveryPlace(shape, words, extractor)
            }
        }
        #expect(checked > 2000)
        #expect(words.disagreements == 0)
    }
}
