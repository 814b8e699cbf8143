import Segmentation
import Testing

@Suite struct BoundaryFinderTests {
    /// Every boundary of `text` as `unit`, through `allBoundaries()` and through the
    /// buffer-reusing `allBoundaries(into:)` (which must agree, even on a dirty buffer).
    func boundaries(_ unit: BoundaryFinder.Unit, _ text: String) throws -> [Int] {
        let f = try BoundaryFinder(unit)
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buf in
            try f.attach(buf)
            var reused = [99, 98, 97]
            f.allBoundaries(into: &reused)
            let fresh = f.allBoundaries()
            #expect(reused == fresh)
            return fresh
        }
    }

    @Test func sentenceBoundariesAreUTF8ByteOffsets() throws {
        #expect(try boundaries(.sentence, "今天下雨了。你去吗？太好了！") == [0, 18, 30, 42])
    }

    @Test func precedingAndFollowing() throws {
        let f = try BoundaryFinder(.sentence)
        let text = Array("共计2.5亿元。同比增长3.5%。".utf8)
        try text.withUnsafeBufferPointer { buf in
            try f.attach(buf)
            #expect(f.boundary(atOrBefore: 25) == 18)   // after 。 at bytes 15..<18
            #expect(f.boundary(after: 25) == text.count)
            #expect(f.boundary(atOrBefore: 0) == 0)
        }
    }

    @Test func wordsSplitChineseWithTheDictionary() throws {
        let bounds = try boundaries(.word, "法律顾问")
        #expect(bounds.first == 0 && bounds.last == 12)
        #expect(bounds.count >= 2)
        #expect(bounds.allSatisfy { $0 % 3 == 0 })   // never inside a character
    }
}
