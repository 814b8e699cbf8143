/// A prefix tree over UTF-8 words for "which listed word starts (or ends) here" in the
/// document buffer: the longest one, in one walk over the bytes, no `String`, no hashing.
/// Built once from a `patterns/` table; a word added twice keeps the later value.
///
/// Nodes live in one array; each node's children are a short list scanned linearly (the
/// words are Chinese, so a node rarely has more than a few children).
public struct ByteTrie<Value: Sendable>: Sendable {
    @usableFromInline struct Node: Sendable {
        @usableFromInline var bytes: [UInt8] = []
        @usableFromInline var children: [Int32] = []
        @usableFromInline var value: Int32 = -1
    }
    @usableFromInline var nodes: [Node] = [Node()]
    @usableFromInline var values: [Value] = []
    /// True when the words are stored reversed, for matches that end at a position.
    public let reversed: Bool
    /// Which bytes can begin a walk (the first byte of a word, or its last when reversed).
    @usableFromInline var firstBytes = [Bool](repeating: false, count: 256)
    public var isEmpty: Bool { values.isEmpty }

    /// - Parameter reversed: store the words backwards, for `longestEnding(in:at:)`.
    public init<S: Sequence>(_ entries: S, reversed: Bool = false) where S.Element == (String, Value) {
        self.reversed = reversed
        for (word, value) in entries where !word.isEmpty {
            let bytes = reversed ? Array(word.utf8.reversed()) : Array(word.utf8)
            insert(bytes, value)
        }
    }

    private mutating func insert(_ word: [UInt8], _ value: Value) {
        firstBytes[Int(word[0])] = true
        var node = 0
        for b in word {
            if let k = nodes[node].bytes.firstIndex(of: b) {
                node = Int(nodes[node].children[k])
            } else {
                nodes.append(Node())
                let child = nodes.count - 1
                nodes[node].bytes.append(b)
                nodes[node].children.append(Int32(child))
                node = child
            }
        }
        if nodes[node].value >= 0 {
            values[Int(nodes[node].value)] = value
        } else {
            nodes[node].value = Int32(values.count)
            values.append(value)
        }
    }

    @inlinable @inline(__always)
    func child(_ node: Int, _ b: UInt8) -> Int? {
        let n = nodes[node]
        var k = 0
        while k < n.bytes.count { if n.bytes[k] == b { return Int(n.children[k]) }; k += 1 }
        return nil
    }

    /// The longest word that begins at byte `i` of `text` and ends at or before `limit`:
    /// its value and length in bytes. (Forward tries only.)
    @inlinable
    public func longestStarting(in text: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int? = nil) -> (value: Value, length: Int)? {
        let end = Swift.min(limit ?? text.count, text.count)
        guard i < end, firstBytes[Int(text[i])] else { return nil }
        var node = 0, j = i
        var best: (Value, Int)?
        while j < end, let c = child(node, text[j]) {
            node = c; j += 1
            let v = nodes[node].value
            if v >= 0 { best = (values[Int(v)], j - i) }
        }
        return best
    }

    /// The longest word that ends at byte `i` of `text` (exclusive) and begins at or after
    /// `floor`: its value and length in bytes. (Reversed tries only.)
    @inlinable
    public func longestEnding(in text: UnsafeBufferPointer<UInt8>, at i: Int, floor: Int = 0) -> (value: Value, length: Int)? {
        guard i > floor, i <= text.count, firstBytes[Int(text[i - 1])] else { return nil }
        var node = 0, j = i
        var best: (Value, Int)?
        while j > floor, let c = child(node, text[j - 1]) {
            node = c; j -= 1
            let v = nodes[node].value
            if v >= 0 { best = (values[Int(v)], i - j) }
        }
        return best
    }
}
