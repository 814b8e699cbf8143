import Normalization
import PCRE2Matching
import ZhibiaoCore

/// Scan and read: PCRE2 finds each quantity (tried only where the start set says one may
/// begin), its groups become `QuantityParts` (spans, no text built), the normalizer reads
/// them, and the filters mark what is not an indicator.
extension Extractor {
    /// A quantity match: found by the quantity pattern (its groups in `scratch`), or read by
    /// the fast path (a plain number and its unit, see PlainQuantity.swift).
    enum Found {
        case pattern(ByteSpan)
        case plain(ByteSpan, number: ByteSpan, unit: ByteSpan?)
    }

    /// The next quantity match at or after `position`: with the prefilter, only characters of
    /// the start set are tried, by the fast path at a digit, else (or when it is unsure) by
    /// the anchored pattern; without it PCRE2 scans by itself.
    @inline(__always)
    func nextMatch(_ text: UnsafeBufferPointer<UInt8>, from position: Int) throws(ZhibiaoError) -> Found? {
        guard let starts = engine.startSet else {
            return try scratch.firstMatch(in: text, from: position).map { .pattern($0) }
        }
        let plain = engine.plain
        var i = position
        let n = text.count
        while i < n {
            let b = text[i]
            let value: UInt32, length: Int
            if b < 0x80 {
                guard starts.contains(UInt32(b)) else { i += 1; continue }
                value = UInt32(b); length = 1
            } else if b & 0xF0 == 0xE0, i + 2 < n {
                // Three-byte characters (most of a Chinese text) are passed over in one loop.
                let k = starts.skipThreeByteNonMembers(text, from: i)
                if k != i { i = k; continue }
                value = UInt32(b & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F); length = 3
            } else if b >= 0xC0 {
                (value, length) = UTF8Bytes.scalar(text, at: i)
                guard starts.contains(value) else { i += length; continue }
            } else {
                i += 1
                continue
            }
            if let plain, let guardScratch, b < 0x80 ? b &- 0x30 < 10 : plain.chineseFirst.containsExactly(value) {
                switch try plain.read(text, at: i, guard: guardScratch) {
                case .none: i += length; continue
                case let .plain(m, number, unit): return .plain(m, number: number, unit: unit)
                case .unsure: break
                }
            }
            if try mayBegin(value, text, at: i, length), let m = try scratch.firstMatch(in: text, from: i) {
                return .pattern(m)
            }
            i += length
        }
        return nil
    }

    /// False when `c` (the start character at `i`, `length` bytes) does not begin a number
    /// and either no character that does stands within `numberReach` bytes after it or
    /// `@word_start` does not match at `i`: a match cannot begin there.
    func mayBegin(_ c: UInt32, _ text: UnsafeBufferPointer<UInt8>, at i: Int, _ length: Int) throws(ZhibiaoError) -> Bool {
        guard let numberStarts = engine.numberStartSet, !numberStarts.contains(c) else { return true }
        var k = i + length
        let end = min(text.count, k + engine.numberReach)
        while k < end {
            let (s, length) = UTF8Bytes.scalar(text, at: k)
            if numberStarts.contains(s) {
                guard let wordStartScratch else { return true }
                return try wordStartScratch.firstMatch(in: text, from: i) != nil
            }
            k += length
        }
        return false
    }

    /// Appends the mentions of `text` to `out` (empty on entry), in document order.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Mention]) throws(ZhibiaoError) {
        let g = engine.groups
        var position = 0
        while position <= text.count, let found = try nextMatch(text, from: position) {
            let m: ByteSpan, numSpan: ByteSpan
            var parts: QuantityParts
            var groups: MatchScratch?
            switch found {
            case let .plain(span, number, unit):
                m = span; numSpan = number
                position = m.upperBound
                parts = QuantityParts(num: number)
                parts.unit = unit
                parts.approx = PlainQuantityReader.approximation(match: span, number: number, unit: unit)
            case let .pattern(span):
                m = span
                let scratch = self.scratch
                groups = scratch
                position = max(m.upperBound, m.lowerBound + 1)
                guard let number = g.numberGroups.lazy.compactMap({ scratch.span(ofGroup: $0) }).first else { continue }
                numSpan = number
                parts = Self.parts(of: scratch, g, number: number)
            }
            guard var reading = engine.normalizer.normalize(parts, in: text) else { continue }

            // A match that is only partly a quantity ends early; matching resumes after it.
            var span = m
            if let cut = reading.truncatedAfter {
                var end = numSpan.upperBound
                if let groups {
                    for group in cut == .firstUnit ? g.keptUpToFirstUnit : g.keptUpToFirstNumber {
                        if let s = groups.span(ofGroup: group) { end = max(end, s.upperBound) }
                    }
                }
                span = ByteSpan(m.lowerBound, end)
                position = end
            }
            let start = numSpan.lowerBound
            // Filters.
            var keep = true
            var quoted = false
            var kind = reading.quantity.kind
            let unitStart = parts.unit?.lowerBound
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
            out.append(Mention(span: span, numberStart: start, reading: consume reading, keep: keep, separates: separates))
        }
        if !engine.custom.isEmpty { try addCustomCandidates(text, to: &out) }
    }

    /// A pattern match's groups as `QuantityParts`: spans, no text built.
    @inline(__always)
    static func parts(of scratch: MatchScratch, _ g: QuantityGroups, number: ByteSpan) -> QuantityParts {
        /// The span of a group that took part with some text, else nil.
        func piece(_ group: Int?) -> ByteSpan? {
            guard let group, let s = scratch.span(ofGroup: group), !s.isEmpty else { return nil }
            return s
        }
        func has(_ group: Int?) -> Bool { piece(group) != nil }
        var parts = QuantityParts(num: number)
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
        return parts
    }
}
