import PatternCatalog
import ZhibiaoCore

/// Annotator: role and direction, from the words of changes.tsv just before the figure
/// (增长5.2% change up, 降至2天 to down, 从60.2% from). A figure with no such word that
/// follows another one across a list mark only (分别增长10.6%、7.9%) takes its neighbour's;
/// else it is a level. A `from` takes its direction from the `to` after it, or from the
/// two values when the text says only 到/至 (从5天到2天: down).
extension Extractor {
    /// The word of changes.tsv that ends right before mention `index` (fillers such as 了 and
    /// 分别 passed over), with where it starts; nil when there is none.
    func changeWord(_ index: Int, in mentions: [Mention], text t: UnsafeBufferPointer<UInt8>) -> (ChangeWord, start: Int)? {
        let start = mentions[index].span.lowerBound
        let floor = index > 0 ? min(mentions[index - 1].span.upperBound, start) : 0
        var p = start
        for _ in 0..<4 {
            while p > floor, t[p - 1] == 0x20 || t[p - 1] == 0x09 { p -= 1 }
            guard let (word, length) = engine.changes.longestEnding(in: t, at: p, floor: floor) else { return nil }
            p -= length
            if word.role != .skip { return (word, p) }
        }
        return nil
    }

    /// The role and direction of mention `index` (target is set by `isTarget`).
    func meaning(for index: Int, in mentions: [Mention], text t: UnsafeBufferPointer<UInt8>) -> Meaning {
        var index = index
        // Inherit across list marks: 分别增长10.6%、7.9% (at most a few steps back).
        for _ in 0..<8 {
            if let (word, _) = changeWord(index, in: mentions, text: t) {
                return resolved(word, index, in: mentions, text: t)
            }
            guard index > 0, isListGap(t, mentions[index - 1].span.upperBound, mentions[index].span.lowerBound) else { break }
            index -= 1
        }
        return .level
    }

    /// A word's role and direction, with `from`/`to` paired with their other end.
    private func resolved(_ word: ChangeWord, _ index: Int, in mentions: [Mention], text t: UnsafeBufferPointer<UInt8>) -> Meaning {
        switch word.role {
        case .change: return Meaning(role: .change, direction: word.direction)
        case .level, .skip: return .level
        case .from:
            // The `to` after it: its direction, or the values compared.
            guard index + 1 < mentions.count, let (next, _) = changeWord(index + 1, in: mentions, text: t), next.role == .to else {
                return Meaning(role: .from, direction: word.direction)
            }
            let direction = next.direction != .none ? next.direction : compare(mentions[index], mentions[index + 1])
            return Meaning(role: .from, direction: direction)
        case .to:
            if word.direction != .none { return Meaning(role: .to, direction: word.direction) }
            // A bare 到/至 is an end only after a `from`: 从5天到2天.
            guard index > 0, let (previous, _) = changeWord(index - 1, in: mentions, text: t), previous.role == .from else { return .level }
            return Meaning(role: .to, direction: compare(mentions[index - 1], mentions[index]))
        }
    }

    /// up when `b` is above `a`, down when below, none when equal or of different units.
    private func compare(_ a: Mention, _ b: Mention) -> Direction {
        let x = a.reading.quantity, y = b.reading.quantity
        guard x.unit == y.unit, x.value != y.value else { return .none }
        return y.value > x.value ? .up : .down
    }

    /// True when `t[lo..<hi]` holds only list marks (、 和, or a ratio's colon) and spaces, at least one.
    func isListGap(_ t: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        guard lo < hi else { return false }
        var i = lo, marks = 0
        while i < hi {
            let (s, length) = UTF8Bytes.scalar(t, at: i)
            if s == 0x3001 || s == 0x548C || Self.isRatioColon(s) { marks += 1 } else if !UTF8Bytes.isSpace(s) { return false }   // 、 和 ：
            i += length
        }
        return marks > 0
    }
}

/// Structure ratios (三次产业结构为2.0︰50.5︰47.5): three or more bare numbers joined by single
/// colons are one row per part, kind `ratio`, each with the structure's name as its label.
extension Extractor {
    /// ： ︰ ∶ (full-width colon, presentation-form colon, ratio sign).
    static func isRatioColon(_ s: UInt32) -> Bool { s == 0xFF1A || s == 0xFE30 || s == 0x2236 }

    /// Marks the parts of every structure ratio of `mentions` as kind `ratio`.
    func markRatioParts(_ mentions: inout [Mention], in t: UnsafeBufferPointer<UInt8>) {
        var i = 0
        while i < mentions.count {
            // Most mentions are not followed by a colon: one byte test (：︰ begin with EF, ∶ with E2).
            let end = mentions[i].span.upperBound
            guard end < t.count, t[end] == 0xEF || t[end] == 0xE2 else { i += 1; continue }
            var j = i
            while j + 1 < mentions.count, isRatioPart(mentions, j), isRatioPart(mentions, j + 1),
                  isSingleColon(t, mentions[j].span.upperBound, mentions[j + 1].span.lowerBound) { j += 1 }
            if j - i >= 2 {
                for k in i...j { mentions[k].reading.quantity.kind = .ratio; mentions[k].reading.quantity.unit = "" }
            }
            i = j + 1
        }
    }

    /// Mention `i` can be a part: a kept bare number (its fields read in place, no copy).
    private func isRatioPart(_ mentions: [Mention], _ i: Int) -> Bool {
        mentions[i].keep && mentions[i].reading.quantity.kind == .number && !mentions[i].reading.hasMagnitude
            && mentions[i].reading.quantity.valueMax == nil
    }

    private func isSingleColon(_ t: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        guard lo < hi else { return false }
        let (s, length) = UTF8Bytes.scalar(t, at: lo)
        return lo + length == hi && Self.isRatioColon(s)
    }
}
