// swift-tools-version:6.0
// The fuzz target of Zhibiao, a package of its own so that the main `swift build` and
// `swift test` never see libFuzzer flags. Built and run by `make fuzz` (see README.md):
// the whole graph is compiled with address sanitizer and edge coverage (`--sanitize=address
// -Xswiftc -sanitize-coverage=…`), so coverage reaches the library modules; only this target
// links libFuzzer (`-sanitize=fuzzer`), since the build tool of the main package has a `main`.
import PackageDescription

let package = Package(
    name: "ZhibiaoFuzz",
    dependencies: [
        .package(name: "Zhibiao", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzExtract",
            dependencies: [.product(name: "Zhibiao", package: "Zhibiao")],
            swiftSettings: [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ),
    ]
)
