import ArgumentParser
import Extraction
import Foundation
import Input
import Output
import PatternCatalog
import ZhibiaoCore

extension OutputFormat: ExpressibleByArgument {}

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one row per quantitative indicator found in the inputs.",
        discussion: """
            PATH may be files, directories (walked recursively for --include, default *.txt) \
            or - for standard input; with no PATH, standard input is read. Rows come in input \
            order (sorted paths, then document order) whatever --jobs is.

            Columns: file,line,column,match,value,value_max,unit,kind,qualifier,label,sentence
              line, column  1-based; column counts characters in the line
              value         exact decimal in the base unit (2.72亿元 -> 272000000, unit 元)
              value_max     upper end of a range (3000-5000元), else empty
              kind          money percent percentage_point count measure duration ratio
                            (with --kinds all also number ordinal year date)
              qualifier     over (余 多 超 以上), under (近 不足 以下), about (约 左右), or empty

            Examples:
              zhibiao extract corpus/ -o indicators.csv
              zhibiao extract report.txt --format jsonl
              cat report.txt | zhibiao extract --kinds money,percent
              zhibiao extract reports/ --bom -o for-excel.csv
            """
    )

    @Argument(help: ArgumentHelp("Files, directories or - (standard input).", valueName: "path"))
    var paths: [String] = []

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write to FILE instead of standard output (written to a temporary file, then renamed). Example: -o indicators.csv",
        valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Output format: csv (RFC 4180), tsv or jsonl. Example: --format jsonl", valueName: "format"))
    var format: OutputFormat = .csv

    @Flag(help: "Begin the output with a UTF-8 byte-order mark, so Excel shows Chinese text correctly.")
    var bom = false

    @Option(help: ArgumentHelp(
        "Kinds to report, comma-separated, or 'all' (adds bare numbers, ordinals, years, dates) or 'default'. Example: --kinds money,percent",
        valueName: "kinds"))
    var kinds: String = "default"

    @Option(help: ArgumentHelp(
        "Add the pattern files of DIR to the built-in ones (units.tsv, qualifiers.tsv, traps.tsv, labels.tsv, context.tsv, numerals.tsv, *.patterns). Example: --patterns my-units/",
        valueName: "dir"))
    var patterns: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Files processed in parallel (default: number of cores). Example: -j 2", valueName: "n"))
    var jobs: Int?

    @Option(help: ArgumentHelp("Read inputs as this encoding instead of detecting it: utf-8, gb18030 (also gbk, gb2312), utf-16le, utf-16be. Example: --encoding gbk", valueName: "name"))
    var encoding: String?

    @Option(help: ArgumentHelp("File-name glob for files found in directories; repeatable (default *.txt). Example: --include '*.md'", valueName: "glob"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Skip files and folders whose name or path matches; repeatable. Example: --exclude 'draft*'", valueName: "glob"))
    var exclude: [String] = []

    @Flag(help: "Also read hidden files and folders (names starting with a dot) in directories.")
    var hidden = false

    @Flag(name: [.short, .long], help: "Print no summary on standard error.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        _ = try parsedKinds()
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown --encoding '\(encoding)' (utf-8, gb18030, gbk, gb2312, utf-16le, utf-16be)")
        }
    }

    func parsedKinds() throws -> Set<Kind> {
        var out: Set<Kind> = []
        for word in kinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
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

    func run() throws {
        let catalog: PatternCatalog
        let engine: ExtractionEngine
        do {
            catalog = try PatternCatalog(extra: try loadUserPatterns())
            engine = try ExtractionEngine(catalog: catalog)
        } catch let error as ZhibiaoError {
            throw ValidationError("\(error)")
        }
        let walk = WalkOptions(include: include.isEmpty ? ["*.txt"] : include, exclude: exclude, includeHidden: hidden)
        let (inputs, pathErrors) = InputFiles.expand(paths, options: walk)
        let reporter = ErrorReporter()
        for e in pathErrors { reporter.report(e) }

        let sink = try OutputSink(path: output)
        let writer = RowWriter(format: format)
        let run = Run(engine: engine,
                      options: ExtractionOptions(kinds: try parsedKinds()),
                      writer: writer,
                      encoding: encoding.flatMap(TextEncoding.init(name:)),
                      jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let started = Date()
        var summary = RunSummary()
        do {
            try sink.write(writer.header(byteOrderMark: bom))
            summary = try run.process(inputs, sink: sink, reporter: reporter)
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
        summary.errors += pathErrors.count
        if !quiet {
            let seconds = Date().timeIntervalSince(started)
            reporter.note(String(format: "zhibiao: %d files, %.1f MB, %d rows, %d errors, %.2f s",
                                 summary.files, Double(summary.bytes) / 1e6, summary.rows, summary.errors, seconds))
        }
        if summary.errors > 0 { throw ExitCode(1) }
    }

    /// Reads the pattern files of --patterns DIR.
    func loadUserPatterns() throws -> [PatternCatalog.File] {
        guard let dir = patterns else { return [] }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("--patterns \(dir): not a directory")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            PatternCatalog.tableNames.contains($0) || $0.hasSuffix(".patterns") || $0 == "quantity.pcre"
        }.sorted()
        return try names.map { name in
            let path = (dir as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(path): unreadable or not UTF-8")
            }
            return PatternCatalog.File(name: name, displayPath: path, text: text)
        }
    }
}
