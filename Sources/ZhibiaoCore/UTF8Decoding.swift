/// Small helpers over valid UTF-8 bytes, shared by the stages that read the document buffer.
/// Offsets are byte offsets; none of these decodes more than one character, so callers stay
/// linear in the text.
public enum UTF8Decoding {
    /// True for a UTF-8 continuation byte (10xxxxxx).
    @inlinable @inline(__always)
    public static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// The scalar starting at `i` and its length in bytes (U+FFFD and 1 for a cut sequence).
    @inlinable @inline(__always)
    public static func scalar(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        let b0 = t[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xE0, i + 1 < t.count { return (UInt32(b0 & 0x1F) << 6 | UInt32(t[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < t.count {
            return (UInt32(b0 & 0x0F) << 12 | UInt32(t[i + 1] & 0x3F) << 6 | UInt32(t[i + 2] & 0x3F), 3)
        }
        if i + 3 < t.count {
            return (UInt32(b0 & 0x07) << 18 | UInt32(t[i + 1] & 0x3F) << 12 | UInt32(t[i + 2] & 0x3F) << 6 | UInt32(t[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    /// The start of the scalar that ends at `i` (the previous character), or nil at 0.
    @inlinable @inline(__always)
    public static func previousStart(_ t: UnsafeBufferPointer<UInt8>, before i: Int) -> Int? {
        guard i > 0 else { return nil }
        var j = i - 1
        while j > 0, isContinuation(t[j]) { j -= 1 }
        return j
    }

    /// Count of scalars in `t[lo..<hi]`.
    @inlinable @inline(__always)
    public static func scalarCount(_ t: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        var n = 0
        var i = lo
        while i < hi { if !isContinuation(t[i]) { n += 1 }; i += 1 }
        return n
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes of `span`, as a buffer over the same memory (no copy).
    @inlinable @inline(__always)
    public func slice(_ span: ByteSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: self[span.lowerBound..<span.upperBound])
    }
}
