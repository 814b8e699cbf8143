import ArgumentParser
import Extraction
import FoundationEssentials   // ProcessInfo, Date (not Foundation: ~5 ms of start-up)
#if canImport(Glibc)
import Glibc
#endif
import Input
import Output
import PatternCatalog
import Zhibiao
import ZhibiaoCore

extension OutputFormat: ExpressibleByArgument {
    // The format names as they are: ArgumentParser's defaults describe each case through
    // string interpolation and dynamic casts, every start-up, to build its option table.
    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    public static var allValueDescriptions: [String: String] { [:] }
}

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Write one row per quantitative indicator found in the inputs.",
        discussion: """
            PATH may be files, directories (walked recursively for --include, default *.txt in any case) \
            or - for standard input; with no PATH, standard input is read. Rows come in input \
            order (sorted paths, then document order) whatever --jobs is.

            Columns, in this order:
              \(RowWriter.columns.prefix(10).joined(separator: ","))
              \(RowWriter.columns.dropFirst(10).joined(separator: ","))
              line, column  1-based; column counts characters in the line
              value         exact decimal in the base unit (2.72亿元 -> 272000000, unit 元)
              value_max     upper end of a range (3000-5000元), else empty
              kind          money percent percentage_point count measure duration ratio
                            (with --kinds all also number ordinal year date)
              qualifier     over (余 多 超 以上), under (近 不足 以下), about (约 左右), or empty
              label         the indicator's name (工业增加值 of 工业增加值比上年增长6%)
              period        the period named in the sentence (全年, 年末, 2024年以来), or empty
              role          level, change, from or to (从60.2%提高到65.2%: from, to)
              direction     up or down for a change (下降0.3% -> 0.3, down), else empty
              target        true for a goal or forecast (预期目标…增长5%左右), else false
              table         for a figure in a table cell, the line where its table begins;
                            its label, period and unit come from the row and column headers
                            and the 单位：元 line (see the README's Tables); empty in prose

            Examples:
              zhibiao extract corpus/ -o indicators.csv
              zhibiao extract report.txt --format jsonl
              cat report.txt | zhibiao extract --kinds money,percent
              zhibiao extract reports/ --bom -o for-excel.csv
              zhibiao extract reports/ -o indicators.xlsx           # Excel workbook
              find reports -name '*.txt' -print0 | zhibiao extract --files-from -
              zhibiao extract reports/ --shard 0/4 -o shard-0.csv   # 1st of 4 shares

            Files are read in chunks (memory stays bounded whatever their size) and big files \
            are split at line ends across the --jobs workers. On a terminal a progress line \
            shows files, MB, MB/s, rows, elapsed time and ETA; --quiet turns it off. Exit \
            status: 0 when every input was read, 1 when some failed (each named on standard \
            error with its cause; the others are still processed), 2 for a usage error, 3 \
            when the output could not be written; 130/143 when interrupted (the -o file is \
            then left as it was). Errors read `zhibiao: PATH: cause`.
            """
    )

    @Argument(help: ArgumentHelp("Files, directories or - (standard input).", valueName: "path"))
    var paths: [String] = []

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write to FILE instead of standard output (written to a temporary file, then renamed; - is standard output). Example: -o indicators.csv",
        valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp(
        "Output format: csv (RFC 4180), tsv, jsonl or xlsx (an Excel workbook, to a file only); default: from the -o name (.xlsx, .tsv, .jsonl), else csv. Example: --format jsonl",
        valueName: "format"))
    var format: OutputFormat?

    @Flag(help: "Begin the output with a UTF-8 byte-order mark, so Excel shows Chinese text correctly.")
    var bom = false

    @Flag(help: "Write text fields exactly as found: no apostrophe before a CSV or TSV field that begins with = + - @ TAB or CR (which spreadsheets would run as a formula).")
    var raw = false

    @Option(help: ArgumentHelp(
        "Kinds to report, comma-separated, or 'all' (adds bare numbers, ordinals, years, dates) or 'default'. Example: --kinds money,percent",
        valueName: "kinds"))
    var kinds: String = "default"

    @Option(name: .customLong("max-sentence"), help: ArgumentHelp(
        "Longest sentence field, in characters (default 500): a longer sentence (a page with no full stop, a flattened table) is cut to that many characters around the match, with … where text was left out. Example: --max-sentence 200",
        valueName: "chars"))
    var maxSentence: Int = 500

    @Option(help: ArgumentHelp(
        "Add the pattern files of DIR to the built-in ones (units.tsv, qualifiers.tsv, traps.tsv, labels.tsv, context.tsv, numerals.tsv, *.patterns). Example: --patterns my-units/",
        valueName: "dir"))
    var patterns: String?

    @Option(name: [.customShort("j", allowingJoined: true), .long], help: ArgumentHelp("Worker threads: files and chunks of big files processed in parallel (default: number of cores); the output is the same for any N. Example: -j 2 (or -j2)", valueName: "n"))
    var jobs: Int?

    @Option(name: .customLong("files-from"), help: ArgumentHelp(
        "Also read the inputs listed in FILE, or in standard input for -: NUL-separated if the list holds a NUL, else one path a line; kept in list order. Example: find reports -name '*.txt' -print0 | zhibiao extract --files-from - -o out.csv",
        valueName: "file"))
    var filesFrom: String?

    @Option(help: ArgumentHelp(
        "Process only share K of N (K from 0 to N-1) of the inputs, chosen by a stable hash (FNV-1a) of each path, so N machines can split a corpus: the N shares partition it. Example: --shard 2/4",
        valueName: "k/n"))
    var shard: String?

    @Option(help: ArgumentHelp("Read inputs as this encoding instead of detecting it: utf-8, gb18030 (also gbk, gb2312), utf-16le, utf-16be. Example: --encoding gbk", valueName: "name"))
    var encoding: String?

    @Option(help: ArgumentHelp("File-name glob for files found in directories; repeatable (default *.txt in any case: .txt, .TXT). Example: --include '*.md'", valueName: "glob"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Skip files and folders whose name or path matches; repeatable. Example: --exclude 'draft*'", valueName: "glob"))
    var exclude: [String] = []

    @Flag(help: "Also read hidden files and folders (names starting with a dot) in directories.")
    var hidden = false

    @Flag(name: [.short, .long], help: "Print no progress line and no summary on standard error (errors and warnings are still reported).")
    var quiet = false

    @Flag(help: "Print the summary line (files, MB, rows, errors, seconds) on standard error even when it is not a terminal (a pipe, a log file, cron); without it the line is only shown on a terminal.")
    var stats = false

    @Flag(name: .customLong("no-header"), help: "Leave out the CSV/TSV header line: for parts of a sharded or cluster run that are joined afterwards (JSON Lines has no header anyway).")
    var noHeader = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxSentence < 10 { throw ValidationError("--max-sentence must be at least 10 characters") }
        _ = try parsedKinds()
        _ = try parsedShard()
        if filesFrom == "-" && paths.contains("-") {
            throw ValidationError("--files-from - reads the list from standard input, so '-' cannot also be an input")
        }
        if outputFormat == .xlsx {
            if output == nil || output == "-" {
                throw ValidationError("--format xlsx writes a workbook (a zip archive), which needs a file: add -o FILE.xlsx")
            }
            if bom { throw ValidationError("--bom is for text output (csv, tsv, jsonl); an .xlsx workbook needs none") }
            if noHeader { throw ValidationError("--no-header is for text parts joined afterwards; each sheet of an .xlsx workbook has its header") }
            var st = stat()
            if let output, stat(output, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
                throw ValidationError("-o \(output): not a regular file; an .xlsx workbook (a zip archive) can only be written to one")
            }
        }
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown --encoding '\(encoding)' (utf-8, gb18030, gbk, gb2312, utf-16le, utf-16be)")
        }
    }

    /// --format, else the format the -o name implies, else CSV.
    var outputFormat: OutputFormat {
        format ?? output.flatMap { OutputFormat(fileName: $0) } ?? .csv
    }

    /// --shard K/N as (k, n), or nil.
    func parsedShard() throws -> (k: Int, n: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else {
            throw ValidationError("--shard takes K/N with 0 <= K < N, e.g. --shard 0/4 (got '\(shard)')")
        }
        return (k, n)
    }

    func parsedKinds() throws -> Set<Kind> {
        var out: Set<Kind> = []
        // Split and trimmed on the bytes: Characters and Foundation's CharacterSet cost a
        // millisecond of start-up here.
        for piece in Array(kinds.utf8).split(separator: UInt8(ascii: ",")) {
            var bytes = piece[...]
            while let b = bytes.first, b == 0x20 || b == 0x09 { bytes.removeFirst() }
            while let b = bytes.last, b == 0x20 || b == 0x09 { bytes.removeLast() }
            let word = String(decoding: bytes, as: UTF8.self)
            switch word {
            case "all": out.formUnion(Kind.allCases)
            case "default": out.formUnion(Kind.defaultSet)
            default:
                guard let k = Kind(rawValue: word) else {
                    throw ValidationError("unknown kind '\(word)' in --kinds; use all, default or: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                out.insert(k)
            }
        }
        if out.isEmpty { throw ValidationError("--kinds names no kind") }
        return out
    }

    /// Whether JIT-compiling the pattern pays for these inputs: it costs about as much as the
    /// interpreter's extra time on 24 kB (measured on the reference report: 15M instructions to compile, 0.6M more per kB to interpret), so a few small
    /// files are read without it. Standard input's size is unknown: JIT.
    static func worthJIT(_ inputs: [InputSource]) -> Bool {
        if inputs.contains(where: { if case .standardInput = $0 { return true } else { return false } }) { return true }
        return InputFiles.totalSize(inputs) > jitThreshold
    }

    /// Input size (bytes) above which the pattern is JIT-compiled.
    static let jitThreshold = 24 << 10

    func run() throws {
        let catalog: PatternCatalog
        do {
            if patterns == nil, let builtIn = try BuiltInCatalog.take() {
                catalog = builtIn                        // read while the command line was parsed
            } else {
                catalog = try PatternCatalog(extra: try loadUserPatterns())
            }
        } catch let error as ZhibiaoError {
            throw UsageFailure(message: "\(error)")   // a broken --patterns file: exit 2, no usage text
        }
        let walk = WalkOptions(include: include.isEmpty ? ["*.txt"] : include, exclude: exclude, includeHidden: hidden,
                               includeIgnoresCase: include.isEmpty)
        let reporter = ErrorReporter()
        var raw = RawArguments()
        var listed: [BytePath] = []
        if let filesFrom {
            do {
                listed = try InputList.read(from: filesFrom == "-" ? .standardInput : .file(raw.path(filesFrom)))
            } catch {
                throw UsageFailure(message: "\(error) (the --files-from list)")
            }
        }
        let requested = paths.map { raw.path($0) } + listed
        var (inputs, pathErrors) = filesFrom != nil && requested.isEmpty ? ([], []) : expand(requested, options: walk, reporter: reporter)
        if let (k, n) = try parsedShard() { inputs = InputList.shard(inputs, k: k, of: n) }
        for e in pathErrors { reporter.report(e) }
        let engine: ExtractionEngine
        do {
            let jit = Self.worthJIT(inputs)
            if patterns == nil, !jit, let builtIn = try BuiltInCatalog.takeEngineWithoutJIT() {
                engine = builtIn                         // compiled while the command line was parsed
            } else {
                engine = try ExtractionEngine(catalog: catalog, jit: jit)
            }
        } catch {
            throw UsageFailure(message: "\(error)")   // a user regex that does not compile: exit 2
        }

        inputs = try excludingOutputFile(inputs, explicit: requested, reporter: reporter)

        let format = outputFormat
        let sink: any OutputDestination
        if format == .xlsx {
            sink = try XLSXDestination(file: AtomicOutputFile(path: output, requireRegularFile: true))
        } else {
            sink = try AtomicOutputFile(path: output)
        }
        let showProgress = !quiet && isatty(2) == 1
        InterruptCleanup.install(temporaryPath: sink.temporaryPath, clearsStatusLine: showProgress)
        let writer = RowWriter(format: format, raw: self.raw)
        let run = ParallelRun(engine: engine,
                              options: ExtractionOptions(kinds: try parsedKinds(), maxSentenceLength: maxSentence),
                              rows: .formatted(writer),
                              encoding: encoding.flatMap(TextEncoding.init(name:)),
                              jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let started = Date()
        var summary = RunSummary()
        let progress = showProgress ? Progress(reporter: reporter, totalFiles: inputs.count, totalBytes: InputFiles.totalSize(inputs)) : nil
        do {
            try sink.write(noHeader ? (bom ? [0xEF, 0xBB, 0xBF] : []) : writer.header(byteOrderMark: bom))
            summary = try run.process(inputs, deliver: { delivery in
                for m in delivery.messages { reporter.note("zhibiao: " + m) }
                try sink.write(delivery.bytes)
            }, progress: { totals in
                progress?.update(files: totals.files + totals.errors, bytes: totals.bytes, rows: totals.rows, errors: totals.errors)
            })
            progress?.stop()
            // A workbook is compressed only now, which takes a while on big runs: say so.
            if format == .xlsx && showProgress { reporter.setStatus("zhibiao: assembling the workbook…") }
            try sink.commit()
            if format == .xlsx && showProgress { reporter.setStatus(nil) }
            InterruptCleanup.disarm()
        } catch {
            progress?.stop()
            if format == .xlsx && showProgress { reporter.setStatus(nil) }
            sink.abandon()
            throw error
        }
        for note in sink.notes { reporter.note("zhibiao: " + note) }
        summary.errors += pathErrors.count
        if stats || (!quiet && isatty(2) == 1) {
            let seconds = Date().timeIntervalSince(started)
            reporter.note(cFormat("zhibiao: %ld files, %.1f MB, %ld rows, %ld errors, %.2f s",
                                 summary.files, Double(summary.bytes) / 1e6, summary.rows, summary.errors, seconds))
        }
        if summary.errors > 0 { throw ExitCode(ExitStatus.inputFailed) }
    }

    /// `InputFiles.expand`, one path at a time (same inputs, same order), warning about each
    /// folder in which the walk found no file to read (a folder of `*.md` files, a misspelt
    /// --include), so an empty result is never silent.
    func expand(_ paths: [BytePath], options: WalkOptions, reporter: ErrorReporter) -> ([InputSource], [ZhibiaoError]) {
        if paths.isEmpty { return InputFiles.expand(paths, options: options) }
        var inputs: [InputSource] = []
        var errors: [ZhibiaoError] = []
        for path in paths {
            let (found, failed) = InputFiles.expand([path], options: options)
            inputs += found
            errors += failed
            var st = stat()
            if found.isEmpty, failed.isEmpty, path != "-", path.withCString({ stat($0, &st) }) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                let patterns = options.include.joined(separator: ", ") + (options.includeIgnoresCase ? " (any case)" : "")
                reporter.note("zhibiao: \(path.displayName): warning: no file in this folder matches the include pattern \(patterns); "
                              + "choose others with --include, e.g. --include '*.md'")
            }
        }
        return (inputs, errors)
    }

    /// The output file must not be read as an input: named on the command line (or in
    /// --files-from) it stops the run before anything is written, as `cat` refuses
    /// ("input file is output file"); found in a folder walk (`-o reports/out.csv` while
    /// reading `reports/`) it is skipped with a note. Compared by device and inode, so any
    /// path to it (a link, `./x`) counts.
    func excludingOutputFile(_ inputs: [InputSource], explicit: [BytePath], reporter: ErrorReporter) throws -> [InputSource] {
        guard let output, output != "-", let identity = FileIdentity(path: output) else { return inputs }
        for path in explicit where path.bytes != [UInt8(ascii: "-")] && path.withCString(FileIdentity.init(cPath:)) == identity {
            throw UsageFailure(message: "\(path.displayName): input file is output file")
        }
        return inputs.filter { input in
            guard case .file(let path) = input, path.withCString(FileIdentity.init(cPath:)) == identity else { return true }
            reporter.note("zhibiao: \(path.displayName): skipped: it is the output file (-o \(output))")
            return false
        }
    }

    /// Reads the pattern files of --patterns DIR (as the library does), its errors as usage
    /// errors naming the option or the file.
    func loadUserPatterns() throws -> [PatternCatalog.File] {
        guard let dir = patterns else { return [] }
        do {
            return try IndicatorReader.patternFiles(in: dir)
        } catch let error as ZhibiaoError where error.kind == .usage {
            throw ValidationError("--patterns \(dir): \(error.message)")   // not a directory
        } catch let error as ZhibiaoError {
            throw ValidationError("\(error)")   // FILE: unreadable or not UTF-8
        }
    }
}
