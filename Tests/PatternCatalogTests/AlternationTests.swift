// The generated word alternations ({unit_suffix}, {qualifier_before} …) are prefix trees
// for speed; they must match exactly what the plain longest-first list matches.
import PatternCatalog
import PCRE2Matching
import Testing
import ZhibiaoCore

struct AlternationTests {
    /// The flat list the tree replaces: every word, longest first.
    func flat(_ words: [String]) -> String {
        let sorted = Set(words).sorted { ($0.unicodeScalars.count, $1) > ($1.unicodeScalars.count, $0) }
        return "(?:" + sorted.map(PatternCatalog.regexEscape).joined(separator: "|") + ")"
    }

    /// Every match of `alternation` followed by `tail`, at every start offset of `text`.
    func matches(_ alternation: String, _ tail: String, in text: String) throws -> [ByteSpan?] {
        let scratch = MatchScratch(try CompiledPattern(alternation + tail, options: [.anchored]))
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buf in
            try (0..<buf.count).map { i throws(ZhibiaoError) in try scratch.firstMatch(in: buf, from: i) }
        }
    }

    @Test func treeMatchesTheFlatList() throws {
        let words = ["个", "个百分点", "个月", "个工作日", "元", "元人民币", "万元", "万", "%", "‰", "千米", "千", "千瓦时", "千瓦", "a+b", "a"]
        let text = "增长3个百分点，用时5个月零7个工作日，共2万元、900元人民币，占1%与2‰；全长8千米，耗电千瓦时与千瓦；a+b和a"
        let tree = PatternCatalog.alternation(words)
        #expect(tree != flat(words))
        // A tail that forces backtracking into shorter words: 个百分点 must give way to 个 before 百.
        for tail in ["", "(?=百)", "(?=[^百])", "(?=瓦)", "(?=\\p{Han})"] {
            #expect(try matches(tree, tail, in: text) == matches(flat(words), tail, in: text), "tail \(tail)")
        }
    }

    @Test func unitTablesGiveTheSameMatches() throws {
        let catalog = try PatternCatalog()
        let words = catalog.units.filter { !$0.isPrefix }.map(\.surface)
        let text = catalog.units.map { "1\($0.surface)个，" }.joined()
        #expect(try matches(PatternCatalog.alternation(words), "", in: text) == matches(flat(words), "", in: text))
    }

    @Test func emptyListNeverMatches() throws {
        #expect(PatternCatalog.alternation([String]()) == "(?!)")
    }
}
