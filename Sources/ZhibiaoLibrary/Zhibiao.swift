// Zhibiao (指标) as a library: `import Zhibiao` brings the whole vocabulary (Indicator,
// Quantity, Kind, ExactDecimal …), the extractor, the output formats and the parallel run.
@_exported import Extraction
@_exported import Input
@_exported import Output
@_exported import PatternCatalog
@_exported import ZhibiaoCore
import FoundationEssentials   // ProcessInfo, FileManager: not Foundation, whose loading costs every run ~5 ms

/// The simple way in: reads Chinese report text and returns its quantitative indicators.
///
/// ```swift
/// let reader = try IndicatorReader()
/// for row in try reader.indicators(in: "全年受理纠纷972宗，化解率99.69%。") {
///     print(row.match, row.quantity.value, row.quantity.unit, row.label)   // 972宗 972 宗 受理纠纷 …
/// }
/// ```
///
/// Compiling the patterns takes a few milliseconds: make one reader and keep it. A reader
/// can be used from several threads at once (each call works with its own extractor).
public final class IndicatorReader: Sendable {
    /// The compiled patterns, shared by every call.
    public let engine: ExtractionEngine
    /// What is reported (kinds, label and sentence bounds).
    public let options: ExtractionOptions

    /// - Parameters:
    ///   - options: the kinds to report (default: money, percentages, counts, measures …).
    ///   - patterns: a folder of user pattern files (units.tsv, traps.tsv, *.patterns …) added
    ///     to the built-in ones, as the command line's `--patterns`.
    /// - Throws: `ZhibiaoError` naming a pattern file and line that cannot be read or compiled.
    public init(options: ExtractionOptions = ExtractionOptions(), patterns: String? = nil) throws {
        let extra = try patterns.map { try Self.patternFiles(in: $0) } ?? []
        engine = try ExtractionEngine(catalog: try PatternCatalog(extra: extra))
        self.options = options
    }

    /// The indicators of `text`, in order. A Swift string is valid UTF-8, so it goes to the
    /// matcher as it is.
    public func indicators(in text: String) throws -> [Indicator] {
        let extractor = try Extractor(engine: engine, options: options)
        var text = text
        return try text.withUTF8 { (bytes) throws(ZhibiaoError) in try extractor.extract(bytes) }
    }

    /// The indicators of UTF-8 `bytes`; invalid sequences are replaced with U+FFFD first
    /// (one per bad sequence), so the matcher only ever sees valid UTF-8.
    public func indicators(inUTF8 bytes: some Collection<UInt8>) throws -> [Indicator] {
        try indicators(in: String(decoding: bytes, as: UTF8.self))
    }

    /// Reads files and folders (walked for `*.txt` in any case, sorted) as the command line
    /// does: in chunks, in any of its encodings, on `jobs` threads, and calls `body` with each
    /// indicator and its file name in input order. Files that cannot be read are reported to
    /// `problem` (a message naming the file and the cause) and the others are still read.
    /// - Returns: the totals (files, bytes, rows, failed files).
    @discardableResult
    public func indicators(inFiles paths: [String], jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                           walk: WalkOptions = WalkOptions(includeIgnoresCase: true),
                           problem: (String) -> Void = { _ in },
                           _ body: (Indicator, String) throws -> Void) throws -> RunSummary {
        let (inputs, errors) = InputFiles.expand(paths, options: walk)
        for e in errors { problem("\(e)") }
        let run = ParallelRun(engine: engine, options: options, rows: .indicators, jobs: jobs)
        var summary = try run.process(inputs) { delivery in
            for m in delivery.messages { problem(m) }
            for row in delivery.indicators { try body(row, delivery.file) }
        }
        summary.errors += errors.count
        return summary
    }

    /// The user pattern files of `folder` (the table names and `*.patterns`).
    public static func patternFiles(in folder: String) throws -> [PatternCatalog.File] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory else {
            throw ZhibiaoError(.usage, path: folder, "not a directory")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            PatternCatalog.tableNames.contains($0) || $0.hasSuffix(".patterns") || $0 == "quantity.pcre"
        }.sorted()
        return try names.map { name in
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ZhibiaoError(.pattern, path: path, "unreadable or not UTF-8")
            }
            return PatternCatalog.File(name: name, displayPath: path, text: text)
        }
    }
}
