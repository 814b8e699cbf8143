#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZhibiaoCore

/// Where a document's bytes come from, block by block.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ZhibiaoError) -> Int
}

/// A file or standard input, read with read(2).
public final class FileByteSource: ByteSource {
    let fd: Int32
    let name: String
    let ownsDescriptor: Bool

    /// Opens `input` for reading.
    /// - Throws: `.missingPath` or `.unreadable` (also for a directory) naming the file and the cause.
    public init(_ input: InputSource) throws(ZhibiaoError) {
        name = input.displayName
        switch input {
        case .standardInput:
            fd = 0
            ownsDescriptor = false
        case .file(let path):
            let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
            if fd < 0 {
                let code = errno
                throw ZhibiaoError(code == ENOENT ? .missingPath : .unreadable, path: path.displayName,
                                   code == ENOENT ? "no such file or directory" : String(cString: strerror(code)))
            }
            var st = stat()
            if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw ZhibiaoError(.unreadable, path: path.displayName, "is a directory")
            }
            self.fd = fd
            ownsDescriptor = true
        }
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ZhibiaoError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ZhibiaoError(.unreadable, path: name, "read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes already in memory, handed out in the given blocks (for tests and small inputs).
public final class MemoryByteSource: ByteSource {
    var blocks: [[UInt8]]
    var blockIndex = 0
    var offset = 0
    /// A source that hands out `blocks` one read at a time (at most one block per read).
    public init(blocks: [[UInt8]]) { self.blocks = blocks }
    /// A source of `bytes`.
    public convenience init(_ bytes: [UInt8]) { self.init(blocks: [bytes]) }

    /// Copies the next bytes of the current block; 0 when all blocks are handed out.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ZhibiaoError) -> Int {
        while blockIndex < blocks.count, offset >= blocks[blockIndex].count { blockIndex += 1; offset = 0 }
        guard blockIndex < blocks.count else { return 0 }
        let block = blocks[blockIndex]
        let n = min(buffer.count, block.count - offset)
        block.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

/// How a document is cut into chunks for extraction.
public struct ChunkingOptions: Sendable {
    /// Bytes per read(2).
    public var readSize: Int
    /// A chunk is cut at the last line end once this much text is waiting.
    public var targetChunk: Int
    /// When no line end comes within this many bytes, the chunk is cut after the last
    /// sentence end (。！？；), else after the last space, ， or 、 not between digits,
    /// else at a character boundary; never inside a run of digits or numerals (see `hardLimit`).
    public var maxChunk: Int
    /// A run of digits or numerals longer than `maxChunk` is kept whole in one chunk up to
    /// this size; only a longer run is cut, and the chunk says so (`cutInsideNumber`).
    public var hardLimit: Int
    /// How far past `targetChunk` a chunk may grow to end outside a table (a table, its title
    /// and unit statement then reach the extractor whole); a longer table is cut at a line end.
    public var tableSlack: Int
    /// Input is checked for binary content (more than one NUL byte) in blocks of this size:
    /// 8 KiB, or `targetChunk` when that is smaller (tests with tiny chunks). Text is decoded
    /// only once its block is checked, so what is read before binary content never depends
    /// on how the reads fall.
    public var binaryBlock: Int
    /// Sizes in bytes; `hardLimit` defaults to four times `maxChunk`.
    public init(readSize: Int = 1 << 20, targetChunk: Int = 1 << 20, maxChunk: Int = 4 << 20, hardLimit: Int? = nil, binaryBlock: Int? = nil,
                tableSlack: Int = 512 << 10) {
        precondition(readSize >= 1 && targetChunk >= 1 && maxChunk >= 8, "chunk sizes must be positive")
        self.readSize = readSize
        self.targetChunk = targetChunk
        self.maxChunk = max(maxChunk, targetChunk)
        self.hardLimit = max(hardLimit ?? 4 * self.maxChunk, self.maxChunk)
        self.binaryBlock = max(1, binaryBlock ?? min(8192, targetChunk))
        self.tableSlack = max(0, tableSlack)
    }
}

/// One piece of a document, valid UTF-8 without NUL bytes, cut at a safe place.
public struct TextChunk: Sendable {
    /// The chunk's text (UTF-8).
    public var text: [UInt8]
    /// The document ends with this chunk.
    public var isLast: Bool
    /// How the chunk ends: at a line end (lossless for extraction), or at a fallback cut in a very long line.
    public var endsAtLineEnd: Bool
    /// The chunk ends inside a run of digits longer than `hardLimit` (the numbers on both
    /// sides of the cut are incomplete; the caller warns).
    public var cutInsideNumber = false
}

/// Reads a document in bounded memory: reads blocks, decodes them as it goes, and cuts the
/// decoded text into chunks at line ends (a quantity, its label and its sentence never cross
/// a line), so any chunking gives the rows of the whole document. Memory is a few times
/// `maxChunk` (`hardLimit` for a giant number), whatever the file size.
///
/// Encoding: `--encoding`, else a byte-order mark, else each line is read as UTF-8 when it is
/// valid UTF-8 and as GB18030 when UTF-8 fails on it and GB18030 fails less (reports pasted
/// together mix both). Binary content: every 8 KiB block of the file (at offsets that are
/// multiples of 8 KiB) is checked before it is decoded; one with more than one NUL byte stops
/// the document with `.binaryContent` after the text before it. A stray NUL becomes U+FFFD
/// (counted in `replacements`), so no NUL reaches the output and columns stay right.
public final class DocumentReader {
    /// The input's name, for messages and the `file` column.
    public let name: String
    let source: ByteSource
    let forced: TextEncoding?
    let options: ChunkingOptions

    /// How bytes become text: one decoder for the whole document (forced or byte-order
    /// mark), or UTF-8 / GB18030 chosen line by line.
    private enum Mode { case fixed(StreamingDecoder), perLine }
    private var mode: Mode?
    private var checksNUL = true
    // Per-line mode: both decoders, the one a line longer than `maxChunk` was committed to
    // (until its line end), what was chosen, and scratch space for trials.
    private var utf8 = try! StreamingDecoder(.utf8)   // UTF-8 needs no converter: cannot fail
    private var gb: StreamingDecoder?
    private var committed: StreamingDecoder?
    private var sawGB = false
    private var chosenReplacements = 0
    private var nulReplacements = 0
    private var trial: [UInt8] = []

    /// Raw bytes read but not decoded yet, from file offset `rawOffset`: the part of an 8 KiB
    /// block not yet checked for NULs, and (per-line mode) the line not yet complete.
    private var raw: [UInt8] = []
    private var rawOffset = 0
    /// File offset up to which the NUL check is done.
    private var checked = 0
    /// The binary-content error found at some block, raised once the text before it is out.
    private var stopError: ZhibiaoError?

    private var pending: [UInt8] = []
    /// pending[0..<noLineEndBelow] holds no usable line end (saves rescanning a long line).
    private var noLineEndBelow = 0
    private var readBuffer: UnsafeMutableRawBufferPointer
    private var endOfInput = false
    private var finished = false
    /// Raw bytes read so far.
    public private(set) var bytesRead = 0

    /// A reader of `source`, in `forced` encoding or detecting it line by line.
    public init(source: ByteSource, name: String, encoding forced: TextEncoding? = nil, options: ChunkingOptions = ChunkingOptions()) {
        self.source = source
        self.name = name
        self.forced = forced
        self.options = options
        readBuffer = .allocate(byteCount: options.readSize, alignment: 16)
    }

    /// Opens a file or standard input.
    public convenience init(_ input: InputSource, encoding: TextEncoding? = nil, options: ChunkingOptions = ChunkingOptions()) throws(ZhibiaoError) {
        self.init(source: try FileByteSource(input), name: input.displayName, encoding: encoding, options: options)
    }

    deinit { readBuffer.deallocate() }

    /// The forced or detected encoding, known after the first chunk: with per-line
    /// detection, gb18030 when any line was read as GB18030, else utf-8.
    public var encoding: TextEncoding? {
        switch mode {
        case .fixed(let d): d.encoding
        case .perLine: sawGB ? .gb18030 : .utf8
        case nil: nil
        }
    }

    /// Invalid byte sequences and NUL bytes replaced with U+FFFD so far.
    public var replacements: Int {
        switch mode {
        case .fixed(let d): d.replacements + nulReplacements
        case .perLine: chosenReplacements + nulReplacements
        case nil: 0
        }
    }

    /// The next chunk, or nil after the last one. An empty document gives one empty last chunk.
    /// - Throws: `.binaryContent`, `.decoding` or `.unreadable`; the document cannot be read further.
    public func nextChunk() throws(ZhibiaoError) -> TextChunk? {
        guard !finished else { return nil }
        while true {
            if endOfInput {
                if pending.count <= options.maxChunk {
                    if let stopError {
                        // Binary content: the text before it first, then the error.
                        guard pending.isEmpty else { return take(pending.count, atLineEnd: false) }
                        finished = true
                        throw stopError
                    }
                    finished = true
                    let text = pending
                    pending = []
                    return TextChunk(text: text, isLast: true, endsAtLineEnd: true)
                }
            } else if pending.count < options.targetChunk {
                try fill()
                continue
            }
            let limit = min(pending.count, options.maxChunk)
            if let cut = lineEndOutsideTable(before: limit) { return take(cut, atLineEnd: true) }
            // Inside a table: read on, up to `tableSlack` past the target, for a line end outside it.
            let tableLimit = min(options.maxChunk, options.targetChunk + options.tableSlack)
            if pending.count < tableLimit && !endOfInput { try fill(); continue }
            if let cut = lastLineEnd(before: min(limit, tableLimit)) ?? lastLineEnd(before: limit) { return take(cut, atLineEnd: true) }
            noLineEndBelow = limit
            if pending.count < options.maxChunk && !endOfInput {
                try fill()
                continue
            }
            var cut = fallbackCut(before: limit)
            if cut == pending.count && !endOfInput && cut > 0 && Self.numeralScalars.contains(scalar(at: scalarStart(before: cut)).0) {
                try fill()   // a number up to the end of what is read: see whether it goes on
                continue
            }
            var insideNumber = false
            if let start = numeralRunStart(cut: cut) {
                if start > 0 {
                    cut = start   // the number starts the next chunk
                } else if let end = numeralRunEnd(from: cut, before: min(pending.count, options.hardLimit)) {
                    cut = end     // a run longer than maxChunk: kept whole, the chunk grows up to hardLimit
                } else if endOfInput && pending.count <= options.hardLimit {
                    cut = pending.count   // the run ends the document
                } else if pending.count < options.hardLimit && !endOfInput {
                    try fill()
                    continue
                } else {
                    cut = characterBoundary(atOrBefore: min(pending.count, options.hardLimit))
                    insideNumber = true
                }
            }
            var chunk = take(cut, atLineEnd: false)
            chunk.cutInsideNumber = insideNumber
            return chunk
        }
    }

    private func take(_ cut: Int, atLineEnd: Bool) -> TextChunk {
        let text = Array(pending[0..<cut])
        pending.removeSubrange(0..<cut)
        noLineEndBelow = 0
        return TextChunk(text: text, isLast: false, endsAtLineEnd: atLineEnd)
    }

    /// Reads one block (the first: as much as fits, for the byte-order mark), checks the
    /// 8 KiB blocks it completes for NULs and decodes what is checked.
    private func fill() throws(ZhibiaoError) {
        var count = 0
        repeat {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: readBuffer[count...]))
            if n == 0 { endOfInput = true; break }
            count += n
        } while mode == nil && count < readBuffer.count
        bytesRead += count
        if raw.count + count > raw.capacity, raw.count >= options.readSize {
            // A line longer than a read is gathered (its head decides its encoding): room for
            // all of it at once, not a chain of doublings that each copy and touch new pages.
            raw.reserveCapacity(max(raw.count + count, options.maxChunk + 2 * options.readSize))
        }
        raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
        if mode == nil { chooseMode() }
        var end = rawOffset + raw.count
        if checksNUL {
            end = checkForNUL()
            if stopError != nil { endOfInput = true }   // nothing after the binary block is read
        }
        let final = endOfInput
        let usable = end - rawOffset
        let consumed = try raw.withUnsafeBufferPointer { (b) throws(ZhibiaoError) -> Int in
            let start = pending.count
            defer { replaceNULs(from: start) }
            let bytes = UnsafeBufferPointer(rebasing: b[0..<usable])
            switch mode! {
            case .fixed(let d):
                try d.decode(bytes, final: final, into: &pending)
                return usable
            case .perLine:
                return try decodeLines(bytes, final: final)
            }
        }
        raw.removeSubrange(0..<consumed)
        rawOffset += consumed
        // The head of a long line (up to maxChunk, read to choose its encoding) is decoded:
        // let its room go rather than keep megabytes resident until the document ends.
        if raw.count < options.readSize && raw.capacity > 2 * options.readSize { raw = Array(raw) }
    }

    /// --encoding, else a byte-order mark (skipped), else per-line UTF-8 / GB18030.
    private func chooseMode() {
        func starts(_ prefix: [UInt8]) -> Bool { raw.starts(with: prefix) }
        let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF], leBOM: [UInt8] = [0xFF, 0xFE], beBOM: [UInt8] = [0xFE, 0xFF]
        var chosen: TextEncoding?
        var skip = 0
        if let forced {
            chosen = forced
            switch forced {
            case .utf8: skip = starts(utf8BOM) ? 3 : 0
            case .utf16le: skip = starts(leBOM) ? 2 : 0
            case .utf16be: skip = starts(beBOM) ? 2 : 0
            case .gb18030: skip = 0
            }
        } else if starts(utf8BOM) { chosen = .utf8; skip = 3 }
        else if starts(leBOM) { chosen = .utf16le; skip = 2 }
        else if starts(beBOM) { chosen = .utf16be; skip = 2 }
        if let chosen {
            // UTF-16 text is full of NUL bytes; its U+0000 characters are still replaced.
            checksNUL = chosen == .utf8 || chosen == .gb18030
            mode = .fixed(chosen == .utf8 ? utf8 : try! StreamingDecoder(chosen))   // ICU has these converters
        } else {
            mode = .perLine
        }
        raw.removeSubrange(0..<skip)
        rawOffset = skip
        checked = skip
    }

    /// Checks each 8 KiB block that is complete (or ends the input) for NUL bytes; returns the
    /// file offset up to which bytes may be decoded. A block with more than one NUL sets
    /// `stopError` and ends the decodable part at its start.
    private func checkForNUL() -> Int {
        let available = rawOffset + raw.count
        raw.withUnsafeBufferPointer { b in
            while checked < available, stopError == nil {
                let blockEnd = (checked / options.binaryBlock + 1) * options.binaryBlock
                guard blockEnd <= available || endOfInput else { break }
                let from = checked - rawOffset, to = min(blockEnd, available) - rawOffset
                var nul = 0
                var p = from
                while p < to, let hit = memchr(b.baseAddress! + p, 0, to - p) {
                    nul += 1
                    p = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - b.baseAddress! + 1
                }
                if nul > 1 {
                    let blockStart = checked / options.binaryBlock * options.binaryBlock
                    stopError = ZhibiaoError(.binaryContent, path: name,
                        "binary content (NUL bytes) at byte \(blockStart), not text; the text before it was read. "
                        + "For UTF-16 without a byte-order mark use --encoding")
                    return
                }
                checked = min(blockEnd, available)
            }
        }
        if stopError != nil {
            // Decode up to the start of the binary block (it may be in the part checked before).
            return max(rawOffset, checked / options.binaryBlock * options.binaryBlock)
        }
        return checked
    }

    /// Replaces each NUL byte in pending[start...] with U+FFFD (same one character, so columns stay right).
    private func replaceNULs(from start: Int) {
        guard start < pending.count else { return }
        let first = pending.withUnsafeBufferPointer { b in
            memchr(b.baseAddress! + start, 0, b.count - start).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - b.baseAddress! }
        }
        guard let first else { return }
        var out = Array(pending[first...])
        pending.removeSubrange(first...)
        for byte in out {
            if byte == 0 { pending += [0xEF, 0xBF, 0xBD]; nulReplacements += 1 } else { pending.append(byte) }
        }
        out = []
    }

    // MARK: Per-line encoding

    @inline(__always) private static func isLineEnd(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }

    /// The index of the first LF or CR in b[from..<to], or nil (memchr: a long line is
    /// crossed at memory speed, not a byte at a time).
    private static func firstLineEnd(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        guard from < to, let base = b.baseAddress else { return nil }
        func find(_ c: Int32, _ count: Int) -> Int? {
            memchr(base + from, c, count).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base }
        }
        let lf = find(0x0A, to - from)
        return find(0x0D, (lf ?? to) - from) ?? lf
    }

    /// Decodes the complete lines of `b` (all of it when `final`), each as UTF-8 when valid and
    /// else in the encoding it fails less in; returns how many bytes were used. A line longer
    /// than `maxChunk` is decided on its first `maxChunk` bytes and committed to that decoder
    /// until its end. CR and LF are single bytes in both encodings, never part of a character.
    private func decodeLines(_ b: UnsafeBufferPointer<UInt8>, final: Bool) throws(ZhibiaoError) -> Int {
        let n = b.count
        var i = 0
        if let decoder = committed {
            // Inside a long line: everything up to its end goes to the chosen decoder.
            let end = Self.firstLineEnd(b, 0, n) ?? n
            let lineDone = end < n
            let upTo = lineDone ? end + 1 : n
            try decodeCounted(decoder, UnsafeBufferPointer(rebasing: b[0..<upTo]), final: final && !lineDone)
            if !lineDone { return n }
            committed = nil
            i = upTo
        }
        var limit = n
        if !final {
            // A long line without its end yet: one memchr pass, not a byte loop per block read.
            if Self.firstLineEnd(b, i, n) == nil { limit = i }
            while limit > i, !Self.isLineEnd(b[limit - 1]) { limit -= 1 }
        }
        var copied = i
        var lineStart = i
        while i < limit {
            let c = b[i]
            if c < 0x80 {
                if Self.isLineEnd(c) { lineStart = i + 1 }
                // ASCII runs, 8 bytes at a time (a line end among them moves no decision:
                // lineStart only bounds the search back for one).
                i = StreamingDecoder.asciiRun(b, from: i + 1, to: limit)
                continue
            }
            // Chinese text: a run of three-byte characters taken without the general check.
            let k = StreamingDecoder.threeByteRun(b, from: i, to: limit)
            if k != i { i = k; continue }
            let (len, status) = StreamingDecoder.classify(b, i, limit)
            if status == .valid { i += len; continue }
            // Not UTF-8: this whole line is decided on its own.
            var s = i
            while s > lineStart, !Self.isLineEnd(b[s - 1]) { s -= 1 }
            if s > copied { pending.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<s])) }
            var e = i
            while e < limit, !Self.isLineEnd(b[e]) { e += 1 }
            let end = e < limit ? e + 1 : limit
            try decodeLine(UnsafeBufferPointer(rebasing: b[s..<end]), final: final && end == n)
            i = end
            copied = end
            lineStart = end
        }
        if limit > copied { pending.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<limit])) }
        if !final && n - limit >= options.maxChunk {
            // A line longer than maxChunk: decide on its first maxChunk bytes, then stream it.
            let split = limit + options.maxChunk
            // The chunks of this line are cut from `pending` at up to maxChunk: room for that
            // once, rather than doublings that each copy and touch new pages.
            pending.reserveCapacity(pending.count + (n - limit) + options.readSize)
            // The usual case, a head that is valid UTF-8 (what `choose` would pick without a
            // trial): decoded straight away, so the head is read once, not twice.
            let mark = pending.count, before = utf8.replacements
            try utf8.decode(UnsafeBufferPointer(rebasing: b[limit..<split]), final: false, into: &pending)
            if utf8.replacements == before {
                committed = utf8
                try decodeCounted(utf8, UnsafeBufferPointer(rebasing: b[split..<n]), final: false)
                return n
            }
            pending.removeSubrange(mark...)
            utf8.rewind(toReplacements: before)
            let choice = choose(UnsafeBufferPointer(rebasing: b[limit..<split]), final: false)
            committed = choice
            if choice === utf8 {
                try decodeCounted(utf8, UnsafeBufferPointer(rebasing: b[limit..<n]), final: false)
            } else {
                pending += trial   // the head, decoded by the trial
                chosenReplacements += trialErrors
                sawGB = true
                try decodeCounted(choice, UnsafeBufferPointer(rebasing: b[split..<n]), final: false)
            }
            return n
        }
        return limit
    }

    /// Decodes one line (with its line end) in the encoding it is valid in, or fails less in.
    private func decodeLine(_ line: UnsafeBufferPointer<UInt8>, final: Bool) throws(ZhibiaoError) {
        let decoder = choose(line, final: final)
        if decoder === gb {
            // The trial output is the result.
            pending += trial
            chosenReplacements += trialErrors
            sawGB = true
        } else {
            try decodeCounted(decoder, line, final: final)
        }
    }

    /// Replacements the last GB18030 trial made (added to `replacements` when it is kept).
    private var trialErrors = 0

    /// UTF-8 when the line has no invalid sequence or at least four valid multi-byte
    /// characters per invalid one (UTF-8 with a few damaged bytes); else GB18030 when it
    /// decodes the line with fewer errors. A GB18030 trial leaves its text in `trial`.
    private func choose(_ line: UnsafeBufferPointer<UInt8>, final: Bool) -> StreamingDecoder {
        var valid = 0, invalid = 0, i = 0
        let n = line.count
        while i < n {
            let c = line[i]
            if c < 0x80 { i += 1; continue }
            // A three-byte character (leads E1–EC, EE, EF), the common case, as in decodeLines.
            if c >= 0xE1, c <= 0xEF, c != 0xED, i + 2 < n, line[i + 1] & 0xC0 == 0x80, line[i + 2] & 0xC0 == 0x80 {
                valid += 1
                i += 3
                continue
            }
            let (len, status) = StreamingDecoder.classify(line, i, n)
            switch status {
            case .valid: valid += 1
            case .invalid: invalid += 1
            case .truncated: if final { invalid += 1 }
            }
            i += len
        }
        guard invalid > 0, valid < 4 * invalid else { return utf8 }
        if gb == nil { gb = try! StreamingDecoder(.gb18030) }   // ICU has GB18030 (checked at startup by the tests)
        let before = gb!.replacements
        trial.removeAll(keepingCapacity: true)
        try? gb!.decode(line, final: final, into: &trial)
        trialErrors = gb!.replacements - before
        if trialErrors < invalid { return gb! }
        if !final && !Self.lineComplete(line) { gb = nil }   // a trial on part of a line leaves state behind
        return utf8
    }

    private static func lineComplete(_ line: UnsafeBufferPointer<UInt8>) -> Bool { line.last.map(isLineEnd) ?? false }

    private func decodeCounted(_ decoder: StreamingDecoder, _ bytes: UnsafeBufferPointer<UInt8>, final: Bool) throws(ZhibiaoError) {
        let before = decoder.replacements
        try decoder.decode(bytes, final: final, into: &pending)
        chosenReplacements += decoder.replacements - before
        if decoder === gb { sawGB = true }
    }

    /// The cut just after the last line end in pending[..<limit]: after LF, or after a CR not
    /// followed by LF (CRLF is never split, so the line count stays right).
    private func lastLineEnd(before limit: Int) -> Int? {
        pending.withUnsafeBufferPointer { b -> Int? in
            // A CRLF straddling the limit is a line end just past it.
            if limit >= 1, limit < b.count, b[limit - 1] == 0x0D, b[limit] == 0x0A { return limit + 1 }
            if Self.firstLineEnd(b, noLineEndBelow, limit) == nil { return nil }   // a long line: no byte loop
            var i = limit - 1
            while i >= noLineEndBelow {
                let c = b[i]
                if c == 0x0A { return i + 1 }
                if c == 0x0D {
                    if i + 1 < b.count { if b[i + 1] != 0x0A { return i + 1 } } else if endOfInput { return i + 1 }
                }
                i -= 1
            }
            return nil
        }
    }

    /// The last line end (LF) before `limit` that cuts no table: the line before it and the
    /// two lines after it hold no TAB. A table (lines of TAB-separated cells), its title and
    /// its unit statement (单位：元) then stay in one chunk, so the table reader, which looks
    /// back two lines from a table, gives the same rows however the document is cut. Nil when
    /// every line end before `limit` is inside or next to a table, or the lines after it are
    /// not read yet.
    private func lineEndOutsideTable(before limit: Int) -> Int? {
        pending.withUnsafeBufferPointer { b -> Int? in
            let n = b.count
            /// The end (index of the LF, or n) of the line starting at `start`, and whether it holds a TAB.
            func line(from start: Int) -> (end: Int, hasTab: Bool)? {
                var i = start
                var tab = false
                while i < n {
                    let c = b[i]
                    if c == 0x0A { return (i, tab) }
                    if c == 0x09 { tab = true }
                    i += 1
                }
                return endOfInput ? (n, tab) : nil   // an unfinished last line decides nothing yet
            }
            let from = max(0, noLineEndBelow)
            if from >= limit || memchr(b.baseAddress! + from, 0x0A, limit - from) == nil { return nil }   // a long line: no byte loop
            var i = limit - 1
            while i >= noLineEndBelow {
                guard b[i] == 0x0A else { i -= 1; continue }
                let cut = i + 1
                // The line before the cut.
                var j = i - 1
                var tabBefore = false
                while j >= 0 && b[j] != 0x0A { if b[j] == 0x09 { tabBefore = true }; j -= 1 }
                if !tabBefore, let first = line(from: cut), !first.hasTab {
                    if first.end >= n { return cut }
                    if let second = line(from: first.end + 1), !second.hasTab { return cut }
                }
                i = j   // the LF ending the line before, or -1
            }
            return nil
        }
    }

    /// A cut in a line longer than maxChunk: after the last 。！？； (and closing quotes or
    /// brackets right after it), else after the last space, tab, U+3000, ，、 or , that is not
    /// between digits, else at the last character boundary.
    private func fallbackCut(before limit: Int) -> Int {
        pending.withUnsafeBufferPointer { b -> Int in
            func isDigit(_ i: Int) -> Bool { i >= 0 && i < b.count && b[i] >= 0x30 && b[i] <= 0x39 }
            func threeByte(_ end: Int, _ x: UInt8, _ y: UInt8, _ z: UInt8) -> Bool {
                end >= 3 && b[end - 3] == x && b[end - 2] == y && b[end - 1] == z
            }
            // Sentence ends; `end` is the exclusive end of the character.
            var end = limit
            while end >= 3 {
                if threeByte(end, 0xE3, 0x80, 0x82) || threeByte(end, 0xEF, 0xBC, 0x81)
                    || threeByte(end, 0xEF, 0xBC, 0x9F) || threeByte(end, 0xEF, 0xBC, 0x9B) {
                    var cut = end
                    // Quotes and brackets right after it stay with the sentence, as in ICU.
                    while cut < limit, case let n = closingLength(b, cut, limit), n > 0 { cut += n }
                    return cut
                }
                end -= 1
            }
            end = limit
            while end >= 1 {
                let c = b[end - 1]
                var start = -1
                if c == 0x20 || c == 0x09 || c == 0x2C { start = end - 1 }
                else if threeByte(end, 0xE3, 0x80, 0x80) || threeByte(end, 0xE3, 0x80, 0x81) || threeByte(end, 0xEF, 0xBC, 0x8C) { start = end - 3 }
                if start >= 0, !(isDigit(start - 1) && isDigit(end)) { return end }
                end -= 1
            }
            var cut = limit
            while cut > 0, cut < b.count, b[cut] & 0xC0 == 0x80 { cut -= 1 }
            return cut > 0 ? cut : limit
        }
    }

    // MARK: Runs of digits

    /// Digits, full-width digits, Chinese and financial numerals, and the . and , inside numbers.
    private static let numeralScalars: Set<UInt32> = {
        var set = Set<UInt32>((0x30...0x39).map { UInt32($0) } + [0x2E, 0x2C] + (0xFF10...0xFF19).map { UInt32($0) } + [0xFF0E])
        for c in "〇一二三四五六七八九十百千万亿零两壹贰叁肆伍陆柒捌玖拾佰仟萬億兩".unicodeScalars { set.insert(c.value) }
        return set
    }()

    /// The scalar starting at `i` in pending (valid UTF-8) and its length.
    private func scalar(at i: Int) -> (UInt32, Int) {
        pending.withUnsafeBufferPointer { b in
            let c = b[i]
            if c < 0x80 { return (UInt32(c), 1) }
            let len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
            var v = UInt32(c) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
            for k in 1..<len where i + k < b.count { v = v << 6 | UInt32(b[i + k] & 0x3F) }
            return (v, len)
        }
    }

    /// The start of the scalar that ends just before `end`.
    private func scalarStart(before end: Int) -> Int {
        var i = end - 1
        while i > 0, pending[i] & 0xC0 == 0x80 { i -= 1 }
        return i
    }

    /// When `cut` falls between two numeral characters, the start of that run; else nil.
    private func numeralRunStart(cut: Int) -> Int? {
        guard cut > 0, cut < pending.count, Self.numeralScalars.contains(scalar(at: cut).0) else { return nil }
        var start = scalarStart(before: cut)
        guard Self.numeralScalars.contains(scalar(at: start).0) else { return nil }
        while start > 0 {
            let previous = scalarStart(before: start)
            guard Self.numeralScalars.contains(scalar(at: previous).0) else { break }
            start = previous
        }
        return start
    }

    /// The end of the numeral run going through `from`, when it ends before `bound`.
    private func numeralRunEnd(from: Int, before bound: Int) -> Int? {
        var i = from
        while i < bound {
            let (v, len) = scalar(at: i)
            if !Self.numeralScalars.contains(v) { return i }
            i += len
        }
        return nil
    }

    /// The last character boundary at or before `i`.
    private func characterBoundary(atOrBefore i: Int) -> Int {
        var cut = i
        while cut > 0, cut < pending.count, pending[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }

    /// Quotation marks, brackets (UAX #29 "Close": opening ones too) and spaces, which ICU's
    /// sentence rules keep with the sentence before them. Returns their byte length or 0.
    private func closingLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ limit: Int) -> Int {
        if b[i] == 0x20 { return 1 }
        guard i + 3 <= limit else { return 0 }
        let x = b[i], y = b[i + 1], z = b[i + 2]
        if x == 0xE2 && y == 0x80 && (0x98...0x9D).contains(z) { return 3 }                 // ‘ ’ “ ”
        if x == 0xE3 && y == 0x80 && ((0x88...0x91).contains(z) || z == 0x80) { return 3 }  // 〈〉《》「」『』【】, U+3000
        if x == 0xEF && y == 0xBC && (z == 0x88 || z == 0x89) { return 3 }                 // （ ）
        return 0
    }
}
