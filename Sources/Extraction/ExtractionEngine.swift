import Normalization
import PatternCatalog
import PCRE2Matching
import Synchronization
import ZhibiaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything compiled once per run and shared read-only by all workers: the pattern
/// catalog, the JIT-compiled quantity pattern and user patterns, and the lookup tables.
public final class ExtractionEngine: Sendable {
    /// The language data the patterns were built from.
    public let catalog: PatternCatalog
    /// The quantity pattern: compiled anchored and tried only where `startSet` says a match
    /// may begin (the prefilter), or unanchored, scanning by itself, when there is no start set.
    let quantity: CompiledPattern
    let startSet: StartSet?
    /// The characters a number can begin with (`@number_start`), and how far after another
    /// start character (a qualifier, a unit prefix, a sign, 第) a number may begin, in bytes.
    let numberStartSet: StartSet?
    let numberReach: Int
    /// `@word_start`, anchored: tried at such a start character before the whole pattern
    /// (nil without the prefilter or with a quantity.pcre of the user's).
    let wordStart: CompiledPattern?
    /// The fast path for a plain Arabic number and its unit (PlainQuantity.swift), with the prefilter.
    let plain: PlainQuantityReader?
    let custom: [(CustomPattern, CompiledPattern)]
    let groups: QuantityGroups
    let normalizer: QuantityNormalizer
    let traps: TrapIndex
    let labels: LabelWordBytes
    /// context.tsv with each word as UTF-8 bytes, in table order.
    let contextWords: [([UInt8], ContextWord)]
    /// changes.tsv read backwards from a figure (Annotators/Role.swift).
    let changes: ByteTrie<ChangeWord>
    /// targets.tsv `section`: heading words that open a section of targets.
    let targetSections: ByteTrie<Bool>
    /// periods.tsv by role (Annotators/Period.swift): words, plans and masks read forwards
    /// (with the cues and masks of targets.tsv, in `sentenceWords`);
    /// the words that extend a year or a duration after it; those before a duration, backwards.
    let sentenceWords: ByteTrie<SentenceWord>
    let periodAfterYear: ByteTrie<Bool>
    /// tables.tsv: what a word in a table's header or unit statement says (Tables.swift).
    let tableWords: ByteTrie<TableFlags>
    /// Period words of a table's column header: periods.tsv's words and tables.tsv's (期末, 本期).
    let headerPeriods: ByteTrie<Bool>
    let periodSpanAfter: ByteTrie<Bool>
    let periodSpanBefore: ByteTrie<Bool>
    /// Words around a duration that make it rhetoric or a programme's name (成立一百年, 九年义务教育).
    let rhetoricBefore: ByteTrie<Bool>
    let rhetoricAfter: ByteTrie<Bool>
    /// Comparisons (labels.tsv `tail`), distant qualifiers and verbs of change, dropped from a label's end,
    /// backwards; the `level` words of changes.tsv are kept (新增 is not 增).
    let labelTail: ByteTrie<ChangeRole>
    /// distant.tsv, backwards: qualifier words a few characters before a figure.
    let distantQualifiers: ByteTrie<Qualifier>
    /// nouns.tsv: a noun after a bare 万/亿 amount and the unit it counts in.
    let countedNouns: ByteTrie<String>
    /// labels.tsv `verb`, backwards: a clause ending with one names its figure after the unit.
    let labelVerbs: ByteTrie<Bool>
    /// One flag per custom pattern: its limit warning was given (once per run, not per chunk).
    let customLimitReported: [OnceFlag]
    let warn: @Sendable (String) -> Void

    /// Compiles the catalog's patterns.
    /// - Parameter prefilter: scan with the `@start` prefilter and an anchored pattern (the
    ///   default, several times faster); false runs PCRE2's own scan, for comparison in tests.
    /// - Parameter jit: JIT-compile the quantity pattern (the default). Compiling it costs
    ///   about 5 ms; the interpreter finds the same matches, more slowly, so for a few kB of
    ///   input it finishes first.
    /// - Throws: `ZhibiaoError(.pattern)` naming the pattern file (and line, for user patterns).
    /// - Parameter warn: receives warnings that do not stop the run (a user pattern that hit a
    ///   PCRE2 limit, once per pattern); standard error by default.
    public init(catalog: PatternCatalog, prefilter: Bool = true, jit: Bool = true,
                warn: @escaping @Sendable (String) -> Void = ExtractionEngine.standardErrorWarning) throws(ZhibiaoError) {
        self.catalog = catalog
        // With the prefilter only the anchored pattern is compiled (it also names the
        // groups); without it, the pattern scans by itself. It and the fast path's tables,
        // the two largest pieces, are built on threads of their own while this one builds
        // the tables that cannot fail; then everything that can fail, in the same order as
        // when it was built in one line.
        let anchored = prefilter && catalog.startPattern != nil
        let quantityWork = JoinableThread { Result { () throws(ZhibiaoError) in
            try Self.compileQuantity(catalog, options: anchored ? [.extended, .anchored] : [.extended], jit: jit)
        } }
        let plainWork = anchored ? JoinableThread { Result { () throws(ZhibiaoError) in try PlainQuantityReader(catalog: catalog) } } : nil
        defer { _ = quantityWork.join(); _ = plainWork?.join() }
        normalizer = QuantityNormalizer(catalog: catalog)
        traps = TrapIndex(catalog.traps.map { Array($0.utf8) })
        labels = LabelWordBytes(catalog.labelWords)
        contextWords = catalog.contextWords.map { (Array($0.word.utf8), $0) }
        changes = ByteTrie(catalog.changeWords.map { ($0.word, $0) }, reversed: true)
        targetSections = ByteTrie(catalog.targetWords.filter { $0.role == .section }.map { ($0.word, true) })
        let periods = catalog.periodWords
        // Period words and target cues, read in one pass over a sentence.
        var sentenceWords: [String: SentenceWord] = [:]
        for p in periods where [.word, .plan, .not].contains(p.role) { sentenceWords[p.word, default: SentenceWord()].period = p.role }
        for w in catalog.targetWords where w.role != .section { sentenceWords[w.word, default: SentenceWord()].target = w.role }
        self.sentenceWords = ByteTrie(sentenceWords.map { ($0.key, $0.value) })
        periodAfterYear = ByteTrie(periods.filter { $0.role == .afterYear }.map { ($0.word, true) })
        periodSpanAfter = ByteTrie(periods.filter { $0.role == .spanAfter }.map { ($0.word, true) })
        periodSpanBefore = ByteTrie(periods.filter { $0.role == .spanBefore }.map { ($0.word, true) }, reversed: true)
        rhetoricBefore = ByteTrie(periods.filter { $0.role == .rhetoricBefore }.map { ($0.word, true) }, reversed: true)
        rhetoricAfter = ByteTrie(periods.filter { $0.role == .rhetoricAfter }.map { ($0.word, true) })
        labelTail = ByteTrie(catalog.changeWords.map { ($0.word, $0.role) }
                             + catalog.labelWords.tail.map { ($0, ChangeRole.skip) }
                             + catalog.distantQualifiers.map { ($0.word, ChangeRole.skip) }, reversed: true)
        distantQualifiers = ByteTrie(catalog.distantQualifiers.map { ($0.word, $0.qualifier) }, reversed: true)
        countedNouns = ByteTrie(catalog.countedNouns.map { ($0.noun, $0.unit) })
        labelVerbs = ByteTrie(catalog.labelWords.verb.map { ($0, true) }, reversed: true)
        var tableFlags: [String: TableFlags] = [:]
        for w in catalog.tableWords { tableFlags[w.word, default: []].formUnion(TableFlags(w.role)) }
        tableWords = ByteTrie(tableFlags.map { ($0.key, $0.value) })
        // Comparisons first (比上年: no period), so that a table's own period words win (上年同期).
        headerPeriods = ByteTrie(periods.filter { $0.role == .not }.map { ($0.word, false) }
                                 + periods.filter { $0.role == .word }.map { ($0.word, true) }
                                 + catalog.tableWords.filter { $0.role == .period }.map { ($0.word, true) })
        typealias Built<T> = Result<T, ZhibiaoError>
        let fragments = anchored ? catalog.fragments : [:]
        let startSetBuilt: Built<StartSet>? = (anchored ? catalog.startPattern : nil).map { start in Result { () throws(ZhibiaoError) in try StartSet(startClass: start) } }
        let numberStartBuilt: Built<StartSet>? = fragments["number_start"].map { start in Result { () throws(ZhibiaoError) in try StartSet(startClass: start) } }
        let wordStartBuilt: Built<CompiledPattern>? = catalog.quantityPatternIsBuiltIn ? fragments["word_start"].map { words in
            Result { () throws(ZhibiaoError) in try CompiledPattern(words, options: [.extended, .anchored], jit: jit) }
        } : nil
        do throws(ZhibiaoError) {
            quantity = try quantityWork.join().get()
            if let plainWork, let startSetBuilt {   // both exist only when anchored
                startSet = try startSetBuilt.get()
                plain = try plainWork.join().get()
                numberStartSet = try numberStartBuilt?.get()
                wordStart = try wordStartBuilt?.get()
            } else {
                startSet = nil
                numberStartSet = nil
                wordStart = nil
                plain = nil
            }
        } catch {
            throw Self.quantityPatternError(error, catalog)
        }
        var custom: [(CustomPattern, CompiledPattern)] = []
        for p in catalog.customPatterns {
            do throws(ZhibiaoError) {
                // Bounded work per match and no \C (it splits UTF-8 characters): see Limits.userPattern.
                let compiled = try CompiledPattern(p.pattern, options: [.extended, .neverBackslashC], limits: .userPattern)
                guard compiled.groupNumber("num") != nil else {
                    throw ZhibiaoError(.pattern, "the regex needs a named group (?<num>…)")
                }
                custom.append((p, compiled))
            } catch {
                throw ZhibiaoError(.pattern, path: p.origin.file, line: p.origin.line, error.message)
            }
        }
        self.custom = custom
        // 第, a sign and two spaces (at most 3 bytes each) may stand between as well.
        let longest = { (words: [String]) in words.map(\.utf8.count).max() ?? 0 }
        numberReach = longest(catalog.qualifiers.filter { $0.position == .before }.map(\.word))
            + longest(catalog.units.filter(\.isPrefix).map(\.surface)) + 4 * 3
        customLimitReported = custom.map { _ in OnceFlag() }
        self.warn = warn
        guard let groups = QuantityGroups(quantity) else {
            throw ZhibiaoError(.pattern, path: catalog.quantityPatternOrigin.file,
                               "must define the named groups \(QuantityGroups.required.joined(separator: ", "))")
        }
        self.groups = groups
    }
}

/// Group numbers of the named groups of quantity.pcre, looked up once.
struct QuantityGroups: Sendable {
    static let required = ["num"]
    let ordinal, before, prefix, neg, num, approx, mag, approx2, unit1, num2, mag2, approx3, unit, after: Int?
    let half, fractionDenominator, fractionNumerator, slashNumerator, slashDenominator: Int?
    let fractionWhole, fractionNegative, numeratorNegative, slashNegative: Int?
    let jiao: [Int], fen: [Int]
    let oneHalf, before2, tenth, tenth1: Int?
    /// Where the number of a match is, in order of preference: the plain number, else a fraction's first number.
    let numberGroups: [Int]
    /// What a match keeps when it is cut after its first number, or after its first unit.
    let keptUpToFirstNumber, keptUpToFirstUnit: [Int]

    init?(_ p: CompiledPattern) {
        ordinal = p.groupNumber("ordinal"); before = p.groupNumber("before"); prefix = p.groupNumber("prefix")
        neg = p.groupNumber("neg"); num = p.groupNumber("num"); approx = p.groupNumber("approx")
        mag = p.groupNumber("mag"); approx2 = p.groupNumber("approx2"); unit1 = p.groupNumber("unit1")
        num2 = p.groupNumber("num2"); mag2 = p.groupNumber("mag2"); approx3 = p.groupNumber("approx3")
        unit = p.groupNumber("unit"); after = p.groupNumber("after"); half = p.groupNumber("half")
        fractionDenominator = p.groupNumber("fden"); fractionNumerator = p.groupNumber("fnum")
        slashNumerator = p.groupNumber("snum"); slashDenominator = p.groupNumber("sden")
        fractionWhole = p.groupNumber("fwhole"); fractionNegative = p.groupNumber("fneg")
        numeratorNegative = p.groupNumber("fneg2"); slashNegative = p.groupNumber("sneg")
        jiao = ["jiao", "jiao2"].compactMap(p.groupNumber)
        fen = ["fen", "fen2", "fen3", "fen4"].compactMap(p.groupNumber)
        oneHalf = p.groupNumber("onehalf"); before2 = p.groupNumber("before2"); tenth = p.groupNumber("tenth")
        tenth1 = p.groupNumber("tenth1")
        numberGroups = [num, fractionWhole, fractionDenominator, slashNumerator, oneHalf].compactMap { $0 }
        keptUpToFirstNumber = [approx, mag, approx2].compactMap { $0 }
        keptUpToFirstUnit = keptUpToFirstNumber + [unit1, tenth1].compactMap { $0 }
        if num == nil { return nil }
    }
}

/// labels.tsv as UTF-8 byte strings, longest first, for matching inside the document buffer.
final class LabelWordBytes: Sendable {
    let lead, link, cut, stop: [[UInt8]]
    /// One-test filters on the character where a word of a list may begin or end (Label.swift).
    let leadFirst, linkLast, cutFirst, cutLast, stopFirst: ScalarFilter
    init(_ w: LabelWords) {
        func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) }.sorted { $0.count > $1.count } }
        lead = bytes(w.lead); link = bytes(w.link); cut = bytes(w.cut); stop = bytes(w.stop)
        leadFirst = ScalarFilter(w.lead, last: false); linkLast = ScalarFilter(w.link, last: true)
        cutFirst = ScalarFilter(w.cut, last: false); cutLast = ScalarFilter(w.cut, last: true); stopFirst = ScalarFilter(w.stop, last: false)
    }
}

/// A word read while a sentence is scanned: what it is in periods.tsv and in targets.tsv.
struct SentenceWord: Sendable {
    var period: PeriodRole?
    var target: TargetRole?
}

// MARK: - Pattern errors and warnings (issue 14)

extension ExtractionEngine {
    /// Writes `zhibiao: warning: …` to standard error.
    public static let standardErrorWarning: @Sendable (String) -> Void = { message in
        let line = Array("zhibiao: warning: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// The quantity pattern compiled inline (fastest); when user rows make it larger than
    /// PCRE2 compiles, the compact form with called word lists.
    static func compileQuantity(_ catalog: PatternCatalog, options: CompiledPattern.Options, jit: Bool) throws(ZhibiaoError) -> CompiledPattern {
        do throws(ZhibiaoError) {
            return try CompiledPattern(catalog.quantityPattern, options: options, jit: jit)
        } catch where isTooLarge(error) {
            let compact = try catalog.compactQuantityPattern()
            guard !compact.isEmpty else { throw error }
            return try CompiledPattern(compact, options: options, jit: jit)
        }
    }

    /// PCRE2's "regular expression is too large" (error 120).
    static func isTooLarge(_ error: ZhibiaoError) -> Bool {
        error.message.contains("too large") || error.message.contains("error 120 ")
    }

    /// The error for a quantity pattern that does not compile: when user rows went into it and
    /// it grew too large for PCRE2, it names the user's files and the cause, not quantity.pcre.
    static func quantityPatternError(_ error: ZhibiaoError, _ catalog: PatternCatalog) -> ZhibiaoError {
        let user = catalog.quantityPatternUserRows
        if !user.isEmpty, isTooLarge(error) {
            let files = user.map { "\($0.file) (\($0.rows) rows)" }.joined(separator: ", ")
            return ZhibiaoError(.pattern, path: user.map(\.file).joined(separator: ", "),
                                "too many rows: with \(files) the quantity pattern is larger than PCRE2 can compile (\(error.message)); "
                                + "PCRE2 as usually built caps a compiled pattern at 64 KiB, which holds about 1,000 extra rows of three characters; move rare units to a *.patterns file")
        }
        return ZhibiaoError(.pattern, path: catalog.quantityPatternOrigin.file, "does not compile after expansion: \(error.message)")
    }

    /// Called by a worker when custom pattern `index` hit a PCRE2 limit: warns once per run.
    func customPatternHitLimit(_ index: Int, _ error: PCRE2Error) {
        guard customLimitReported[index].setOnce() else { return }
        let origin = custom[index].0.origin
        warn("\(origin.file):\(origin.line): \(error.description): this pattern's match is skipped where it happened "
             + "(reported once; simplify the regex, e.g. avoid nested quantifiers such as (a+)+)")
    }
}

/// A flag set once, from any thread; `setOnce` tells the one caller that set it.
final class OnceFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func setOnce() -> Bool { flag.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged }
}
