import ZhibiaoCore

/// A finder's boundaries of recently segmented texts, remembered by the texts' bytes.
///
/// ICU's answer depends on nothing but the attached bytes (each `attach` starts the iterator
/// afresh), so a text seen before gets the same boundaries without asking ICU again: its
/// dictionary word breaker costs some 25,000 instructions and eight allocations per run of
/// Han characters, a lookup here a hash of the bytes. Report phrases recur (the same clause
/// before several figures, the same heading in several reports). Everything lives in arrays
/// sized once: when one is full the memo starts over, so it never allocates after `init`.
/// Not thread-safe: one per worker, like its finder.
public final class BoundaryMemo {
    /// The finder asked for texts not in the memo.
    public let finder: BoundaryFinder
    private struct Entry {
        var hash: Int
        var keyStart: Int32, keyCount: Int32
        var boundaryStart: Int32, boundaryCount: Int32
    }
    private var entries: [Entry] = []
    private var keys: [UInt8] = []
    private var boundaries: [Int32] = []
    /// Open addressing over `entries`: an index, or -1 for an empty slot.
    private var slots: [Int32]
    private let maxEntries: Int
    private let maxKeyBytes: Int
    private let maxBoundaries: Int
    /// Texts answered from the memo, and texts given to ICU.
    public private(set) var hits = 0
    public private(set) var misses = 0

    /// A memo of at most `entries` texts, of `keyBytes` bytes in all (texts longer than a
    /// sixteenth of that are segmented but not remembered).
    public init(_ finder: BoundaryFinder, entries: Int = 1024, keyBytes: Int = 64 * 1024) {
        precondition(entries > 0 && keyBytes > 0)
        self.finder = finder
        maxEntries = entries
        maxKeyBytes = keyBytes
        maxBoundaries = keyBytes / 2
        var size = 1
        while size < entries * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        self.entries.reserveCapacity(entries)
        keys.reserveCapacity(keyBytes)
        boundaries.reserveCapacity(maxBoundaries)
    }

    /// All boundaries of `text` (valid UTF-8, relative offsets, 0 and the end included, in
    /// order) into `out`, emptied first: what `finder.attach(text)` then
    /// `finder.allBoundaries(into:)` give. The finder's attached text is unspecified afterwards.
    public func allBoundaries(of text: UnsafeBufferPointer<UInt8>, into out: inout [Int]) throws(ZhibiaoError) {
        let hash = Self.hash(text)
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] >= 0 {
            let e = entries[Int(slots[slot])]
            if e.hash == hash, Int(e.keyCount) == text.count, sameBytes(e, text) {
                hits += 1
                out.removeAll(keepingCapacity: true)
                let start = Int(e.boundaryStart)
                for k in start..<(start + Int(e.boundaryCount)) { out.append(Int(boundaries[k])) }
                return
            }
            slot = (slot + 1) & mask
        }
        misses += 1
        try finder.attach(text)
        finder.allBoundaries(into: &out)
        remember(text, hash: hash, out, slot: slot)
    }

    private func sameBytes(_ e: Entry, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        keys.withUnsafeBufferPointer { k in
            let start = Int(e.keyStart)
            for i in 0..<text.count where k[start + i] != text[i] { return false }
            return true
        }
    }

    private func remember(_ text: UnsafeBufferPointer<UInt8>, hash: Int, _ found: [Int], slot: Int) {
        guard text.count <= maxKeyBytes / 16, found.count <= maxBoundaries / 16 else { return }
        var slot = slot
        if entries.count == maxEntries || keys.count + text.count > maxKeyBytes || boundaries.count + found.count > maxBoundaries {
            entries.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            boundaries.removeAll(keepingCapacity: true)
            for i in slots.indices { slots[i] = -1 }
            slot = hash & (slots.count - 1)
        }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(hash: hash, keyStart: Int32(keys.count), keyCount: Int32(text.count),
                             boundaryStart: Int32(boundaries.count), boundaryCount: Int32(found.count)))
        keys.append(contentsOf: text)
        for b in found { boundaries.append(Int32(b)) }
    }

    /// FNV-1a over the bytes (texts are a few dozen bytes).
    static func hash(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h & 0x7FFF_FFFF_FFFF_FFFF)
    }
}
