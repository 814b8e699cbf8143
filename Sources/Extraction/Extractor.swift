import Normalization
import PatternCatalog
import PCRE2Matching
import Segmentation
import ZhibiaoCore

/// What to report.
public struct ExtractionOptions: Sendable {
    /// The kinds written out; `Kind.defaultSet` unless the user chose (`--kinds`).
    public var kinds: Set<Kind>
    /// Longest label, in characters.
    public var maxLabelLength: Int
    public init(kinds: Set<Kind> = Kind.defaultSet, maxLabelLength: Int = 12) {
        self.kinds = kinds
        self.maxLabelLength = maxLabelLength
    }
}

/// Extracts indicators from one document at a time. Holds the per-worker state (PCRE2
/// match data, ICU iterators) and reuses it for every document: one per thread.
///
/// The document is valid UTF-8 (the Input stage guarantees it). The pipeline per document:
/// match quantities (PCRE2 JIT), read them (Normalization), drop traps, then for each kept
/// quantity find its label in the clause before or after it (ICU words on that clause
/// only) and its sentence (ICU sentences on the line around it only).
public final class Extractor {
    public let engine: ExtractionEngine
    public let options: ExtractionOptions
    let scratch: MatchScratch
    let anchoredScratch: MatchScratch?
    let customScratch: [MatchScratch]
    /// PCRE2 limit hits after which a user pattern is skipped for the rest of a chunk.
    static let maxLimitHits = 64
    let sentences: BoundaryFinder
    let words: BoundaryFinder
    /// Sentence boundaries of the current line window, relative to its start.
    var sentenceBounds: [Int] = []
    /// Word boundaries of the current label window (reused for every label).
    let labelWords = LazyBoundaries()
    /// The candidates of the last call, emptied and refilled by the next: a dense chunk has
    /// tens of thousands, and growing a fresh array each time costs page faults.
    var candidateBuffer: [Candidate] = []

    public init(engine: ExtractionEngine, options: ExtractionOptions = ExtractionOptions()) throws(ZhibiaoError) {
        self.engine = engine
        self.options = options
        scratch = MatchScratch(engine.quantity)
        anchoredScratch = engine.anchoredQuantity.map { MatchScratch($0) }
        customScratch = engine.custom.map { MatchScratch($0.1) }
        sentences = try BoundaryFinder(.sentence)
        words = try BoundaryFinder(.word)
    }

    /// A quantity found in the text, before labels and positions.
    struct Candidate {
        var span: ByteSpan
        var numberStart: Int
        var reading: Reading
        var keep: Bool
        /// Ends the clause of a neighbour's label: kept quantities, and years, dates and
        /// ordinals even when not reported; never a quoted code or slogan (“三新”群体骨干分子).
        var separates: Bool
    }

    /// Extracts every indicator of `text` (valid UTF-8), in document order.
    ///
    /// `text` may be a whole document or one chunk of it: `start` is where the chunk begins
    /// in the document (line, column, byte offset), and the rows' positions and spans are
    /// the document's. Cut chunks at line ends: a quantity, its label and its sentence never
    /// cross a line, so chunked and whole extraction then give the same rows.
    public func extract(_ text: UnsafeBufferPointer<UInt8>, startingAt start: TextPosition = TextPosition()) throws(ZhibiaoError) -> [Indicator] {
        var out: [Indicator] = []
        try extract(text, startingAt: start, into: &out)
        return out
    }

    /// Like `extract(_:startingAt:)`, but appends the rows to `out`, so a caller running
    /// many chunks can keep one array (and its capacity) for all of them.
    public func extract(_ text: UnsafeBufferPointer<UInt8>, startingAt start: TextPosition = TextPosition(),
                        into out: inout [Indicator]) throws(ZhibiaoError) {
        var candidates = candidateBuffer
        candidateBuffer = []
        defer { candidates.removeAll(keepingCapacity: true); candidateBuffer = candidates }
        try findCandidates(text, into: &candidates)
        var position = PositionTracker(start)
        var sentenceWindow: ByteSpan?
        var lastSentence: (span: ByteSpan, text: String) = (ByteSpan(0, 0), "")
        for index in candidates.indices where candidates[index].keep {
            let c = candidates[index]
            var quantity = c.reading.quantity
            // A bare amount with 万/亿 may take its kind from its label (总金额达26.22亿: money).
            let mayTakeContext = quantity.kind == .number && c.reading.hasMagnitude
            guard options.kinds.contains(quantity.kind) || mayTakeContext else { continue }
            let label = self.label(for: index, in: candidates, text: text)
            if mayTakeContext, let context = engine.contextWords.first(where: { label.contains($0.word) }) {
                quantity.kind = context.kind
                quantity.unit = context.unit
            }
            guard options.kinds.contains(quantity.kind) else { continue }
            let (line, column) = position.advance(to: c.span.lowerBound, in: text)
            // Neighbouring rows mostly share their sentence: build its String once.
            let sentenceSpan = try self.sentence(around: c.span, in: text, window: &sentenceWindow)
            if sentenceSpan != lastSentence.span { lastSentence = (sentenceSpan, Self.string(text, sentenceSpan)) }
            let sentence = lastSentence.text
            let span = ByteSpan(c.span.lowerBound + start.byteOffset, c.span.upperBound + start.byteOffset)
            out.append(Indicator(quantity: quantity, span: span, line: line, column: column,
                                 match: Self.string(text, c.span), label: label, sentence: sentence))
        }
    }

    static func string(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: t[span.lowerBound..<span.upperBound]), as: UTF8.self)
    }

    // MARK: - Matching and reading

    /// The next quantity match at or after `position`: with the prefilter, the anchored
    /// pattern is tried only at characters of the start set; else PCRE2 scans by itself.
    /// Either way the returned scratch holds the groups of the match afterwards.
    @inline(__always)
    func nextMatch(_ text: UnsafeBufferPointer<UInt8>, from position: Int) throws(ZhibiaoError) -> (ByteSpan, MatchScratch)? {
        guard let anchored = anchoredScratch, let starts = engine.startSet else {
            return try scratch.firstMatch(in: text, from: position).map { ($0, scratch) }
        }
        var i = position
        let n = text.count
        while i < n {
            let b = text[i]
            if b < 0x80 {
                if starts.contains(UInt32(b)), let m = try anchored.firstMatch(in: text, from: i) { return (m, anchored) }
                i += 1
            } else if b >= 0xC0 {
                let (value, length) = UTF8Bytes.scalar(text, at: i)
                if starts.contains(value), let m = try anchored.firstMatch(in: text, from: i) { return (m, anchored) }
                i += length
            } else {
                i += 1
            }
        }
        return nil
    }

    /// Appends the quantities of `text` to `out` (empty on entry), in document order.
    func findCandidates(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Candidate]) throws(ZhibiaoError) {
        let g = engine.groups
        var position = 0
        while position <= text.count, let (m, scratch) = try nextMatch(text, from: position) {
            position = max(m.upperBound, m.lowerBound + 1)
            func piece(_ group: Int?) -> Substring? {
                guard let group, let s = scratch.span(ofGroup: group), !s.isEmpty else { return nil }
                return Substring(Self.string(text, s))
            }
            /// Whether a group took part, without building its text.
            func has(_ group: Int?) -> Bool {
                guard let group, let s = scratch.span(ofGroup: group) else { return false }
                return !s.isEmpty
            }
            // The number's span: the plain number, or the numerator of a fraction.
            var numSpan: ByteSpan?
            for group in g.numberGroups { if let s = scratch.span(ofGroup: group) { numSpan = s; break } }
            guard let numSpan else { continue }
            var parts = QuantityParts(num: Substring(Self.string(text, numSpan)))
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
            guard var reading = engine.normalizer.normalize(parts) else { continue }

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
            out.append(Candidate(span: span, numberStart: start, reading: reading, keep: keep, separates: separates))
        }
        if !engine.custom.isEmpty { try addCustomCandidates(text, to: &out) }
    }

    /// Runs the user's `*.patterns`; their matches replace built-in ones they overlap.
    ///
    /// User regexes run under `CompiledPattern.Limits.userPattern`. When a search hits a PCRE2
    /// limit, the places from where it began are retried one by one (anchored): the place
    /// where the limit is hit again loses its match (the engine warns once with the pattern's
    /// file:line), every other place keeps its own; the built-in rows and the other patterns
    /// are untouched. After `maxLimitHits` in one chunk the pattern is skipped for the rest of
    /// the chunk, so a runaway regex costs bounded time.
    func addCustomCandidates(_ text: UnsafeBufferPointer<UInt8>, to out: inout [Candidate]) throws(ZhibiaoError) {
        var extra: [Candidate] = []
        for (i, (pattern, compiled)) in engine.custom.enumerated() {
            let s = customScratch[i]
            let num = compiled.groupNumber("num")!
            let mag = compiled.groupNumber("mag")
            var position = 0
            var limitHits = 0
            /// After a limit hit, the next place to retry anchored (nil: search normally).
            var retry: Int?
            while position <= text.count {
                let found: ByteSpan?
                do throws(PCRE2Error) {
                    if let r = retry {
                        found = try s.find(in: text, from: r, onlyAt: true)
                        if found == nil {      // nothing here: try the next place
                            let next = MatchScratch.nextCharacter(after: r, in: text)
                            retry = next <= text.count ? next : nil
                            position = next
                            continue
                        }
                        retry = nil
                    } else {
                        found = try s.find(in: text, from: position)
                    }
                } catch let error where error.isResourceLimit {
                    if retry != nil {          // the place itself: drop its match, search on after it
                        engine.customPatternHitLimit(i, error)
                        limitHits += 1
                        position = MatchScratch.nextCharacter(after: retry!, in: text)
                        retry = nil
                        if limitHits >= Self.maxLimitHits { break }
                    } else {
                        retry = position       // somewhere at or after here: find the place
                    }
                    continue
                } catch {
                    throw ZhibiaoError(.engine, path: pattern.origin.file, line: pattern.origin.line, error.description)
                }
                guard let m = found else { break }
                position = m.upperBound > m.lowerBound ? m.upperBound : MatchScratch.nextCharacter(after: m.upperBound, in: text)
                guard let ns = s.span(ofGroup: num), var number = engine.normalizer.numerals.read(Substring(Self.string(text, ns)).unicodeScalars) else { continue }
                if let mag, let ms = s.span(ofGroup: mag), let p = engine.normalizer.numerals.magnitude(Substring(Self.string(text, ms)).unicodeScalars) {
                    number.value = number.value.shifted(by: p)
                }
                guard NumeralReader.fits(number.value) else { continue }   // the limits of built-in rows
                let q = Quantity(value: number.value, unit: pattern.unit, kind: pattern.kind)
                extra.append(Candidate(span: m, numberStart: ns.lowerBound,
                                       reading: Reading(quantity: q, truncatedAfter: nil, number: number, hasMagnitude: mag != nil),
                                       keep: true, separates: true))
            }
        }
        guard !extra.isEmpty else { return }
        out.removeAll { c in extra.contains { e in c.span.lowerBound < e.span.upperBound && e.span.lowerBound < c.span.upperBound } }
        out += extra
        out.sort { $0.span.lowerBound < $1.span.lowerBound }
    }

    /// True when the number starting at `start` lies inside a word of traps.tsv (一次性, 三中全会).
    /// A trap that begins inside the match itself, before the number, does not count:
    /// 之一 is a trap, but 百分之一 is a percentage.
    func isInsideTrap(_ t: UnsafeBufferPointer<UInt8>, _ start: Int, matchStart: Int) -> Bool {
        engine.traps.covers(start, in: t, excluding: matchStart..<start)
    }

    /// True when a trap word starts where the unit starts and runs past the match:
    /// 两部分 (部 begins 部分), 三次产业, 80年代.
    func startsTrap(_ t: UnsafeBufferPointer<UInt8>, at unitStart: Int?, beyond end: Int) -> Bool {
        guard let unitStart else { return false }
        return engine.traps.startsWord(at: unitStart, runningPast: end, in: t)
    }

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

    /// True when the match is part of a URL (…?q=30%25%2020): an ASCII run that holds `://` or `www.`.
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

    /// 一是, 二是 at a clause start and (一), （二） are list markers.
    func isListMarker(_ t: UnsafeBufferPointer<UInt8>, _ num: ByteSpan) -> Bool {
        let before = UTF8Bytes.previousStart(t, before: num.lowerBound).map { UTF8Bytes.scalar(t, at: $0).value }
        let after = num.upperBound < t.count ? UTF8Bytes.scalar(t, at: num.upperBound).value : nil
        if (before == 0xFF08 || before == 0x28) && (after == 0xFF09 || after == 0x29) { return true }  // （一）
        let atClauseStart = before.map { UTF8Bytes.isClauseDelimiter($0) || UTF8Bytes.isSpace($0) } ?? true
        return atClauseStart && after == 0x662F   // 是
    }

    // MARK: - Sentences

    /// The ICU sentence around `span`, searched in the line that holds it (at most 4 KiB either side).
    func sentence(around span: ByteSpan, in t: UnsafeBufferPointer<UInt8>, window: inout ByteSpan?) throws(ZhibiaoError) -> ByteSpan {
        if window == nil || !(window!.contains(span)) {
            let reach = 4096
            var lo = span.lowerBound
            while lo > 0, t[lo - 1] != 0x0A, span.lowerBound - lo < reach { lo -= 1 }
            while lo < span.lowerBound, UTF8Bytes.isContinuation(t[lo]) { lo += 1 }
            var hi = span.upperBound
            while hi < t.count, t[hi] != 0x0A, hi - span.upperBound < reach { hi += 1 }
            while hi > span.upperBound, hi < t.count, UTF8Bytes.isContinuation(t[hi]) { hi -= 1 }
            window = ByteSpan(lo, hi)
            try sentences.attach(UnsafeBufferPointer(rebasing: t[lo..<hi]))
            sentences.allBoundaries(into: &sentenceBounds)   // one pass per line, then lookups
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
}

/// A place in a document: 1-based line and column (column in Unicode scalars) and the
/// UTF-8 byte offset. Line ends are LF, CRLF and a lone CR.
public struct TextPosition: Hashable, Sendable {
    public var line: Int
    public var column: Int
    public var byteOffset: Int
    public init(line: Int = 1, column: Int = 1, byteOffset: Int = 0) {
        precondition(line >= 1 && column >= 1 && byteOffset >= 0, "TextPosition is 1-based and non-negative")
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// The position just after `text`, which starts at `self` (for the next chunk).
    /// A chunk that ends in CR is counted as a line end; cut chunks after LF to keep CRLF whole.
    public func advanced(over text: UnsafeBufferPointer<UInt8>) -> TextPosition {
        var tracker = PositionTracker(self)
        _ = tracker.advance(to: text.count, in: text)
        return TextPosition(line: tracker.line, column: tracker.column, byteOffset: byteOffset + text.count)
    }
}

/// Turns byte offsets into 1-based line and column (column in Unicode scalars), moving
/// forward only, so a whole document costs one pass. Line ends: LF, CRLF and lone CR.
struct PositionTracker {
    var offset = 0
    var line: Int
    var column: Int

    init(_ start: TextPosition) {
        line = start.line
        column = start.column
    }

    mutating func advance(to target: Int, in t: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        precondition(target >= offset, "PositionTracker moves forward only")
        while offset < target {
            let b = t[offset]
            if b == 0x0A {
                line += 1; column = 1
            } else if b == 0x0D {
                if offset + 1 >= t.count || t[offset + 1] != 0x0A { line += 1; column = 1 }
            } else if !UTF8Bytes.isContinuation(b) {
                column += 1
            }
            offset += 1
        }
        return (line, column)
    }
}
