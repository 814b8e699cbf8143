import Input
import Testing
import ZhibiaoCore

@Suite struct TextDecoderTests {
    let utf8 = Array("指标972宗".utf8)

    @Test func plainUTF8PassesThrough() throws {
        let d = try TextDecoder.decode(utf8)
        #expect(d.bytes == utf8 && d.encoding == .utf8 && d.replacements == 0)
    }

    @Test func byteOrderMarksAreRecognized() throws {
        #expect(try TextDecoder.decode([0xEF, 0xBB, 0xBF] + utf8).bytes == utf8)
        // UTF-16LE with BOM: 指 = U+6307, 标 = U+6807, 9 7 2, 宗 = U+5B97
        let le: [UInt8] = [0xFF, 0xFE, 0x07, 0x63, 0x07, 0x68, 0x39, 0, 0x37, 0, 0x32, 0, 0x97, 0x5B]
        let d = try TextDecoder.decode(le)
        #expect(d.bytes == utf8 && d.encoding == .utf16le)
        let be: [UInt8] = [0xFE, 0xFF, 0x63, 0x07, 0x68, 0x07, 0, 0x39, 0, 0x37, 0, 0x32, 0x5B, 0x97]
        #expect(try TextDecoder.decode(be).bytes == utf8)
    }

    @Test func gb18030IsDetected() throws {
        // 指标972宗 in GB18030: 指 D6 B8, 标 B1 EA, 宗 D7 DA
        let gb: [UInt8] = [0xD6, 0xB8, 0xB1, 0xEA, 0x39, 0x37, 0x32, 0xD7, 0xDA]
        let d = try TextDecoder.decode(gb)
        #expect(d.encoding == .gb18030)
        #expect(d.bytes == utf8)
        #expect(d.replacements == 0)
        #expect(try TextDecoder.decode(gb, forced: .gb18030).bytes == utf8)
    }

    @Test func invalidSequencesAreReplacedOneForOne() throws {
        // A stray continuation byte and a truncated 3-byte sequence inside valid text.
        let bad = Array("ab".utf8) + [0x80] + Array("中".utf8) + [0xE4, 0xB8] + Array("\n5元".utf8)
        let d = TextDecoder.repairUTF8(bad)
        #expect(d.replacements == 2)
        #expect(String(decoding: d.bytes, as: UTF8.self) == "ab\u{FFFD}中\u{FFFD}\n5元")
    }

    @Test func nulBytesMeanBinary() {
        #expect(throws: ZhibiaoError.self) { try TextDecoder.decode([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]) }
    }

    @Test func encodingNamesParse() {
        #expect(TextEncoding(name: "GBK") == .gb18030)
        #expect(TextEncoding(name: "utf8") == .utf8)
        #expect(TextEncoding(name: "latin1") == nil)
    }
}
