// The scan's fast path (PlainQuantity.swift) against the quantity pattern it stands in for:
// at every ASCII digit and Chinese digit of the examples files, the bundled and real fixture documents and
// random text, a reading the fast path is sure of is exactly PCRE2's anchored match, with
// the number in group num, an approximation word (3000余份) in group approx, the unit in group
// unit and every other group empty.
@testable import Extraction
import Foundation
import PatternCatalog
import PCRE2Matching
import Testing
import TestSupport
import ZhibiaoCore

@Suite struct PlainQuantityTests {
    /// The texts compared: examples (first field of every patterns/*.examples.tsv row),
    /// corpus/ and the corpus slice.
    static func texts() throws -> [String] {
        var out: [String] = []
        let patterns = repositoryRoot + "/patterns"
        for name in try FileManager.default.contentsOfDirectory(atPath: patterns).sorted() where name.hasSuffix(".examples.tsv") {
            let text = try String(contentsOfFile: patterns + "/" + name, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                out.append(String(line.split(separator: "\t", omittingEmptySubsequences: false)[0])
                    .replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t"))
            }
        }
        for folder in [repositoryRoot + "/corpus", repositoryRoot + "/Tests/Fixtures/corpus-slice/input"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".txt") {
                if let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) { out.append(text) }
            }
        }
        return out
    }

    /// Random strings over the characters quantities are made of, the characters of the
    /// classes and of the word lists, and some plain text: every character that can follow
    /// a number stands after many numbers and units.
    static func randomTexts(_ catalog: PatternCatalog, count: Int) -> [String] {
        var alphabet: [String] = ["0", "1", "2", "5", "9", "0", "3", ",", ".", " ", "，", "。", "的", "年", "为", "增长", "\n", "\t"]
        alphabet += catalog.numerals.keys.map { String($0) }
        alphabet += catalog.suffixUnitSurfaces
        alphabet += catalog.qualifiers.map(\.word)
        alphabet += ["-", "－", "~", "～", "〜", "—", "至", "到", "/", "／", "分之", "又", "半", "A", "k", "e", ":", "+", "#", "@", "_", "\u{3000}", "\u{A0}", "１", "．", "·", "𠀀", "😀"]
        var generator = SplitMix64(seed: 0x5EED)
        return (0..<count).map { _ in
            var s = ""
            for _ in 0..<24 { s += alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            return s
        }
    }

    /// Compares the fast path with PCRE2 at every ASCII digit and Chinese digit; returns how many readings the
    /// fast path was sure of, how many it left to PCRE2, and how many of its readings had an
    /// approximation word.
    static func compare(_ texts: [String], _ engine: ExtractionEngine) throws -> (sure: Int, unsure: Int, approximate: Int) {
        let plain = try #require(engine.plain)
        let guardScratch = MatchScratch(plain.guardPattern)
        let scratch = MatchScratch(engine.quantity)
        let g = engine.groups
        var sure = 0, unsure = 0, approximate = 0
        for text in texts {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBufferPointer { buf in
                for i in buf.indices where buf[i] >= 0x30 && buf[i] <= 0x39
                    || buf[i] >= 0xC0 && plain.chineseFirst.containsExactly(UTF8Decoding.scalar(buf, at: i).value) {
                    let full = try scratch.firstMatch(in: buf, from: i)
                    switch try plain.read(buf, at: i, guard: guardScratch) {
                    case .unsure:
                        unsure += 1
                    case .none:
                        sure += 1
                        #expect(full == nil, "fast path: no match at \(i) of \(text.debugDescription)")
                    case let .plain(match, number, unit):
                        let approx = PlainQuantityReader.approximation(match: match, number: number, unit: unit)
                        if approx != nil { approximate += 1 }
                        sure += 1
                        let where_ = "at \(i) of \(text.debugDescription)"
                        #expect(full == match, "match \(where_)")
                        guard full == match else { continue }
                        for group in 1...engine.quantity.captureCount {
                            let s = scratch.span(ofGroup: group).flatMap { $0.isEmpty ? nil : $0 }
                            if group == g.num {
                                #expect(s == number, "number \(where_)")
                            } else if group == g.unit {
                                #expect(s == unit, "unit \(where_)")
                            } else if group == g.approx {
                                #expect(s == approx, "approximation \(where_)")
                            } else {
                                #expect(s == nil, "group \(group) took part \(where_)")
                            }
                        }
                    }
                }
            }
        }
        return (sure, unsure, approximate)
    }

    @Test func fastPathReadsWhatThePatternReads() throws {
        let engine = try ExtractionEngine(catalog: try PatternCatalog())
        // @not_inside is read for its characters: most digits follow none of them.
        #expect(engine.plain?.guardCharacters != nil)
        let (sure, unsure, approximate) = try Self.compare(try Self.texts(), engine)
        // Most digits of real text are plain numbers: the fast path must be taken.
        #expect(sure > 3 * unsure, "sure \(sure), unsure \(unsure)")
        #expect(approximate > 20, "readings with 余, 多 or 来: \(approximate)")
    }

    @Test func fastPathReadsWhatThePatternReadsOnRandomText() throws {
        let catalog = try PatternCatalog()
        let (sure, _, approximate) = try Self.compare(Self.randomTexts(catalog, count: 20_000), try ExtractionEngine(catalog: catalog))
        #expect(sure > 1_000)
        #expect(approximate > 50)
    }

    /// A user unit extends the fast path's units as it extends the pattern's.
    @Test func userUnitsAreTheFastPathsUnits() throws {
        let user = PatternCatalog.File(name: "units.tsv", displayPath: "user/units.tsv", text: "标箱\t标箱\tcount\n")
        let engine = try ExtractionEngine(catalog: try PatternCatalog(extra: [user]))
        let bytes = Array("吞吐量达到320标箱。".utf8)
        let reading = try bytes.withUnsafeBufferPointer { buf in
            try engine.plain!.read(buf, at: 15, guard: MatchScratch(engine.plain!.guardPattern))
        }
        guard case let .plain(match, _, unit) = reading else { Issue.record("not read: \(reading)"); return }
        #expect(match == ByteSpan(15, 24))
        #expect(unit == ByteSpan(18, 24))
        _ = try Self.compare(["吞吐量达到320标箱。", "320标箱-400标箱"], engine)
    }

    /// With the user's own quantity.pcre there is no fast path: its reasoning is the built-in pattern's.
    @Test func aUserQuantityPatternTurnsTheFastPathOff() throws {
        let builtIn = try #require(PatternCatalog.builtInFiles().first { $0.name == "quantity.pcre" })
        let user = PatternCatalog.File(name: "quantity.pcre", displayPath: "user/quantity.pcre", text: builtIn.text)
        #expect(try ExtractionEngine(catalog: try PatternCatalog(extra: [user])).plain == nil)
        #expect(try ExtractionEngine(catalog: try PatternCatalog()).plain != nil)
        #expect(try ExtractionEngine(catalog: try PatternCatalog(), prefilter: false).plain == nil)
    }

    /// The classes are probed at their letters (and \h's list); that gives the set a probe of
    /// every BMP character gives.
    @Test func classesProbeLikeTheExhaustiveProbe() throws {
        let catalog = try PatternCatalog()
        for name in ["plain_number_more", "plain_unit_more"] {
            let body = try #require(catalog.fragments[name])
            #expect(StartSet.literalCharacters(of: body) != nil, "\(name) is probed over the whole BMP")
            #expect(try StartSet(startClass: body) == StartSet(startClass: body, exhaustive: true), "\(name)")
        }
    }
}
