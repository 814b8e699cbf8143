// Whole-document extraction, Extractor.extract: match, read, drop traps, label, sentence,
// position. The row count is checked inside the measured loop.
//
// The label stage has no public entry of its own, so it is measured by difference: the same
// quantities with and without indicator names around them.

import Benchmark
import BenchmarkFixtures
import Extraction
import Output
import PatternCatalog
import ZhibiaoCore

let benchmarks = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, Fixtures.bytesPerSecond],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )
    let engine = try! ExtractionEngine(catalog: try! PatternCatalog())
    let extractor = try! Extractor(engine: engine)

    func extraction(_ name: String, _ text: [UInt8], extractor: Extractor = extractor) {
        let expected = try! text.withUnsafeBufferPointer { try extractor.extract($0) }.count
        Benchmark("Extraction: \(name) (\(text.count) bytes, \(expected) rows)") { benchmark in
            for _ in benchmark.scaledIterations {
                let start = ContinuousClock.now
                let rows = try! text.withUnsafeBufferPointer { try extractor.extract($0) }
                precondition(rows.count == expected, "row count changed: \(rows.count) vs \(expected)")
                Fixtures.record(benchmark, bytes: text.count, since: start)
                blackHole(rows)
            }
        }
    }

    /// The command line's path: rows pushed into a sink that formats CSV straight from the
    /// text's bytes into a buffer kept between iterations (no `Indicator`, no `String`), so the
    /// malloc count divided by the row count is the steady-state mallocs per row.
    func extractionIntoCSV(_ name: String, _ text: [UInt8]) {
        var sink = FormattedRows(writer: RowWriter(format: .csv))
        try! text.withUnsafeBufferPointer { try extractor.extract($0, into: &sink) }
        let expected = sink.count
        sink.bytes.reserveCapacity(sink.bytes.count * 2)
        Benchmark("Extraction into CSV rows: \(name) (\(text.count) bytes, \(expected) rows)") { benchmark in
            for _ in benchmark.scaledIterations {
                let start = ContinuousClock.now
                sink = FormattedRows(writer: sink.writer, bytes: sink.bytes)   // the same buffer, emptied below
                sink.bytes.removeAll(keepingCapacity: true)
                try! text.withUnsafeBufferPointer { try extractor.extract($0, into: &sink) }
                precondition(sink.count == expected, "row count changed: \(sink.count) vs \(expected)")
                Fixtures.record(benchmark, bytes: text.count, since: start)
                blackHole(sink.bytes.count)
            }
        }
    }

    extractionIntoCSV("reference report ×73", Fixtures.reportTimes(73))
    extraction("reference report", Fixtures.reportTimes(1))
    extraction("reference report ×73", Fixtures.reportTimes(73))
    // The same document with the start-character prefilter off (PCRE2's own scan): the
    // difference is what the prefilter saves in matching.
    let unfiltered = try! Extractor(engine: try! ExtractionEngine(catalog: try! PatternCatalog(), prefilter: false))
    extraction("reference report ×73, prefilter off", Fixtures.reportTimes(73), extractor: unfiltered)
    extraction("label-heavy text", Fixtures.labelHeavy(lines: 4_000))
    extraction("same quantities, no labels", Fixtures.labelHeavy(lines: 4_000, labels: false))

    Benchmark("Start-up: PatternCatalog + ExtractionEngine + Extractor (compile, JIT)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            let engine = try! ExtractionEngine(catalog: try! PatternCatalog())
            blackHole(try! Extractor(engine: engine))
        }
    }
}
