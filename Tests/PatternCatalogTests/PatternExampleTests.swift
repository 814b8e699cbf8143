// Runs every example of patterns/*.examples.tsv through the real extractor (Duckling's
// corpus-test idea): each listed row must come out with exactly these fields, and no
// other row may come out for that text.
import Extraction
import Foundation
import PatternCatalog
import PCRE2Matching
import Testing
import ZhibiaoCore

struct PatternExample {
    var file: String
    var line: Int
    var text: String
    var match: String
    var fields: [String]   // value, value_max, unit, kind, qualifier
    var label: String?
    /// period, role, direction, target (columns 9 to 12), when the row has them.
    var meaning: [String]?
}

/// The repository's patterns/ folder, found from this file's path.
let patternsFolder: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)   // Tests/PatternCatalogTests/PatternExampleTests.swift
    return parts.joined(separator: "/") + "/patterns"
}()

func readText(_ path: String) -> String? {
    try? String(contentsOfFile: path, encoding: .utf8)
}

/// Every `*.examples.tsv` of patterns/, found by listing the folder (a new file is run
/// without touching this test).
let exampleFiles: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: patternsFolder)) ?? []
    return names.filter { $0.hasSuffix(".examples.tsv") }.sorted()
}()

/// An example text with `\n` and `\t` written for a line end and a TAB (tables.examples.tsv).
func unescaped(_ text: String) -> String {
    guard text.contains("\\") else { return text }
    return text.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
}

func loadExamples() -> [PatternExample] {
    var out: [PatternExample] = []
    for file in exampleFiles {
        guard let text = readText("\(patternsFolder)/\(file)") else { continue }
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.isEmpty || raw.hasPrefix("#") { continue }
            var f = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            f[0] = unescaped(f[0])
            if f.count == 2 && f[1] == "-" {
                out.append(PatternExample(file: file, line: i + 1, text: f[0], match: "-", fields: []))
                continue
            }
            var fields = Array(f.dropFirst(2).prefix(5))
            while fields.count < 5 { fields.append("") }
            out.append(PatternExample(file: file, line: i + 1, text: f[0], match: f.count > 1 ? f[1] : "",
                                      fields: fields, label: f.count > 7 ? f[7] : nil,
                                      meaning: f.count > 11 ? Array(f[8...11]) : nil))
        }
    }
    return out
}

@Suite struct PatternExampleTests {
    @Test func examplesFilesArePresent() {
        // Each table of patterns/ has its examples file.
        for table in PatternCatalog.tableNames {
            #expect(exampleFiles.contains(table.replacingOccurrences(of: ".tsv", with: ".examples.tsv")), "no examples for \(table)")
        }
        let examples = loadExamples()
        #expect(examples.count > 100, Comment(rawValue: "expected the patterns/*.examples.tsv files at \(patternsFolder)"))
    }

    @Test func everyExampleHolds() throws {
        let engine = try ExtractionEngine(catalog: try PatternCatalog())
        let defaultExtractor = try Extractor(engine: engine)
        let allExtractor = try Extractor(engine: engine, options: ExtractionOptions(kinds: Set(Kind.allCases)))
        var byText: [String: [PatternExample]] = [:]
        var order: [String] = []
        for e in loadExamples() {
            if byText[e.text] == nil { order.append(e.text) }
            byText[e.text, default: []].append(e)
        }
        var failures: [String] = []
        for text in order {
            let examples = byText[text]!
            let wantsAll = examples.contains { e in e.fields.count > 3 && Kind(rawValue: e.fields[3]).map { !Kind.defaultSet.contains($0) } ?? false }
            let extractor = wantsAll ? allExtractor : defaultExtractor
            var rows = Array(text.utf8).withUnsafeBufferPointer { try? extractor.extract($0) } ?? []
            for e in examples where e.match != "-" {
                guard let i = rows.firstIndex(where: { $0.match == e.match }) else {
                    failures.append("\(e.file):\(e.line): \(text): no row for '\(e.match)'; got \(rows.map(\.match))")
                    continue
                }
                let r = rows.remove(at: i)
                let got = [r.quantity.value.description, r.quantity.valueMax?.description ?? "", r.quantity.unit,
                           r.quantity.kind.rawValue, r.quantity.qualifier.rawValue]
                if got != e.fields {
                    failures.append("\(e.file):\(e.line): \(e.match): got \(got), want \(e.fields)")
                }
                if let label = e.label, label != r.label {
                    failures.append("\(e.file):\(e.line): \(e.match): label '\(r.label)', want '\(label)'")
                }
                let meaning = [r.period, r.meaning.role.rawValue, r.meaning.direction.rawValue, r.meaning.target ? "true" : "false"]
                if let want = e.meaning, want != meaning {
                    failures.append("\(e.file):\(e.line): \(e.match): period, role, direction, target \(meaning), want \(want)")
                }
            }
            for r in rows {
                failures.append("\(examples[0].file):\(examples[0].line): \(text): unexpected row '\(r.match)' (\(r.quantity.kind.rawValue) \(r.quantity.value))")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) example(s) failed:\n" + failures.joined(separator: "\n")))
    }

    /// Every word of changes.tsv, targets.tsv, periods.tsv, nouns.tsv, compound.tsv, distant.tsv and tables.tsv has an example: the word occurs
    /// in an example text of its table's examples file, and that file checks the new columns.
    @Test func everyMeaningWordHasAnExample() throws {
        let catalog = try PatternCatalog()
        let examples = loadExamples()
        func texts(_ file: String) -> [String] { examples.filter { $0.file == file && $0.meaning != nil }.map(\.text) }
        var missing: [String] = []
        let tables: [(String, [String])] = [
            ("changes.examples.tsv", catalog.changeWords.map(\.word)),
            ("targets.examples.tsv", catalog.targetWords.filter { $0.role != .section }.map(\.word)),
            ("periods.examples.tsv", catalog.periodWords.map(\.word)),
            ("nouns.examples.tsv", catalog.countedNouns.map(\.noun)),
            ("distant.examples.tsv", catalog.distantQualifiers.map(\.word)),
            ("compound.examples.tsv", catalog.compoundNumerators + catalog.compoundDenominators.map(\.surface)),
            ("tables.examples.tsv", catalog.tableWords.map(\.word)),
        ]
        for (file, words) in tables {
            let t = texts(file)
            #expect(!t.isEmpty, "no examples with the new columns in \(file)")
            for w in words where !t.contains(where: { $0.contains(w) }) { missing.append("\(file): \(w)") }
        }
        #expect(missing.isEmpty, "words without an example: \(missing)")
    }

    /// A unit written twice in units.tsv is a copy-paste slip: the later row silently wins.
    @Test func builtInUnitsAreListedOnce() throws {
        var seen: [String: SourceLine] = [:]
        var twice: [String] = []
        for u in try PatternCatalog().units {
            let key = (u.isPrefix ? "prefix " : "suffix ") + u.surface
            if let first = seen[key] { twice.append("\(u.surface) (\(first), \(u.origin))") } else { seen[key] = u.origin }
        }
        #expect(twice.isEmpty, "listed more than once: \(twice)")
    }

    /// `@fraction_ahead` lists by hand the characters a number can hold; a numeral added to
    /// `@number` but not there would silently lose its fractions. So: every number `@number`
    /// reads in any example text (and in a run of every numeral of numerals.tsv) must let the
    /// look-ahead run over it to a following 分.
    @Test func fractionLookAheadCoversEveryNumber() throws {
        let catalog = try PatternCatalog()
        let number = try #require(catalog.fragments["number"])
        let ahead = try #require(catalog.fragments["fraction_ahead"])
        let numbers = MatchScratch(try CompiledPattern(number, options: [.extended]))
        let lookAhead = MatchScratch(try CompiledPattern(ahead, options: [.extended, .anchored]))
        var texts = Set(loadExamples().map(\.text))
        texts.insert(String(String.UnicodeScalarView(catalog.numerals.keys.sorted())))
        var found: Set<String> = []
        for text in texts {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBufferPointer { buf throws(ZhibiaoError) in
                for i in 0..<buf.count where buf[i] & 0xC0 != 0x80 {
                    if let m = try numbers.firstMatch(in: buf, from: i), !m.isEmpty {
                        found.insert(String(decoding: buf[m.lowerBound..<m.upperBound], as: UTF8.self))
                    }
                }
            }
        }
        #expect(found.count > 200, "too few numbers read from the examples: \(found.count)")
        var missed: [String] = []
        for n in found.sorted() {
            let probe = Array((n + "分之一").utf8)
            let ok = try probe.withUnsafeBufferPointer { buf throws(ZhibiaoError) in try lookAhead.firstMatch(in: buf, from: 0) != nil }
            if !ok { missed.append(n) }
        }
        #expect(missed.isEmpty, "@fraction_ahead cannot run over these numbers (add their characters to its class): \(missed)")
    }
}
