// Counting scalars sixteen bytes at a time gives what counting byte by byte gives.
import Testing
import ZhibiaoCore

@Suite struct UTF8DecodingTests {
    /// Scalars of `t[lo..<hi]` one byte at a time: every byte that is not 10xxxxxx starts one.
    static func plainCount(_ t: [UInt8], _ lo: Int, _ hi: Int) -> Int { t[lo..<hi].filter { $0 & 0xC0 != 0x80 }.count }

    @Test func scalarCountMatchesAByteLoopAtEveryOffsetAndLength() {
        // One- to four-byte characters; 5,000 bytes so that the lane sums are flushed (255 rounds).
        var text: [UInt8] = []
        let pieces = ["a", "。", "中", "é", "😀", "12.5%", "亿元"].map { Array($0.utf8) }
        var state: UInt64 = 7
        while text.count < 5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            text += pieces[Int(state >> 33) % pieces.count]
        }
        text.withUnsafeBufferPointer { t in
            for lo in [0, 1, 2, 3, 15, 17] {
                for hi in [lo, lo + 1, lo + 63, lo + 64, lo + 65, lo + 300, 4080 + lo % 7, text.count] where hi <= text.count {
                    #expect(UTF8Decoding.scalarCount(t, lo, hi) == Self.plainCount(text, lo, hi), "\(lo)..<\(hi)")
                }
            }
        }
    }
}
