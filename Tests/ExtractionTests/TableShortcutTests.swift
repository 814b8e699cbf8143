// The table reader's allocation-free tests against their plain ways.
@testable import Extraction
import PatternCatalog
import Testing
import TestSupport
import ZhibiaoCore

@Suite struct TableShortcutTests {
    /// The plain way: every digit, comma and point joined first, then the same checks.
    static func plainJoinedNumber(_ cell: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        var joined: [UInt8] = []
        var spaces = 0
        for i in cell.lowerBound..<cell.upperBound {
            switch t[i] {
            case 0x20: spaces += 1
            case 0x30...0x39, 0x2C, 0x2E: joined.append(t[i])
            case 0x2D where i == cell.lowerBound: joined.append(t[i])
            default: return nil
            }
        }
        guard spaces > 0 else { return nil }
        var k = joined.first == 0x2D ? 1 : 0
        var lead = 0
        while k < joined.count, joined[k] != 0x2C, joined[k] != 0x2E { lead += 1; k += 1 }
        guard (1...3).contains(lead), k < joined.count, joined[k] == 0x2C else { return nil }
        while k < joined.count, joined[k] == 0x2C {
            for d in 1...3 where !(k + d < joined.count && joined[k + d] >= 0x30 && joined[k + d] <= 0x39) { return nil }
            k += 4
        }
        if k < joined.count {
            guard joined[k] == 0x2E, k + 1 < joined.count else { return nil }
            for d in (k + 1)..<joined.count where !(joined[d] >= 0x30 && joined[d] <= 0x39) { return nil }
        }
        return ExactDecimal(String(decoding: joined.filter { $0 != 0x2C }, as: UTF8.self))
    }

    /// `joinedNumber` (a first pass without allocating) agrees with the plain way on 20,000
    /// random cells of digits, group commas, points, signs, spaces and a few other characters.
    @Test func joinedNumberAgreesWithThePlainWay() {
        let pieces = ["13", ",848", ",09", " ", "2.69", "-", "1", ",234", " 567", ",5", ".", "0", "9", "a", "万", "%", "  ", ",000", ".25"]
        var random = SplitMix64(seed: 11)
        var joinedFound = 0, textFound = 0
        for _ in 0..<20_000 {
            var cell = ""
            for _ in 0..<(1 + Int(random.next() % 6)) { cell += pieces[Int(random.next() % UInt64(pieces.count))] }
            let bytes = Array(("x\t" + cell + "\t").utf8)
            bytes.withUnsafeBufferPointer { t in
                let span = ByteSpan(2, t.count - 1)
                let fast = Extractor.joinedNumber(span, t), plain = Self.plainJoinedNumber(span, t)
                #expect(fast == plain, "\(cell)")
                if plain != nil { joinedFound += 1 }
                if plain == nil && cell.contains(" ") { textFound += 1 }
            }
        }
        // Both answers occur often: the comparison is not vacuous.
        #expect(joinedFound > 100 && textFound > 100)
    }
}

extension TableShortcutTests {
    /// `isDashesOnly` (scalars decoded in place) agrees with the plain way (a String's
    /// characters, each one of - — – － or a space) on random byte strings: dashes, spaces,
    /// their byte neighbours, a combining mark, broken UTF-8.
    @Test func dashTestAgreesWithTheStringWay() {
        let pieces: [[UInt8]] = [Array("-".utf8), Array("—".utf8), Array("–".utf8), Array("－".utf8), [0x20], Array("‒".utf8),
                                 Array("\u{0301}".utf8), Array("a".utf8), Array("万".utf8), [0xE2, 0x80], [0xEF], [0x80], Array("．".utf8)]
        var random = SplitMix64(seed: 5)
        var dashes = 0, others = 0
        for n in 0..<20_000 {
            var text: [UInt8] = []
            let dashOnly = n % 2 == 0   // half the texts from the five marks only
            for _ in 0..<(Int(random.next() % 6)) {
                text += pieces[Int(random.next() % UInt64(dashOnly ? 5 : pieces.count))]
            }
            let plain = String(decoding: text, as: UTF8.self).allSatisfy { "-—–－ ".contains($0) }
            #expect(Extractor.isDashesOnly(text) == plain, "\(text)")
            if plain { dashes += 1 } else { others += 1 }
        }
        #expect(dashes > 1000 && others > 1000)
    }
}

extension TableShortcutTests {
    /// The plain way of `appendSqueezed`: the pending space kept as a one-byte array.
    static func plainSqueezed(_ span: ByteSpan, of t: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var i = span.lowerBound
        var lastWide = false
        var pendingSpace: [UInt8] = []
        while i < span.upperBound {
            let (s, l) = UTF8Bytes.scalar(t, at: i)
            if UTF8Bytes.isSpace(s) {
                if !out.isEmpty { pendingSpace = [s == 0x09 ? 0x09 : 0x20] }
            } else {
                let wide = s >= 0x80
                if pendingSpace == [0x09] || (!pendingSpace.isEmpty && !(wide || lastWide)) { out.append(0x20) }
                pendingSpace = []
                out += t[i..<(i + l)]
                lastWide = wide
            }
            i += l
        }
    }

    /// `appendSqueezed` (the pending space as one byte, no array) agrees with the plain way on
    /// random texts of spaces, TABs, ideographic spaces, narrow and wide characters, appended
    /// to an empty and to a filled buffer.
    @Test func squeezedAppendAgreesWithThePlainWay() throws {
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog()))
        let pieces = [" ", "\t", "\u{3000}", "  ", "a", "1", "营业", "收入", "（", "%", "𠀀"]
        var random = SplitMix64(seed: 3)
        var spaced = 0
        for n in 0..<10_000 {
            var text = ""
            for _ in 0..<(Int(random.next() % 8)) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                let start: [UInt8] = n % 3 == 0 ? [] : Array("项目".utf8)
                var fast = start, plain = start
                extractor.appendSqueezed(ByteSpan(0, t.count), of: t, to: &fast)
                Self.plainSqueezed(ByteSpan(0, t.count), of: t, to: &plain)
                #expect(fast == plain, "\(text)")
                if plain.contains(0x20) { spaced += 1 }
            }
        }
        #expect(spaced > 1000)
    }
}
