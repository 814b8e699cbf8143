import Normalization
import PCRE2Matching
import ZhibiaoCore

/// Scan and read: PCRE2 finds each quantity (tried only where the start set says one may
/// begin), its groups become `QuantityParts` (spans, no text built), the normalizer reads
/// them, and the filters mark what is not an indicator.
extension Extractor {
    /// The next quantity match at or after `position`: with the prefilter, the anchored
    /// pattern is tried only at characters of the start set; else PCRE2 scans by itself.
    /// Either way the returned scratch holds the groups of the match afterwards.
    @inline(__always)
    func nextMatch(_ text: UnsafeBufferPointer<UInt8>, from position: Int) throws(ZhibiaoError) -> (ByteSpan, MatchScratch)? {
        let anchored = scratch
        guard let starts = engine.startSet else {
            return try scratch.firstMatch(in: text, from: position).map { ($0, scratch) }
        }
        var i = position
        let n = text.count
        while i < n {
            let b = text[i]
            var value = UInt32(b), length = 1
            if b >= 0xC0 {
                (value, length) = UTF8Bytes.scalar(text, at: i)
            } else if b >= 0x80 {
                i += 1
                continue
            }
            if starts.contains(value) && mayBeginNumber(value, text, after: i + length) {
                if let m = try anchored.firstMatch(in: text, from: i) { return (m, anchored) }
            }
            i += length
        }
        return nil
    }

    /// False when `c` (a start character) does not begin a number and no character that
    /// does stands within `numberReach` bytes after it: a match cannot begin there.
    func mayBeginNumber(_ c: UInt32, _ text: UnsafeBufferPointer<UInt8>, after j: Int) -> Bool {
        guard let numberStarts = engine.numberStartSet, !numberStarts.contains(c) else { return true }
        var k = j
        let end = min(text.count, j + engine.numberReach)
        while k < end {
            let (s, length) = UTF8Bytes.scalar(text, at: k)
            if numberStarts.contains(s) { return true }
            k += length
        }
        return false
    }

    /// Appends the mentions of `text` to `out` (empty on entry), in document order.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Mention]) throws(ZhibiaoError) {
        let g = engine.groups
        var position = 0
        while position <= text.count, let (m, scratch) = try nextMatch(text, from: position) {
            position = max(m.upperBound, m.lowerBound + 1)
            /// The span of a group that took part with some text, else nil.
            func piece(_ group: Int?) -> ByteSpan? {
                guard let group, let s = scratch.span(ofGroup: group), !s.isEmpty else { return nil }
                return s
            }
            func has(_ group: Int?) -> Bool { piece(group) != nil }
            // The number's span: the plain number, or the numerator of a fraction.
            var numSpan: ByteSpan?
            for group in g.numberGroups { if let s = scratch.span(ofGroup: group) { numSpan = s; break } }
            guard let numSpan else { continue }
            var parts = QuantityParts(num: numSpan)
            parts.fractionDenominator = piece(g.fractionDenominator) ?? piece(g.slashDenominator)
            parts.fractionNumerator = piece(g.fractionNumerator) ?? piece(g.slashNumerator)
            parts.half = has(g.half)
            parts.fractionWhole = piece(g.fractionWhole)
            parts.fractionNegative = has(g.fractionNegative) || has(g.slashNegative)
            parts.numeratorNegative = has(g.numeratorNegative)
            parts.jiao = g.jiao.lazy.compactMap(piece).first
            parts.fen = g.fen.lazy.compactMap(piece).first
            parts.oneHalf = has(g.oneHalf)
            parts.tenth = piece(g.tenth)
            parts.tenthLow = piece(g.tenth1)
            parts.ordinal = has(g.ordinal)
            parts.before = piece(g.before) ?? piece(g.before2)
            parts.prefix = piece(g.prefix)
            parts.negative = has(g.neg)
            parts.approx = piece(g.approx); parts.mag = piece(g.mag); parts.approx2 = piece(g.approx2)
            parts.unit1 = piece(g.unit1); parts.num2 = piece(g.num2); parts.mag2 = piece(g.mag2)
            parts.approx3 = piece(g.approx3); parts.unit = piece(g.unit); parts.after = piece(g.after)
            guard var reading = engine.normalizer.normalize(parts, in: text) else { continue }

            // A match that is only partly a quantity ends early; matching resumes after it.
            var span = m
            if let cut = reading.truncatedAfter {
                var end = numSpan.upperBound
                for group in cut == .firstUnit ? g.keptUpToFirstUnit : g.keptUpToFirstNumber {
                    if let s = scratch.span(ofGroup: group) { end = max(end, s.upperBound) }
                }
                span = ByteSpan(m.lowerBound, end)
                position = end
            }
            let start = numSpan.lowerBound
            // Filters.
            var keep = true
            var quoted = false
            var kind = reading.quantity.kind
            let unitStart = g.unit.flatMap { scratch.span(ofGroup: $0) }.map { $0.isEmpty ? nil : $0.lowerBound } ?? nil
            if isInsideTrap(text, start, matchStart: span.lowerBound) || startsTrap(text, at: unitStart, beyond: span.upperBound)
                || isInsideURL(text, span) {
                keep = false
            } else if kind == .number, reading.number.isChinese, isListMarker(text, numSpan) {
                kind = .ordinal
            } else if isInsideShortQuote(text, span) {
                kind = .number   // “1310”, “六个一”: a code or slogan; reported only with --kinds all
                quoted = true
            }
            reading.quantity.kind = kind
            let separates = kind == .year || kind == .date || kind == .ordinal || (keep && !quoted)
            out.append(Mention(span: span, numberStart: start, reading: reading, keep: keep, separates: separates))
        }
        if !engine.custom.isEmpty { try addCustomCandidates(text, to: &out) }
    }
}
