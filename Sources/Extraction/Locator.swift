import Glibc
import ZhibiaoCore

/// A place in a document: 1-based line and column (column in Unicode scalars) and the
/// UTF-8 byte offset. Line ends are LF, CRLF and a lone CR.
public struct TextPosition: Hashable, Sendable {
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int
    /// UTF-8 byte offset from the document start.
    public var byteOffset: Int
    /// A position (checked: 1-based line and column, non-negative offset).
    public init(line: Int = 1, column: Int = 1, byteOffset: Int = 0) {
        precondition(line >= 1 && column >= 1 && byteOffset >= 0, "TextPosition is 1-based and non-negative")
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// The position just after `text`, which starts at `self` (for the next chunk).
    /// A chunk that ends in CR is counted as a line end; cut chunks after LF to keep CRLF whole.
    public func advanced(over text: UnsafeBufferPointer<UInt8>) -> TextPosition {
        var tracker = PositionTracker(self)
        _ = tracker.advance(to: text.count, in: text)
        return TextPosition(line: tracker.line, column: tracker.column, byteOffset: byteOffset + text.count)
    }
}

/// Turns byte offsets into 1-based line and column (column in Unicode scalars), moving
/// forward only, so a whole document costs one pass. Line ends: LF, CRLF and lone CR.
struct PositionTracker {
    var offset = 0
    var line: Int
    var column: Int
    /// Whether the chunk holds a CR (looked up once): without one, line ends are found with
    /// memchr and characters counted in one tight loop.
    private var hasCR: Bool?

    init(_ start: TextPosition) {
        line = start.line
        column = start.column
    }

    mutating func advance(to target: Int, in t: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        precondition(target >= offset, "PositionTracker moves forward only")
        guard target > offset, let base = t.baseAddress else { return (line, column) }
        if hasCR == nil { hasCR = memchr(base, 0x0D, t.count) != nil }
        if hasCR == false {
            var lineStart = -1
            var i = offset
            while i < target, let p = memchr(base + i, 0x0A, target - i) {
                i = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base + 1
                line += 1
                lineStart = i
            }
            if lineStart >= 0 {
                column = 1 + UTF8Decoding.scalarCount(t, lineStart, target)
            } else {
                column += UTF8Decoding.scalarCount(t, offset, target)
            }
            offset = target
            return (line, column)
        }
        while offset < target {
            let b = t[offset]
            if b == 0x0A {
                line += 1; column = 1
            } else if b == 0x0D {
                if offset + 1 >= t.count || t[offset + 1] != 0x0A { line += 1; column = 1 }
            } else if !UTF8Bytes.isContinuation(b) {
                column += 1
            }
            offset += 1
        }
        return (line, column)
    }
}
