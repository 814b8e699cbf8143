@testable import Extraction
import PatternCatalog
import Testing

/// Issue 14: a user traps.tsv of 100,000 words took 1.1 GB (a table of 256 child slots for
/// every trie node); the index now lists each node's children, ~10 bytes a node.
@Suite struct TrapIndexTests {
    func words(_ n: Int) -> [[UInt8]] {
        (0..<n).map { i in
            var w = ""
            for base in [0x4E00 + i / 300, 0x5E00 + i % 300, 0x6E00 + i % 77] { w.unicodeScalars.append(Unicode.Scalar(UInt32(base))!) }
            return Array(w.utf8)
        }
    }

    @Test func hundredThousandWordsStaySmall() {
        let index = TrapIndex(words(100_000))
        // 100,000 three-character words: ~300,000 nodes; a dense layout needs 1 KiB each.
        #expect(index.storageBytes < 8_000_000, "\(index.storageBytes) bytes")
        #expect(index.longest == 9)
    }

    @Test func findsTheWordsItHolds() {
        let index = TrapIndex([Array("一次性".utf8), Array("三中全会".utf8), Array("一次".utf8), Array("十四五".utf8)])
        let text = Array("实行一次性补助，召开三中全会和十四".utf8)
        text.withUnsafeBufferPointer { t in
            let yi = 6                                   // 一 of 一次性
            #expect(index.longestWordEnd(startingAt: yi, in: t) == yi + 9)   // 一次性, not only 一次
            #expect(index.covers(yi + 3, in: t, excluding: 0..<0))   // 次 lies inside 一次性
            let san = 30                                 // 三 of 三中全会
            #expect(index.startsWord(at: san, runningPast: san + 3, in: t))
            let shi = 45                                 // 十四 at the end: 十四五 is not complete
            #expect(index.longestWordEnd(startingAt: shi, in: t) == nil)
        }
    }

    /// The flat table (two-byte slots) answers as the edge lists do:
    /// every offset of a text made of the built-in trap words, cut and joined at odd places,
    /// with bytes no word holds (ASCII, other ideographs) in between.
    @Test func flatTableAgreesWithEdgeLists() throws {
        let traps = try PatternCatalog().traps.map { Array($0.utf8) }
        let flat = TrapIndex(traps)
        let lists = TrapIndex(traps, denseLimit: 0)
        #expect(flat.storageBytes > lists.storageBytes, "the built-in traps use the flat table")
        var text: [UInt8] = []
        for (k, w) in traps.enumerated() {
            text += w
            text += k % 3 == 0 ? Array("a1，".utf8) : k % 3 == 1 ? Array(w.prefix(3)) : Array("龘".utf8)
        }
        text.withUnsafeBufferPointer { t in
            for i in 0..<t.count {
                #expect(flat.longestWordEnd(startingAt: i, in: t) == lists.longestWordEnd(startingAt: i, in: t), "offset \(i)")
            }
        }
    }

    /// `covers` (each walk stops at the first word ending past the offset; the flat table
    /// read unchecked) answers as the plain way (the longest word at each start) at every
    /// offset of a text of the built-in trap words run together and cut at odd places, with
    /// no exclusion and with the bytes just before the offset excluded, for both layouts.
    @Test func coversAgreesWithLongestWords() throws {
        let traps = try PatternCatalog().traps.map { Array($0.utf8) }
        var text: [UInt8] = []
        for (k, w) in traps.enumerated() {
            text += w
            text += k % 4 == 0 ? Array("a1，".utf8) : k % 4 == 1 ? Array(w.prefix(3)) : k % 4 == 2 ? Array(w.dropFirst(3)) : []
        }
        for index in [TrapIndex(traps), TrapIndex(traps, denseLimit: 0)] {
            var hits = 0
            text.withUnsafeBufferPointer { t in
                for offset in 0..<t.count {
                    for excluded in [0..<0, max(0, offset - 6)..<offset, max(0, offset - 3)..<offset] {
                        let fast = index.covers(offset, in: t, excluding: excluded)
                        #expect(fast == index.coversByLongestWords(offset, in: t, excluding: excluded), "offset \(offset) excluding \(excluded)")
                        if fast { hits += 1 }
                    }
                }
            }
            #expect(hits > text.count / 2)   // the text is mostly covered: the test compares real hits
        }
    }
}
