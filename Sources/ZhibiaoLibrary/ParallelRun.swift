#if canImport(Glibc)
import Glibc
#endif
import Extraction
import Input
import Output
import ZhibiaoCore

/// Totals of a run: files read whole, input bytes, rows, files that failed.
public struct RunSummary: Sendable {
    /// Inputs read to their end without an error.
    public var files = 0
    /// Raw input bytes read.
    public var bytes = 0
    /// Rows written or delivered.
    public var rows = 0
    /// Inputs that failed (missing, unreadable, binary, an extraction error).
    public var errors = 0
    /// Zero totals.
    public init() {}
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

/// What a worker made of one work item: rows as output bytes or as `Indicator` values, and problems.
struct ItemResult: Sendable {
    var fileIndex: Int
    var rows: [UInt8] = []
    var indicators: [Indicator] = []
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
/// current input, then extracts it; one huge file therefore keeps every core busy. Reading
/// holds only `readLock` (one reader at a time, so chunks get their sequence numbers in
/// document order), never `condition`, so the other workers deliver results and the writer
/// takes them meanwhile. Workers run at most `window` items ahead of the writer, and one
/// input is open at a time, so memory is bounded by the window and the chunk size, never
/// by the corpus or the file size.
public final class ParallelRun: @unchecked Sendable {
    // SAFETY: `nextFile` and `current` are only touched under `readLock`; the rest of the
    // mutable state below only under `condition`. A thread holding `readLock` may take
    // `condition` (never the other way round), so the two cannot deadlock.
    /// The compiled patterns, shared by the workers.
    public let engine: ExtractionEngine
    /// What each worker's extractor reports.
    public let options: ExtractionOptions
    /// What the workers make of each chunk's rows.
    public let rows: Rows
    /// The encoding forced on every input, or nil to detect it per input.
    public let encoding: TextEncoding?
    /// Worker threads.
    public let jobs: Int
    /// How inputs are read and cut into chunks.
    public let chunking: ChunkingOptions

    /// What the workers make of each chunk's rows.
    public enum Rows: Sendable {
        /// Bytes of an output format, formatted on the workers (the command line's way).
        case formatted(RowWriter)
        /// `Indicator` values with owned strings (for programs).
        case indicators
    }

    /// One work item's output, handed to `process`'s `deliver` in input order.
    public struct Delivery {
        /// The input the rows come from, as named in the `file` column.
        public var file: String
        /// Formatted rows (`Rows.formatted`), or empty.
        public var bytes: [UInt8]
        /// Rows as values (`Rows.indicators`), or empty.
        public var indicators: [Indicator]
        /// Problems met (an unreadable file, replaced bytes), one line each, without the program name.
        public var messages: [String]
        /// True for the input's last work item.
        public var endsInput: Bool
    }

    private let condition = ThreadCondition()
    /// Serializes reading: opening inputs and cutting chunks from `current`.
    private let readLock = ThreadCondition()
    private var inputs: [InputSource] = []
    private var results: [Int: ItemResult] = [:]
    private var nextSequence = 0
    private var nextToWrite = 0
    private var window = 0
    /// The next input to open (under `readLock`).
    private var nextFile = 0
    /// Bytes of text cut into chunks so far, and that count at the last `releaseFreeMemory`
    /// (under `readLock`).
    private var textRead = 0
    private var trimmedAt = 0
    /// Text read between two calls of `releaseFreeMemory` at least: its cost (the pages it
    /// frees are faulted in again when reused) stays a small share of the run.
    static let trimInterval = 64 << 20
    /// The input being cut into chunks (under `readLock`).
    private var current: (index: Int, reader: DocumentReader, position: TextPosition)?
    /// Output buffers already written, kept for reuse (at most `jobs + 1`, each at most
    /// `spareCapacity`): a worker fills a warm buffer instead of growing a fresh one (page
    /// faults, copies) for every chunk. Fewer than the `window` of items in flight: only
    /// buffers about to be needed again stay resident.
    private var spareBuffers: [[UInt8]] = []
    /// Largest output buffer kept for reuse: the rows of a `maxChunk` chunk of prose (a long
    /// line's) fit; a bigger one (a dense chunk, a giant number) is freed once written.
    private var spareCapacity: Int { 2 * chunking.maxChunk }
    /// Set when the run ends early: workers claim nothing more.
    private var stopped = false

    /// - Parameters:
    ///   - jobs: worker threads (at least 1); the deliveries come in the same order whatever it is.
    ///   - encoding: read every input as this encoding instead of detecting it.
    public init(engine: ExtractionEngine, options: ExtractionOptions = ExtractionOptions(), rows: Rows, encoding: TextEncoding? = nil,
                jobs: Int, chunking: ChunkingOptions = ChunkingOptions()) {
        self.engine = engine
        self.options = options
        self.rows = rows
        self.encoding = encoding
        self.jobs = max(1, jobs)
        self.chunking = chunking
    }

    /// Reads and extracts `inputs` on `jobs` threads and calls `deliver` on this thread with
    /// each work item's rows, in input order (inputs as given, chunks in document order), and
    /// `progress` after each with the totals so far. A `deliver` that throws stops the run
    /// (the workers finish their current chunk) and the error is rethrown.
    public func process(_ inputs: [InputSource], deliver: (inout Delivery) throws -> Void,
                        progress: ((RunSummary) -> Void)? = nil) throws -> RunSummary {
        self.inputs = inputs
        window = max(4, jobs * 4)
        var summary = RunSummary()
        guard !inputs.isEmpty else { return summary }
        for _ in 0..<jobs {
            detachThread(stackSize: 8 << 20) { [self] in self.work() }
        }
        defer { stop() }
        var sequence = 0
        var filesDone = 0
        var fileFailed = false
        while filesDone < inputs.count {
            var result = take(sequence)
            sequence += 1
            fileFailed = fileFailed || result.failed
            summary.bytes += result.bytes
            summary.rows += result.rowCount
            var delivery = Delivery(file: inputs[result.fileIndex].displayName, bytes: result.rows, indicators: result.indicators,
                                    messages: result.messages, endsInput: result.isLast)
            result.rows = []
            try deliver(&delivery)
            // The buffer leaves `delivery` so that it is referenced once: emptied in place and
            // kept, not copied into a new allocation (whose pages would fault again).
            var written: [UInt8] = []
            swap(&written, &delivery.bytes)
            recycle(consume written)
            if result.isLast {
                if fileFailed { summary.errors += 1 } else { summary.files += 1 }
                fileFailed = false
                filesDone += 1
            }
            progress?(summary)
        }
        return summary
    }

    /// Tells the workers to claim no more work (after an error in `deliver`). It does not wait
    /// for a read in progress (standard input may block): the next claim closes the input.
    private func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next work item with its sequence number; nil when all inputs are claimed or the run
    /// stopped. The chunk is read and decoded under `readLock` only.
    private func claim() -> (Int, WorkItem)? {
        readLock.lock()
        defer { readLock.unlock() }
        guard current != nil || nextFile < inputs.count else { return nil }
        guard let sequence = reserveSequence() else {
            current = nil   // closes the input now rather than when the run is freed
            nextFile = inputs.count
            return nil
        }
        return (sequence, readItem())
    }

    /// The sequence number of the next work item, once it is within `window` of the writer;
    /// nil once the run stopped. Called under `readLock`, so numbers follow reading order.
    private func reserveSequence() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextSequence - nextToWrite >= window && !stopped { condition.wait() }
        if stopped { return nil }
        defer { nextSequence += 1 }
        return nextSequence
    }

    /// Reads the next chunk of the current input (opening the next input first if none is
    /// open), or the failure to open or read it. Called under `readLock`, with an input left.
    private func readItem() -> WorkItem {
        if current == nil {
            let index = nextFile
            nextFile += 1
            do {
                current = (index, try DocumentReader(inputs[index], encoding: encoding, options: chunking), TextPosition())
            } catch {
                return WorkItem(fileIndex: index, isLast: true, messages: [Self.describe(error, inputs[index])], failed: true)
            }
        }
        let (index, reader, position) = current!
        let before = reader.bytesRead
        var item: WorkItem
        do {
            guard let chunk = try reader.nextChunk() else { preconditionFailure("a document ends with its last chunk") }
            item = WorkItem(fileIndex: index, text: chunk.text, start: position, isLast: chunk.isLast, bytes: reader.bytesRead - before)
            textRead += chunk.text.count
            if chunk.isLast {
                if reader.replacements > 0, let e = reader.encoding {
                    item.messages.append("\(reader.name): \(reader.replacements) invalid byte sequence(s) in \(e.rawValue) replaced with U+FFFD")
                }
                current = nil
            } else {
                if position.byteOffset == 0 && textRead - trimmedAt >= Self.trimInterval {
                    Self.releaseFreeMemory()   // a big input starts: see releaseFreeMemory
                    trimmedAt = textRead
                }
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
        return item
    }

    /// Hands the allocator's free pages back to the system (glibc's malloc_trim, looked up at
    /// run time; nothing elsewhere). Called as the first chunk of an input of more than one
    /// chunk is cut, at most once per `trimInterval` of text: the inputs before it leave free
    /// memory scattered over each thread's arena, which would otherwise stay resident while
    /// the big input's buffers take new pages.
    static func releaseFreeMemory() {
        guard let trim = mallocTrim else { return }
        _ = trim(0)
    }

    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

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
        guard rows.capacity > 0, rows.capacity <= spareCapacity else { return }
        rows.removeAll(keepingCapacity: true)
        condition.lock()
        if spareBuffers.count <= jobs { spareBuffers.append(rows) }
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
                deliver(sequence, ItemResult(fileIndex: item.fileIndex, bytes: item.bytes, isLast: item.isLast, messages: item.messages + ["\(error)"], failed: true))
            }
            return
        }
        while let (sequence, item) = claim() {
            deliver(sequence, process(item, with: extractor))
        }
    }

    /// Extracts one work item: into a recycled output buffer (the rows are formatted on this
    /// worker, straight from the chunk's bytes), or into `Indicator` values.
    func process(_ item: WorkItem, with extractor: Extractor) -> ItemResult {
        var result = ItemResult(fileIndex: item.fileIndex, bytes: item.bytes, isLast: item.isLast, messages: item.messages, failed: item.failed)
        guard !item.text.isEmpty else { return result }
        let source = inputs[item.fileIndex]
        var name = source.displayName
        var failure: ZhibiaoError?
        switch rows {
        case .formatted(let writer):
            var sink = FormattedRows(writer: writer, bytes: spareBuffer())
            // Room for the rows of prose (about 1.3 bytes per byte of text) without growing by
            // doubling, which would hold the old and the new buffer at once on a long chunk.
            // Rounded up to whole MiB, so that the next chunk of about the same size finds a
            // recycled buffer big enough (and is not moved to new pages for a few bytes more).
            let room = (item.text.count + item.text.count / 2 + (1 << 20) - 1) & ~((1 << 20) - 1)
            if sink.bytes.capacity < room { sink.bytes.reserveCapacity(room) }
            failure = Self.extract(item, with: extractor, name: &name, into: &sink)
            result.rows = sink.bytes
            result.rowCount = sink.count
        case .indicators:
            var sink = IndicatorCollector()
            failure = Self.extract(item, with: extractor, name: &name, into: &sink)
            result.indicators = sink.indicators
            result.rowCount = sink.indicators.count
        }
        if let failure {
            result.messages.append(Self.describe(failure, source))
            result.failed = true
        }
        return result
    }

    static func extract<Sink: IndicatorSink>(_ item: WorkItem, with extractor: Extractor, name: inout String,
                                            into sink: inout Sink) -> ZhibiaoError? {
        name.withUTF8 { file in
            item.text.withUnsafeBufferPointer { buffer in
                do throws(ZhibiaoError) {
                    try extractor.extract(buffer, startingAt: item.start, file: file, into: &sink)
                    return nil
                } catch { return error }
            }
        }
    }
}
