import ZhibiaoCore
import Glibc

/// Annotator: the sentence that holds a match, found on the line around it only (UAX #29's
/// rules on the bytes, ICU's sentence iterator where they need more context).
extension Extractor {
    /// The ICU sentence around `span`, searched in the line that holds it (at most 4 KiB either side).
    func sentence(around span: ByteSpan, in t: UnsafeBufferPointer<UInt8>, window: inout ByteSpan?) throws(ZhibiaoError) -> ByteSpan {
        if window == nil || !(window!.contains(span)) {
            let reach = 4096
            // The line's start and end within `reach` bytes, by memchr (the last line end
            // before the match: from line end to line end, a few per window).
            let base = UnsafeRawPointer(t.baseAddress!)
            var lo = max(0, span.lowerBound - reach)
            while lo < span.lowerBound, let p = memchr(base + lo, 0x0A, span.lowerBound - lo) { lo = UnsafeRawPointer(p) - base + 1 }
            while lo < span.lowerBound, UTF8Bytes.isContinuation(t[lo]) { lo += 1 }
            // Further along a long line: start at the last sentence start the byte rule found in
            // the window before (a real boundary: the rule decides each one from the text up to
            // it), not 4 KiB back, so a long line is not scanned twice. Same boundaries.
            if let previous = window, windowByRule, previous.upperBound <= span.upperBound,
               let last = sentenceBounds.last(where: { $0 < previous.count }), previous.lowerBound + last > lo,
               previous.lowerBound + last <= span.lowerBound {
                lo = previous.lowerBound + last
            }
            let to = min(t.count, span.upperBound + reach)
            var hi = memchr(base + span.upperBound, 0x0A, to - span.upperBound).map { UnsafeRawPointer($0) - base } ?? to
            while hi > span.upperBound, hi < t.count, UTF8Bytes.isContinuation(t[hi]) { hi -= 1 }
            window = ByteSpan(lo, hi)
            // One pass per line, then lookups: by the byte rule, or by ICU where the rule
            // leaves the line to it (an abbreviation dot, characters beyond the BMP).
            let line = UnsafeBufferPointer(rebasing: t[lo..<hi])
            windowByRule = sentenceRule.boundaries(line, into: &sentenceBounds)
            if !windowByRule {
                try sentences.attach(line)
                sentences.allBoundaries(into: &sentenceBounds)
            }
        }
        let base = window!.lowerBound
        var lo = base + Self.boundary(sentenceBounds, atOrBefore: span.lowerBound - base)
        var hi = base + Self.boundary(sentenceBounds, after: span.lowerBound - base)
        if hi < span.upperBound { hi = base + Self.boundary(sentenceBounds, after: span.upperBound - base - 1) }
        while lo < hi, UTF8Bytes.isSpace(UTF8Bytes.scalar(t, at: lo).value) || t[lo] == 0x0D { lo += UTF8Bytes.scalar(t, at: lo).length }
        while hi > lo, let p = UTF8Bytes.previousStart(t, before: hi), UTF8Bytes.isSpace(UTF8Bytes.scalar(t, at: p).value) || t[p] == 0x0D || t[p] == 0x0A { hi = p }
        return ByteSpan(lo, hi)
    }

    /// The last of `bounds` (sorted, starting with 0) at or before `offset`.
    static func boundary(_ bounds: [Int], atOrBefore offset: Int) -> Int {
        let i = firstIndex(in: bounds, after: offset)
        return i > 0 ? bounds[i - 1] : 0
    }

    /// The first of `bounds` (sorted, ending with the window's length) after `offset`.
    static func boundary(_ bounds: [Int], after offset: Int) -> Int {
        let i = firstIndex(in: bounds, after: offset)
        return i < bounds.count ? bounds[i] : (bounds.last ?? 0)
    }

    /// The index of the first of `bounds` (sorted) above `offset`, by binary search.
    static func firstIndex(in bounds: [Int], after offset: Int) -> Int {
        var lo = 0, hi = bounds.count
        while lo < hi { let mid = (lo + hi) / 2; if bounds[mid] <= offset { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// The sentence's bytes as the row carries them. A sentence longer than
    /// `options.maxSentenceLength` characters (a page with no full stop, a table flattened
    /// into one line) is cut to that many characters centred on the match, with `…` where
    /// text was left out, so that no row repeats kilobytes of text.
    func sentenceText(_ sentence: ByteSpan, around match: ByteSpan, in t: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let limit = options.maxSentenceLength
        guard sentence.count > limit, UTF8Bytes.scalarCount(t, sentence.lowerBound, sentence.upperBound) > limit else {
            return t.slice(sentence)
        }
        // Characters of the match, then as many on each side as are left, shifted to the
        // other side where one side is short.
        let inMatch = UTF8Bytes.scalarCount(t, match.lowerBound, match.upperBound)
        let room = max(0, limit - inMatch)
        let before = UTF8Bytes.scalarCount(t, sentence.lowerBound, match.lowerBound)
        let after = UTF8Bytes.scalarCount(t, match.upperBound, sentence.upperBound)
        var take = min(before, room / 2)
        take = min(before, take + max(0, room / 2 - after))
        let give = min(after, room - take)
        var lo = match.lowerBound
        for _ in 0..<take { lo = UTF8Bytes.previousStart(t, before: lo) ?? lo }
        var hi = match.upperBound
        for _ in 0..<give { hi += UTF8Bytes.scalar(t, at: hi).length }
        sentenceScratch.removeAll()
        if lo > sentence.lowerBound { Self.ellipsis.withUnsafeBufferPointer { sentenceScratch.append($0) } }
        sentenceScratch.append(t.slice(ByteSpan(lo, hi)))
        if hi < sentence.upperBound { Self.ellipsis.withUnsafeBufferPointer { sentenceScratch.append($0) } }
        return sentenceScratch.bytes
    }

    /// `…`, the mark of text left out of a long sentence.
    static let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
}
