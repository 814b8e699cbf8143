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
        if hi - lo >= 64, let base = t.baseAddress {
            // Sixteen bytes at a time (a long line's columns): a continuation byte is 10xxxxxx;
            // each lane counts its own (a true lane of the mask is all ones, so subtracting
            // it adds one), at most 255 rounds before the lanes are summed.
            var continuations = 0
            while i + 16 <= hi {
                var lanes = SIMD16<UInt8>(repeating: 0)
                var rounds = 0
                while rounds < 255, i + 16 <= hi {
                    let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                    lanes &-= unsafeBitCast((v & 0xC0) .== SIMD16<UInt8>(repeating: 0x80), to: SIMD16<UInt8>.self)
                    i += 16
                    rounds += 1
                }
                continuations += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
            }
            n = i - lo - continuations
        }
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
