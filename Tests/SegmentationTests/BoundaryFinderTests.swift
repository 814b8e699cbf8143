import Segmentation
import Testing

@Suite struct BoundaryFinderTests {
    @Test func sentenceBoundariesAreUTF8ByteOffsets() throws {
        let f = try BoundaryFinder(.sentence)
        let text = Array("今天下雨了。你去吗？太好了！".utf8)
        let bounds = try text.withUnsafeBufferPointer { buf in
            try f.attach(buf)
            return f.allBoundaries()
        }
        #expect(bounds == [0, 18, 30, 42])
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
        let f = try BoundaryFinder(.word)
        let text = Array("法律顾问".utf8)
        let bounds = try text.withUnsafeBufferPointer { buf in
            try f.attach(buf)
            return f.allBoundaries()
        }
        #expect(bounds.first == 0 && bounds.last == 12)
        #expect(bounds.count >= 2)
        #expect(bounds.allSatisfy { $0 % 3 == 0 })   // never inside a character
    }
}
