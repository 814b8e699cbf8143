import ZhibiaoCore

/// Filter: a number inside a short quotation or title is a code or slogan (“1310”, 《十条》).
extension Extractor {
    /// True when the match sits inside a short quotation or title (“1310”, “六个一”, 《十条》):
    /// slogans, codes and names, not indicators. Most matches have no opening quotation or title
    /// mark among the `limit` characters before them: a byte test of the 4 × `limit` bytes
    /// before the match finds that and answers false without decoding.
    func isInsideShortQuote(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, limit: Int = 10) -> Bool {
        guard Self.mayHoldQuoteMark(t, from: max(0, span.lowerBound - 4 * limit), to: span.lowerBound) else { return false }
        return isInsideShortQuoteByCharacters(t, span, limit: limit)
    }

    /// The walk by characters: back to an opening mark, then on to its closing one.
    func isInsideShortQuoteByCharacters(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, limit: Int = 10) -> Bool {
        var i = span.lowerBound
        var n = 0
        var opened = false
        while n < limit, let p = UTF8Bytes.previousStart(t, before: i) {
            let s = UTF8Bytes.scalar(t, at: p).value
            if UTF8Bytes.isOpeningQuote(s) || UTF8Bytes.isOpeningTitle(s) { opened = true; break }
            if UTF8Bytes.isClosingQuote(s) || UTF8Bytes.isClosingTitle(s) || s == 0x0A || s == 0x3002 { return false }
            i = p; n += 1
        }
        guard opened else { return false }
        i = span.upperBound
        while n < limit, i < t.count {
            let (s, len) = UTF8Bytes.scalar(t, at: i)
            if UTF8Bytes.isClosingQuote(s) || UTF8Bytes.isClosingTitle(s) { return true }
            if UTF8Bytes.isOpeningQuote(s) || UTF8Bytes.isOpeningTitle(s) || s == 0x0A || s == 0x3002 { return false }
            i += len; n += 1
        }
        return false
    }

    /// False when no opening mark (“ ‘ 「 『 《: E2 80 9C/98, E3 80 8C/8E/8A) lies whole in
    /// `t[lo..<hi]`: then the walk back cannot open (the marks that stop it only ever make
    /// the answer false). Eight bytes at a time: a word with no 0x80 byte is passed with one test.
    static func mayHoldQuoteMark(_ t: UnsafeBufferPointer<UInt8>, from lo: Int, to hi: Int) -> Bool {
        guard let base = t.baseAddress, lo < hi else { return false }
        @inline(__always) func isMark(_ k: Int) -> Bool {
            guard base[k] == 0x80, k > lo, k + 1 < hi else { return false }
            let lead = base[k - 1], last = base[k + 1]
            if lead == 0xE2 { return last == 0x9C || last == 0x98 }
            return lead == 0xE3 && (last == 0x8C || last == 0x8E || last == 0x8A)
        }
        var k = lo
        while k + 8 <= hi {
            let w = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
            let x80 = w ^ 0x8080_8080_8080_8080
            var flags = (x80 &- 0x0101_0101_0101_0101) & ~x80 & 0x8080_8080_8080_8080   // the 0x80 bytes (a flag may spill above one)
            while flags != 0 {
                if isMark(k + flags.trailingZeroBitCount >> 3) { return true }
                flags &= flags - 1
            }
            k += 8
        }
        while k < hi { if isMark(k) { return true }; k += 1 }
        return false
    }
}
