/// The words of traps.tsv in a byte trie, so that "does a trap word cover this offset?"
/// costs a few steps per candidate instead of a pass over every word.
///
/// The root has a dense table of 256 children (one load for the first byte); every other
/// node lists its children in a shared, byte-sorted edge array (compressed sparse rows).
/// Memory is ~10 bytes per node: 100,000 user traps take a few MB (a dense table of 256
/// slots for every node took 1 KiB a node, 1.1 GB for them).
struct TrapIndex: Sendable {
    /// Child of the root for each first byte (0 = none; the root is node 0, never a child).
    private var rootChildren = [Int32](repeating: 0, count: 256)
    /// Node n's children are edges edgeStart[n] ..< edgeStart[n + 1], sorted by byte.
    private var edgeStart: [Int32] = [0, 0]
    private var edgeByte: [UInt8] = []
    private var edgeChild: [Int32] = []
    private var terminal: [Bool] = [false]
    /// For a trie of up to `denseLimit` nodes (the built-in traps have about 1,300): every
    /// node's 256 children in one flat table, one load a step (the edge lists cost a binary
    /// search a step, 1.3% of a run on the reference report). Two bytes a slot (a node
    /// number under `denseLimit`): the table is written whole at start-up, and four bytes a
    /// slot made it 1.3 MB of fresh pages. (Rows of only the bytes that occur in a word
    /// took a fifth of that but cost 20% more a step, through the byte's slot number.)
    private var dense: [UInt16] = []
    static let denseLimit = 4096
    /// Longest word, in bytes: how far back an occurrence covering an offset can start.
    private(set) var longest = 0

    /// - Parameter denseLimit: the most nodes laid out in the flat table (tests lower it to
    ///   compare the table with the edge lists).
    init(_ words: [[UInt8]], denseLimit: Int = TrapIndex.denseLimit) {
        // Sorted, the words build the trie in one pass: a word shares its prefix with the
        // word before it, and each node's children appear in rising byte order.
        var sorted = words.filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
        sorted = sorted.indices.compactMap { $0 > 0 && sorted[$0] == sorted[$0 - 1] ? nil : sorted[$0] }   // each word once
        var parents: [Int32] = [], bytes: [UInt8] = [], children: [Int32] = []   // edges, in creation order
        var path: [Int32] = [0]                 // path[k]: node after k bytes of the previous word
        var previous: [UInt8] = []
        for word in sorted {
            var common = 0
            while common < min(word.count, previous.count), word[common] == previous[common] { common += 1 }
            path.removeSubrange((common + 1)...)
            for k in common..<word.count {
                let node = Int32(terminal.count)
                terminal.append(false)
                parents.append(path[k]); bytes.append(word[k]); children.append(node)
                path.append(node)
            }
            terminal[Int(path[word.count])] = true
            longest = max(longest, word.count)
            previous = word
        }
        // Group the edges by parent (counting sort keeps each group's byte order).
        let nodeCount = terminal.count
        var start = [Int32](repeating: 0, count: nodeCount + 1)
        for p in parents where p != 0 { start[Int(p) + 1] += 1 }
        for n in 0..<nodeCount { start[n + 1] += start[n] }
        var fill = start
        edgeByte = [UInt8](repeating: 0, count: Int(start[nodeCount]))
        edgeChild = [Int32](repeating: 0, count: Int(start[nodeCount]))
        for e in parents.indices {
            let p = Int(parents[e])
            if p == 0 { rootChildren[Int(bytes[e])] = children[e]; continue }
            let slot = Int(fill[p]); fill[p] += 1
            edgeByte[slot] = bytes[e]; edgeChild[slot] = children[e]
        }
        edgeStart = start
        if nodeCount <= denseLimit {
            var table = [UInt16](repeating: 0, count: nodeCount * 256)
            for b in 0..<256 { table[b] = UInt16(rootChildren[b]) }
            for n in 1..<max(1, nodeCount) {
                for e in Int(start[n])..<Int(start[n + 1]) { table[n * 256 + Int(edgeByte[e])] = UInt16(edgeChild[e]) }
            }
            dense = table
        }
    }

    /// Bytes held by the index's arrays (for the test that 100,000 words stay small).
    var storageBytes: Int {
        rootChildren.count * 4 + edgeStart.count * 4 + edgeByte.count + edgeChild.count * 4 + terminal.count + dense.count * 2
    }

    /// The child of `node` for byte `b`, or 0.
    @inline(__always)
    private func child(_ node: Int, _ b: UInt8) -> Int {
        if !dense.isEmpty { return Int(dense[node * 256 + Int(b)]) }
        if node == 0 { return Int(rootChildren[Int(b)]) }
        var lo = Int(edgeStart[node]), hi = Int(edgeStart[node + 1])
        while lo < hi {                           // binary search; most lists hold one or two edges
            let mid = (lo + hi) >> 1
            let m = edgeByte[mid]
            if m == b { return Int(edgeChild[mid]) }
            if m < b { lo = mid + 1 } else { hi = mid }
        }
        return 0
    }

    /// The end offset of the longest trap word that starts at `start` in `t`, or nil.
    @inline(__always)
    func longestWordEnd(startingAt start: Int, in t: UnsafeBufferPointer<UInt8>) -> Int? {
        var node = 0
        var i = start
        var end: Int?
        while i < t.count {
            let next = child(node, t[i])
            if next == 0 { break }
            node = next
            i += 1
            if terminal[node] { end = i }
        }
        return end
    }

    /// True when a trap word starting at or before `offset` (but not within `excluded`)
    /// runs past `offset`. Each start's walk stops at the first word that ends past
    /// `offset` (the longest word there need not be found); the flat table is read with no
    /// bounds check (node numbers come from the table itself, bytes are below 256).
    func covers(_ offset: Int, in t: UnsafeBufferPointer<UInt8>, excluding excluded: Range<Int>) -> Bool {
        guard longest > 0, let base = t.baseAddress else { return false }
        let first = max(0, offset - longest + 1), n = t.count
        if dense.isEmpty {
            for s in first...offset where !UTF8Bytes.isContinuation(base[s]) && !excluded.contains(s) {
                var node = 0, i = s
                while i < n {
                    node = child(node, base[i])
                    if node == 0 { break }
                    i += 1
                    if i > offset && terminal[node] { return true }
                }
            }
            return false
        }
        return dense.withUnsafeBufferPointer { table in
            terminal.withUnsafeBufferPointer { isWord in
                var s = first
                while s <= offset {
                    defer { s += 1 }
                    if UTF8Bytes.isContinuation(base[s]) || excluded.contains(s) { continue }
                    var node = 0, i = s
                    while i < n {
                        node = Int(table[node &* 256 &+ Int(base[i])])
                        if node == 0 { break }
                        i += 1
                        if i > offset && isWord[node] { return true }
                    }
                }
                return false
            }
        }
    }

    /// `covers` the plain way: the longest word at each start (tests compare the two).
    func coversByLongestWords(_ offset: Int, in t: UnsafeBufferPointer<UInt8>, excluding excluded: Range<Int>) -> Bool {
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
