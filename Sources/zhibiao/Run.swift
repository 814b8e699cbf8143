import Extraction
import Foundation
import Input
import Output
import ZhibiaoCore

/// Totals for the summary line.
struct RunSummary {
    var files = 0
    var bytes = 0
    var rows = 0
    var errors = 0
}

/// What one worker made of one input: its rows as output bytes, and its problems.
struct FileResult: Sendable {
    var rows: [UInt8] = []
    var rowCount = 0
    var bytes = 0
    var messages: [String] = []
    var failed = false
}

/// Runs the extraction over many inputs on `jobs` threads and hands results to the writer
/// in input order. Workers run at most `window` inputs ahead of the writer, so memory is
/// bounded by the window, not by the corpus.
final class Run: @unchecked Sendable {
    // SAFETY: the mutable state below is only touched under `condition`.
    let engine: ExtractionEngine
    let options: ExtractionOptions
    let writer: RowWriter
    let encoding: TextEncoding?
    let jobs: Int

    private let condition = NSCondition()
    private var inputs: [InputSource] = []
    private var results: [Int: FileResult] = [:]
    private var nextToClaim = 0
    private var nextToWrite = 0
    private var window = 0

    init(engine: ExtractionEngine, options: ExtractionOptions, writer: RowWriter, encoding: TextEncoding?, jobs: Int) {
        self.engine = engine
        self.options = options
        self.writer = writer
        self.encoding = encoding
        self.jobs = max(1, jobs)
    }

    func process(_ inputs: [InputSource], sink: OutputSink, reporter: ErrorReporter) throws -> RunSummary {
        self.inputs = inputs
        window = max(4, jobs * 4)
        var summary = RunSummary()
        let workerCount = min(jobs, max(1, inputs.count))
        var threads: [Thread] = []
        for _ in 0..<workerCount {
            let t = Thread { [self] in self.work() }
            t.stackSize = 8 << 20
            threads.append(t)
            t.start()
        }
        for index in inputs.indices {
            let result = take(index)
            for m in result.messages { reporter.note("zhibiao: " + m) }
            if result.failed { summary.errors += 1 } else { summary.files += 1 }
            summary.bytes += result.bytes
            summary.rows += result.rowCount
            try sink.write(result.rows)
        }
        return summary
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextToClaim < inputs.count && nextToClaim - nextToWrite >= window { condition.wait() }
        guard nextToClaim < inputs.count else { return nil }
        defer { nextToClaim += 1 }
        return nextToClaim
    }

    private func deliver(_ index: Int, _ result: FileResult) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    private func take(_ index: Int) -> FileResult {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        let r = results.removeValue(forKey: index)!
        nextToWrite = index + 1
        condition.broadcast()
        return r
    }

    private func work() {
        let extractor: Extractor
        do {
            extractor = try Extractor(engine: engine, options: options)
        } catch {
            while let index = claim() { deliver(index, FileResult(messages: ["\(error)"], failed: true)) }
            return
        }
        while let index = claim() {
            deliver(index, processOne(inputs[index], with: extractor))
        }
    }

    func processOne(_ source: InputSource, with extractor: Extractor) -> FileResult {
        var result = FileResult()
        let name = source.displayName
        do {
            let raw = try InputReader.readAll(source)
            result.bytes = raw.count
            var decoded: DecodedText
            do {
                decoded = try TextDecoder.decode(raw, forced: encoding)
            } catch {
                throw ZhibiaoError(error.kind, path: name, error.message)
            }
            if decoded.replacements > 0 {
                result.messages.append("\(name): \(decoded.replacements) invalid byte sequence(s) in \(decoded.encoding.rawValue) replaced with U+FFFD")
            }
            let indicators = try decoded.bytes.withUnsafeBufferPointer { (buffer) throws(ZhibiaoError) in
                try extractor.extract(buffer)
            }
            for indicator in indicators { writer.append(indicator, file: name, to: &result.rows) }
            result.rowCount = indicators.count
        } catch let error as ZhibiaoError {
            var e = error
            if e.path == nil { e.path = name }
            result.messages.append("\(e)")
            result.failed = true
        } catch {
            result.messages.append("\(name): \(error)")
            result.failed = true
        }
        return result
    }
}

/// Writes messages to standard error, one line each.
final class ErrorReporter: Sendable {
    func report(_ error: ZhibiaoError) { note("zhibiao: \(error)") }
    func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Standard output, or a file written through a temporary file in the same folder and
/// renamed into place by `commit()`: an interrupted run never leaves a truncated file
/// where a good one was.
final class OutputSink {
    let path: String?
    let temporaryPath: String?
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        self.path = path
        guard let path else { fd = 1; temporaryPath = nil; return }
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var template = Array(((dir.isEmpty ? "." : dir) + "/." + base + ".zhibiao-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ZhibiaoError(.output, path: path, "cannot create the output file: \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o644)
        self.fd = fd
        temporaryPath = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ZhibiaoError(.output, path: path ?? "standard output", "write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, renames the temporary file over the destination.
    func commit() throws {
        try flush()
        guard let path, let temporaryPath else { return }
        guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
            throw ZhibiaoError(.output, path: path, "could not finish writing: \(String(cString: strerror(errno)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            unlink(temporaryPath)
            throw ZhibiaoError(.output, path: path, "could not rename the finished output into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the temporary file after a failure; the destination is left as it was.
    func abandon() {
        if let temporaryPath { close(fd); unlink(temporaryPath) }
    }
}
