// The README's library example, compiled and run as a test; a second test checks that the
// README still shows exactly this code.
import Foundation
import Testing
import TestSupport
import Zhibiao

/// The README's example, between the markers (kept verbatim there).
func readmeExample() throws -> [String] {
    var printed: [String] = []
    func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
    // README example begins
    let reader = try IndicatorReader()
    let text = "2024年共受理各类矛盾纠纷972宗，纠纷化解率99.69%，涉及金额2004.5万元。"
    for row in try reader.indicators(in: text) {
        print(row.match, row.quantity.value, row.quantity.unit, row.quantity.kind, row.label)
    }
    // README example ends
    return printed
}

@Suite struct LibraryExampleTests {
    @Test func exampleRunsAndPrintsTheRows() throws {
        #expect(try readmeExample() == [
            "972宗 972 宗 count 受理各类矛盾纠纷",
            "99.69% 99.69 % percent 纠纷化解率",
            "2004.5万元 20045000 元 money 涉及金额",
        ])
    }

    @Test func readmeShowsTheTestedCode() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let begin = try #require(lines.firstIndex { $0.contains("README example begins") })
        let end = try #require(lines.firstIndex { $0.contains("README example ends") })
        let code = lines[(begin + 1)..<end].map { $0.dropFirst(4) }.joined(separator: "\n")
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        #expect(readme.contains(code), "README.md should show the example of LibraryExampleTests.swift verbatim")
    }

    /// Files and folders through the library: the same rows as the string entry point,
    /// in input order, with the file name; a missing file is a problem, not a stop.
    @Test func filesAreReadInOrderAndProblemsReported() throws {
        let dir = NSTemporaryDirectory() + "zhibiao-lib-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "受理纠纷972宗。\n".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try "化解率99.69%。\n".write(toFile: dir + "/B.TXT", atomically: true, encoding: .utf8)
        let reader = try IndicatorReader()
        var seen: [String] = []
        var problems: [String] = []
        let summary = try reader.indicators(inFiles: [dir, dir + "/missing.txt"], jobs: 2, problem: { problems.append($0) }) { row, file in
            seen.append("\((file as NSString).lastPathComponent) \(row.match)")
        }
        #expect(seen == ["B.TXT 99.69%", "a.txt 972宗"])
        #expect(summary.files == 2 && summary.rows == 2 && summary.errors == 1)
        #expect(problems.count == 1 && problems[0].contains("missing.txt"))
    }

    /// Bytes that are not UTF-8 are replaced before the matcher sees them.
    @Test func invalidUTF8IsRepairedFirst() throws {
        let reader = try IndicatorReader()
        let rows = try reader.indicators(inUTF8: Array("化解率".utf8) + [0xFF, 0xFE] + Array("99.69%".utf8))
        #expect(rows.map(\.match) == ["99.69%"])
    }
}
