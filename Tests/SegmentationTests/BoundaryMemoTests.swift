import Segmentation
import Testing

@Suite struct BoundaryMemoTests {
    /// ICU's own answer for `text`, attached afresh.
    func direct(_ finder: BoundaryFinder, _ text: [UInt8]) throws -> [Int] {
        try text.withUnsafeBufferPointer { buf in
            try finder.attach(buf)
            return finder.allBoundaries()
        }
    }

    func memoized(_ memo: BoundaryMemo, _ text: [UInt8]) throws -> [Int] {
        var out = [7, 7, 7]   // a dirty buffer: the memo empties it
        try text.withUnsafeBufferPointer { try memo.allBoundaries(of: $0, into: &out) }
        return out
    }

    static let clauses = ["共受理各类矛盾纠纷", "全市规模以上工业增加值", "矛盾调解等服务", "总金额达", "总金额", "法律顾问及",
                          "地区生产总值（GDP）", "“三新”群体骨干分子担任兼职调解员和联络员", "ab 12个", "", "一"]

    /// Texts seen again come from the memo, with exactly ICU's boundaries; a text that is
    /// a prefix of another (总金额 / 总金额达) is a different key.
    @Test func remembersExactlyWhatICUSays() throws {
        let memo = BoundaryMemo(try BoundaryFinder(.word))
        let reference = try BoundaryFinder(.word)
        for round in 0..<3 {
            for c in Self.clauses {
                let bytes = Array(c.utf8)
                #expect(try memoized(memo, bytes) == direct(reference, bytes), "round \(round): \(c)")
            }
        }
        #expect(memo.misses == Self.clauses.count)
        #expect(memo.hits == 2 * Self.clauses.count)
    }

    /// A full memo starts over (it never grows), and still answers right: 4 entries for 11 texts.
    @Test func startsOverWhenFull() throws {
        let memo = BoundaryMemo(try BoundaryFinder(.word), entries: 4, keyBytes: 4096)
        let reference = try BoundaryFinder(.word)
        for _ in 0..<3 {
            for c in Self.clauses {
                let bytes = Array(c.utf8)
                #expect(try memoized(memo, bytes) == direct(reference, bytes), "\(c)")
            }
        }
        #expect(memo.misses > Self.clauses.count)
    }

    /// Texts longer than a sixteenth of the key space are segmented but not remembered.
    @Test func longTextsAreNotRemembered() throws {
        let memo = BoundaryMemo(try BoundaryFinder(.word), entries: 8, keyBytes: 160)
        let long = Array("全市规模以上工业增加值比上年增长".utf8)   // 48 bytes > 160 / 16
        let reference = try BoundaryFinder(.word)
        #expect(try memoized(memo, long) == direct(reference, long))
        #expect(try memoized(memo, long) == direct(reference, long))
        #expect(memo.misses == 2 && memo.hits == 0)
    }

    /// The bits `markBoundaries` sets are ICU's boundaries, for texts shorter and longer than
    /// one 64-bit word, on a miss and on a hit; bits set before stay set, no other is set.
    @Test func marksExactlyICUsBoundaries() throws {
        let memo = BoundaryMemo(try BoundaryFinder(.word))
        let reference = try BoundaryFinder(.word)
        let texts = Self.clauses + ["2023年全市地区生产总值（GDP）达到1234.5亿元，比上年增长6.5%，其中第一产业增加值为"]
        for round in 0..<2 {
            for c in texts {
                let bytes = Array(c.utf8)
                let words = bytes.count / 64 + 2
                var bits = [UInt64](repeating: 0, count: words)
                bits[words - 1] = 1 << 63   // a bit beyond the text: must stay
                try bytes.withUnsafeBufferPointer { t in
                    try bits.withUnsafeMutableBufferPointer { try memo.markBoundaries(of: t, in: $0.baseAddress!) }
                }
                var expected = [UInt64](repeating: 0, count: words)
                expected[words - 1] = 1 << 63
                for b in try direct(reference, bytes) { expected[b >> 6] |= 1 << UInt64(b & 63) }
                #expect(bits == expected, "round \(round): \(c)")
            }
        }
        #expect(memo.misses == texts.count && memo.hits == texts.count)
    }
}
