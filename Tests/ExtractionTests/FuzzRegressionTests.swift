import Extraction
import PatternCatalog
import Testing
import ZhibiaoCore

/// Inputs the fuzz target (fuzz/, `make fuzz`) found breaking an invariant, kept as tests.
/// The raw files are in fuzz/regressions/ (the fuzz target replays them: see fuzz/README.md).
@Suite struct FuzzRegressionTests {
    /// The invariants of the fuzz target that need no Input or Output stage.
    func checkInvariants(_ text: String) throws {
        let bytes = Array(text.utf8)
        let rows = try extract(text, kinds: Set(Kind.allCases))
        for row in rows {
            #expect(Array(bytes[row.span.lowerBound..<row.span.upperBound]) == Array(row.match.utf8))
            #expect(row.sentence.contains(row.match), "sentence does not hold \(row.match)")
            #expect(row.match.last.map { !$0.isWhitespace } ?? false, "match ends in a space: \(row.match)")
            if let high = row.quantity.valueMax { #expect(row.quantity.value < high) }
        }
    }

    /// fuzz/regressions/trailing-space-35: `35 ` at the end of a line matched with its space
    /// (an optional space before an absent unit), which the trimmed sentence did not hold.
    @Test func matchNeverEndsInASpace() throws {
        let raw: [UInt8] = [0xef, 0xbf, 0xa5, 0x3f, 0xa5, 0x31, 0x20, 0x39, 0x20, 0x39, 0x20, 0x37, 0x20, 0xe5, 0xb9, 0xb4,
                            0xe7, 0xb2, 0xae, 0xe9, 0xa3, 0x9f, 0xe4, 0xba, 0xa7, 0xe9, 0x87, 0x8f, 0xe8, 0xbe, 0xbe, 0xe5,
                            0x33, 0x83, 0xe9, 0x88, 0xb0, 0x67, 0x62, 0x31, 0x38, 0x30, 0x83, 0x33, 0x35, 0x20]
        try checkInvariants(String(decoding: raw, as: UTF8.self))
        try checkInvariants("价格35 \n约35\u{3000}")
        #expect(try extract("年产35 ", kinds: Set(Kind.allCases)).map(\.match) == ["35"])
    }
}
