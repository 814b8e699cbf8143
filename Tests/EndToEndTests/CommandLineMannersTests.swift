// What a ripgrep user expects of a command-line tool, checked on the built binary:
// the version names the program, a misspelt subcommand is caught, an empty folder is not
// silent, a closed pipe is not an error, the summary stays off pipes, completions exist.
import Foundation
import Testing

@Suite struct CommandLineMannersTests {
    @Test func versionNamesTheProgram() throws {
        let r = try run(["--version"])
        #expect(r.status == 0)
        #expect(r.text == "zhibiao 0.1.0\n")
    }

    /// Foundation (with its own ICU) took ~5 ms to load on every run, --version included;
    /// the tool uses FoundationEssentials and POSIX threads instead. glibc's loader lists
    /// what a program would load when LD_TRACE_LOADED_OBJECTS is set (what ldd does).
    @Test func theBinaryDoesNotLoadFoundation() throws {
        let r = try runProgram("/usr/bin/env", ["LD_TRACE_LOADED_OBJECTS=1", binary])
        #expect(r.status == 0)
        #expect(r.text.contains("libswiftCore.so") || r.text.contains("statically linked"))   // the listing itself
        for library in ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"] {
            #expect(!r.text.contains(library), "\(library) is loaded again: an `import Foundation` in Sources/?")
        }
    }

    @Test func aMisspeltSubcommandIsAUsageErrorWithASuggestion() throws {
        let r = try run(["extrat", "corpus/"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("'extrat'") && r.stderr.contains("did you mean 'extract'?"))
        #expect(try run(["extarct", "corpus/"]).stderr.contains("did you mean 'extract'?"))   // transposed letters
        // A word far from every subcommand is still an input: a missing file, exit 1.
        let far = try run(["quarterly", "-q"])
        #expect(far.status == 1 && far.stderr.contains("quarterly: no such file or directory"))
        // A file that happens to be called like a typo is read, not refused.
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("受理纠纷972宗".utf8).write(to: URL(fileURLWithPath: dir + "/extrat"))
        let file = try run(["extrat", "-q"], in: dir)
        #expect(file.status == 0)
        #expect(file.text.contains("extrat,1,5,972宗,972,,宗,count"))
    }

    @Test func aFolderWithNothingToReadIsNamedWithTheIncludePattern() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/notes", withIntermediateDirectories: true)
        try Data("受理纠纷972宗".utf8).write(to: URL(fileURLWithPath: dir + "/notes/a.md"))
        let r = try run(["extract", dir + "/notes", "-q"])
        #expect(r.status == 0)
        #expect(r.stderr.contains(dir + "/notes: warning:") && r.stderr.contains("*.txt"), "\(r.stderr)")
        // --include picks them up, and the warning goes away.
        let md = try run(["extract", dir + "/notes", "--include", "*.md", "-q"])
        #expect(md.text.contains("a.md,1,5,972宗") && md.stderr.isEmpty)
    }

    @Test func theDefaultIncludeIgnoresCase() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("受理纠纷972宗".utf8).write(to: URL(fileURLWithPath: dir + "/UPPER.TXT"))
        try Data("成功调处969宗".utf8).write(to: URL(fileURLWithPath: dir + "/lower.txt"))
        let r = try run(["extract", dir, "-q"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        #expect(r.text.contains(dir + "/UPPER.TXT,1,5,972宗") && r.text.contains(dir + "/lower.txt,1,5,969宗"))
        // A pattern given with --include is matched as written.
        let exact = try run(["extract", dir, "--include", "*.txt", "-q"])
        #expect(!exact.text.contains("UPPER.TXT") && exact.text.contains("lower.txt"))
    }

    @Test func aClosedOutputPipeEndsQuietlyWithStatusZero() throws {
        // The reader closes its end at once, as `| head -1` does once it has its line.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["extract", "corpus", "-j", "1"]   // ~170 kB of rows: more than a pipe holds
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        try out.fileHandleForReading.close()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit)
        #expect(p.terminationStatus == 0)
        #expect(e.isEmpty, "\(e)")
    }

    @Test func theSummaryLineIsForTerminalsUnlessStatsAsksForIt() throws {
        let plain = try run(["extract", "corpus"])   // standard error is a pipe here
        #expect(plain.status == 0)
        #expect(!plain.stderr.contains(" rows, "), "\(plain.stderr)")
        let stats = try run(["extract", "corpus", "--stats"])
        #expect(stats.stdout == plain.stdout)
        #expect(stats.stderr.hasPrefix("zhibiao: ") && stats.stderr.contains(" files, ") && stats.stderr.contains(" rows, 0 errors, "))
        // On a terminal (script(1) gives it one) the line is still shown, and -q still hides it.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/script") {
            let terminal = try scriptRun(binary + " extract corpus -o /dev/null")
            #expect(terminal.contains(" rows, 0 errors, "), "\(terminal)")
            #expect(!(try scriptRun(binary + " extract corpus -q -o /dev/null")).contains(" rows, "))
        }
    }

    /// Runs a command line under script(1), so its standard error is a terminal; returns what it printed.
    func scriptRun(_ command: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", command, "/dev/null"]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    @Test func noHeaderLeavesOutOnlyTheHeader() throws {
        let with = try run(["extract", "corpus", "-q"])
        let without = try run(["extract", "corpus", "-q", "--no-header"])
        let header = "file,line,column,match,value,value_max,unit,kind,qualifier,label,period,role,direction,target,table,sentence\r\n"
        #expect(with.text.hasPrefix(header))
        #expect(header + without.text == with.text)
        // An empty input gives the header alone: a join can start with it.
        #expect(try run(["extract", "-q"], stdin: Data()).text == header)
        let jsonl = try run(["extract", "corpus", "-q", "--format", "jsonl", "--no-header"])
        #expect(jsonl.stdout == (try run(["extract", "corpus", "-q", "--format", "jsonl"])).stdout)
    }

    @Test func completionScriptsCoverTheOptions() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try run(["--generate-completion-script", shell])
            #expect(r.status == 0, Comment(rawValue: shell))
            // fish names long options without their dashes (-l shard).
            #expect(r.text.contains("shard") && r.text.contains("no-header") && r.text.contains("extract"), Comment(rawValue: shell))
        }
    }
}
