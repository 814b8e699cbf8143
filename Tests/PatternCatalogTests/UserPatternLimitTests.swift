import Extraction
import Synchronization
import PatternCatalog
import Testing
import ZhibiaoCore

/// Issue 14: user pattern folders that are hostile or just large.
@Suite struct UserPatternLimitTests {
    @Test func backslashCIsRejectedAtLoad() throws {
        let file = PatternCatalog.File(name: "x.patterns", displayPath: "my/x.patterns",
                                       text: "# splits characters\ncount\t次\t(?<num>[0-9]+)\\C次\n")
        do {
            _ = try PatternCatalog(extra: [file])
            Issue.record("loaded")
        } catch {
            #expect(error.kind == .pattern)
            #expect(error.path == "my/x.patterns")
            #expect(error.line == 2)
            #expect(error.message.contains("\\C"))
        }
        // An escaped backslash before C, and \C quoted by \Q…\E, are literal text.
        for regex in ["(?<num>[0-9]+)\\\\C次", "(?<num>[0-9]+)\\Q\\C\\E次"] {
            _ = try PatternCatalog(extra: [PatternCatalog.File(name: "x.patterns", displayPath: "my/x.patterns",
                                                               text: "count\t次\t\(regex)\n")])
        }
    }

    /// Units whose surfaces share nothing: the worst case for the pattern's size.
    func units(_ n: Int) -> PatternCatalog.File {
        var text = ""
        for i in 0..<n {
            text.unicodeScalars.append(Unicode.Scalar(0x4E00 + i / 300)!)
            text.unicodeScalars.append(Unicode.Scalar(0x5E00 + i % 300)!)
            text += "单\t单\tcount\n"
        }
        return PatternCatalog.File(name: "units.tsv", displayPath: "my/units.tsv", text: text)
    }

    @Test func aThousandUserUnitsCompile() throws {
        // Was: 50 rows already made the pattern too large (each unit was copied ~10 times).
        let engine = try ExtractionEngine(catalog: try PatternCatalog(extra: [units(1000)]))
        let extractor = try Extractor(engine: engine)
        let rows = try Array("测试5丁币单".utf8).withUnsafeBufferPointer { try extractor.extract($0) }
        #expect(rows.map(\.match) == ["5丁币单"])
    }

    @Test func tooManyUserUnitsNameTheUserFile() throws {
        // Was: "patterns/quantity.pcre: does not compile after expansion: … too large".
        do {
            _ = try ExtractionEngine(catalog: try PatternCatalog(extra: [units(10_000)]))
            Issue.record("compiled")
        } catch {
            #expect(error.kind == .pattern)
            #expect(error.path == "my/units.tsv")
            #expect(error.message.contains("10000 rows"))
            #expect(error.message.contains("too large"))
        }
    }

    @Test func manyUserTrapsStillWork() throws {
        // 100,000 traps took 1.1 GB (a 256-slot table per trie node); now a few MB.
        var text = ""
        for i in 0..<100_000 {
            for base in [0x4E00 + i / 300, 0x5E00 + i % 300, 0x6E00 + i % 77] { text.unicodeScalars.append(Unicode.Scalar(UInt32(base))!) }
            text += "\n"
        }
        text += "五个一\n"
        let file = PatternCatalog.File(name: "traps.tsv", displayPath: "my/traps.tsv", text: text)
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog(extra: [file])))
        let rows = try Array("落实五个一，配备32名法律顾问".utf8).withUnsafeBufferPointer { try extractor.extract($0) }
        #expect(rows.map(\.match) == ["32名"])
    }

    /// A user regex that hits PCRE2's match limit loses only its own match at that place:
    /// was every row of the chunk lost, built-in ones too, with an error naming the input.
    @Test func matchLimitDropsOnlyThatPlaceAndWarnsOnce() throws {
        let file = PatternCatalog.File(name: "slow.patterns", displayPath: "my/slow.patterns",
                                       text: "# runaway\n\ncount\t次\t(?<num>[0-9]+)次(?!(?:a+)+b)\n")
        let warnings = Mutex<[String]>([])
        let engine = try ExtractionEngine(catalog: try PatternCatalog(extra: [file]),
                                          warn: { message in warnings.withLock { $0.append(message) } })
        let extractor = try Extractor(engine: engine)
        let text = "试验5次" + String(repeating: "a", count: 40) + "!\n另有7次，化解率99.69%\n"
        for _ in 0..<2 {    // two chunks of one run: one warning
            let rows = try Array(text.utf8).withUnsafeBufferPointer { try extractor.extract($0) }
            #expect(rows.map(\.match) == ["5次", "7次", "99.69%"])
            #expect(rows.map(\.quantity.unit) == ["次", "次", "%"])
        }
        let seen = warnings.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.hasPrefix("my/slow.patterns:3: PCRE2 match limit reached") == true)
    }
}
