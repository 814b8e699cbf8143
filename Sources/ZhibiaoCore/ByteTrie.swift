/// A prefix tree over UTF-8 words for "which listed word starts (or ends) here" in the
/// document buffer: the longest one, in one walk over the bytes, no `String`, no hashing.
/// Built once from a `patterns/` table; a word added twice keeps the later value.
///
/// Most places in a text begin no listed word, so a bitmap of the words' first characters
/// (last characters for a reversed tree) answers those with one test. The nodes are flat
/// arrays (no per-node array to retain): node `n`'s children are the edges
/// `edgeStart[n] ..< edgeStart[n] + edgeCount[n]`, scanned linearly (a few at most). A node
/// with more than `wideNode` children (the root, the lead bytes of CJK words: dozens each)
/// has a row of 256 child numbers instead: row `-edgeCount[n] - 1` of `denseChildren`.
public final class ByteTrie<Value: Sendable>: Sendable {
    @usableFromInline let edgeStart: [Int32]
    @usableFromInline let edgeCount: [Int32]
    @usableFromInline let nodeValue: [Int32]
    @usableFromInline let edgeByte: [UInt8]
    @usableFromInline let edgeChild: [Int32]
    /// Rows of 256 child numbers (0: none; the root is no one's child) for the wide nodes.
    @usableFromInline let denseChildren: [Int32]
    /// Children a node may have and still be scanned edge by edge.
    @usableFromInline static var wideNode: Int { 8 }
    @usableFromInline let values: [Value]
    /// One bit per BMP scalar that begins a word (ends one, when reversed); the characters
    /// beyond the BMP share bit 0xFFFF.
    @usableFromInline let firstScalars: [UInt64]
    /// True when the words are stored reversed, for matches that end at a position.
    public let reversed: Bool
    /// True when the tree holds no word (every lookup then finds nothing).
    public var isEmpty: Bool { values.isEmpty }

    /// - Parameter reversed: store the words backwards, for `longestEnding(in:at:floor:)`.
    /// Inlinable so that each table's tree is built by code specialized for its values (the
    /// generic build cost twice as much, a dozen trees at every start-up).
    @inlinable
    public init<S: Sequence>(_ entries: S, reversed: Bool = false) where S.Element == (String, Value) {
        self.reversed = reversed
        // The words as bytes, sorted (stable: of a word added twice the later comes last);
        // then laid out breadth first, a node for each run of words sharing a prefix. No
        // node objects and no dictionaries: start-up builds a dozen of these trees.
        var firstScalars = [UInt64](repeating: 0, count: 1024)
        var words: [[UInt8]] = []
        var entryValues: [Value] = []
        for (word, value) in entries where !word.isEmpty {
            let first = reversed ? word.unicodeScalars.last!.value : word.unicodeScalars.first!.value
            let bit = Int(min(first, 0xFFFF))
            firstScalars[bit >> 6] |= 1 << UInt64(bit & 63)
            words.append(reversed ? Array(word.utf8.reversed()) : Array(word.utf8))
            entryValues.append(value)
        }
        let order = words.indices.sorted { a, b in
            let x = words[a], y = words[b]
            let n = Swift.min(x.count, y.count)
            var k = 0
            while k < n { if x[k] != y[k] { return x[k] < y[k] }; k += 1 }
            return x.count != y.count ? x.count < y.count : a < b
        }
        var edgeStart: [Int32] = [], edgeCount: [Int32] = [], nodeValue: [Int32] = [], edgeByte: [UInt8] = [], edgeChild: [Int32] = []
        var values: [Value] = []
        // Each node: the run order[lo..<hi] of words that share its prefix of `depth` bytes.
        var queue: [(lo: Int, hi: Int, depth: Int)] = [(0, order.count, 0)]
        var k = 0
        while k < queue.count {
            var (lo, hi, depth) = queue[k]
            k += 1
            // The words that end here come first (shortest first); the last of them wins.
            var value: Int32 = -1
            while lo < hi && words[order[lo]].count == depth {
                if value < 0 { value = Int32(values.count); values.append(entryValues[order[lo]]) } else { values[Int(value)] = entryValues[order[lo]] }
                lo += 1
            }
            nodeValue.append(value)
            edgeStart.append(Int32(edgeByte.count))
            var count: Int32 = 0
            var i = lo
            while i < hi {
                let b = words[order[i]][depth]
                var j = i + 1
                while j < hi && words[order[j]][depth] == b { j += 1 }
                edgeByte.append(b)
                queue.append((i, j, depth + 1))
                edgeChild.append(Int32(queue.count - 1))
                count += 1
                i = j
            }
            edgeCount.append(count)
        }
        // Wide nodes get a row of 256 children; their count becomes -(row + 1).
        var denseChildren: [Int32] = []
        for n in edgeCount.indices where edgeCount[n] > Self.wideNode {
            let row = denseChildren.count >> 8
            denseChildren.append(contentsOf: repeatElement(0, count: 256))
            for e in Int(edgeStart[n])..<Int(edgeStart[n] + edgeCount[n]) {
                denseChildren[row << 8 | Int(edgeByte[e])] = edgeChild[e]
            }
            edgeCount[n] = -Int32(row) - 1
        }
        self.values = values
        self.firstScalars = firstScalars
        self.edgeStart = edgeStart; self.edgeCount = edgeCount; self.nodeValue = nodeValue
        self.edgeByte = edgeByte; self.edgeChild = edgeChild; self.denseChildren = denseChildren
    }

    @inlinable @inline(__always)
    func child(_ node: Int, _ b: UInt8) -> Int? {
        let count = Int(edgeCount[node])
        if count < 0 {
            let c = Int(denseChildren[(-count - 1) << 8 | Int(b)])
            return c == 0 ? nil : c
        }
        var e = Int(edgeStart[node])
        let end = e + count
        while e < end { if edgeByte[e] == b { return Int(edgeChild[e]) }; e += 1 }
        return nil
    }

    /// False when no word begins (ends, when reversed) with `scalar`: a one-test filter
    /// for callers that walk a text character by character.
    @inlinable @inline(__always)
    public func mayBegin(_ scalar: UInt32) -> Bool {
        let bit = Int(min(scalar, 0xFFFF))
        return firstScalars[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// The longest word that begins at byte `i` of `text` (a character start) and ends at or
    /// before `limit`: its value and length in bytes. (Forward trees only.)
    @inlinable
    public func longestStarting(in text: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int? = nil) -> (value: Value, length: Int)? {
        let end = Swift.min(limit ?? text.count, text.count)
        guard i < end, mayBegin(UTF8Decoding.scalar(text, at: i).value) else { return nil }
        var node = 0, j = i
        var best: (Value, Int)?
        while j < end, let c = child(node, text[j]) {
            node = c; j += 1
            let v = nodeValue[node]
            if v >= 0 { best = (values[Int(v)], j - i) }
        }
        return best
    }

    /// The longest word that ends at byte `i` of `text` (exclusive; a character boundary)
    /// and begins at or after `floor`: its value and length in bytes. (Reversed trees only.)
    @inlinable
    public func longestEnding(in text: UnsafeBufferPointer<UInt8>, at i: Int, floor: Int = 0) -> (value: Value, length: Int)? {
        guard i > floor, i <= text.count, let p = UTF8Decoding.previousStart(text, before: i),
              mayBegin(UTF8Decoding.scalar(text, at: p).value) else { return nil }
        var node = 0, j = i
        var best: (Value, Int)?
        while j > floor, let c = child(node, text[j - 1]) {
            node = c; j -= 1
            let v = nodeValue[node]
            if v >= 0 { best = (values[Int(v)], i - j) }
        }
        return best
    }
}
