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

/// One unit of work: a chunk of one input (cut at a line end), or the failure to read it.
/// Big files give many chunks, so all cores work on them; small files give one each.
struct WorkItem {
    var fileIndex: Int
    var text: [UInt8] = []
    var start = TextPosition()
    /// The input ends with this item (its messages and failure are final).
    var isLast = false
    /// Raw input bytes this item accounts for.
    var bytes = 0
    var messages: [String] = []
    var failed = false
}

/// What a worker made of one work item: rows as output bytes, and problems.
struct ItemResult: Sendable {
    var rows: [UInt8] = []
    var rowCount = 0
    var bytes = 0
    var isLast = false
    var messages: [String] = []
    var failed = false
}

/// Runs the extraction over many inputs on `jobs` threads and hands results to the writer
/// in input order (inputs in order, chunks of an input in document order), so the output
/// is byte-identical whatever `jobs` is.
///
/// Work items are chunks: a worker claiming work reads and decodes the next chunk of the
/// current input under the lock (cheap next to extraction), then extracts it unlocked. One
/// huge file therefore keeps every core busy. Workers run at most `window` items ahead of
/// the writer, and one input is open at a time, so memory is bounded by the window and the
/// chunk size, never by the corpus or the file size.
final class Run: @unchecked Sendable {
    // SAFETY: the mutable state below is only touched under `condition`.
    let engine: ExtractionEngine
    let options: ExtractionOptions
    let writer: RowWriter
    let encoding: TextEncoding?
    let jobs: Int
    let chunking: ChunkingOptions

    private let condition = NSCondition()
    private var inputs: [InputSource] = []
    private var results: [Int: ItemResult] = [:]
    private var nextSequence = 0
    private var nextToWrite = 0
    private var window = 0
    private var nextFile = 0
    private var current: (index: Int, reader: DocumentReader, position: TextPosition)?
    /// Output buffers already written, kept for reuse (at most `window`): a worker fills a
    /// warm buffer instead of growing a fresh one (page faults, copies) for every chunk.
    private var spareBuffers: [[UInt8]] = []

    init(engine: ExtractionEngine, options: ExtractionOptions, writer: RowWriter, encoding: TextEncoding?, jobs: Int,
         chunking: ChunkingOptions = ChunkingOptions()) {
        self.engine = engine
        self.options = options
        self.writer = writer
        self.encoding = encoding
        self.jobs = max(1, jobs)
        self.chunking = chunking
    }

    func process(_ inputs: [InputSource], sink: any OutputDestination, reporter: ErrorReporter, progress: Progress? = nil) throws -> RunSummary {
        self.inputs = inputs
        window = max(4, jobs * 4)
        var summary = RunSummary()
        guard !inputs.isEmpty else { return summary }
        var threads: [Thread] = []
        for _ in 0..<jobs {
            let t = Thread { [self] in self.work() }
            t.stackSize = 8 << 20
            threads.append(t)
            t.start()
        }
        var sequence = 0
        var filesDone = 0
        var fileFailed = false
        while filesDone < inputs.count {
            var result = take(sequence)
            sequence += 1
            for m in result.messages { reporter.note("zhibiao: " + m) }
            fileFailed = fileFailed || result.failed
            summary.bytes += result.bytes
            summary.rows += result.rowCount
            let rows = result.rows
            result.rows = []
            try sink.write(rows)
            recycle(rows)
            if result.isLast {
                if fileFailed { summary.errors += 1 } else { summary.files += 1 }
                fileFailed = false
                filesDone += 1
            }
            progress?.update(files: filesDone, bytes: summary.bytes, rows: summary.rows, errors: summary.errors)
        }
        return summary
    }

    /// The next work item, read under the lock, with its sequence number; nil when all inputs are claimed.
    private func claim() -> (Int, WorkItem)? {
        condition.lock()
        defer { condition.unlock() }
        while nextSequence - nextToWrite >= window { condition.wait() }
        var item: WorkItem
        if current == nil {
            guard nextFile < inputs.count else { return nil }
            let index = nextFile
            nextFile += 1
            do {
                current = (index, try DocumentReader(inputs[index], encoding: encoding, options: chunking), TextPosition())
            } catch {
                item = WorkItem(fileIndex: index, isLast: true, messages: [Self.describe(error, inputs[index])], failed: true)
                defer { nextSequence += 1 }
                return (nextSequence, item)
            }
        }
        let (index, reader, position) = current!
        let before = reader.bytesRead
        do {
            guard let chunk = try reader.nextChunk() else { preconditionFailure("a document ends with its last chunk") }
            item = WorkItem(fileIndex: index, text: chunk.text, start: position, isLast: chunk.isLast, bytes: reader.bytesRead - before)
            if chunk.isLast {
                if reader.replacements > 0, let e = reader.encoding {
                    item.messages.append("\(reader.name): \(reader.replacements) invalid byte sequence(s) in \(e.rawValue) replaced with U+FFFD")
                }
                current = nil
            } else {
                current!.position = chunk.text.withUnsafeBufferPointer { position.advanced(over: $0) }
                if chunk.cutInsideNumber {
                    item.messages.append("\(reader.name):\(current!.position.line): a run of digits longer than \(chunking.hardLimit >> 20) MiB is cut here; the numbers on both sides of the cut are incomplete")
                }
            }
        } catch {
            item = WorkItem(fileIndex: index, isLast: true, bytes: reader.bytesRead - before,
                            messages: [Self.describe(error, inputs[index])], failed: true)
            current = nil
        }
        defer { nextSequence += 1 }
        return (nextSequence, item)
    }

    static func describe(_ error: ZhibiaoError, _ source: InputSource) -> String {
        var e = error
        if e.path == nil { e.path = source.displayName }
        return "\(e)"
    }

    private func deliver(_ sequence: Int, _ result: ItemResult) {
        condition.lock()
        results[sequence] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Keeps a written output buffer for the next work item (emptied, capacity kept).
    private func recycle(_ rows: consuming [UInt8]) {
        guard rows.capacity > 0, rows.capacity <= 64 << 20 else { return }
        rows.removeAll(keepingCapacity: true)
        condition.lock()
        if spareBuffers.count < window { spareBuffers.append(rows) }
        condition.unlock()
    }

    /// An empty output buffer, warm when one was recycled.
    private func spareBuffer() -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return spareBuffers.popLast() ?? []
    }

    private func take(_ sequence: Int) -> ItemResult {
        condition.lock()
        defer { condition.unlock() }
        while results[sequence] == nil { condition.wait() }
        let r = results.removeValue(forKey: sequence)!
        nextToWrite = sequence + 1
        condition.broadcast()
        return r
    }

    private func work() {
        let extractor: Extractor
        do {
            extractor = try Extractor(engine: engine, options: options)
        } catch {
            while let (sequence, item) = claim() {
                deliver(sequence, ItemResult(bytes: item.bytes, isLast: item.isLast, messages: item.messages + ["\(error)"], failed: true))
            }
            return
        }
        while let (sequence, item) = claim() {
            deliver(sequence, process(item, with: extractor))
        }
    }

    /// Extracts one work item into a recycled output buffer: the rows are formatted on this
    /// worker, straight from the chunk's bytes.
    func process(_ item: WorkItem, with extractor: Extractor) -> ItemResult {
        var result = ItemResult(bytes: item.bytes, isLast: item.isLast, messages: item.messages, failed: item.failed)
        guard !item.text.isEmpty else { return result }
        let source = inputs[item.fileIndex]
        var sink = FormattedRows(writer: writer, bytes: spareBuffer())
        var name = source.displayName
        let failure: ZhibiaoError? = name.withUTF8 { file in
            item.text.withUnsafeBufferPointer { buffer in
                do throws(ZhibiaoError) {
                    try extractor.extract(buffer, startingAt: item.start, file: file, into: &sink)
                    return nil
                } catch { return error }
            }
        }
        if let failure {
            result.messages.append(Self.describe(failure, source))
            result.failed = true
        }
        result.rows = sink.bytes
        result.rowCount = sink.count
        return result
    }
}

/// Writes messages to standard error, one line each; keeps a progress line (if any) below them.
final class ErrorReporter: @unchecked Sendable {
    // SAFETY: `status` is only touched under `lock`.
    private let lock = NSLock()
    private var status: String?

    func report(_ error: ZhibiaoError) { note("zhibiao: \(error)") }

    func note(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        var text = status == nil ? "" : "\r\u{1B}[K"
        text += line + "\n"
        if let status { text += status }
        writeStandardError(text)
    }

    /// Shows `line` as the progress line (replacing the last one); nil clears it.
    func setStatus(_ line: String?) {
        lock.lock()
        defer { lock.unlock() }
        status = line
        writeStandardError("\r" + (line ?? "") + "\u{1B}[K")
    }

    private func writeStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { Foundation.write(2, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}

/// The progress line on a terminal: files done/total, bytes, MB/s, rows, elapsed and ETA,
/// redrawn four times a second by its own thread.
final class Progress: @unchecked Sendable {
    // SAFETY: the counters are only touched under `lock`.
    private let lock = NSLock()
    private let reporter: ErrorReporter
    private let totalFiles: Int
    private let totalBytes: Int
    private let started = Date()
    private var files = 0, bytes = 0, rows = 0, errors = 0
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(reporter: ErrorReporter, totalFiles: Int, totalBytes: Int) {
        self.reporter = reporter
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
        let t = Thread { [self] in
            while true {
                usleep(250_000)
                lock.lock()
                let stop = stopped
                let line = stop ? nil : self.line()
                lock.unlock()
                if stop { break }
                reporter.setStatus(line)
            }
            finished.signal()
        }
        t.start()
    }

    func update(files: Int, bytes: Int, rows: Int, errors: Int) {
        lock.lock()
        (self.files, self.bytes, self.rows, self.errors) = (files, bytes, rows, errors)
        lock.unlock()
    }

    /// Stops the redraws and clears the line.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        finished.wait()
        reporter.setStatus(nil)
    }

    private func line() -> String {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(bytes) / 1e6 / elapsed : 0
        var eta = "ETA --"
        if totalBytes > 0, bytes > 0 {
            eta = "ETA " + Self.clock(elapsed * Double(max(0, totalBytes - bytes)) / Double(bytes))
        }
        return "zhibiao: \(files)/\(totalFiles) files, "
            + String(format: "%.1f/%.1f MB, %.1f MB/s, ", Double(bytes) / 1e6, Double(totalBytes) / 1e6, rate)
            + "\(rows) rows, \(Self.clock(elapsed)), \(eta)"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
