import ZhibiaoCore

/// Punctuation classes of the extractor over valid UTF-8 bytes (decoding itself is
/// `ZhibiaoCore.UTF8Decoding`). Offsets are byte offsets; none of these
/// decodes more than one character, so callers stay linear in the text.
enum UTF8Bytes {
    @inline(__always)
    static func isContinuation(_ b: UInt8) -> Bool { UTF8Decoding.isContinuation(b) }

    /// The scalar starting at `i` and its length in bytes.
    @inline(__always)
    static func scalar(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) { UTF8Decoding.scalar(t, at: i) }

    /// The start of the scalar that ends at `i` (i.e. the previous character), or nil at 0.
    @inline(__always)
    static func previousStart(_ t: UnsafeBufferPointer<UInt8>, before i: Int) -> Int? { UTF8Decoding.previousStart(t, before: i) }

    /// True when `word` occurs at byte offset `i`.
    @inline(__always)
    static func hasBytes(_ t: UnsafeBufferPointer<UInt8>, _ word: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + word.count <= t.count else { return false }
        for k in 0..<word.count where t[i + k] != word[k] { return false }
        return true
    }

    /// Count of scalars in `t[lo..<hi]`.
    @inline(__always)
    static func scalarCount(_ t: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int { UTF8Decoding.scalarCount(t, lo, hi) }

    /// Characters that end a clause for labels: ，,；;。：:！？!?、《》… line ends and tabs.
    /// Brackets do not: 地区生产总值（GDP）386.52亿元 keeps its name.
    static func isClauseDelimiter(_ s: UInt32) -> Bool {
        switch s {
        case 0x0A, 0x0D, 0x09, 0x2C, 0x3B, 0x3A, 0x21, 0x3F:                 // \n \r \t , ; : ! ?
            return true
        case 0xFF0C, 0xFF1B, 0x3002, 0xFF1A, 0xFF01, 0xFF1F, 0x3001,           // ，；。：！？、
             0x300A, 0x300B, 0x2026:                                          // 《》…
            return true
        default:
            return false
        }
    }

    /// Opening and closing quotation marks: “” ‘’ 「」 『』.
    static func isOpeningQuote(_ s: UInt32) -> Bool { s == 0x201C || s == 0x2018 || s == 0x300C || s == 0x300E }
    static func isClosingQuote(_ s: UInt32) -> Bool { s == 0x201D || s == 0x2019 || s == 0x300D || s == 0x300F }

    /// Title marks 《》: a short title (《十条》) is a name, like a short quotation.
    static func isOpeningTitle(_ s: UInt32) -> Bool { s == 0x300A }
    static func isClosingTitle(_ s: UInt32) -> Bool { s == 0x300B }

    static func isSpace(_ s: UInt32) -> Bool { s == 0x20 || s == 0x09 || s == 0x3000 || s == 0xA0 }

    /// Unicode's White_Space. No such character lies above U+3000 (a test checks it), so
    /// Chinese text never reaches the slow property lookup.
    @inline(__always)
    static func isWhitespace(_ s: UInt32) -> Bool {
        if s > 0x3000 { return false }
        if s < 0x80 { return s == 0x20 || (s >= 0x09 && s <= 0x0D) }
        return Unicode.Scalar(s)?.properties.isWhitespace ?? false
    }
}
