// Runs the built `zhibiao` binary as a user would.
import Foundation
import Testing
import TestSupport

/// The repository root (TestSupport's), under the short name these tests use.
let root = repositoryRoot

/// The `zhibiao` executable next to the test bundle in the build folder.
let binary: String = {
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("zhibiao").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return root + "/.build/debug/zhibiao"
}()

struct Result {
    var status: Int32
    var stdout: Data
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs `zhibiao` with `arguments` in `directory`, feeding it `stdin`.
func run(_ arguments: [String], stdin: Data? = nil, in directory: String = root) throws -> Result {
    try runProgram(binary, arguments, stdin: stdin, in: directory)
}

/// Runs any program (the binary, a shell for umask or exact argument bytes, setpriv for
/// another user) and collects its output; standard input is `stdin`, or empty.
func runProgram(_ path: String, _ arguments: [String], stdin: Data? = nil, in directory: String = root) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(stdin) }
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(status: p.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
}

func scratch() throws -> String {
    let dir = NSTemporaryDirectory() + "zhibiao-e2e-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@Suite struct CommandLineTests {
    @Test func corpusRunsAndOrderDoesNotDependOnJobs() throws {
        let one = try run(["extract", "corpus", "-j", "1", "-q"])
        let two = try run(["extract", "corpus", "-j", "2", "-q"])
        let joined = try run(["extract", "corpus", "-j2", "-q"])   // make- and rg-style -jN
        #expect(one.status == 0 && two.status == 0 && joined.status == 0)
        #expect(one.stdout == two.stdout && two.stdout == joined.stdout)
        #expect(one.text.hasPrefix("file,line,column,match,value,value_max,unit,kind,qualifier,label,period,role,direction,target,table,sentence\r\n"))
        #expect(one.text.contains("corpus/000_34359a9591d34247.txt,18,"))
        #expect(one.text.components(separatedBy: "\r\n").count > 300)
    }

    @Test func missingAndBinaryInputsAreReportedAndTheRestIsRead() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("受理纠纷972宗".utf8).write(to: URL(fileURLWithPath: dir + "/good.txt"))
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0, 0x31, 0x32]).write(to: URL(fileURLWithPath: dir + "/bin.txt"))
        let r = try run(["extract", dir + "/missing.txt", dir])
        #expect(r.status == 1)
        #expect(r.stderr.contains(dir + "/missing.txt: no such file or directory"))
        #expect(r.stderr.contains(dir + "/bin.txt: binary content"))
        #expect(r.text.contains("972宗,972,,宗,count"))
    }

    @Test func outputFileIsWrittenWhole() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try run(["extract", "corpus/000_34359a9591d34247.txt", "-o", dir + "/out.csv", "--bom", "-q"])
        #expect(r.status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/out.csv"))
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])   // no temporary left
        let bad = try run(["extract", "corpus", "-o", dir + "/no/such/dir/out.csv"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("cannot create the output file"))
    }

    /// A one-character output name in the current folder (NSString's path methods trap on
    /// those), and `-o -` for standard output as most tools take it.
    @Test func shortOutputNamesAndDashWork() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = root + "/corpus/000_34359a9591d34247.txt"
        let toStdout = try run(["extract", input, "-q"], in: dir)
        let short = try run(["extract", input, "-o", "x", "-q"], in: dir)
        #expect(short.status == 0, "\(short.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/x")) == toStdout.stdout)
        let dash = try run(["extract", input, "-o", "-", "-q"], in: dir)
        #expect(dash.status == 0 && dash.stdout == toStdout.stdout)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["x"])   // no file named -, no temporary
        let rooted = try run(["extract", input, "-o", dir + "/y", "-q"])
        #expect(rooted.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/y")) == toStdout.stdout)
    }

    @Test func formatsCarryTheSameRows() throws {
        let csv = try run(["extract", "corpus/000_34359a9591d34247.txt", "-q"])
        let jsonl = try run(["extract", "corpus/000_34359a9591d34247.txt", "--format", "jsonl", "-q"])
        let tsv = try run(["extract", "corpus/000_34359a9591d34247.txt", "--format", "tsv", "-q"])
        let rows = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count - 1
        #expect(jsonl.text.split(separator: "\n").count == rows)
        #expect(tsv.text.split(separator: "\n").count == rows + 1)
        let first = try JSONSerialization.jsonObject(with: Data(jsonl.text.split(separator: "\n")[0].utf8)) as? [String: Any]
        #expect(first?["value"] as? String == "100")
        #expect(first?["line"] as? Int == 2)
    }

    @Test func standardInputIsRead() throws {
        let r = try run(["extract", "-q"], stdin: Data("涉及金额超130亿元。".utf8))
        #expect(r.status == 0)
        #expect(r.text.contains("-,1,5,超130亿元,13000000000,,元,money,over,涉及金额,,level,,false,,涉及金额超130亿元。"))
    }

    @Test func gb18030ReportGivesTheSameRows() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let iconv = Process()
        iconv.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        iconv.arguments = ["-f", "UTF-8", "-t", "GB18030", "-o", dir + "/gb.txt", root + "/corpus/000_34359a9591d34247.txt"]
        try iconv.run(); iconv.waitUntilExit()
        try #require(iconv.terminationStatus == 0)
        let utf = try run(["extract", "corpus/000_34359a9591d34247.txt", "-q"])
        let gb = try run(["extract", dir + "/gb.txt", "-q"])
        func body(_ r: Result, _ name: String) -> String { r.text.replacingOccurrences(of: name, with: "F") }
        #expect(body(utf, "corpus/000_34359a9591d34247.txt") == body(gb, dir + "/gb.txt"))
    }

    @Test func brokenUserPatternNamesFileAndLine() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# my units\n羽\t羽\tcount\n只\tcount\n".write(toFile: dir + "/units.tsv", atomically: true, encoding: .utf8)
        let r = try run(["extract", "--patterns", dir, "corpus"])
        #expect(r.status == 2)
        #expect(r.stderr.contains(dir + "/units.tsv:3:"))
        try "count\t分\t(?<num>[0-9]+分(\n".write(toFile: dir + "/units.tsv", atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(atPath: dir + "/units.tsv", toPath: dir + "/score.patterns")
        let r2 = try run(["extract", "--patterns", dir, "corpus"])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains(dir + "/score.patterns:1:"))
        #expect(r2.stderr.contains("PCRE2 error"))
    }

    /// The built-in catalog is read while the command line is parsed; a run with user
    /// patterns, however `--patterns` is written, must still read them.
    @Test func userPatternsApplyInEveryOptionForm() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "嗒\t嗒\tcount\n".write(toFile: dir + "/units.tsv", atomically: true, encoding: .utf8)
        try "今年共收到12嗒。\n".write(toFile: dir + "/in.txt", atomically: true, encoding: .utf8)
        let plain = try run(["extract", dir + "/in.txt", "-q"])
        #expect(plain.status == 0)
        #expect(!plain.text.contains(",嗒,"))
        for arguments in [["extract", "--patterns", dir, dir + "/in.txt", "-q"], ["extract", "--patterns=" + dir, dir + "/in.txt", "-q"],
                          [dir + "/in.txt", "-q", "--patterns", dir]] {
            let r = try run(arguments)
            #expect(r.status == 0, "\(arguments)")
            #expect(r.text.contains(",12,,嗒,count,"), "\(arguments): \(r.text)")
        }
    }

    @Test func helpExplainsEveryOption() throws {
        let r = try run(["extract", "--help"])
        #expect(r.status == 0)
        for option in ["--output", "--format", "--bom", "--kinds", "--patterns", "--jobs", "--encoding", "--include", "--exclude", "--hidden", "--quiet"] {
            #expect(r.text.contains(option), Comment(rawValue: option))
        }
        #expect(r.text.contains("Example"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try run(["extract", "--kinds", "nonsense", "corpus"]).status == 2)
        #expect(try run(["extract", "--jobs", "0", "corpus"]).status == 2)
    }
}

@Suite struct HelpTests {
    /// `--help` lists the columns in the order the output has them (the list comes from the
    /// one column list, so a new column cannot be forgotten there).
    @Test func helpListsTheColumnsOfTheOutput() throws {
        let header = try run(["extract", "-"], stdin: Data()).text.split(separator: "\r\n").first.map(String.init) ?? ""
        let help = try run(["extract", "--help"]).text
        #expect(header.hasPrefix("file,line,"))
        let listed = help.split(separator: "\n").drop { !$0.hasPrefix("Columns, in this order:") }.dropFirst().prefix(2)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ",")
        #expect(listed == header)
    }
}
