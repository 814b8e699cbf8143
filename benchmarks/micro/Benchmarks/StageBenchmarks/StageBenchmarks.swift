// Each stage on its own: numeral reading, quantity matching, CSV rows.
//
// Figures: wall clock and throughput per iteration (the harness's own), malloc counts
// (deterministic, the figure to compare between commits), and `bytes/s` for the stages
// that scan text (input bytes, or output bytes for CSV, divided by the iteration's time).

import Benchmark
import BenchmarkFixtures
import Extraction
import Normalization
import Output
import PatternCatalog
import PCRE2Matching
import ZhibiaoCore

let benchmarks = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )
    let catalog = try! PatternCatalog()

    // MARK: Numeral normalization

    // Arabic, full-width, grouped, Chinese (plain, financial, Traditional), with 零 and
    // magnitudes: the forms of README "How amounts are read".
    let numerals = [
        "806", "99.69", "2004.5", "2.72", "18000", "12,345.6", "１２３．４５", "0.5",
        "一百九十万零三千九百七十一", "两万", "三千五", "一千零五", "十八", "二十", "九百六十九",
        "壹佰贰拾叁", "兩萬", "四十七点三", "一亿零五十", "六百万", "百", "三", "二〇二四", "一千二百",
    ]
    let reader = NumeralReader(catalog: catalog)
    Benchmark("Numerals: NumeralReader.read, \(numerals.count) numerals per iteration",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            for n in numerals {
                blackHole(reader.read(n))
            }
        }
    }

    // MARK: Matching (PCRE2 JIT, the expanded quantity pattern, no reading)
    //
    // PCRE2's own unanchored scan. The extractor scans with a start-character prefilter and
    // the anchored pattern instead (internal to Extraction); its gain shows in
    // PipelineBenchmarks as "prefilter off" against the default.

    let report = Fixtures.reportTimes(73)
    let quantity = try! CompiledPattern(catalog.quantityPattern, options: [.extended])
    let scratch = MatchScratch(quantity)
    let expectedMatches = report.withUnsafeBufferPointer { countMatches(scratch, $0) }
    Benchmark("Matching: quantity pattern, PCRE2 unanchored scan, reference report ×73 (\(report.count) bytes)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, Fixtures.bytesPerSecond])) { benchmark in
        for _ in benchmark.scaledIterations {
            let start = ContinuousClock.now
            let n = report.withUnsafeBufferPointer { countMatches(scratch, $0) }
            precondition(n == expectedMatches, "match count changed: \(n) vs \(expectedMatches)")
            Fixtures.record(benchmark, bytes: report.count, since: start)
        }
    }

    // MARK: CSV writing

    let extractor = try! Extractor(engine: try! ExtractionEngine(catalog: catalog))
    let indicators = try! report.withUnsafeBufferPointer { try extractor.extract($0) }
    let writer = RowWriter(format: .csv)
    var csvBytes = 0
    do {
        var out: [UInt8] = []
        for i in indicators { writer.append(i, file: "report.txt", to: &out) }
        csvBytes = out.count
    }
    Benchmark("CSV: RowWriter.append, \(indicators.count) rows (\(csvBytes) bytes out)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, Fixtures.bytesPerSecond])) { benchmark in
        for _ in benchmark.scaledIterations {
            let start = ContinuousClock.now
            var out: [UInt8] = []
            out.reserveCapacity(csvBytes)
            for i in indicators { writer.append(i, file: "report.txt", to: &out) }
            precondition(out.count == csvBytes)
            Fixtures.record(benchmark, bytes: out.count, since: start)
            blackHole(out)
        }
    }
}

func countMatches(_ scratch: MatchScratch, _ text: UnsafeBufferPointer<UInt8>) -> Int {
    var n = 0
    try! scratch.forEachMatch(in: text) { _ in
        n += 1
        return true
    }
    return n
}
