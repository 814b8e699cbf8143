// The output of a fixed slice of real documents, committed before the extraction core was
// rebuilt (issue 10), so that any change in the rows is seen. Where a change is a fix, update
// the expected files in the same commit and say which rows moved and why.
import Foundation
import Testing

@Suite struct OutputFixtureTests {
    static let slice = root + "/Tests/Fixtures/corpus-slice"

    /// Every format, default and all kinds, one job and two: byte-identical to the fixture.
    @Test(arguments: [("default", "csv"), ("all", "csv"), ("all", "tsv"), ("all", "jsonl")])
    func outputMatchesFixture(kinds: String, format: String) throws {
        let expected = try Data(contentsOf: URL(fileURLWithPath: "\(Self.slice)/expected/\(kinds).\(format)"))
        for jobs in ["1", "2"] {
            let r = try run(["extract", "input", "--kinds", kinds, "--format", format, "-q", "-j", jobs], in: Self.slice)
            #expect(r.status == 0, "\(r.stderr)")
            if r.stdout != expected {
                let got = r.text.split(separator: "\n", omittingEmptySubsequences: false)
                let want = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
                Issue.record("""
                    \(kinds).\(format) -j \(jobs): \(got.count) lines, fixture \(want.count); first difference at line \(first + 1):
                      got:  \(first < got.count ? got[first] : "<end>")
                      want: \(first < want.count ? want[first] : "<end>")
                    """)
            }
        }
    }
}

/// A TAB ends a table cell: no quantity reaches across it (issue 12: `1.00%⇥-41.93%` was a
/// range, `118,800,000⇥人民币` money). Checked on the fixture's tables and, where the shared
/// real corpus is beside the project, on all of it.
@Suite struct TableCellTests {
    @Test func noMatchHoldsATab() throws {
        var folders = [OutputFixtureTests.slice + "/input"]
        let shared = root + "/../shared/corpus-real"
        if FileManager.default.fileExists(atPath: shared) { folders.append(shared) }
        for folder in folders {
            let r = try run(["extract", folder, "--kinds", "all", "--format", "jsonl", "-q"])
            #expect(r.status == 0, "\(r.stderr)")
            var rows = 0
            for line in r.text.split(separator: "\n") {
                rows += 1
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                let match = try #require(object?["match"] as? String)
                #expect(!match.contains("\t"), "\(folder): \(match)")
            }
            #expect(rows > 500)
        }
    }
}
