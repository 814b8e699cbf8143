/// An exact-match table from words (UTF-8 byte strings) to values, looked up straight from
/// the document buffer: no `String`, no `Substring` hashing (Swift hashes non-ASCII strings
/// through normalization), no allocation per lookup. Built once from a `patterns/` table.
///
/// Open addressing over FNV-1a hashes; the words' bytes live in one array. A word added
/// twice keeps the later value (user tables override built-in rows).
public struct ByteWordTable<Value: Sendable>: Sendable {
    @usableFromInline var bytes: [UInt8] = []
    /// (start in `bytes`, length, index into `values`); length -1 marks an empty slot.
    @usableFromInline var slots: [(start: Int32, length: Int32, value: Int32)]
    @usableFromInline var values: [Value] = []
    @usableFromInline let mask: Int
    /// Longest word, in bytes.
    public var longestWord: Int { longest }
    @usableFromInline var longest = 0
    /// Number of distinct words.
    public var count: Int { values.count }

    /// A table of `entries` (word, value); a word given twice keeps its later value.
    /// Inlinable, so that each table is built by code specialized for its values.
    @inlinable
    public init<S: Sequence>(_ entries: S) where S.Element == (String, Value) {
        let list = Array(entries)
        var capacity = 16
        while capacity < list.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = Array(repeating: (0, -1, 0), count: capacity)
        for (word, value) in list { insert(Array(word.utf8), value) }
    }

    @inlinable
    mutating func insert(_ word: [UInt8], _ value: Value) {
        var i = word.withUnsafeBufferPointer { Self.hash($0) } & mask
        while slots[i].length >= 0 {
            let s = slots[i]
            if Int(s.length) == word.count && bytes[Int(s.start)..<Int(s.start + s.length)].elementsEqual(word) {
                values[Int(s.value)] = value
                return
            }
            i = (i + 1) & mask
        }
        slots[i] = (Int32(bytes.count), Int32(word.count), Int32(values.count))
        bytes += word
        values.append(value)
        longest = max(longest, word.count)
    }

    @inlinable @inline(__always)
    static func hash(_ w: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf29ce484222325
        for b in w { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The value of the word spelled by `word`, or nil.
    @inlinable @inline(__always)
    public func value(for word: UnsafeBufferPointer<UInt8>) -> Value? {
        guard word.count <= longestWord else { return nil }
        var i = Self.hash(word) & mask
        while true {
            let s = slots[i]
            if s.length < 0 { return nil }
            if Int(s.length) == word.count {
                var same = true
                var k = 0
                let start = Int(s.start)
                while k < word.count { if bytes[start + k] != word[k] { same = false; break }; k += 1 }
                if same { return values[Int(s.value)] }
            }
            i = (i + 1) & mask
        }
    }

    /// The value of `word` given as a `String` (for tests and callers outside the hot path).
    public func value(for word: String) -> Value? {
        var w = word
        return w.withUTF8 { value(for: $0) }
    }
}
