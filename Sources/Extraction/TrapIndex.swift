/// The words of traps.tsv in a byte trie, so that "does a trap word cover this offset?"
/// costs a few steps per candidate instead of a pass over every word.
///
/// Nodes live in one flat array of 256 child slots each (0 = none; the root is never a
/// child), so a step is one load, no hashing. Terminal nodes mark the end of a word.
struct TrapIndex: Sendable {
    private var children = [Int32](repeating: 0, count: 256)
    private var terminal: [Bool] = [false]
    /// Longest word, in bytes: how far back an occurrence covering an offset can start.
    private(set) var longest = 0

    init(_ words: [[UInt8]]) {
        for word in words where !word.isEmpty {
            var node = 0
            for b in word {
                let slot = node * 256 + Int(b)
                if children[slot] != 0 {
                    node = Int(children[slot])
                } else {
                    terminal.append(false)
                    children.append(contentsOf: repeatElement(0, count: 256))
                    children[slot] = Int32(terminal.count - 1)
                    node = terminal.count - 1
                }
            }
            terminal[node] = true
            longest = max(longest, word.count)
        }
    }

    /// The end offset of the longest trap word that starts at `start` in `t`, or nil.
    @inline(__always)
    func longestWordEnd(startingAt start: Int, in t: UnsafeBufferPointer<UInt8>) -> Int? {
        var node = 0
        var i = start
        var end: Int?
        while i < t.count {
            let next = children[node * 256 + Int(t[i])]
            if next == 0 { break }
            node = Int(next)
            i += 1
            if terminal[node] { end = i }
        }
        return end
    }

    /// True when a trap word starting at or before `offset` (but not within `excluded`)
    /// runs past `offset`.
    func covers(_ offset: Int, in t: UnsafeBufferPointer<UInt8>, excluding excluded: Range<Int>) -> Bool {
        var s = max(0, offset - longest + 1)
        while s <= offset {
            if !UTF8Bytes.isContinuation(t[s]) && !excluded.contains(s),
               let end = longestWordEnd(startingAt: s, in: t), end > offset {
                return true
            }
            s += 1
        }
        return false
    }

    /// True when a trap word starts at `start` and runs past `end` (两部分: 部 begins 部分).
    func startsWord(at start: Int, runningPast end: Int, in t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let wordEnd = longestWordEnd(startingAt: start, in: t) else { return false }
        return wordEnd > end
    }
}
