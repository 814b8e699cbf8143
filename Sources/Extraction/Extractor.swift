import Normalization
import PatternCatalog
import PCRE2Matching
import Segmentation
import ZhibiaoCore

/// What to report.
public struct ExtractionOptions: Sendable {
    /// The kinds written out; `Kind.defaultSet` unless the user chose (`--kinds`).
    public var kinds: Set<Kind> { didSet { kindBits = Self.bits(kinds) } }
    /// `kinds` one bit each: asked once per figure, where hashing into a set cost ~300
    /// instructions.
    private var kindBits: UInt16
    /// Longest label, in characters.
    public var maxLabelLength: Int
    /// Longest `sentence` field, in characters: a longer sentence is cut around the match.
    public var maxSentenceLength: Int
    /// Options; the defaults are the command line's.
    public init(kinds: Set<Kind> = Kind.defaultSet, maxLabelLength: Int = 12, maxSentenceLength: Int = 500) {
        self.kinds = kinds
        kindBits = Self.bits(kinds)
        self.maxLabelLength = maxLabelLength
        self.maxSentenceLength = maxSentenceLength
    }

    /// True when figures of `kind` are written out.
    @inline(__always)
    func reports(_ kind: Kind) -> Bool { kindBits & Self.bit(kind) != 0 }

    static func bits(_ kinds: Set<Kind>) -> UInt16 { kinds.reduce(0) { $0 | bit($1) } }

    @inline(__always)
    static func bit(_ kind: Kind) -> UInt16 {
        switch kind {
        case .money: 1 << 0
        case .percent: 1 << 1
        case .percentagePoint: 1 << 2
        case .count: 1 << 3
        case .measure: 1 << 4
        case .duration: 1 << 5
        case .ratio: 1 << 6
        case .number: 1 << 7
        case .ordinal: 1 << 8
        case .year: 1 << 9
        case .date: 1 << 10
        }
    }
    /// Durations used as periods (过去五年, 一年来) are reported, as `duration`, only when
    /// every kind is asked for (`--kinds all`).
    var showsPeriodSpans: Bool { kindBits == Self.allKinds }
    static let allKinds = bits(Set(Kind.allCases))
}

/// A quantity found in a chunk, as the stages pass it on: byte spans into the chunk and the
/// reading, no owned text. Made by the scanner (scan, read), marked by the filters, then
/// given a label and a sentence by the annotators on its way to the sink.
struct Mention {
    /// The match, qualifier words beside the number included.
    var span: ByteSpan
    var numberStart: Int
    var reading: Reading
    /// False when a filter dropped it (a trap, a URL); it still ends its neighbours' clauses.
    var keep: Bool
    /// Ends the clause of a neighbour's label: kept quantities, and years, dates and
    /// ordinals even when not reported; never a quoted code or slogan (“三新”群体骨干分子).
    var separates: Bool
}

/// Extracts indicators from one chunk at a time and pushes them into a sink. Holds the
/// per-worker state (PCRE2 match data, ICU iterators, scratch buffers) and reuses it for
/// every chunk: one per thread.
///
/// The text is valid UTF-8 (the Input stage guarantees it). The pipeline per chunk:
/// scan and read (`Scanner.swift`: PCRE2 JIT, then Normalization), filter (`Filters/`:
/// traps, URLs, list markers, short quotes), then for each kept mention annotate
/// (`Annotators/`: label, context kind, sentence), locate (`Locator.swift`: line, column)
/// and hand a `RowView` of the chunk's bytes to the sink.
public final class Extractor {
    /// The compiled patterns (shared between extractors).
    public let engine: ExtractionEngine
    /// What is reported.
    public let options: ExtractionOptions
    let scratch: MatchScratch
    /// Match data for the fast path's `@not_inside` test, when there is a fast path.
    let guardScratch: MatchScratch?
    /// Match data for `@word_start`, when the engine has it.
    let wordStartScratch: MatchScratch?
    let customScratch: [MatchScratch]
    /// PCRE2 limit hits after which a user pattern is skipped for the rest of a chunk.
    static let maxLimitHits = 64
    let sentences: BoundaryFinder
    let sentenceRule = SentenceRule()
    let words: BoundaryFinder
    /// Sentence boundaries of the current line window, relative to its start.
    var sentenceBounds: [Int] = []
    /// Whether the byte rule (not ICU) gave `sentenceBounds`.
    var windowByRule = false
    /// Word boundaries of the current label window (reused for every label).
    let labelWords = LazyBoundaries()
    /// A label rewritten without its quote marks or unbalanced brackets (rare): memory owned
    /// by the extractor and reused, so that a row's label is a plain view either way.
    var labelScratch = ScratchBytes()
    /// A sentence cut to `maxSentenceLength` around its match, with its marks (rare), reused.
    var sentenceScratch = ScratchBytes()
    /// The table the current mentions are in (Tables.swift), and a table cell's label, period
    /// and the number-and-unit text it is read from (Annotators/TableCell.swift).
    var tables = TableState()
    var tableLabel = ScratchBytes()
    var tablePeriod = ScratchBytes()
    var tableReadBuffer: [UInt8] = []
    /// The mentions of the last call, emptied and refilled by the next: a dense chunk has
    /// tens of thousands, and growing a fresh array each time costs page faults.
    var mentionBuffer: [Mention] = []
    /// The names of the current 分别 list, and the next one to give (Annotators/Label.swift).
    var listPieces: [ByteSpan] = []
    var listNext = 0
    /// The periods of the current sentence, and the duration mentions among them (Annotators/Period.swift).
    var periodSpans: [ByteSpan] = []
    var periodDurations: [Int] = []

    /// An extractor with its own match data and ICU iterators (not thread-safe: one per thread).
    /// - Throws: `ZhibiaoError(.engine)` when ICU cannot open its iterators.
    public init(engine: ExtractionEngine, options: ExtractionOptions = ExtractionOptions()) throws(ZhibiaoError) {
        self.engine = engine
        self.options = options
        scratch = MatchScratch(engine.quantity)
        guardScratch = engine.plain.map { MatchScratch($0.guardPattern) }
        wordStartScratch = engine.wordStart.map { MatchScratch($0) }
        customScratch = engine.custom.map { MatchScratch($0.1) }
        sentences = try BoundaryFinder(.sentence)
        words = try BoundaryFinder(.word)
    }

    /// Extracts every indicator of `text` (valid UTF-8) into `sink`, in document order.
    ///
    /// `text` may be a whole document or one chunk of it: `start` is where the chunk begins
    /// in the document (line, column, byte offset), and the rows' positions and spans are
    /// the document's. Cut chunks at line ends: a quantity, its label and its sentence never
    /// cross a line, so chunked and whole extraction then give the same rows. `file` is the
    /// input's name as the rows carry it.
    public func extract<Sink: IndicatorSink>(_ text: UnsafeBufferPointer<UInt8>, startingAt start: TextPosition = TextPosition(),
                                             file: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0),
                                             into sink: inout Sink) throws(ZhibiaoError) {
        var mentions = mentionBuffer
        mentionBuffer = []
        // Room for one mention per 128 bytes (prose has one per ~200) at once: a long line's
        // 4 MB chunk would otherwise grow the buffer by doublings, each copied into new pages.
        if mentions.capacity < text.count / 128 { mentions.reserveCapacity(text.count / 128) }
        defer { mentions.removeAll(keepingCapacity: true); mentionBuffer = mentions }
        try scan(text, into: &mentions)
        markRatioParts(&mentions, in: text)
        var position = PositionTracker(start)
        var sentenceWindow: ByteSpan?
        // Per sentence: its first target cue and its periods, found once for all its rows;
        // the last name given in it, carried to a figure whose clause names none.
        var currentSentence: ByteSpan?
        var firstCue: Int?
        var carried: ByteSpan?
        var inTargetSection = false
        var headingsRead = 0
        listPieces.removeAll(keepingCapacity: true)
        tables.reset()
        for index in mentions.indices where mentions[index].keep {
            // A figure alone in a table cell: its row and column headers say what it is.
            let verdict = tableVerdict(for: index, in: mentions, text: text)
            if tables.firstLineNumber == 0, !tables.span.isEmpty, tables.span.lowerBound <= mentions[index].span.lowerBound {
                // A table just read: its first line, before any row of it moves the position on.
                tables.firstLineNumber = position.advance(to: tables.span.lowerBound, in: text).0
            }
            switch verdict {
            case .prose: break
            case .drop: continue
            case .cell(let cell):
                guard options.reports(cell.quantity.kind) else { continue }
                let span = cell.span
                let sentence = try self.sentence(around: span, in: text, window: &sentenceWindow)
                let (line, column) = position.advance(to: span.lowerBound, in: text)
                sink.write(RowView(file: file, line: line, column: column,
                                   span: ByteSpan(span.lowerBound + start.byteOffset, span.upperBound + start.byteOffset),
                                   match: text.slice(span), quantity: cell.quantity, label: tableLabel.bytes,
                                   sentence: sentenceText(sentence, around: span, in: text), period: tablePeriod.bytes,
                                   meaning: cell.meaning, table: tables.firstLineNumber))
                continue
            }
            if mentions[index].reading.quantity.kind == .number, mentions[index].reading.hasMagnitude {
                applyCountedNoun(&mentions[index], in: text)
            }
            // The fields read in place: a copy of the whole mention costs a retain and release per part.
            let span = mentions[index].span
            let kind = mentions[index].reading.quantity.kind
            // A bare amount with 万/亿 may take its kind from its label (总金额达26.22亿: money).
            let mayTakeContext = kind == .number && mentions[index].reading.hasMagnitude
            guard options.reports(kind) || mayTakeContext else { continue }
            // Copied only for a mention that may be reported (the rows change it: kind, qualifier).
            var quantity = mentions[index].reading.quantity
            let sentence = try self.sentence(around: span, in: text, window: &sentenceWindow)
            if sentence != currentSentence {
                currentSentence = sentence
                readHeadings(text, from: headingsRead, to: sentence.lowerBound, inSection: &inTargetSection)
                headingsRead = max(headingsRead, sentence.lowerBound)
                firstCue = findPeriods(in: sentence, around: index, of: mentions, text: text)
                carried = nil
            }
            // A duration used as a period (过去五年, 一年来) is not an indicator by default.
            if quantity.kind == .duration, !options.showsPeriodSpans, periodDurations.contains(index) { continue }
            var label = self.label(for: index, in: mentions, text: text)
            if case .span(let s) = label {
                if s.isEmpty, let carried { label = .span(carried) } else if !s.isEmpty { carried = s }
            }
            let labelBytes = self.bytes(of: label, in: text)
            if mayTakeContext { applyContextKind(labelBytes, to: &quantity) }
            guard options.reports(quantity.kind) else { continue }
            let (line, column) = position.advance(to: span.lowerBound, in: text)
            if quantity.qualifier == .none, let q = distantQualifier(index, in: mentions, text: text) { quantity.qualifier = q }
            var meaning = self.meaning(for: index, in: mentions, text: text)
            meaning.target = inTargetSection || (firstCue.map { $0 < span.lowerBound } ?? false)
            let period = self.period(for: span, in: text, sentence: sentence).map { text.slice($0) } ?? UnsafeBufferPointer(start: nil, count: 0)
            sink.write(RowView(file: file, line: line, column: column,
                               span: ByteSpan(span.lowerBound + start.byteOffset, span.upperBound + start.byteOffset),
                               match: text.slice(span), quantity: consume quantity, label: labelBytes,
                               sentence: sentenceText(sentence, around: span, in: text), period: period, meaning: meaning))
        }
    }

    /// Extracts every indicator of `text` as `Indicator` values (owned strings): for library
    /// callers and tests; the command line writes rows straight from the bytes instead.
    public func extract(_ text: UnsafeBufferPointer<UInt8>, startingAt start: TextPosition = TextPosition()) throws(ZhibiaoError) -> [Indicator] {
        var out: [Indicator] = []
        try extract(text, startingAt: start, into: &out)
        return out
    }

    /// Like `extract(_:startingAt:)`, but appends the rows to `out`.
    public func extract(_ text: UnsafeBufferPointer<UInt8>, startingAt start: TextPosition = TextPosition(),
                        into out: inout [Indicator]) throws(ZhibiaoError) {
        var collector = IndicatorCollector(into: out)
        out = []
        try extract(text, startingAt: start, into: &collector)
        out = collector.indicators
    }

    /// Runs the user's `*.patterns`; their matches replace built-in ones they overlap.
    ///
    /// User regexes run under `CompiledPattern.Limits.userPattern`. When a search hits a PCRE2
    /// limit, the places from where it began are retried one by one (anchored): the place
    /// where the limit is hit again loses its match (the engine warns once with the pattern's
    /// file:line), every other place keeps its own; the built-in rows and the other patterns
    /// are untouched. After `maxLimitHits` in one chunk the pattern is skipped for the rest of
    /// the chunk, so a runaway regex costs bounded time.
    func addCustomCandidates(_ text: UnsafeBufferPointer<UInt8>, to out: inout [Mention]) throws(ZhibiaoError) {
        var extra: [Mention] = []
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
                guard let ns = s.span(ofGroup: num), var number = engine.normalizer.numerals.read(utf8: text.slice(ns)) else { continue }
                if let mag, let ms = s.span(ofGroup: mag), let p = engine.normalizer.numerals.magnitude(utf8: text.slice(ms)) {
                    number.value = number.value.shifted(by: p)
                }
                guard NumeralReader.fits(number.value) else { continue }   // the limits of built-in rows
                let q = Quantity(value: number.value, unit: pattern.unit, kind: pattern.kind)
                extra.append(Mention(span: m, numberStart: ns.lowerBound,
                                       reading: Reading(quantity: q, truncatedAfter: nil, number: number, hasMagnitude: mag != nil),
                                       keep: true, separates: true))
            }
        }
        guard !extra.isEmpty else { return }
        out.removeAll { c in extra.contains { e in c.span.lowerBound < e.span.upperBound && e.span.lowerBound < c.span.upperBound } }
        out += extra
        out.sort { $0.span.lowerBound < $1.span.lowerBound }
    }
}
