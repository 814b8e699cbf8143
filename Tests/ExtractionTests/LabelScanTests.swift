// The label annotator's byte-level scans against character-by-character versions of them.
@testable import Extraction
import PatternCatalog
import Testing
import TestSupport
import ZhibiaoCore

@Suite struct LabelScanTests {
    /// Characters of every UTF-8 length and of every lead byte the scans single out: clause
    /// delimiters (ASCII and E2/E3/EF-led), brackets and quotes, ideographs led by E4–E9,
    /// and characters led by E3 and EF that are neither (㐀 豈 ｱ), kana, Hangul, é, emoji.
    static let alphabet: [String] = ["中", "一", "龥", "鿿", "国", "的", "，", ",", "、", "。", "；", ":", "！", "?",
                                     "《", "》", "…", "\n", "\t", " ", "　", "（", "）", "(", ")", "【", "】",
                                     "“", "”", "‘", "’", "「", "」", "『", "』", "\"", "'", "㐀", "豈", "ｱ", "あ",
                                     "한", "é", "·", "😀", "a", "1", "%", "—", "〇", "\u{3003}", "\u{3010}"]

    static func randomText(_ rng: inout SplitMix64, length: Int) -> [UInt8] {
        var s = ""
        for _ in 0..<length { s += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        return Array(s.utf8)
    }

    static func characterStarts(_ t: [UInt8]) -> [Int] {
        t.indices.filter { t[$0] & 0xC0 != 0x80 } + [t.count]
    }

    /// `clauseStart` as it was written before the ideograph skip: one decoded character at a time.
    static func slowClauseStart(_ t: UnsafeBufferPointer<UInt8>, end: Int, floor: Int, limit: Int, keepsListComma: Bool) -> Int {
        var lo = end, n = 0
        while lo > floor, n < limit, let p = UTF8Bytes.previousStart(t, before: lo) {
            let s = UTF8Bytes.scalar(t, at: p).value
            if UTF8Bytes.isClauseDelimiter(s), !(keepsListComma && s == 0x3001) { break }
            lo = p; n += 1
        }
        return lo
    }

    @Test func clauseStartMatchesTheCharacterScan() {
        var rng = SplitMix64(seed: 0x1AB)
        var compared = 0, skipped = 0
        for round in 0..<400 {
            let text = Self.randomText(&rng, length: 1 + Int(rng.next() % 60))
            let starts = Self.characterStarts(text)
            text.withUnsafeBufferPointer { t in
                for _ in 0..<8 {
                    let end = starts[Int(rng.next() % UInt64(starts.count))]
                    let floors = starts.filter { $0 <= end }
                    let floor = floors[Int(rng.next() % UInt64(floors.count))]
                    let limit = Int(rng.next() % 50)
                    let keeps = rng.next() & 1 == 0
                    let fast = Extractor.clauseStart(t, end: end, floor: floor, limit: limit, keepsListComma: keeps)
                    let slow = Self.slowClauseStart(t, end: end, floor: floor, limit: limit, keepsListComma: keeps)
                    #expect(fast == slow, "round \(round): end \(end) floor \(floor) limit \(limit) \(String(decoding: text, as: UTF8.self))")
                    compared += 1
                    if fast < end, end >= 3, text[end - 3] &- 0xE4 < 6 { skipped += 1 }
                }
            }
        }
        #expect(compared == 3200)
        #expect(skipped > 300)   // the skip was taken often
    }

    /// What `cleaned` keeps, said over whole characters: quotation marks go; brackets go too
    /// unless they pair up (no prefix closes more than it opened, all are closed); then
    /// whitespace and dropped characters are trimmed from both ends.
    static func slowCleaned(_ t: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> [UInt8] {
        let scalars = Array(String(decoding: t[lo..<max(lo, hi)], as: UTF8.self).unicodeScalars)
        let opens: Set<UInt32> = [0x28, 0xFF08, 0x3010], closes: Set<UInt32> = [0x29, 0xFF09, 0x3011]
        let depths = scalars.reduce(into: [0]) { d, s in
            d.append(d.last! + (opens.contains(s.value) ? 1 : closes.contains(s.value) ? -1 : 0))
        }
        let balanced = depths.min()! >= 0 && depths.last! == 0
        func dropped(_ s: Unicode.Scalar) -> Bool {
            UTF8Bytes.isOpeningQuote(s.value) || UTF8Bytes.isClosingQuote(s.value) || s == "\""
                || (!balanced && (opens.contains(s.value) || closes.contains(s.value)))
        }
        func trimmed(_ s: Unicode.Scalar) -> Bool { UTF8Bytes.isWhitespace(s.value) || dropped(s) }
        let core = scalars.drop(while: trimmed).reversed().drop(while: trimmed).reversed()
        var out = String.UnicodeScalarView()
        out.append(contentsOf: core.filter { !dropped($0) })
        return Array(String(out).utf8)
    }

    @Test func cleanedMatchesTheCharacterScan() throws {
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog()))
        var rng = SplitMix64(seed: 0x2CD)
        var changed = 0
        for round in 0..<3000 {
            let text = Self.randomText(&rng, length: Int(rng.next() % 12))
            let starts = Self.characterStarts(text)
            let a = starts[Int(rng.next() % UInt64(starts.count))]
            let rest = starts.filter { $0 >= a }
            let b = rest[Int(rng.next() % UInt64(rest.count))]
            text.withUnsafeBufferPointer { t in
                let fast = Array(extractor.bytes(of: extractor.cleaned(t, a, b), in: t))
                let slow = Self.slowCleaned(t, a, b)
                #expect(fast == slow, "round \(round): \(String(decoding: t[a..<b], as: UTF8.self))")
                if slow.count < b - a { changed += 1 }
            }
        }
        #expect(changed > 500)   // brackets, quotes or spaces were dropped often
    }
}
