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
    public let catalog: PatternCatalog
    let quantity: CompiledPattern
    /// The same pattern compiled anchored, tried only where `startSet` says a match may begin.
    let anchoredQuantity: CompiledPattern?
    let startSet: StartSet?
    let custom: [(CustomPattern, CompiledPattern)]
    let groups: QuantityGroups
    let normalizer: QuantityNormalizer
    let traps: TrapIndex
    let labels: LabelWordBytes
    let contextWords: [ContextWord]
    /// One flag per custom pattern: its limit warning was given (once per run, not per chunk).
    let customLimitReported: [OnceFlag]
    let warn: @Sendable (String) -> Void

    /// Compiles the catalog's patterns.
    /// - Parameter prefilter: scan with the `@start` prefilter and an anchored pattern (the
    ///   default, several times faster); false runs PCRE2's own scan, for comparison in tests.
    /// - Throws: `ZhibiaoError(.pattern)` naming the pattern file (and line, for user patterns).
    /// - Parameter warn: receives warnings that do not stop the run (a user pattern that hit a
    ///   PCRE2 limit, once per pattern); standard error by default.
    public init(catalog: PatternCatalog, prefilter: Bool = true,
                warn: @escaping @Sendable (String) -> Void = ExtractionEngine.standardErrorWarning) throws(ZhibiaoError) {
        self.catalog = catalog
        do throws(ZhibiaoError) {
            quantity = try CompiledPattern(catalog.quantityPattern, options: [.extended])
            if prefilter, let start = catalog.startPattern {
                anchoredQuantity = try CompiledPattern(catalog.quantityPattern, options: [.extended, .anchored])
                startSet = try StartSet(startClass: start)
            } else {
                anchoredQuantity = nil
                startSet = nil
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
        customLimitReported = custom.map { _ in OnceFlag() }
        self.warn = warn
        guard let groups = QuantityGroups(quantity) else {
            throw ZhibiaoError(.pattern, path: catalog.quantityPatternOrigin.file,
                               "must define the named groups \(QuantityGroups.required.joined(separator: ", "))")
        }
        self.groups = groups
        normalizer = QuantityNormalizer(catalog: catalog)
        traps = TrapIndex(catalog.traps.map { Array($0.utf8) })
        labels = LabelWordBytes(catalog.labelWords)
        contextWords = catalog.contextWords
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
struct LabelWordBytes: Sendable {
    let lead, link, cut, stop: [[UInt8]]
    init(_ w: LabelWords) {
        func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) }.sorted { $0.count > $1.count } }
        lead = bytes(w.lead); link = bytes(w.link); cut = bytes(w.cut); stop = bytes(w.stop)
    }
}

// MARK: - Pattern errors and warnings (issue 14)

extension ExtractionEngine {
    /// Writes `zhibiao: warning: …` to standard error.
    public static let standardErrorWarning: @Sendable (String) -> Void = { message in
        let line = Array("zhibiao: warning: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// The error for a quantity pattern that does not compile: when user rows went into it and
    /// it grew too large for PCRE2, it names the user's files and the cause, not quantity.pcre.
    static func quantityPatternError(_ error: ZhibiaoError, _ catalog: PatternCatalog) -> ZhibiaoError {
        let user = catalog.quantityPatternUserRows
        if !user.isEmpty, error.message.contains("too large") || error.message.contains("error 120 ") {
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
