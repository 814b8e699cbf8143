// The table reader's allocation-free tests against their plain ways.
@testable import Extraction
import PatternCatalog
import Testing
import TestSupport
import ZhibiaoCore

@Suite struct TableShortcutTests {
    /// The plain way: the cell holds only digits, group commas, points, spaces (at least one)
    /// and a leading minus; without its spaces it reads -d{1,3}(,ddd)+(.d+)?.
    static func plainJoinedNumber(_ cell: ByteSpan, _ t: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        let text = String(decoding: t[cell.lowerBound..<cell.upperBound], as: UTF8.self)
        guard text.contains(" "), text.allSatisfy({ "0123456789,. ".contains($0) || $0 == "-" }),
              !text.dropFirst().contains("-") else { return nil }
        let joined = text.filter { $0 != " " }
        guard let grouped = try? Regex("-?[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?"),
              (try? grouped.wholeMatch(in: joined)) != nil else { return nil }
        return ExactDecimal(joined.filter { $0 != "," })
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
