// Hostile and careless input, run through the built binary: names that are not UTF-8,
// binary content late in a file, files mixing encodings, giant numbers, exit statuses.
// Each test failed before the fix it guards.
import Foundation
import Testing
import TestSupport

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
    return try runProgram("/bin/sh", [script], stdin: Data(stdin), in: directory)
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

    /// Row text without the `file` column, to compare runs on differently named files.
    static func rowsWithoutFile(_ csv: String) -> [String] {
        csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { row in
            String(row.drop(while: { $0 != "," }))
        }
    }

    static func gb18030(_ text: String) throws -> [UInt8] { try iconv(text, to: "GB18030") }

    @Test func binaryContentLateInAFileStopsThatFileAndNoNULReachesTheOutput() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var text = ""
        var n = 0
        while text.utf8.count < 20_000 { n += 1; text += "第\(n)项收入\(n)元。\n" }
        var binary: [UInt8] = []
        var x: UInt32 = 7
        for _ in 0..<30_000 { x = x &* 1_103_515_245 &+ 12345; binary.append(UInt8(truncatingIfNeeded: x >> 16)) }
        for i in stride(from: 0, to: binary.count, by: 97) { binary[i] = 0 }
        try writeFile(dir: dir, name: Array("a.txt".utf8), contents: Array(text.utf8) + binary + Array("后记收入9元。\n".utf8))
        try writeFile(dir: dir, name: Array("b.txt".utf8), contents: Array("受理纠纷972宗。\n".utf8))
        let r = try run(["extract", dir, "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("zhibiao: \(dir)/a.txt: binary content"))
        #expect(!r.stdout.contains(0))
        #expect(r.text.contains("/a.txt,1,6,1元,1,,元,money,,第1项收入,,level,,false,,第1项收入1元。"))   // read as UTF-8, not GB18030
        #expect(r.text.contains("/a.txt,500,"))
        #expect(r.text.contains("/b.txt,1,5,972宗,972,"))
    }

    @Test func aStrayNULNeverReachesTheOutput() throws {
        let r = try run(["extract", "-", "-q"], stdin: Data("受理纠纷972宗\u{0}成功调处969宗。\n".utf8))
        #expect(!r.stdout.contains(0))
        #expect(r.text.contains("-,1,5,972宗,972,,宗,count,"))
        #expect(r.text.contains(",受理纠纷972宗\u{FFFD}成功调处969宗。\r\n"))
        #expect(r.text.contains("-,1,14,969宗,969,"))   // the U+FFFD is the one character the NUL was
    }

    @Test func aFileMixingUTF8AndGB18030LinesLosesNoRows() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = (1...60).map { "第\($0)季度营业收入\($0 * 7).5万元，同比增长\($0 % 9 + 1)%，新增企业\($0 + 3)家。" }
        var mixed: [UInt8] = []
        for (i, line) in lines.enumerated() { mixed += i % 3 == 2 ? try Self.gb18030(line + "\n") : Array((line + "\n").utf8) }
        try writeFile(dir: dir, name: Array("mixed.txt".utf8), contents: mixed)
        try writeFile(dir: dir, name: Array("utf8.txt".utf8), contents: Array(lines.map { $0 + "\n" }.joined().utf8))
        let m = try run(["extract", dir + "/mixed.txt", "-q"])
        let u = try run(["extract", dir + "/utf8.txt", "-q"])
        #expect(m.status == 0 && u.status == 0)
        #expect(Self.rowsWithoutFile(u.text).count >= 180)
        #expect(Self.rowsWithoutFile(m.text) == Self.rowsWithoutFile(u.text))
    }

    @Test func aGiantNumberIsNotCutIntoAWrongRow() throws {
        // Six million digits on one line: the 4 MiB chunk edge used to cut it, and its tail
        // came out as a number of its own. Now it reaches the extractor whole.
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let digits = 6_000_000
        try writeFile(dir: dir, name: Array("big.txt".utf8),
                      contents: Array("资金规模".utf8) + [UInt8](repeating: 0x31, count: digits) + Array("元。其他收入5元。\n".utf8))
        let r = try run(["extract", dir + "/big.txt", "-q"])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("cut here"))
        let columns = Self.rowsWithoutFile(r.text).compactMap { Int($0.split(separator: ",")[1]) }
        #expect(columns.contains(4 + digits + 7))                           // 5元
        #expect(!columns.contains { $0 > 5 && $0 <= 4 + digits })          // nothing starts inside the run
    }

    @Test func outputAndUsageErrorsHaveTheirOwnStatusAndOneStyle() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try run(["extract", "corpus/000_34359a9591d34247.txt", "-q", "-o", dir + "/no/such/dir/out.csv"])
        #expect(missing.status == 3)
        #expect(missing.stderr.hasPrefix("zhibiao: \(dir)/no/such/dir/out.csv: "))
        #expect(!missing.stderr.contains("Error:"))
        if FileManager.default.fileExists(atPath: "/dev/full") {
            let full = try run(["extract", "corpus/000_34359a9591d34247.txt", "-q", "-o", "/dev/full"])
            #expect(full.status == 3)
            #expect(full.stderr.hasPrefix("zhibiao: /dev/full: "))
        }
        let usage = try run(["extract", "--no-such-option"])
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("zhibiao: Unknown option '--no-such-option'"))
        let list = try run(["extract", "--files-from", dir + "/no-list.txt"])
        #expect(list.status == 2)
        #expect(list.stderr.hasPrefix("zhibiao: \(dir)/no-list.txt: no such file or directory"))
        // A failed input is 1, and the message names it the same way.
        let input = try run(["extract", dir + "/absent.txt", "-q"])
        #expect(input.status == 1 && input.stderr == "zhibiao: \(dir)/absent.txt: no such file or directory\n")
    }

    @Test func aKilledRunsTemporaryFileIsRecognizableAndRemovedByTheNextRun() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A run waiting on standard input has its temporary file open; SIGKILL leaves it behind.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["extract", "-", "-q", "-o", dir + "/out.csv"]
        let inp = Pipe()
        p.standardInput = inp
        try p.run()
        var left: [String] = []
        for _ in 0..<600 where left.isEmpty {   // up to 30 s on a slow machine
            usleep(50_000)
            left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".out.csv.zhibiao-partial.") }
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(left.count == 1 && left[0].contains(".\(p.processIdentifier)."))
        // One that a live process (this one) owns, same host part: must stay.
        let host = left.first.map { String($0.dropFirst(".out.csv.zhibiao-partial.".count).split(separator: ".").dropLast(2).joined(separator: ".")) } ?? ""
        let alive = ".out.csv.zhibiao-partial.\(host).\(getpid()).abcdef"
        try Data().write(to: URL(fileURLWithPath: dir + "/" + alive))
        let r = try run(["extract", "corpus/000_34359a9591d34247.txt", "-q", "-o", dir + "/out.csv"])
        #expect(r.status == 0)
        let after = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(after == [alive, "out.csv"])
    }
}

