// Hostile and careless input, run through the built binary: names that are not UTF-8,
// binary content late in a file, files mixing encodings, giant numbers, exit statuses.
// Each test failed before the fix it guards.
import Foundation
import Testing

/// Creates a file whose name is raw bytes (Foundation cannot name a file that is not UTF-8).
func writeFile(dir: String, name: [UInt8], contents: [UInt8]) throws {
    var path = Array(dir.utf8) + [UInt8(ascii: "/")] + name
    path.append(0)
    let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } }
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(fd) }
    _ = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

/// Runs the binary with raw-byte arguments (Process takes only Strings, which cannot hold them).
func runRaw(_ arguments: [[UInt8]], stdin: [UInt8] = [], in directory: String) throws -> Result {
    let script = directory + "/run.sh"
    // The arguments go through printf escapes, so the shell passes the exact bytes.
    func escaped(_ a: [UInt8]) -> String { "\"$(printf '" + a.map { String(format: "\\%03o", $0) }.joined() + "')\"" }
    let line = "exec '\(binary)' " + arguments.map(escaped).joined(separator: " ") + "\n"
    try Data(line.utf8).write(to: URL(fileURLWithPath: script))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = [script]
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    inp.fileHandleForWriting.write(Data(stdin))
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(status: p.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
}

@Suite struct HostileInputTests {
    /// 测试.txt in GBK and é.txt in Latin-1: neither name is UTF-8.
    static let gbkName: [UInt8] = [0xB2, 0xE2, 0xCA, 0xD4] + Array(".txt".utf8)
    static let latin1Name: [UInt8] = [0x72, 0xE9] + Array(".txt".utf8)

    @Test func namesThatAreNotUTF8AreReadByEveryRoute() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir: dir, name: Self.gbkName, contents: Array("受理纠纷972宗\n".utf8))
        try writeFile(dir: dir, name: Self.latin1Name, contents: Array("涉及金额5元\n".utf8))
        let gbkRow = "\\xB2\\xE2\\xCA\\xD4.txt,1,5,972宗,972,,宗,count,"
        let latinRow = "r\\xE9.txt,1,5,5元,5,,元,money,"

        // Folder walk.
        let walked = try runRaw([Array("extract".utf8), Array(".".utf8), Array("-q".utf8)], in: dir)
        #expect(walked.status == 0, "\(walked.stderr)")
        #expect(walked.text.contains("./" + gbkRow) && walked.text.contains("./" + latinRow))
        // Arguments.
        let named = try runRaw([Array("extract".utf8), Self.gbkName, Self.latin1Name, Array("-q".utf8)], in: dir)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.text.contains("\n" + gbkRow) && named.text.contains("\n" + latinRow))
        // --files-from, one a line and NUL-separated, from standard input and from a file.
        for list in [Self.gbkName + [0x0A] + Self.latin1Name + [0x0A], Self.gbkName + [0] + Self.latin1Name + [0]] {
            let listed = try runRaw([Array("extract".utf8), Array("--files-from".utf8), Array("-".utf8), Array("-q".utf8)], stdin: list, in: dir)
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.text.contains("\n" + gbkRow) && listed.text.contains("\n" + latinRow))
        }
        try writeFile(dir: dir, name: [0xC1, 0xD0, 0xB1, 0xED], contents: Self.gbkName + [0x0A])   // 列表 in GBK
        let fromFile = try runRaw([Array("extract".utf8), Array("--files-from".utf8), [0xC1, 0xD0, 0xB1, 0xED], Array("-q".utf8)], in: dir)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.text.contains("\n" + gbkRow))
    }

    @Test func aMissingNameThatIsNotUTF8IsNamedWithEscapes() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runRaw([Array("extract".utf8), Self.gbkName, Array("-q".utf8)], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr == "zhibiao: \\xB2\\xE2\\xCA\\xD4.txt: no such file or directory\n")
    }
}
