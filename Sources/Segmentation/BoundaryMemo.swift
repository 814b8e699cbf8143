import ZhibiaoCore

/// A finder's boundaries of recently segmented texts, remembered by the texts' bytes.
///
/// ICU's answer depends on nothing but the attached bytes (each `attach` starts the iterator
/// afresh), so a text seen before gets the same boundaries without asking ICU again: its
/// dictionary word breaker costs some 25,000 instructions and eight allocations per run of
/// Han characters, a lookup here a hash of the bytes. Report phrases recur (the same clause
/// before several figures, the same heading in several reports). Everything lives in buffers
/// allocated once: when one is full the memo starts over, so it never allocates after `init`
/// (but for ICU's answer to a text longer than any seen before).
/// Not thread-safe: one per worker, like its finder.
public final class BoundaryMemo {
    /// The finder asked for texts not in the memo.
    public let finder: BoundaryFinder
    private struct Entry {
        var hash: Int
        var keyStart: Int32, keyCount: Int32
        var boundaryStart: Int32, boundaryCount: Int32
    }
    // Raw buffers (no array's uniqueness and exclusivity checks on the lookup path).
    private let entries: UnsafeMutablePointer<Entry>
    private var entryCount = 0
    private let keys: UnsafeMutablePointer<UInt8>
    private var keyCount = 0
    private let boundaries: UnsafeMutablePointer<Int32>
    private var boundaryCount = 0
    /// Open addressing over `entries`: an index, or -1 for an empty slot.
    private let slots: UnsafeMutablePointer<Int32>
    private let slotMask: Int
    private let maxEntries: Int
    private let maxKeyBytes: Int
    private let maxBoundaries: Int
    /// ICU's boundaries of the last text it was given.
    private var found: [Int] = []
    /// Where the text last looked up and not found would go, and its hash.
    private var freeSlot = 0, missedHash = 0
    /// Texts answered from the memo, and texts given to ICU.
    public private(set) var hits = 0
    public private(set) var misses = 0

    /// A memo of at most `entries` texts, of `keyBytes` bytes in all (texts longer than a
    /// sixteenth of that are segmented but not remembered). The default holds the 7,600
    /// distinct label windows of the 114 real reports (5.6 MB) without starting over; its
    /// buffers are touched only as they fill.
    public init(_ finder: BoundaryFinder, entries: Int = 8192, keyBytes: Int = 512 * 1024) {
        precondition(entries > 0 && keyBytes > 0)
        self.finder = finder
        maxEntries = entries
        maxKeyBytes = keyBytes
        maxBoundaries = keyBytes / 2
        var size = 1
        while size < entries * 2 { size <<= 1 }
        slotMask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        self.entries = .allocate(capacity: entries)
        keys = .allocate(capacity: keyBytes)
        boundaries = .allocate(capacity: max(1, maxBoundaries))
        found.reserveCapacity(64)
    }

    deinit {
        slots.deallocate(); entries.deallocate(); keys.deallocate(); boundaries.deallocate()
    }

    /// All boundaries of `text` (valid UTF-8, relative offsets, 0 and the end included, in
    /// order) into `out`, emptied first: what `finder.attach(text)` then
    /// `finder.allBoundaries(into:)` give. The finder's attached text is unspecified afterwards.
    public func allBoundaries(of text: UnsafeBufferPointer<UInt8>, into out: inout [Int]) throws(ZhibiaoError) {
        out.removeAll(keepingCapacity: true)
        if let e = lookUp(text) {
            for k in Int(e.boundaryStart)..<Int(e.boundaryStart + e.boundaryCount) { out.append(Int(boundaries[k])) }
        } else {
            try segment(text)
            out.append(contentsOf: found)
        }
    }

    /// Sets bit `b` of `bits` (bit `b & 63` of word `b >> 6`) for each boundary `b` of `text`
    /// that `allBoundaries(of:into:)` gives; `bits` must hold `text.count + 1` bits. Sets no
    /// other bit.
    public func markBoundaries(of text: UnsafeBufferPointer<UInt8>, in bits: UnsafeMutablePointer<UInt64>) throws(ZhibiaoError) {
        if let e = lookUp(text) {
            var k = Int(e.boundaryStart)
            let end = k + Int(e.boundaryCount)
            while k < end {
                let b = Int(boundaries[k])
                bits[b >> 6] |= 1 << UInt64(b & 63)
                k += 1
            }
        } else {
            try segment(text)
            for b in found { bits[b >> 6] |= 1 << UInt64(b & 63) }
        }
    }

    /// The entry of `text`, or nil (then `freeSlot` and `missedHash` tell where it goes).
    @inline(__always)
    private func lookUp(_ text: UnsafeBufferPointer<UInt8>) -> Entry? {
        let hash = Self.hash(text)
        var slot = hash & slotMask
        while slots[slot] >= 0 {
            let e = entries[Int(slots[slot])]
            if e.hash == hash, Int(e.keyCount) == text.count, sameBytes(keys + Int(e.keyStart), text) {
                hits += 1
                return e
            }
            slot = (slot + 1) & slotMask
        }
        freeSlot = slot
        missedHash = hash
        return nil
    }

    /// ICU's boundaries of `text` (just looked up and not found) into `found`, remembered.
    private func segment(_ text: UnsafeBufferPointer<UInt8>) throws(ZhibiaoError) {
        misses += 1
        found.removeAll(keepingCapacity: true)
        try finder.attach(text)
        finder.allBoundaries(into: &found)
        remember(text)
    }

    /// True when the `text.count` bytes at `key` are those of `text` (eight at a time).
    @inline(__always)
    private func sameBytes(_ key: UnsafeMutablePointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return true }
        let a = UnsafeRawPointer(key), b = UnsafeRawPointer(base)
        let n = text.count
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if key[i] != base[i] { return false }
            i += 1
        }
        return true
    }

    private func remember(_ text: UnsafeBufferPointer<UInt8>) {
        guard text.count <= maxKeyBytes / 16, found.count <= maxBoundaries / 16 else { return }
        var slot = freeSlot
        if entryCount == maxEntries || keyCount + text.count > maxKeyBytes || boundaryCount + found.count > maxBoundaries {
            entryCount = 0; keyCount = 0; boundaryCount = 0
            slots.update(repeating: -1, count: slotMask + 1)
            slot = missedHash & slotMask
        }
        slots[slot] = Int32(entryCount)
        entries[entryCount] = Entry(hash: missedHash, keyStart: Int32(keyCount), keyCount: Int32(text.count),
                                    boundaryStart: Int32(boundaryCount), boundaryCount: Int32(found.count))
        entryCount += 1
        if let base = text.baseAddress { (keys + keyCount).update(from: base, count: text.count) }
        keyCount += text.count
        for b in found { boundaries[boundaryCount] = Int32(b); boundaryCount += 1 }
    }

    /// A 64-bit multiplicative hash of the bytes, eight at a time, then mixed (texts are a
    /// few dozen bytes; the slot is taken from the low bits).
    static func hash(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(text.count)
        if let base = text.baseAddress {
            let raw = UnsafeRawPointer(base)
            let n = text.count
            var i = 0
            while i + 8 <= n {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
                h ^= h >> 32
                i += 8
            }
            while i < n { h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3; i += 1 }
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h & 0x7FFF_FFFF_FFFF_FFFF)
    }
}
