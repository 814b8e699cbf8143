import ZhibiaoCore

/// Filter: 一是, 二是 at a clause start and (一), （二） are list markers (kind ordinal).
extension Extractor {
    func isListMarker(_ t: UnsafeBufferPointer<UInt8>, _ num: ByteSpan) -> Bool {
        let before = UTF8Bytes.previousStart(t, before: num.lowerBound).map { UTF8Bytes.scalar(t, at: $0).value }
        let after = num.upperBound < t.count ? UTF8Bytes.scalar(t, at: num.upperBound).value : nil
        if (before == 0xFF08 || before == 0x28) && (after == 0xFF09 || after == 0x29) { return true }  // （一）
        let atClauseStart = before.map { UTF8Bytes.isClauseDelimiter($0) || UTF8Bytes.isSpace($0) } ?? true
        return atClauseStart && after == 0x662F   // 是
    }
}
