// Streaming input: block borders, chunk borders, encodings and line ends never change the text or the rows.
import Extraction
import Foundation
import Input
import PatternCatalog
import Testing
import TestSupport
import ZhibiaoCore

/// A short report: quantities, CR/LF mixes, a quote after a sentence end, long-ish lines.
let sampleReport = "2024年全区法治建设报告\n今年以来共受理来信来访事项806宗，一次性化解率96.31%。\r\n"
    + "共受理各类矛盾纠纷972宗，成功调处969宗，纠纷化解率99.69%，涉及金额2004.5万元。“深入开展百名干部访千企”活动。\r"
    + "累计兑现惠企政策资金2.72亿元，覆盖企业职工18000余人次。\n\n配备32名法律顾问，网站浏览次数293万余次。"

let sharedEngine: ExtractionEngine = try! ExtractionEngine(catalog: try PatternCatalog(extra: []))

func rows(of chunks: [TextChunk]) throws -> [Indicator] {
    let extractor = try Extractor(engine: sharedEngine)
    var position = TextPosition()
    var out: [Indicator] = []
    for chunk in chunks {
        out += try chunk.text.withUnsafeBufferPointer { try extractor.extract($0, startingAt: position) }
        position = chunk.text.withUnsafeBufferPointer { position.advanced(over: $0) }
    }
    return out
}

func readAll(_ blocks: [[UInt8]], encoding: TextEncoding? = nil, options: ChunkingOptions) throws -> (chunks: [TextChunk], reader: DocumentReader) {
    let reader = DocumentReader(source: MemoryByteSource(blocks: blocks), name: "t", encoding: encoding, options: options)
    var chunks: [TextChunk] = []
    while let c = try reader.nextChunk() { chunks.append(c) }
    return (chunks, reader)
}

@Suite struct DocumentReaderTests {
    let utf8 = Array(sampleReport.utf8)

    @Test func everySplitPositionGivesTheSameRows() throws {
        let whole = try utf8.withUnsafeBufferPointer { try Extractor(engine: sharedEngine).extract($0) }
        #expect(whole.count >= 10)
        // Small reads and small chunks: every byte position is once a read border, and
        // chunks are cut at line ends wherever the reads fall.
        let options = ChunkingOptions(readSize: 7, targetChunk: 16, maxChunk: 4096)
        for split in 0...utf8.count {
            let (chunks, _) = try readAll([Array(utf8[..<split]), Array(utf8[split...])], options: options)
            #expect(chunks.map(\.text).reduce([], +) == utf8, "text at split \(split)")
            #expect(chunks.count > 1 && chunks.allSatisfy(\.endsAtLineEnd))
            #expect(try rows(of: chunks) == whole, "rows at split \(split)")
        }
    }

    @Test func longLinesAreCutAfterSentenceEnds() throws {
        // No line end at all: chunks end after 。 (with a closing quote), and the rows stay the same.
        let line = Array(sampleReport.split(whereSeparator: \.isNewline).joined().utf8)
        let whole = try line.withUnsafeBufferPointer { try Extractor(engine: sharedEngine).extract($0) }
        let (chunks, _) = try readAll([line], options: ChunkingOptions(readSize: 50, targetChunk: 50, maxChunk: 120))
        #expect(chunks.count > 3)
        #expect(chunks.allSatisfy { $0.text.count <= 120 })
        #expect(chunks.map(\.text).reduce([], +) == line)
        #expect(try rows(of: chunks) == whole)
    }

    @Test func aLineWithoutPunctuationIsCutAtCharacterBoundaries() throws {
        let text = Array(String(repeating: "指标数据统计汇总分析", count: 500).utf8)   // 15,000 bytes, no break at all
        let (chunks, _) = try readAll([text], options: ChunkingOptions(readSize: 1000, targetChunk: 1000, maxChunk: 1000))
        #expect(chunks.map(\.text).reduce([], +) == text)
        #expect(chunks.allSatisfy { $0.text.count <= 1000 && String(validating: $0.text, as: UTF8.self) != nil })
    }

    @Test func twentyMegabytesWithoutNewlineStayInBoundedChunks() throws {
        // 20 MB in one line; each chunk is at most maxChunk and the text comes back whole.
        let sentence = Array("共受理各类矛盾纠纷972宗，成功调处969宗，纠纷化解率99.69%。".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(20_000_000 + sentence.count)
        while text.count < 20_000_000 { text += sentence }
        let reader = DocumentReader(source: MemoryByteSource(text), name: "t", options: ChunkingOptions(readSize: 1 << 18, targetChunk: 1 << 18, maxChunk: 1 << 20))
        var total = 0, count = 0, largest = 0
        var last = false
        while let c = try reader.nextChunk() {
            total += c.text.count; count += 1; largest = max(largest, c.text.count); last = c.isLast
            #expect(c.text.isEmpty || c.text.suffix(3).elementsEqual([0xE3, 0x80, 0x82]))   // ends after 。
        }
        #expect(total == text.count && largest <= 1 << 20 && count >= 20 && last)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEndsKeepLinesAndColumns(lineEnd: String) throws {
        let text = Array(sampleReport.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: lineEnd).utf8)
        let reference = try Array(sampleReport.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").utf8)
            .withUnsafeBufferPointer { try Extractor(engine: sharedEngine).extract($0) }
        for split in stride(from: 0, through: text.count, by: 5) {
            let (chunks, _) = try readAll([Array(text[..<split]), Array(text[split...])], options: ChunkingOptions(readSize: 9, targetChunk: 10, maxChunk: 4096))
            let got = try rows(of: chunks)
            #expect(got.map { "\($0.line):\($0.column) \($0.match) \($0.label) \($0.sentence)" }
                    == reference.map { "\($0.line):\($0.column) \($0.match) \($0.label) \($0.sentence)" })
        }
    }

    @Test(arguments: [("GB18030", TextEncoding.gb18030, [UInt8]()), ("UTF-16LE", .utf16le, [0xFF, 0xFE]), ("UTF-16BE", .utf16be, [0xFE, 0xFF]),
                      ("UTF-8", .utf8, [0xEF, 0xBB, 0xBF])])
    func encodingsDecodeTheSameAtEveryBlockBorder(name: String, encoding: TextEncoding, bom: [UInt8]) throws {
        let encoded = bom + (try iconv(sampleReport, to: name))
        for split in 0...encoded.count {
            let (chunks, reader) = try readAll([Array(encoded[..<split]), Array(encoded[split...])], options: ChunkingOptions(readSize: 11, targetChunk: 64))
            #expect(chunks.map(\.text).reduce([], +) == utf8, "\(name) split at \(split)")
            #expect(reader.encoding == encoding && reader.replacements == 0)
        }
    }

    @Test func invalidBytesAreCountedTheSameAtEveryBlockBorder() throws {
        // A stray continuation, a truncated 3-byte and a truncated 4-byte sequence, an overlong, a surrogate.
        let bad = Array("ab".utf8) + [0x80] + Array("中".utf8) + [0xE4, 0xB8] + Array("\n5元".utf8) + [0xF0, 0x9F, 0x98]
            + Array("x".utf8) + [0xC0, 0xAF] + [0xED, 0xA0, 0x80] + Array("尾".utf8) + [0xE4]
        let whole = TextDecoder.repairUTF8(bad)
        #expect(whole.replacements == 9)   // 80 | E4 B8 | F0 9F 98 | C0 | AF | ED | A0 | 80 | E4
        for split in 0...bad.count {
            let d = try StreamingDecoder(.utf8)
            var out: [UInt8] = []
            try bad[..<split].withUnsafeBufferPointer { try d.decode($0, final: false, into: &out) }
            try bad[split...].withUnsafeBufferPointer { try d.decode($0, final: true, into: &out) }
            #expect(out == whole.bytes && d.replacements == whole.replacements, "split at \(split)")
        }
    }

    @Test func runsOfThreeByteCharactersAreCheckedLikeAnyOtherSequence() throws {
        // The reader (and the decoder of long lines) crosses runs of three-byte characters
        // several bytes at a time. Random lines
        // of valid characters of every length (E0 and ED leads at their limits among them) come
        // out unchanged; a line holding one damaged sequence among them (a surrogate, an
        // overlong, a missing continuation) never comes out as invalid UTF-8.
        let valid: [[UInt8]] = [[0x35], [0x0A], [0xC2, 0xA5], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBC, 0x8C],
                                [0xE4, 0xB8, 0xAD], [0xE5, 0x85, 0x83], [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF],
                                [0xEE, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80]]
        let damaged: [[UInt8]] = [[0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE4, 0x41, 0x80],
                                  [0xE4, 0xB8, 0x41], [0xEF, 0xBC], [0xF0, 0x80, 0x80, 0x80], [0xFF]]
        var rng = SplitMix64(seed: 42)
        func pick(_ list: [[UInt8]]) -> [UInt8] { list[Int(rng.next() % UInt64(list.count))] }
        for round in 0..<300 {
            var text: [UInt8] = [], allValid = true
            for _ in 0..<Int(rng.next() % 4) + 1 {
                // Mostly Chinese, as the fast path sees it, with the other characters between.
                var characters: [[UInt8]] = (0..<Int(rng.next() % 40)).map { _ in
                    rng.next() % 3 == 0 ? pick(valid) : [0xE4, 0xB8, 0x80 + UInt8(rng.next() % 64)]
                }
                if rng.next() % 2 == 0 {
                    characters.insert(pick(damaged), at: Int(rng.next() % UInt64(characters.count + 1)))
                    allValid = false
                }
                text += characters.joined() + [0x0A]
            }
            // Lines longer than maxChunk (32 bytes) are streamed through the decoder instead.
            for (readSize, maxChunk) in [(5, 32), (64, 32), (64, 4096), (4096, 4096)] {
                let options = ChunkingOptions(readSize: readSize, targetChunk: 16, maxChunk: maxChunk)
                let (chunks, _) = try readAll([text], options: options)
                let out = chunks.map(\.text).reduce([], +)
                #expect(String(validating: out, as: UTF8.self) != nil, "round \(round), read size \(readSize), maxChunk \(maxChunk): \(text)")
                if allValid { #expect(out == text, "round \(round), read size \(readSize), maxChunk \(maxChunk)") }
            }
        }
    }

    @Test func gb18030ErrorsAreCountedOncePerSequence() throws {
        // 指标 in GB18030, then a lead byte followed by LF (an invalid pair), then 972宗.
        let gb: [UInt8] = [0xD6, 0xB8, 0xB1, 0xEA, 0x81, 0x0A, 0x39, 0x37, 0x32, 0xD7, 0xDA]
        let d = try TextDecoder.decode(gb, forced: .gb18030)
        #expect(d.replacements == 1)
        #expect(String(decoding: d.bytes, as: UTF8.self) == "指标\u{FFFD}\n972宗")
    }

    @Test func eachLineIsReadInTheEncodingItIsValidIn() throws {
        // Reports pasted together: UTF-8 and GB18030 lines alternate; one UTF-8 line has a
        // damaged byte and stays UTF-8 (one U+FFFD), not GB18030 mojibake.
        let lines = ["2024年全区法治建设报告", "今年以来共受理来信来访事项806宗，一次性化解率96.31%。", "共受理各类矛盾纠纷972宗，成功调处969宗。",
                     "纠纷化解率99.69%，涉及金额2004.5万元。", "累计兑现惠企政策资金2.72亿元，覆盖企业职工18000余人次。", "配备32名法律顾问。"]
        var mixed: [UInt8] = [], expected: [UInt8] = []
        for (i, line) in lines.enumerated() {
            mixed += i % 2 == 1 ? try iconv(line + "\n", to: "GB18030") : Array((line + "\n").utf8)
            expected += Array((line + "\n").utf8)
        }
        let damaged = Array("网站浏览次数293万余次".utf8)
        mixed += damaged.prefix(6) + [0xFF] + damaged.dropFirst(6) + [0x0A]
        expected += damaged.prefix(6) + [0xEF, 0xBF, 0xBD] + damaged.dropFirst(6) + [0x0A]
        for split in 0...mixed.count {
            let (chunks, reader) = try readAll([Array(mixed[..<split]), Array(mixed[split...])], options: ChunkingOptions(readSize: 7, targetChunk: 16))
            #expect(chunks.map(\.text).reduce([], +) == expected, "split at \(split)")
            #expect(reader.replacements == 1 && reader.encoding == .gb18030)
        }
    }

    @Test func aLongLineIsDecidedOnItsHeadAndStreamed() throws {
        // A GB18030 line longer than maxChunk between UTF-8 lines.
        let long = String(repeating: "共受理各类矛盾纠纷972宗，", count: 40)
        let raw = Array("开头5元\n".utf8) + (try iconv(long + "\n", to: "GB18030")) + Array("结尾7元\n".utf8)
        let expected = Array(("开头5元\n" + long + "\n结尾7元\n").utf8)
        let (chunks, reader) = try readAll([raw], options: ChunkingOptions(readSize: 50, targetChunk: 64, maxChunk: 128))
        #expect(chunks.map(\.text).reduce([], +) == expected)
        #expect(reader.replacements == 0)
    }

    @Test func aLongUTF8LineWithDamagedBytesAndMixedLineEndsReadsAsTheWholeText() throws {
        // A line longer than maxChunk (committed to UTF-8, then streamed), with damaged
        // three-byte sequences (surrogate, overlong, a lead cut short, lone continuations) among
        // the CJK text, ended by CR, then CRLF and LF lines: the chunks join to the text that
        // one decode of the whole gives, and every line end is where it was.
        var line: [UInt8] = []
        for k in 0..<300 {
            line += Array("共受理各类矛盾纠纷972宗，".utf8)
            switch k % 50 {
            case 7: line += [0xED, 0xA0, 0x80]
            case 19: line += [0xE0, 0x80, 0x80]
            case 31: line += [0xE4, 0xB8] + Array("x".utf8)
            case 43: line += [0x80, 0xBF]
            default: break
            }
        }
        let raw = line + Array("\r下一行5元\r\n再一行7元\n".utf8) + line + Array("\n".utf8)
        let whole = TextDecoder.repairUTF8(raw)
        #expect(whole.bytes == Array(String(decoding: raw, as: UTF8.self).utf8))   // the standard library's repair agrees
        #expect(whole.replacements == 2 * 6 * (3 + 3 + 1 + 2))   // ED A0 80 and E0 80 80 are three each
        for readSize in [97, 1000, 4096] {
            let (chunks, reader) = try readAll([raw], options: ChunkingOptions(readSize: readSize, targetChunk: 512, maxChunk: 2048))
            #expect(chunks.map(\.text).reduce([], +) == whole.bytes, "read size \(readSize)")
            #expect(reader.replacements == whole.replacements && reader.encoding == .utf8)
            #expect(chunks.dropLast().contains { !$0.endsAtLineEnd })   // the long lines were cut inside
        }
    }

    @Test func binaryContentLaterInTheFileStopsItAfterTheTextBeforeIt() throws {
        var text: [UInt8] = []
        var n = 0
        while text.count < 20_000 { n += 1; text += Array("第\(n)项收入\(n)元。\n".utf8) }
        // Compressed-looking bytes: NULs and high bytes (GB18030 would decode most of them).
        var binary: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<6000 { x = x &* 1_103_515_245 &+ 12345; binary.append(UInt8(truncatingIfNeeded: x >> 16)) }
        binary[100] = 0; binary[200] = 0; binary[300] = 0
        let file = text + binary + Array("后面的文字8元。\n".utf8)
        var seen: [[UInt8]] = []
        for readSize in [1000, 4096, 8192, 1 << 20] {
            let reader = DocumentReader(source: MemoryByteSource(file), name: "r.txt", options: ChunkingOptions(readSize: readSize, targetChunk: 4096))
            var got: [UInt8] = []
            var failure: ZhibiaoError?
            do { while let c = try reader.nextChunk() { got += c.text } } catch { failure = error }
            #expect(failure?.kind == .binaryContent && failure?.path == "r.txt")
            #expect(!got.contains(0))
            // The text of every 8 KiB block before the binary one, decoded as UTF-8.
            #expect(got.starts(with: text.prefix(16384 - 8)) && got.count <= 16384 + 2)
            seen.append(got)
        }
        #expect(Set(seen).count == 1)   // the same whatever the reads
    }

    @Test func aStrayNULBecomesAReplacementCharacter() throws {
        let d = try TextDecoder.decode(Array("972宗".utf8) + [0] + Array("5元\n".utf8))
        #expect(d.bytes == Array("972宗\u{FFFD}5元\n".utf8) && d.replacements == 1)
        // UTF-16 text is not checked for NUL bytes, but a U+0000 character is replaced too.
        let le: [UInt8] = [0xFF, 0xFE, 0x35, 0, 0, 0, 0x43, 0x51]   // 5 U+0000 元
        #expect(try TextDecoder.decode(le).bytes == Array("5\u{FFFD}元".utf8))
    }

    @Test func aRunOfDigitsIsNeverCutInside() throws {
        func chunks(_ text: [UInt8]) throws -> [TextChunk] {
            try readAll([text], options: ChunkingOptions(readSize: 16, targetChunk: 32, maxChunk: 64, hardLimit: 512)).chunks
        }
        func digitOnBothSides(_ a: TextChunk, _ b: TextChunk) -> Bool {
            guard let x = a.text.last, let y = b.text.first else { return false }
            return (0x30...0x39).contains(x) && (0x30...0x39).contains(y)
        }
        // No line end, no sentence end near the limit: a run longer than maxChunk stays whole.
        let text = Array(("收入" + String(repeating: "7", count: 300) + "元，另有" + String(repeating: "一二三", count: 40) + "个").utf8)
        let cut = try chunks(text)
        #expect(cut.map(\.text).reduce([], +) == text)
        #expect(!zip(cut, cut.dropFirst()).contains(where: digitOnBothSides))
        #expect(cut.contains { $0.text.count == 300 && $0.text.allSatisfy { $0 == 0x37 } })
        #expect(cut.allSatisfy { !$0.cutInsideNumber })
        // Longer than hardLimit: cut once, and the chunk says so.
        let giant = Array(("收入" + String(repeating: "9", count: 1000) + "元").utf8)
        let giantCut = try chunks(giant)
        #expect(giantCut.map(\.text).reduce([], +) == giant)
        #expect(giantCut.filter(\.cutInsideNumber).count == 1 && giantCut.allSatisfy { $0.text.count <= 512 })
    }

    @Test func emptyInputGivesOneEmptyLastChunk() throws {
        let (chunks, reader) = try readAll([], options: ChunkingOptions())
        #expect(chunks.count == 1 && chunks[0].isLast && chunks[0].text.isEmpty)
        #expect(reader.bytesRead == 0)
    }
}

@Suite struct InputListTests {
    @Test func listsSplitOnNulOrLines() {
        #expect(InputList.parse(Array("a.txt\r\nb c.txt\n\nd.txt".utf8)) == ["a.txt", "b c.txt", "d.txt"])
        #expect(InputList.parse(Array("a\nb.txt".utf8) + [0] + Array("c.txt".utf8) + [0]) == ["a\nb.txt", "c.txt"])
        // Names that are not UTF-8 (GBK 测试) stay raw bytes, in both list forms.
        let gbk: [UInt8] = [0xB2, 0xE2, 0xCA, 0xD4, 0x2E, 0x74]
        #expect(InputList.parse(gbk + [0x0A] + gbk + [0x0D, 0x0A]) == [BytePath(bytes: gbk), BytePath(bytes: gbk)])
        #expect(InputList.parse(gbk + [0]).map(\.bytes) == [gbk])
    }

    @Test func fnvIsTheStandardFunction() {
        #expect(InputList.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(InputList.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func shardsPartitionTheInputs() {
        let inputs = (0..<1000).map { InputSource.file("reports/\($0).txt") }
        let shards = (0..<7).map { InputList.shard(inputs, k: $0, of: 7) }
        #expect(shards.map(\.count).reduce(0, +) == inputs.count)
        #expect(Set(shards.flatMap { $0 }) == Set(inputs))
        #expect(shards.allSatisfy { $0.count > 100 })   // roughly even
    }
}

@Suite struct TableChunkingTests {
    /// A communiqué with tables (source: Tests/Fixtures/README.md).
    static let communique = Array(try! String(contentsOfFile: repositoryRoot + "/Tests/Fixtures/tables/stat_communique_anyang_2025.txt",
                                              encoding: .utf8).utf8)

    /// Chunks are cut only where no table is within two lines (issue 12), so a table, its
    /// title and its unit statement reach the table reader together: tiny chunks give the
    /// rows of the whole document, table rows included.
    @Test func tinyChunksGiveTheRowsOfTheWholeDocument() throws {
        let text = Self.communique
        let whole = try text.withUnsafeBufferPointer { try Extractor(engine: sharedEngine).extract($0) }
        #expect(whole.filter { $0.table != nil }.count > 100)
        for target in [16, 300, 4096] {
            let (chunks, _) = try readAll([text], options: ChunkingOptions(readSize: 97, targetChunk: target))
            #expect(chunks.count > 1 && chunks.map(\.text).reduce([], +) == text)
            for chunk in chunks.dropLast() {
                // The line before the cut and the two after it hold no TAB.
                let lines = chunk.text.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
                #expect(lines.last.map { !$0.contains(0x09) } ?? true, "a chunk ends in a table (target \(target))")
            }
            var offset = 0
            for chunk in chunks.dropLast() {
                offset += chunk.text.count
                let after = text[offset...].split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false).prefix(2)
                #expect(!after.contains { $0.contains(0x09) }, "a table starts right after a cut (target \(target))")
            }
            #expect(try rows(of: chunks) == whole, "rows with chunks of \(target) bytes")
        }
    }

    /// A table longer than `tableSlack` past the target (or than `maxChunk`) cannot stay whole:
    /// it is cut at a line end, so memory stays bounded, and reading ends.
    @Test func aTableLongerThanTheSlackIsCutAtLineEnds() throws {
        let row = Array("营业收入\t1,000.00\t800.00\n".utf8)
        let text = Array("单位：元\n项目\t2019年\t2018年\n".utf8) + Array(repeating: row, count: 400).flatMap { $0 }
        for (slack, largest) in [(512, 256 + 512), (1 << 20, 1024)] {
            let options = ChunkingOptions(readSize: 64, targetChunk: 256, maxChunk: 1024, tableSlack: slack)
            let (chunks, _) = try readAll([text], options: options)
            #expect(chunks.count > 5 && chunks.allSatisfy { $0.text.count <= largest } && chunks.allSatisfy(\.endsAtLineEnd))
            #expect(chunks.map(\.text).reduce([], +) == text)
        }
    }
}
