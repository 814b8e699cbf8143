import PCRE2Matching
import Testing
import ZhibiaoCore

@Suite struct CompiledPatternTests {
    @Test func itWorks() throws {
        let p = try CompiledPattern("([0-9.]+)(?<mag>万|亿)")
        let s = MatchScratch(p)
        let text = Array("营收约3.5亿元".utf8)
        let m = try text.withUnsafeBufferPointer { try s.firstMatch(in: $0, from: 0) }
        #expect(m == ByteSpan(9, 15))   // UTF-8 byte offsets
        #expect(s.span(ofGroup: try #require(p.groupNumber("mag"))) == ByteSpan(12, 15))
        #expect(p.groupNumber("nope") == nil)
    }

    @Test func reportsCompileErrorsWithPosition() {
        #expect(throws: ZhibiaoError.self) { try CompiledPattern("(?<num>[0-9]+") }
        do {
            _ = try CompiledPattern("ab(")
        } catch {
            #expect(error.kind == .pattern)
            #expect(error.message.contains("at character 3"))
        }
    }

    @Test func forEachMatchAdvancesOverEmptyMatches() throws {
        let p = try CompiledPattern("x*")
        let s = MatchScratch(p)
        var count = 0
        try Array("ab中".utf8).withUnsafeBufferPointer { buf in
            try s.forEachMatch(in: buf) { _ in count += 1; return true }
        }
        #expect(count == 4)   // before a, before b, before 中, at the end
    }
}
