// swift-tools-version:6.0
// Zhibiao (指标): extract quantitative indicators from Chinese report text into CSV.
// Module graph (the real imports; README "How it is built"): every module depends on ZhibiaoCore;
// Normalization on PatternCatalog; Extraction assembles the pipeline from PatternCatalog,
// PCRE2Matching, Segmentation and Normalization; Output knows only ZhibiaoCore (RowView,
// IndicatorSink); the CLI joins Input, Extraction and Output.
import PackageDescription

let package = Package(
    name: "Zhibiao",
    products: [
        // One umbrella module: `import Zhibiao` re-exports what a program needs.
        .library(name: "Zhibiao", targets: ["Zhibiao"]),
        .executable(name: "zhibiao", targets: ["ZhibiaoCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries: system-library targets with a shim header each.
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
                       providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CICU", path: "Sources/CICU", pkgConfig: "icu-uc",
                       providers: [.apt(["libicu-dev"])]),
        .systemLibrary(name: "CXLSXWriter", path: "Sources/CXLSXWriter", pkgConfig: "xlsxwriter",
                       providers: [.apt(["libxlsxwriter-dev"])]),

        // Shared vocabulary: values, spans, decimals, errors; thread primitives on POSIX threads.
        // No C library, no I/O.
        .target(name: "ZhibiaoCore"),

        // Language data: patterns/ embedded at build time by the EmbedPatterns plugin.
        .executableTarget(name: "PatternEmbedder", path: "Sources/PatternEmbedder"),
        .plugin(name: "EmbedPatterns", capability: .buildTool(), dependencies: ["PatternEmbedder"]),
        .target(name: "PatternCatalog", dependencies: ["ZhibiaoCore"], plugins: ["EmbedPatterns"]),

        // Engines, each a thin safe layer over one C library.
        .target(name: "PCRE2Matching", dependencies: ["CPCRE2", "ZhibiaoCore"]),
        .target(name: "Segmentation", dependencies: ["CICU", "ZhibiaoCore"]),

        // Stages.
        .target(name: "Input", dependencies: ["CICU", "ZhibiaoCore"]),
        .target(name: "Normalization", dependencies: ["ZhibiaoCore", "PatternCatalog"]),
        .target(name: "Extraction", dependencies: [
            "ZhibiaoCore", "PatternCatalog", "PCRE2Matching", "Segmentation", "Normalization",
        ]),
        .target(name: "Output", dependencies: ["ZhibiaoCore", "CXLSXWriter"]),

        // The library: the umbrella module and the ordered parallel run over files.
        .target(name: "Zhibiao", dependencies: ["ZhibiaoCore", "PatternCatalog", "Extraction", "Input", "Output"],
                path: "Sources/ZhibiaoLibrary"),

        // Command-line tool: a thin client of the library.
        .executableTarget(name: "ZhibiaoCLI", dependencies: [
            "Zhibiao",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/zhibiao"),

        // Tests.
        // Test only: zlib's inflate (CZlib) and a small .xlsx reader over it, to read back the
        // workbooks zhibiao writes.
        .systemLibrary(name: "CZlib", path: "Tests/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .target(name: "XLSXReading", dependencies: ["CZlib"], path: "Tests/XLSXReading"),
        // Helpers shared by the test targets (repository root, iconv, a CSV reader).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ZhibiaoCoreTests", dependencies: ["ZhibiaoCore"]),
        .testTarget(name: "PCRE2MatchingTests", dependencies: ["PCRE2Matching"]),
        .testTarget(name: "SegmentationTests", dependencies: ["Segmentation"]),
        .testTarget(name: "NormalizationTests", dependencies: ["Normalization", "PatternCatalog"]),
        .testTarget(name: "InputTests", dependencies: ["Input", "Extraction", "PatternCatalog", "TestSupport"]),
        .testTarget(name: "OutputTests", dependencies: ["Output", "XLSXReading", "TestSupport"]),
        .testTarget(name: "PatternCatalogTests", dependencies: ["PatternCatalog", "Extraction", "PCRE2Matching"]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "Output", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ZhibiaoCLI", "XLSXReading", "TestSupport"]),
        .testTarget(name: "LibraryTests", dependencies: ["Zhibiao", "TestSupport"]),
    ]
)
