// Many inputs, big inputs, encodings, interrupted runs: the run as a whole.
import Foundation
import Testing

let seedPath = "corpus/000_34359a9591d34247.txt"

func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func iconvFile(_ path: String, to encoding: String) throws -> [UInt8] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    p.arguments = ["-f", "UTF-8", "-t", encoding, path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try #require(p.terminationStatus == 0)
    return Array(data)
}

/// The CSV rows without the header, with the file column replaced by F.
func body(_ r: Result, _ name: String) -> [String] {
    r.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        .map { $0.hasPrefix(name + ",") ? "F" + $0.dropFirst(name.count) : $0 }
}

@Suite struct LargeRunTests {
    @Test func everyEncodingOfTheReportGivesIdenticalRows() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let utf8 = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + seedPath)))
        let copies: [(String, [UInt8])] = [
            ("utf8.txt", utf8),
            ("utf8-bom.txt", [0xEF, 0xBB, 0xBF] + utf8),
            ("gb18030.txt", try iconvFile(root + "/" + seedPath, to: "GB18030")),
            ("utf16le.txt", [0xFF, 0xFE] + (try iconvFile(root + "/" + seedPath, to: "UTF-16LE"))),
            ("utf16be.txt", [0xFE, 0xFF] + (try iconvFile(root + "/" + seedPath, to: "UTF-16BE"))),
        ]
        let reference = body(try run(["extract", seedPath, "-q"]), seedPath)
        #expect(reference.count > 50)
        for (name, bytes) in copies {
            try write(bytes, to: dir + "/" + name)
            let r = try run(["extract", dir + "/" + name])
            #expect(r.status == 0)
            #expect(!r.stderr.contains("invalid byte"), Comment(rawValue: name))
            #expect(body(r, dir + "/" + name) == reference, Comment(rawValue: name))
        }
    }

    @Test func invalidBytesAreCountedPerFileAndDoNotShiftPositions() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(Array("第一行\u{FFFD}\n受理纠纷972宗".utf8), to: dir + "/clean.txt")
        try write(Array("第一行".utf8) + [0xE4, 0xB8] + Array("\n受理纠纷972宗".utf8), to: dir + "/bad.txt")
        let r = try run(["extract", dir])
        #expect(r.status == 0)
        #expect(r.stderr.contains(dir + "/bad.txt: 1 invalid byte sequence(s) in utf-8 replaced with U+FFFD"))
        #expect(!r.stderr.contains("clean.txt:"))
        #expect(body(r, dir + "/bad.txt").first == body(r, dir + "/clean.txt").last)
        #expect(r.text.contains("bad.txt,2,5,972宗"))
    }

    @Test func bigFilesAreSplitAndTheOutputDoesNotDependOnJobs() throws {
        // 300 copies of the report in one file (4 MB: several chunks), between small files.
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = try String(contentsOfFile: root + "/" + seedPath, encoding: .utf8)
        let seedText = seed.hasSuffix("\n") ? seed : seed + "\n"
        try write(Array(String(repeating: seedText, count: 300).utf8), to: dir + "/b-big.txt")
        for i in 0..<12 { try write(Array((seedText + "第\(i)份，增长\(i)%。\n").utf8), to: dir + "/s\(i).txt") }
        try write(Array(seedText.utf8), to: dir + "/a-one.txt")
        let one = try run(["extract", dir, "-j", "1", "--stats"])
        let two = try run(["extract", dir, "-j", "2", "-q"])
        let three = try run(["extract", dir, "-j", "3", "-q"])
        #expect(one.status == 0 && two.status == 0 && three.status == 0)
        #expect(one.stdout == two.stdout && one.stdout == three.stdout)
        let single = body(try run(["extract", dir + "/a-one.txt", "-q"]), dir + "/a-one.txt").count
        #expect(body(one, dir + "/b-big.txt").filter { $0.hasPrefix("F,") }.count == 300 * single)
        // The last copy's rows are the first copy's, 300 times further down.
        let lines = seedText.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let big = one.text.components(separatedBy: "\r\n").filter { $0.hasPrefix(dir + "/b-big.txt,") }
        let first = big[0].split(separator: ",", maxSplits: 3)
        let last = big[big.count - single].split(separator: ",", maxSplits: 3)
        #expect(Int(last[1])! == Int(first[1])! + 299 * lines)
        #expect(last[2] == first[2] && last[3] == first[3])
        #expect(one.stderr.contains("14 files"))
    }

    @Test func aLongLineWithoutNewlineIsRead() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sentence = "共受理各类矛盾纠纷972宗，成功调处969宗，纠纷化解率99.69%。"
        try write(Array(String(repeating: sentence, count: 53_000).utf8), to: dir + "/line.txt")   // 4.3 MB in one line: more than a chunk
        let r = try run(["extract", dir + "/line.txt", "-j", "2", "-q"])
        #expect(r.status == 0)
        #expect(body(r, dir + "/line.txt").count == 3 * 53_000)
        #expect(r.text.hasSuffix(",1,\(53_000 * 35 - 6),99.69%,99.69,,%,percent,,纠纷化解率,,level,,false,,\(sentence)\r\n"))
    }

    @Test func filesFromReadsNulAndLineListsLikePaths() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = ["corpus/county_statistical_communique_2023.txt", seedPath]
        let direct = try run(["extract"] + files + ["-q"])
        let nul = try run(["extract", "--files-from", "-", "-q"], stdin: Data(files.joined(separator: "\0").utf8))
        try (files.joined(separator: "\r\n") + "\r\n").write(toFile: dir + "/list", atomically: true, encoding: .utf8)
        let lines = try run(["extract", "--files-from", dir + "/list", "-q"])
        #expect(nul.status == 0 && lines.status == 0)
        #expect(nul.stdout == direct.stdout && lines.stdout == direct.stdout)
        #expect(try run(["extract", "--files-from", "-", "-"]).status == 2)
        #expect(try run(["extract", "--files-from", dir + "/no-such-list"]).status == 2)
    }

    @Test func shardsPartitionTheInputsAndTheirRows() throws {
        let all = try run(["extract", "corpus", "-q"])
        var rows: [String] = []
        var files: [String] = []
        for k in 0..<3 {
            let r = try run(["extract", "corpus", "--shard", "\(k)/3"])
            #expect(r.status == 0)
            rows += r.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            files.append(r.stderr)
        }
        #expect(rows.sorted() == all.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.sorted())
        #expect(try run(["extract", "corpus", "--shard", "3/3"]).status == 2)
        #expect(try run(["extract", "corpus", "--shard", "x"]).status == 2)
    }

    @Test func errorsNameTheFileAndTheCauseAndTheRunGoesOn() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/sub/loop", withDestinationPath: "..")
        try write(Array("受理纠纷972宗".utf8), to: dir + "/sub/good.txt")
        try write([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 64), to: dir + "/zip.txt")
        let r = try run(["extract", dir, dir + "/missing.txt", "-j", "2", "--stats"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(dir + "/sub/loop: directory loop"))
        #expect(r.stderr.contains(dir + "/zip.txt: binary content"))
        #expect(r.stderr.contains(dir + "/missing.txt: no such file or directory"))
        #expect(r.stderr.contains("1 files") && r.stderr.contains("3 errors"))
        #expect(r.text.contains("972宗"))
        #expect(try run(["extract", dir + "/sub/good.txt", "-q"]).status == 0)
    }

    @Test func aKilledRunLeavesTheOldOutputInPlace() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = Data("file,line\r\nold,1\r\n".utf8)
        try old.write(to: URL(fileURLWithPath: dir + "/out.csv"))
        // The run reads standard input, which stays open: it is still running when killed.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["extract", "-", "-o", dir + "/out.csv", "-q"]
        let inp = Pipe()
        p.standardInput = inp
        p.standardError = FileHandle.nullDevice
        try p.run()
        inp.fileHandleForWriting.write(Data("受理纠纷972宗\n".utf8))
        // Wait until the temporary output exists, then terminate.
        var sawTemporary = false
        for _ in 0..<3000 where !sawTemporary {
            sawTemporary = try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.hasPrefix(".out.csv.zhibiao-") }
            if !sawTemporary { usleep(10_000) }
        }
        #expect(sawTemporary)
        p.terminate()   // SIGTERM
        p.waitUntilExit()
        try? inp.fileHandleForWriting.close()
        #expect(p.terminationStatus == 143)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/out.csv")) == old)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])
    }

    @Test func outputToADeviceIsWrittenDirectly() throws {
        // -o /dev/null must not create a temporary file in /dev and rename it over the device.
        let r = try run(["extract", seedPath, "-o", "/dev/null", "-q"])
        #expect(r.status == 0)
        var st = stat()
        #expect(stat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
        #expect(try !FileManager.default.contentsOfDirectory(atPath: "/dev").contains { $0.hasPrefix(".null.zhibiao-") })
    }

    @Test func helpExplainsTheNewOptions() throws {
        let r = try run(["extract", "--help"])
        for option in ["--files-from", "--shard", "--jobs", "--quiet"] { #expect(r.text.contains(option)) }
        #expect(r.text.contains("--shard 0/4"))
    }
}
