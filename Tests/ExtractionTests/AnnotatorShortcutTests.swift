// The byte-level shortcuts of the filters and annotators against their plain ways.
@testable import Extraction
import PatternCatalog
import Testing
import TestSupport
import ZhibiaoCore

@Suite struct AnnotatorShortcutTests {
    /// Random texts of quotation and title marks, 。, line ends and their byte neighbours
    /// (、 E3 80 81, — E2 80 94, … E2 80 A6), ASCII and Chinese.
    static func markTexts(_ count: Int, seed: UInt64) -> [[UInt8]] {
        let pieces = ["“", "”", "‘", "’", "「", "」", "『", "』", "《", "》", "。", "\n", "、", "—", "…", "，",
                      "1", "3", "a", " ", "号", "十", "条", "六个一", "万元", "\u{3001}", "〇", "〔", "€", "𠀀"]
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var text = ""
            for _ in 0..<(5 + Int(random.next() % 40)) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            return Array(text.utf8)
        }
    }

    /// The byte test before the walk by characters never changes the answer: every span of
    /// one to three characters of 400 random texts, at several limits.
    @Test func shortQuoteByteTestAgreesWithTheWalk() throws {
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog()))
        var inside = 0
        for text in Self.markTexts(400, seed: 7) {
            text.withUnsafeBufferPointer { t in
                let starts = (0...t.count).filter { $0 == t.count || !UTF8Bytes.isContinuation(t[$0]) }
                for (a, lo) in starts.enumerated() {
                    for hi in starts[(a + 1)...].prefix(3) {
                        for limit in [1, 3, 10] {
                            let fast = extractor.isInsideShortQuote(t, ByteSpan(lo, hi), limit: limit)
                            #expect(fast == extractor.isInsideShortQuoteByCharacters(t, ByteSpan(lo, hi), limit: limit),
                                    "\(String(decoding: t, as: UTF8.self)) \(lo)..<\(hi) limit \(limit)")
                            if fast { inside += 1 }
                        }
                    }
                }
            }
        }
        #expect(inside > 100)   // the texts hold real quotations
    }

    /// Asking the distant-qualifier table only where the character before the position ends
    /// one of its words finds what asking everywhere finds: from every character of texts
    /// made of the words of distant.tsv, their last characters and clause marks, at floors
    /// from the text start to the position itself.
    @Test func distantQualifierFilterAgreesWithAskingEverywhere() throws {
        let catalog = try PatternCatalog()
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: catalog))
        let words = catalog.distantQualifiers.map(\.word)
        var random = SplitMix64(seed: 11)
        var found = 0
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<(3 + Int(random.next() % 8)) {
                switch random.next() % 5 {
                case 0, 1: text += words[Int(random.next() % UInt64(words.count))]
                case 2: text += String(words[Int(random.next() % UInt64(words.count))].unicodeScalars.suffix(1).map(Character.init))
                case 3: text += ["，", "人民币", "3", "万元", "的", "；"][Int(random.next() % 6)]
                default: text += "达"
                }
            }
            Array(text.utf8).withUnsafeBufferPointer { t in
                let starts = (0...t.count).filter { $0 == t.count || !UTF8Bytes.isContinuation(t[$0]) }
                for start in starts {
                    for floor in [0, max(0, start - 9), start] {
                        let fast = extractor.distantQualifier(before: start, floor: floor, in: t)
                        #expect(fast == extractor.distantQualifierAskingEverywhere(before: start, floor: floor, in: t), "\(text) at \(start) floor \(floor)")
                        if fast != nil { found += 1 }
                    }
                }
            }
        }
        #expect(found > 300)   // the texts hold real qualifiers
    }
}
