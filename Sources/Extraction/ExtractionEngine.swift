import Normalization
import PatternCatalog
import PCRE2Matching
import ZhibiaoCore

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
    let custom: [(CustomPattern, CompiledPattern)]
    let groups: QuantityGroups
    let normalizer: QuantityNormalizer
    let traps: TrapIndex
    let labels: LabelWordBytes
    /// context.tsv with each word as UTF-8 bytes, in table order.
    let contextWords: [([UInt8], ContextWord)]

    /// Compiles the catalog's patterns.
    /// - Parameter prefilter: scan with the `@start` prefilter and an anchored pattern (the
    ///   default, several times faster); false runs PCRE2's own scan, for comparison in tests.
    /// - Parameter jit: JIT-compile the quantity pattern (the default). Compiling it costs
    ///   about 5 ms; the interpreter finds the same matches, more slowly, so for a few kB of
    ///   input it finishes first.
    /// - Throws: `ZhibiaoError(.pattern)` naming the pattern file (and line, for user patterns).
    public init(catalog: PatternCatalog, prefilter: Bool = true, jit: Bool = true) throws(ZhibiaoError) {
        self.catalog = catalog
        do throws(ZhibiaoError) {
            // With the prefilter only the anchored pattern is compiled (it also names the
            // groups); without it, the pattern scans by itself.
            if prefilter, let start = catalog.startPattern {
                quantity = try CompiledPattern(catalog.quantityPattern, options: [.extended, .anchored], jit: jit)
                startSet = try StartSet(startClass: start)
                if let numberStart = catalog.fragments["number_start"] {
                    numberStartSet = try StartSet(startClass: numberStart)
                } else {
                    numberStartSet = nil
                }
            } else {
                quantity = try CompiledPattern(catalog.quantityPattern, options: [.extended], jit: jit)
                startSet = nil
                numberStartSet = nil
            }
        } catch {
            throw ZhibiaoError(.pattern, path: catalog.quantityPatternOrigin.file, "does not compile after expansion: \(error.message)")
        }
        var custom: [(CustomPattern, CompiledPattern)] = []
        for p in catalog.customPatterns {
            do throws(ZhibiaoError) {
                let compiled = try CompiledPattern(p.pattern, options: [.extended])
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
        guard let groups = QuantityGroups(quantity) else {
            throw ZhibiaoError(.pattern, path: catalog.quantityPatternOrigin.file,
                               "must define the named groups \(QuantityGroups.required.joined(separator: ", "))")
        }
        self.groups = groups
        normalizer = QuantityNormalizer(catalog: catalog)
        traps = TrapIndex(catalog.traps.map { Array($0.utf8) })
        labels = LabelWordBytes(catalog.labelWords)
        contextWords = catalog.contextWords.map { (Array($0.word.utf8), $0) }
    }
}

/// Group numbers of the named groups of quantity.pcre, looked up once.
struct QuantityGroups: Sendable {
    static let required = ["num"]
    let ordinal, before, prefix, neg, num, approx, mag, approx2, unit1, num2, mag2, approx3, unit, after: Int?
    let half, fractionDenominator, fractionNumerator, slashNumerator, slashDenominator: Int?
    let fractionWhole, fractionNegative, numeratorNegative, slashNegative: Int?
    let jiao: [Int], fen: [Int]
    let oneHalf, before2, tenth: Int?
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
        numberGroups = [num, fractionWhole, fractionDenominator, slashNumerator, oneHalf].compactMap { $0 }
        keptUpToFirstNumber = [approx, mag, approx2].compactMap { $0 }
        keptUpToFirstUnit = keptUpToFirstNumber + [unit1].compactMap { $0 }
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
