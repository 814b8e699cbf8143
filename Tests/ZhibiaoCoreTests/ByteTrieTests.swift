// ByteTrie against a plain search: the longest listed word starting (or ending) at every
// place of a text, a word listed twice keeping its later value.
import Testing
import ZhibiaoCore

@Suite struct ByteTrieTests {
    /// A small alphabet (words share prefixes and suffixes; every node has a few children,
    /// scanned edge by edge) and a wide one (the root and the CJK lead bytes get more than
    /// `wideNode` children: rows of 256).
    static let alphabets = ["比上年增长下降率元万亿a1%", "比上年增长下降率元万亿a1%一二三四五六七八九十百千角分个人次件项家名场份笔宗bcdefghij"]

    /// Words of a few characters drawn from `alphabet`, some listed twice with another value.
    static func entries(seed: UInt64, alphabet: String) -> [(String, Int)] {
        var state = seed
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        let alphabet = Array(alphabet)
        var out: [(String, Int)] = []
        for v in 0..<200 {
            let word = String((0...next(4)).map { _ in alphabet[next(alphabet.count)] })
            out.append((word, v))
            if next(5) == 0, let earlier = out.randomElement() { out.append((earlier.0, 1000 + v)) }
        }
        return out
    }

    @Test(arguments: [false, true], alphabets)
    func longestMatchEqualsAPlainSearch(reversed: Bool, alphabet: String) {
        for seed: UInt64 in [1, 2, 3] {
            let list = Self.entries(seed: seed, alphabet: alphabet)
            var latest: [String: Int] = [:]
            for (w, v) in list { latest[w] = v }
            let trie = ByteTrie(list, reversed: reversed)
            let text = Array(String((list.prefix(120).map(\.0).joined(separator: "长")).reversed()).utf8) + Array("比上年增长".utf8)
            text.withUnsafeBufferPointer { t in
                for i in 0...t.count where i == t.count || t[i] & 0xC0 != 0x80 {
                    // The plain search: every listed word that fits at i, the longest.
                    var want: (Int, Int)?
                    for (w, v) in latest {
                        let b = Array(w.utf8)
                        if reversed {
                            guard i >= b.count, Array(t[(i - b.count)..<i]) == b else { continue }
                        } else {
                            guard i + b.count <= t.count, Array(t[i..<(i + b.count)]) == b else { continue }
                        }
                        if want == nil || b.count > want!.1 { want = (v, b.count) }
                    }
                    let got = reversed ? trie.longestEnding(in: t, at: i) : trie.longestStarting(in: t, at: i)
                    #expect(got?.value == want?.0 && got?.length == want?.1, "seed \(seed) at \(i)")
                }
            }
        }
    }
}
