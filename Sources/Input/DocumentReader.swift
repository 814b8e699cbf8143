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
    public init(blocks: [[UInt8]]) { self.blocks = blocks }
    public convenience init(_ bytes: [UInt8]) { self.init(blocks: [bytes]) }

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
    /// else at a character boundary.
    public var maxChunk: Int
    public init(readSize: Int = 1 << 20, targetChunk: Int = 1 << 20, maxChunk: Int = 4 << 20) {
        precondition(readSize >= 1 && targetChunk >= 1 && maxChunk >= 8, "chunk sizes must be positive")
        self.readSize = readSize
        self.targetChunk = targetChunk
        self.maxChunk = max(maxChunk, targetChunk)
    }
}

/// One piece of a document, valid UTF-8, cut at a safe place.
public struct TextChunk: Sendable {
    public var text: [UInt8]
    /// The document ends with this chunk.
    public var isLast: Bool
    /// How the chunk ends: at a line end (lossless for extraction), or at a fallback cut in a very long line.
    public var endsAtLineEnd: Bool
}

/// Reads a document in bounded memory: reads blocks, detects the encoding from the first
/// block, decodes as it goes, and cuts the decoded text into chunks at line ends (a
/// quantity, its label and its sentence never cross a line), so any chunking gives the
/// rows of the whole document. Memory is a few times `maxChunk`, whatever the file size.
public final class DocumentReader {
    public let name: String
    let source: ByteSource
    let forced: TextEncoding?
    let options: ChunkingOptions
    private var decoder: StreamingDecoder?
    private var pending: [UInt8] = []
    /// pending[0..<noLineEndBelow] holds no usable line end (saves rescanning a long line).
    private var noLineEndBelow = 0
    private var readBuffer: UnsafeMutableRawBufferPointer
    private var endOfInput = false
    private var finished = false
    /// Raw bytes read so far.
    public private(set) var bytesRead = 0

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

    /// The detected (or forced) encoding, known after the first chunk.
    public var encoding: TextEncoding? { decoder?.encoding }
    /// Invalid byte sequences replaced with U+FFFD so far.
    public var replacements: Int { decoder?.replacements ?? 0 }

    /// The next chunk, or nil after the last one. An empty document gives one empty last chunk.
    /// - Throws: `.binaryContent`, `.decoding` or `.unreadable`; the document cannot be read further.
    public func nextChunk() throws(ZhibiaoError) -> TextChunk? {
        guard !finished else { return nil }
        while true {
            if endOfInput {
                if pending.count <= options.maxChunk {
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
            if let cut = lastLineEnd(before: limit) { return take(cut, atLineEnd: true) }
            noLineEndBelow = limit
            if pending.count < options.maxChunk && !endOfInput {
                try fill()
                continue
            }
            return take(fallbackCut(before: limit), atLineEnd: false)
        }
    }

    private func take(_ cut: Int, atLineEnd: Bool) -> TextChunk {
        let text = Array(pending[0..<cut])
        pending.removeSubrange(0..<cut)
        noLineEndBelow = 0
        return TextChunk(text: text, isLast: false, endsAtLineEnd: atLineEnd)
    }

    /// Reads one block (the first: as much as fits, for encoding detection) and decodes it.
    private func fill() throws(ZhibiaoError) {
        var count = 0
        repeat {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: readBuffer[count...]))
            if n == 0 { endOfInput = true; break }
            count += n
        } while decoder == nil && count < readBuffer.count
        bytesRead += count
        let block = UnsafeBufferPointer(start: readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
        if let decoder {
            try decoder.decode(block, final: endOfInput, into: &pending)
        } else {
            try detect(block)
        }
    }

    /// Chooses the decoder from the first block: --encoding, else a byte-order mark, else
    /// UTF-8 when it is valid, else GB18030 when it has fewer errors than UTF-8.
    private func detect(_ block: UnsafeBufferPointer<UInt8>) throws(ZhibiaoError) {
        func starts(_ prefix: [UInt8]) -> Bool { block.count >= prefix.count && zip(block, prefix).allSatisfy { $0 == $1 } }
        let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF], leBOM: [UInt8] = [0xFF, 0xFE], beBOM: [UInt8] = [0xFE, 0xFF]
        var chosen: TextEncoding
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
        else {
            if TextDecoder.looksBinary(UnsafeBufferPointer(rebasing: block.prefix(8192))) {
                throw ZhibiaoError(.binaryContent, path: name, "binary content (NUL bytes), not text; use --encoding for UTF-16 without a byte-order mark")
            }
            let utf8 = try StreamingDecoder(.utf8)
            var text: [UInt8] = []
            text.reserveCapacity(block.count + 64)
            try utf8.decode(block, final: endOfInput, into: &text)
            if utf8.replacements > 0 {
                let gb = try StreamingDecoder(.gb18030)
                var gbText: [UInt8] = []
                try gb.decode(block, final: endOfInput, into: &gbText)
                if gb.replacements < utf8.replacements {
                    decoder = gb
                    pending = gbText
                    return
                }
            }
            decoder = utf8
            pending = text
            return
        }
        let d = try StreamingDecoder(chosen)
        decoder = d
        try d.decode(UnsafeBufferPointer(rebasing: block[skip...]), final: endOfInput, into: &pending)
    }

    /// The cut just after the last line end in pending[..<limit]: after LF, or after a CR not
    /// followed by LF (CRLF is never split, so the line count stays right).
    private func lastLineEnd(before limit: Int) -> Int? {
        pending.withUnsafeBufferPointer { b -> Int? in
            // A CRLF straddling the limit is a line end just past it.
            if limit >= 1, limit < b.count, b[limit - 1] == 0x0D, b[limit] == 0x0A { return limit + 1 }
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
