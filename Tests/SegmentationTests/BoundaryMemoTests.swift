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
}
