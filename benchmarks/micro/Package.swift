// swift-tools-version:6.1
// Micro benchmarks of Zhibiao's stages, run with `swift package benchmark` in this folder
// (or `make bench-micro` at the top). A package of its own, so that the main package does not
// depend on the benchmark harness (ordo-one/benchmark, also known as package-benchmark).
import PackageDescription

let package = Package(
    name: "ZhibiaoMicroBenchmarks",
    dependencies: [
        .package(name: "Zhibiao", path: "../.."),
        // Only the MallocInterposer trait: malloc counts without jemalloc; the default
        // RuntimeInterposer trait (ARC counts on Swift 6.3 Linux) needs a package we do not use.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Inputs built from the reference report, shared by the groups.
        .target(name: "BenchmarkFixtures", dependencies: [.product(name: "Benchmark", package: "benchmark")],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // One executable per group, found by the harness under Benchmarks/<name>/.
        // Numeral reading, quantity matching, CSV rows: each stage on its own.
        benchmarkGroup("StageBenchmarks"),
        // Whole-document extraction (match, read, traps, labels, sentences, positions).
        benchmarkGroup("PipelineBenchmarks"),
    ]
)

/// A benchmark group: an executable under Benchmarks/<name>/ run by the harness's plugin.
func benchmarkGroup(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: "Zhibiao", package: "Zhibiao"),
            "BenchmarkFixtures",
        ],
        path: "Benchmarks/\(name)",
        swiftSettings: [.swiftLanguageMode(.v5)],
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
