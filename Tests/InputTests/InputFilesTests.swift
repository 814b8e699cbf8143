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
        #expect(InputFiles.expand([String]()).inputs == [.standardInput])
        #expect(InputFiles.expand(["-"]).inputs == [.standardInput])
    }

    @Test func namesThatAreNotUTF8AreWalkedOpenedAndShownEscaped() throws {
        let root = NSTemporaryDirectory() + "zhibiao-bytes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        // 测试.txt in GBK: B2 E2 CA D4 is not UTF-8, so Foundation cannot name it; create it with open(2).
        let gbk = BytePath(bytes: Array(root.utf8) + Array("/".utf8) + [0xB2, 0xE2, 0xCA, 0xD4] + Array(".txt".utf8))
        let fd = gbk.withCString { open($0, O_WRONLY | O_CREAT, 0o644) }
        #expect(fd >= 0)
        _ = Array("5元".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let (inputs, errors) = InputFiles.expand([BytePath(root)])
        #expect(errors.isEmpty)
        #expect(inputs == [.file(gbk)])
        #expect(inputs.first?.displayName == root + "/\\xB2\\xE2\\xCA\\xD4.txt")
        let reader = try DocumentReader(.file(gbk))
        #expect(try reader.nextChunk()?.text == Array("5元".utf8))
    }

    @Test func displayNamesKeepValidUTF8AndEscapeTheRest() {
        #expect(BytePath("报告.txt").displayName == "报告.txt")
        #expect(BytePath(bytes: [0x61, 0xE9, 0x2E, 0x74]).displayName == "a\\xE9.t")
        // A truncated UTF-8 sequence is escaped byte by byte; what follows stays text.
        #expect(BytePath(bytes: [0xE6, 0x8A] + Array("表".utf8)).displayName == "\\xE6\\x8A表")
    }
}
