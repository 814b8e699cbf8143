import Foundation
import Input
import Testing
import ZhibiaoCore

@Suite struct InputFilesTests {
    /// A scratch folder: b/2.txt, a.txt, c.md, .hidden.txt, .git/x.txt, and a link loop b/up -> ..
    func makeTree() throws -> String {
        let root = NSTemporaryDirectory() + "zhibiao-walk-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/b", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
        for f in ["a.txt", "b/2.txt", "c.md", ".hidden.txt", ".git/x.txt"] {
            try Data("5元".utf8).write(to: URL(fileURLWithPath: root + "/" + f))
        }
        try fm.createSymbolicLink(atPath: root + "/b/up", withDestinationPath: "..")
        return root
    }

    @Test func walksSortedSkipsHiddenAndDetectsLoops() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inputs, errors) = InputFiles.expand([root])
        #expect(inputs == [.file(root + "/a.txt"), .file(root + "/b/2.txt")])
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("directory loop") == true)
    }

    @Test func includeExcludeAndHidden() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let md = InputFiles.expand([root], options: WalkOptions(include: ["*.md"])).inputs
        #expect(md == [.file(root + "/c.md")])
        let hidden = InputFiles.expand([root], options: WalkOptions(exclude: ["b"], includeHidden: true)).inputs
        #expect(hidden == [.file(root + "/.git/x.txt"), .file(root + "/.hidden.txt"), .file(root + "/a.txt")])
    }

    @Test func missingPathIsAnErrorNamingIt() {
        let (inputs, errors) = InputFiles.expand(["/nonexistent/zhibiao.txt"])
        #expect(inputs.isEmpty)
        #expect(errors.first?.kind == .missingPath)
        #expect(errors.first?.description == "/nonexistent/zhibiao.txt: no such file or directory")
    }

    @Test func noPathMeansStandardInput() {
        #expect(InputFiles.expand([]).inputs == [.standardInput])
        #expect(InputFiles.expand(["-"]).inputs == [.standardInput])
    }
}
