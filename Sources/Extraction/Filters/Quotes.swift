import ZhibiaoCore

/// Filter: a number inside a short quotation or title is a code or slogan (“1310”, 《十条》).
extension Extractor {
    /// True when the match sits inside a short quotation or title (“1310”, “六个一”, 《十条》):
    /// slogans, codes and names, not indicators.
    func isInsideShortQuote(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, limit: Int = 10) -> Bool {
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
}
