import Glibc
import PatternCatalog
import ZhibiaoCore

/// Annotator: a figure is a target when a cue of targets.tsv (预期目标, 力争, 确保, 控制在,
/// 计划, 要 …) stands before it in its sentence (longer words that hold a cue but are none,
/// such as 主要 for 要, are read as one word and passed over), or when it stands in a section
/// of targets. The sentence's first cue is found by the pass that reads its periods
/// (`findPeriods`, Annotators/Period.swift) and kept while its rows are written.

/// Sections of targets: a numbered heading (二、…, a line of at most 60 characters that
/// begins with a Chinese numeral and 、) holding a `section` word of targets.tsv opens one;
/// any other numbered heading closes it. Headings are found with memchr over the line ends
/// between rows; the state lasts for one chunk (a report of up to 1 MiB is one chunk).
extension Extractor {
    /// Reads the headings of the lines that begin in `t[from..<to]`, updating `inSection`.
    func readHeadings(_ t: UnsafeBufferPointer<UInt8>, from: Int, to: Int, inSection: inout Bool) {
        guard !engine.targetSections.isEmpty, from < to, let base = t.baseAddress else { return }
        var i = from
        if i == 0 { checkHeading(t, at: 0, inSection: &inSection) }
        while i < to, let p = memchr(base + i, 0x0A, to - i) {
            let lineStart = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) + 1
            checkHeading(t, at: lineStart, inSection: &inSection)
            i = lineStart
        }
    }

    private func checkHeading(_ t: UnsafeBufferPointer<UInt8>, at start: Int, inSection: inout Bool) {
        var i = start
        while i < t.count, UTF8Bytes.isSpace(UTF8Bytes.scalar(t, at: i).value) { i += UTF8Bytes.scalar(t, at: i).length }
        guard i < t.count, Self.headingNumerals.contains(UTF8Bytes.scalar(t, at: i).value) else { return }
        // The numeral (one or two characters), then 、.
        var k = i + UTF8Bytes.scalar(t, at: i).length
        if k < t.count, Self.headingNumerals.contains(UTF8Bytes.scalar(t, at: k).value) { k += UTF8Bytes.scalar(t, at: k).length }
        guard k < t.count, UTF8Bytes.scalar(t, at: k).value == 0x3001 else { return }
        var end = k, n = 0
        while end < t.count, t[end] != 0x0A, t[end] != 0x0D { end += UTF8Bytes.scalar(t, at: end).length; n += 1 }
        guard n >= 5, n <= 60 else { return }
        var found = false
        var j = k
        while j < end, !found {
            found = engine.targetSections.longestStarting(in: t, at: j, limit: end) != nil
            j += UTF8Bytes.scalar(t, at: j).length
        }
        inSection = found
    }

    static let headingNumerals: Set<UInt32> = Set("一二三四五六七八九十".unicodeScalars.map(\.value))
}
