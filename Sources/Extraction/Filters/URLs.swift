import ZhibiaoCore

/// Filter: numbers inside a URL are not quantities (…?q=30%25%2020).
extension Extractor {
    /// True when the match is part of a URL: an ASCII run that holds `://` or `www.`.
    func isInsideURL(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
        guard span.lowerBound > 0, t[span.lowerBound - 1] > 0x20, t[span.lowerBound - 1] < 0x80 else { return false }
        var i = span.lowerBound - 1
        let limit = max(0, span.lowerBound - 2048)
        while i > limit, t[i - 1] > 0x20, t[i - 1] < 0x80 { i -= 1 }
        let run = UnsafeBufferPointer(rebasing: t[i..<span.lowerBound])
        for k in 0..<run.count { if UTF8Bytes.hasBytes(run, Self.schemeMark, at: k) || UTF8Bytes.hasBytes(run, Self.wwwMark, at: k) { return true } }
        return false
    }
    static let schemeMark: [UInt8] = Array("://".utf8)
    static let wwwMark: [UInt8] = Array("www.".utf8)
}
