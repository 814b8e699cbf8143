import ZhibiaoCore

/// Annotator: a bare 万/亿 amount takes its kind and unit from a word of context.tsv in its
/// label (总金额达26.22亿: money, 元), or from a noun of nouns.tsv after it (3700多万学生: 人).
extension Extractor {
    func applyContextKind(_ label: UnsafeBufferPointer<UInt8>, to quantity: inout Quantity) {
        for (word, context) in engine.contextWords where Self.contains(label, word) {
            quantity.kind = context.kind
            quantity.unit = context.unit
            return
        }
    }

    /// A bare 万/亿 amount followed by a noun of nouns.tsv counts it (3700多万学生: 37000000 人):
    /// the mention becomes a count, so its label is read after it, as for 32名法律顾问.
    func applyCountedNoun(_ mention: inout Mention, in t: UnsafeBufferPointer<UInt8>) {
        guard let (unit, _) = engine.countedNouns.longestStarting(in: t, at: mention.span.upperBound) else { return }
        mention.reading.quantity.kind = .count
        mention.reading.quantity.unit = unit
    }

    /// A qualifier of distant.tsv up to 8 characters before the figure, in its clause and after
    /// the previous figure (不低于人民币30,000万元: over; 约占全球的70%: about); nil when none.
    func distantQualifier(_ index: Int, in mentions: [Mention], text t: UnsafeBufferPointer<UInt8>) -> Qualifier? {
        guard !engine.distantQualifiers.isEmpty else { return nil }
        let start = mentions[index].span.lowerBound
        let floor = index > 0 ? min(mentions[index - 1].span.upperBound, start) : 0
        return distantQualifier(before: start, floor: floor, in: t)
    }

    /// The walk of `distantQualifier` back from `start`, not below `floor`. The table is
    /// asked only where the character before the position ends one of its words (its
    /// last-character filter): most positions cost one bit test.
    func distantQualifier(before start: Int, floor: Int, in t: UnsafeBufferPointer<UInt8>) -> Qualifier? {
        let table = engine.distantQualifiers
        var p = start
        for _ in 0..<9 {
            guard let previous = UTF8Bytes.previousStart(t, before: p) else { return nil }   // p == 0: no word ends there
            let s = UTF8Bytes.scalar(t, at: previous).value
            if table.mayBegin(s), let (q, _) = table.longestEnding(in: t, at: p, floor: floor) { return q }
            guard p > floor, previous >= floor else { return nil }
            if UTF8Bytes.isClauseDelimiter(s) { return nil }
            p = previous
        }
        return nil
    }

    /// `distantQualifier(before:floor:in:)` the plain way: the table asked at every position
    /// (tests compare the two).
    func distantQualifierAskingEverywhere(before start: Int, floor: Int, in t: UnsafeBufferPointer<UInt8>) -> Qualifier? {
        let table = engine.distantQualifiers
        var p = start
        for _ in 0..<9 {
            if let (q, _) = table.longestEnding(in: t, at: p, floor: floor) { return q }
            guard p > floor, let previous = UTF8Bytes.previousStart(t, before: p), previous >= floor else { return nil }
            let s = UTF8Bytes.scalar(t, at: previous).value
            if UTF8Bytes.isClauseDelimiter(s) { return nil }
            p = previous
        }
        return nil
    }

    /// True when `word` occurs in `text` (a byte search; both are valid UTF-8, so a hit
    /// always starts on a character).
    static func contains(_ text: UnsafeBufferPointer<UInt8>, _ word: [UInt8]) -> Bool {
        guard !word.isEmpty, word.count <= text.count else { return word.isEmpty }
        var i = 0
        while i + word.count <= text.count {
            if text[i] == word[0], UTF8Bytes.hasBytes(text, word, at: i) { return true }
            i += 1
        }
        return false
    }
}
