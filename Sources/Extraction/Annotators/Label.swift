import Segmentation
import ZhibiaoCore

/// Labels: the indicator's name, from the clause that holds the quantity.
///
/// Two shapes are read. Name before the number (纠纷化解率99.69%, 涉及金额超130亿元): the
/// text from the clause start (or the previous quantity) to the match, with leading
/// connectives (共, 累计 …) and trailing linking verbs (达, 为 …) dropped, cut after the last
/// function word (等, 的 …) and to `maxLabelLength` characters at ICU word boundaries.
/// Verb + number + classifier + noun (配备32名法律顾问): for counts followed by more text,
/// the words after the unit up to a stop word (及, 担任 …). ICU segments only these few
/// characters, never the whole document.
extension Extractor {
    func label(for index: Int, in candidates: [Mention], text t: UnsafeBufferPointer<UInt8>) -> LabelText {
        // Fields read in place: a copy of the Mention (its Reading) costs more than a label.
        let matched = candidates[index].span
        let isCount = candidates[index].reading.quantity.kind == .count
        // Characters looked at on either side: a label keeps at most maxLabelLength of them,
        // so a little more is enough to find the word boundary and a function word before it.
        let maxScan = options.maxLabelLength * 2

        // The clause after the match, up to a delimiter or the next quantity.
        var nextStart = t.count
        for j in (index + 1)..<candidates.count where candidates[j].separates {
            nextStart = candidates[j].span.lowerBound; break
        }
        // A clause that ends with a verb (使用1000亿元失业保险基金) names the figure after it.
        let verbBefore = engine.labelVerbs.longestEnding(in: t, at: matched.lowerBound,
                                                         floor: index > 0 ? min(candidates[index - 1].span.upperBound, matched.lowerBound) : 0) != nil
        if isCount || verbBefore, matched.upperBound < t.count {
            let first = UTF8Bytes.scalar(t, at: matched.upperBound).value
            if !UTF8Bytes.isClauseDelimiter(first), !UTF8Bytes.isSpace(first) {
                var hi = matched.upperBound
                var n = 0
                while hi < min(nextStart, t.count), n < maxScan {
                    let (s, len) = UTF8Bytes.scalar(t, at: hi)
                    if UTF8Bytes.isClauseDelimiter(s) { break }
                    hi += len; n += 1
                }
                let suffix = suffixLabel(t, ByteSpan(matched.upperBound, hi))
                if !suffix.isEmpty(in: self) { return suffix }
            }
        }

        // The clause before the match, back to a delimiter or the previous quantity.
        var previousEnd = 0
        var j = index - 1
        while j >= 0 {
            if candidates[j].separates && !isOrdinalInName(candidates, j, t) { previousEnd = candidates[j].span.upperBound; break }
            j -= 1
        }
        // The next name of a 分别 list: A、B分别增长x%、y% gives y% the name B.
        if previousEnd > 0, isListGap(t, previousEnd, matched.lowerBound) {
            if listNext < listPieces.count {
                listNext += 1
                return prefixLabel(t, headOfListName(t, listPieces[listNext - 1]))
            }
            return .span(ByteSpan(matched.lowerBound, matched.lowerBound))   // the clause's name is carried
        }
        if !listPieces.isEmpty { listPieces.removeAll(keepingCapacity: true) }   // (even empty, it would swap buffers)
        listNext = 0
        // A verb of change and the comparison before it name nothing: 工业增加值比上年增长6%.
        var end = matched.lowerBound
        var respectively = false
        for _ in 0..<6 {
            while end > previousEnd, t[end - 1] == 0x20 || t[end - 1] == 0x09 { end -= 1 }
            guard let (role, length) = engine.labelTail.longestEnding(in: t, at: end, floor: previousEnd), role != .level else { break }
            respectively = respectively || UTF8Bytes.hasBytes(t, Self.respectivelyWord, at: end - length)
            end -= length
        }
        let lo = Self.clauseStart(t, end: end, floor: previousEnd, limit: maxScan * (respectively ? 2 : 1), keepsListComma: respectively)
        if respectively {
            // 高技术制造业、装备制造业增加值分别增长…: one name for each figure of the list.
            var start = lo, i = lo
            while i < end {
                let (s, length) = UTF8Bytes.scalar(t, at: i)
                if s == 0x3001 || s == 0x548C { listPieces.append(ByteSpan(start, i)); start = i + length }   // 、 和
                i += length
            }
            if !listPieces.isEmpty {
                listPieces.append(ByteSpan(start, end))
                listNext = 1
                return prefixLabel(t, listPieces[0])
            }
        }
        return prefixLabel(t, ByteSpan(lo, end))
    }

    /// Where the clause that ends at `end` begins: after the last clause delimiter (but 、
    /// when `keepsListComma`), at `floor`, or `limit` characters back, whichever is nearest.
    static func clauseStart(_ t: UnsafeBufferPointer<UInt8>, end: Int, floor: Int, limit: Int, keepsListComma: Bool) -> Int {
        var lo = end
        var n = 0
        while lo > floor, n < limit {
            // A CJK ideograph (three bytes led by E4–E9) is no delimiter: skipped undecoded.
            if lo >= 3, t[lo - 3] &- 0xE4 < 6 { lo -= 3; n += 1; continue }
            guard let p = UTF8Bytes.previousStart(t, before: lo) else { break }
            let s = UTF8Bytes.scalar(t, at: p).value
            if UTF8Bytes.isClauseDelimiter(s), !(keepsListComma && s == 0x3001) { break }
            lo = p; n += 1
        }
        return lo
    }

    /// A name of a 分别 list, cut to its first `maxLabelLength` characters when longer: the
    /// last name runs on into the words all names share (基本公共卫生服务经费人均财政补助标准).
    func headOfListName(_ t: UnsafeBufferPointer<UInt8>, _ piece: ByteSpan) -> ByteSpan {
        var hi = piece.lowerBound, n = 0
        while hi < piece.upperBound, n < options.maxLabelLength { hi += UTF8Bytes.scalar(t, at: hi).length; n += 1 }
        return ByteSpan(piece.lowerBound, hi)
    }

    /// True for an ordinal with 第 that begins a name (第一产业增加值, 第三产业): it stays in
    /// the label instead of ending the clause before it.
    func isOrdinalInName(_ candidates: [Mention], _ j: Int, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let span = candidates[j].span
        guard candidates[j].reading.quantity.kind == .ordinal, span.upperBound < t.count,
              UTF8Bytes.scalar(t, at: span.lowerBound).value == 0x7B2C else { return false }   // 第
        let next = UTF8Bytes.scalar(t, at: span.upperBound).value
        return next >= 0x4E00 && next <= 0x9FFF
    }

    /// 分别 (respectively): its verb names one figure per name of a list.
    static let respectivelyWord = Array("分别".utf8)

    /// The word boundaries of `t[span]` for one label, computed when first asked for.
    private func wordsOf(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> LazyBoundaries {
        labelWords.reset(finder: words, text: t, span: span)
        return labelWords
    }

    /// True when one of `words` occurs anywhere in `t[lo..<hi]` (a byte scan: cheaper than
    /// asking ICU for word boundaries, which are only needed when a word does occur).
    private func occurs(_ words: [[UInt8]], _ first: ScalarFilter, _ t: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        var p = lo
        while p < hi {
            let (s, length) = UTF8Bytes.scalar(t, at: p)
            if first.contains(s) {
                for word in words where p + word.count <= hi && UTF8Bytes.hasBytes(t, word, at: p) { return true }
            }
            p += length
        }
        return false
    }

    func prefixLabel(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> LabelText {
        let words = wordsOf(t, span)
        var lo = span.lowerBound, hi = span.upperBound
        let w = engine.labels

        func dropLeading() {
            var changed = true
            while changed {
                changed = false
                while lo < hi, isIgnorable(UTF8Bytes.scalar(t, at: lo).value) { lo += UTF8Bytes.scalar(t, at: lo).length; changed = true }
                guard lo < hi, w.leadFirst.contains(UTF8Bytes.scalar(t, at: lo).value) else { break }
                for word in w.lead where lo + word.count < hi && UTF8Bytes.hasBytes(t, word, at: lo) && words.contains(lo + word.count) {
                    lo += word.count; changed = true; break
                }
            }
        }
        func dropTrailing() {
            var changed = true
            while changed {
                changed = false
                while hi > lo, let p = UTF8Bytes.previousStart(t, before: hi), isIgnorable(UTF8Bytes.scalar(t, at: p).value) { hi = p; changed = true }
                if dropLinkWord(t, words, end: &hi, floor: lo) { changed = true }
            }
        }
        dropLeading()
        dropTrailing()
        // Start after the last function word (等, 的) that stands as a word of its own: the
        // last place, from the right, where one ends on a word boundary and starts on another.
        if occurs(w.cut, w.cutFirst, t, lo, hi) {
            var b = hi
            while let p = UTF8Bytes.previousStart(t, before: b), p > lo {
                b = p
                if w.cutLast.contains(UTF8Bytes.scalar(t, at: UTF8Bytes.previousStart(t, before: b)!).value), w.cut.contains(where: { b - $0.count >= lo && UTF8Bytes.hasBytes(t, $0, at: b - $0.count) && words.contains(b) && words.contains(b - $0.count) }) {
                    lo = b
                    break
                }
            }
        }
        dropLeading()
        // At most maxLabelLength characters, cut at a word boundary: the first boundary from
        // where the last maxLabelLength characters begin, else the last one before (keep at
        // least one word).
        if UTF8Bytes.scalarCount(t, lo, hi) > options.maxLabelLength {
            var from = hi
            for _ in 0..<options.maxLabelLength { from = UTF8Bytes.previousStart(t, before: from)! }
            var cut = hi
            var b = from
            while b < hi { if words.contains(b) { cut = b; break }; b += UTF8Bytes.scalar(t, at: b).length }
            if cut == hi {
                b = from
                while b > lo, let p = UTF8Bytes.previousStart(t, before: b) {
                    b = p
                    if words.contains(b) { cut = b; break }
                }
            }
            lo = cut
            dropLeading()
        }
        return cleaned(t, lo, hi)
    }

    func suffixLabel(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> LabelText {
        let words = wordsOf(t, span)
        let w = engine.labels
        var hi = span.lowerBound
        if !occurs(w.stop, w.stopFirst, t, span.lowerBound, span.upperBound),
           UTF8Bytes.scalarCount(t, span.lowerBound, span.upperBound) <= options.maxLabelLength - 2 {
            hi = span.upperBound   // no stop word and short enough: the whole clause rest
        } else {
            // Word by word: stop before a stop word that is a whole word, or when too long.
            var b = span.lowerBound
            while b < span.upperBound {
                b += UTF8Bytes.scalar(t, at: b).length
                guard words.contains(b) else { continue }
                let start = hi
                if start < t.count, w.stopFirst.contains(UTF8Bytes.scalar(t, at: start).value),
                   w.stop.contains(where: { UTF8Bytes.hasBytes(t, $0, at: start) && words.contains(start + $0.count) }) { break }
                if UTF8Bytes.scalarCount(t, span.lowerBound, b) > options.maxLabelLength - 2 { break }
                hi = b
            }
        }
        // Linking verbs at the end carry no name: 41笔总金额达 -> 总金额 (never the whole label).
        while dropLinkWord(t, words, end: &hi, floor: span.lowerBound + 1) {}
        return cleaned(t, span.lowerBound, hi)
    }

    /// Drops one linking word of labels.tsv (达, 为 …) that ends at `end` and stands as a word
    /// of its own, if it starts at or after `floor`; true when one was dropped.
    private func dropLinkWord(_ t: UnsafeBufferPointer<UInt8>, _ words: LazyBoundaries, end: inout Int, floor: Int) -> Bool {
        guard end > floor, let p = UTF8Bytes.previousStart(t, before: end), engine.labels.linkLast.contains(UTF8Bytes.scalar(t, at: p).value) else { return false }
        for word in engine.labels.link where end - word.count >= floor
            && UTF8Bytes.hasBytes(t, word, at: end - word.count) && words.contains(end - word.count) {
            end -= word.count
            return true
        }
        return false
    }

    /// Quotes, spaces and brackets carry no meaning in a label.
    func isIgnorable(_ s: UInt32) -> Bool {
        UTF8Bytes.isSpace(s) || isQuote(s) || s == 0x27
    }

    /// Quote marks a label never keeps: “ ” ‘ ’ 「 」 『 』 and the ASCII double quote.
    func isQuote(_ s: UInt32) -> Bool {
        UTF8Bytes.isOpeningQuote(s) || UTF8Bytes.isClosingQuote(s) || s == 0x22
    }

    /// The label text without quote marks, unbalanced brackets and surrounding spaces:
    /// 地区生产总值（GDP） keeps its brackets, （ alone is dropped.
    func cleaned(_ t: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> LabelText {
        guard lo < hi else { return .span(ByteSpan(lo, lo)) }
        func isOpen(_ s: UInt32) -> Bool { s == 0x28 || s == 0xFF08 || s == 0x3010 }
        func isClose(_ s: UInt32) -> Bool { s == 0x29 || s == 0xFF09 || s == 0x3011 }
        var depth = 0, balanced = true, hasQuote = false
        var i = lo
        while i < hi {
            // Brackets and quotes are ASCII or led by E2 (“”‘’), E3 (「」『』【】) or EF (（）):
            // other bytes (continuations included) are passed one by one undecoded.
            let b = t[i]
            if b < 0x80 {
                if b == 0x28 { depth += 1 } else if b == 0x29 { depth -= 1; if depth < 0 { balanced = false } } else if b == 0x22 { hasQuote = true }
                i += 1
            } else if b == 0xE2 || b == 0xE3 || b == 0xEF {
                let (s, len) = UTF8Bytes.scalar(t, at: i)
                if isOpen(s) { depth += 1 } else if isClose(s) { depth -= 1; if depth < 0 { balanced = false } }
                hasQuote = hasQuote || isQuote(s)
                i += len
            } else {
                i += 1
            }
        }
        balanced = balanced && depth == 0
        func kept(_ s: UInt32) -> Bool { !(isQuote(s) || (!balanced && (isOpen(s) || isClose(s)))) }
        // Trim whitespace (and characters dropped anyway) at both ends, on the bytes.
        var a = lo, b = hi
        while a < b { let (s, len) = UTF8Bytes.scalar(t, at: a); if UTF8Bytes.isWhitespace(s) || !kept(s) { a += len } else { break } }
        while b > a, let p = UTF8Bytes.previousStart(t, before: b) {
            let s = UTF8Bytes.scalar(t, at: p).value
            if UTF8Bytes.isWhitespace(s) || !kept(s) { b = p } else { break }
        }
        if !hasQuote && balanced { return .span(ByteSpan(a, b)) }   // the usual case: a view, no copy
        labelScratch.removeAll()
        i = a
        while i < b {
            let (s, len) = UTF8Bytes.scalar(t, at: i)
            if kept(s) { labelScratch.append(UnsafeBufferPointer(rebasing: t[i..<(i + len)])) }
            i += len
        }
        return .scratch
    }

    /// The bytes of `label`: a view of the chunk, or of the scratch (valid until the next label).
    func bytes(of label: LabelText, in t: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        switch label {
        case .span(let span): return t.slice(span)
        case .scratch: return labelScratch.bytes
        }
    }
}

/// A label's text: a span of the chunk, or (when quote marks or unbalanced brackets had to
/// be dropped) the bytes left in the extractor's `labelScratch`.
enum LabelText {
    case span(ByteSpan)
    case scratch

    func isEmpty(in extractor: Extractor) -> Bool {
        switch self {
        case .span(let s): return s.isEmpty
        case .scratch: return extractor.labelScratch.bytes.isEmpty
        }
    }
}

/// Word boundaries of a label window, answered one place at a time: from the two
/// characters around the place when ICU's rules fix the answer (a Han character beside
/// punctuation, a digit or a Latin letter), else from ICU's boundaries of the whole window,
/// computed once when first needed and kept as one bit per byte of the window. One per
/// extractor, reset for each label, so a label costs no allocation here.
final class LazyBoundaries {
    /// ICU's boundaries of recent windows, by their bytes (the finder is the extractor's).
    private var memo: BoundaryMemo?
    private var text = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var span = ByteSpan(0, 0)
    private var computed = false
    /// Bit `i` set: `span.lowerBound + i` is one of ICU's boundaries (valid once `computed`).
    private var bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 16)
    private var bitWords = 16
    /// ICU's boundaries of a window when the memo is bypassed.
    private var scratch: [Int] = []
    /// False: every window goes to ICU (no byte rule, no memo): the reference the shortcuts
    /// are tested against.
    var usesShortcuts = true
    /// True: every answer of the byte rule is also asked of ICU, and disagreements counted.
    var checksByteRule = false
    /// Disagreements found while `checksByteRule` (0 unless the byte rule is wrong).
    private(set) var disagreements = 0
    /// Answers given by the byte rule, and windows given to ICU, since the extractor began.
    private(set) var answeredByBytes = 0
    private(set) var windowsSegmented = 0

    deinit { bits.deallocate() }

    func reset(finder: BoundaryFinder, text: UnsafeBufferPointer<UInt8>, span: ByteSpan) {
        if memo?.finder !== finder { memo = BoundaryMemo(finder) }
        self.text = text
        self.span = span
        computed = false
    }

    /// True when `offset` (absolute) is a word boundary of the window; its two ends are.
    func contains(_ offset: Int) -> Bool {
        if offset <= span.lowerBound || offset >= span.upperBound { return offset == span.lowerBound || offset == span.upperBound }
        if !computed || checksByteRule, usesShortcuts, let known = Self.byteRule(text, offset) {
            answeredByBytes += 1
            if checksByteRule, known != segmented(offset) { disagreements += 1 }
            return known
        }
        return segmented(offset)
    }

    /// ICU's answer for `offset`, strictly inside the window.
    @inline(__always)
    private func segmented(_ offset: Int) -> Bool {
        if !computed { compute() }
        let i = offset - span.lowerBound
        return bits[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// ICU's boundaries of the window into `bits` (only its two ends when ICU fails).
    private func compute() {
        computed = true
        let count = span.upperBound - span.lowerBound
        let words = count / 64 + 1
        if words > bitWords {
            bits.deallocate()
            bitWords = max(words, bitWords * 2)
            bits = .allocate(capacity: bitWords)
        }
        bits.update(repeating: 0, count: words)
        let window = UnsafeBufferPointer(rebasing: text[span.lowerBound..<span.upperBound])
        if count > 0, let memo, (try? segment(window, memo)) != nil { return }
        bits.update(repeating: 0, count: words)
        bits[0] |= 1
        bits[count >> 6] |= 1 << UInt64(count & 63)
    }

    private func segment(_ window: UnsafeBufferPointer<UInt8>, _ memo: BoundaryMemo) throws(ZhibiaoError) {
        if usesShortcuts {
            let before = memo.misses
            try memo.markBoundaries(of: window, in: bits)
            if memo.misses > before { windowsSegmented += 1 }
        } else {
            try memo.finder.attach(window)
            memo.finder.allBoundaries(into: &scratch)
            for b in scratch { bits[b >> 6] |= 1 << UInt64(b & 63) }
            windowsSegmented += 1
        }
    }

    /// The boundary at `i` (strictly inside the window) when the characters on either side
    /// decide it whatever the rest of the window holds; nil when only ICU can tell.
    ///
    /// ICU joins CJK ideographs into one run that its dictionary then divides (so a place
    /// between two of them needs ICU), and never joins an ideograph to a character outside
    /// the dictionary scripts that is not a combining mark, a format character or a joiner
    /// (UAX #29's rules join letters, digits and their middle punctuation only among
    /// themselves). So a CJK unified ideograph next to one of `isPlainNeighbour` is always a
    /// boundary.
    @inline(__always)
    static func byteRule(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool? {
        if UTF8Bytes.isContinuation(t[i]) { return false }
        guard let p = UTF8Bytes.previousStart(t, before: i) else { return nil }
        let a = UTF8Bytes.scalar(t, at: p).value, b = UTF8Bytes.scalar(t, at: i).value
        if (isIdeograph(a) && isPlainNeighbour(b)) || (isPlainNeighbour(a) && isIdeograph(b)) { return true }
        return nil
    }

    /// CJK Unified Ideographs (U+4E00–U+9FFF): Han, Ideographic, no Word_Break class of
    /// their own; ICU hands runs of them to its Chinese dictionary.
    @inline(__always)
    static func isIdeograph(_ s: UInt32) -> Bool { s >= 0x4E00 && s <= 0x9FFF }

    /// Characters that never join an ideograph in ICU's word rules: printable ASCII, the
    /// full-width forms of ASCII (U+FF01–U+FF5E), CJK brackets and punctuation (、。〃 and
    /// U+3008–U+3011, U+3014–U+301F) and general punctuation U+2010–U+2027 (dashes, quotes,
    /// ellipsis). None is a combining mark, format character, joiner, emoji, kana or Hangul.
    @inline(__always)
    static func isPlainNeighbour(_ s: UInt32) -> Bool {
        if s < 0x80 { return s >= 0x20 && s < 0x7F }
        switch s {
        case 0xFF01...0xFF5E, 0x3001...0x3003, 0x3008...0x3011, 0x3014...0x301F, 0x2010...0x2027: return true
        default: return false
        }
    }
}

/// The characters that begin (or end) the words of a list, one bit each: most places in a
/// label begin no listed word, and one test tells so before the words are compared.
struct ScalarFilter: Sendable {
    /// One bit per BMP scalar; the characters beyond the BMP share bit 0xFFFF.
    private let bits: [UInt64]

    init(_ words: [String], last: Bool) {
        var bits = [UInt64](repeating: 0, count: 1024)
        for word in words {
            guard let s = last ? word.unicodeScalars.last : word.unicodeScalars.first else { continue }
            let bit = Int(min(s.value, 0xFFFF))
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.bits = bits
    }

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        let bit = Int(min(scalar, 0xFFFF))
        return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }
}

/// A growable byte buffer whose memory the owner keeps for its whole life, so that views of
/// it (`bytes`) can be handed on without a copy or a closure; one per extractor.
final class ScratchBytes {
    private var storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    private var count = 0

    deinit { storage.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: storage[..<count]) }

    func removeAll() { count = 0 }

    /// Keeps the first `n` bytes (a character boundary), when there are more.
    func keepFirst(_ n: Int) { count = min(count, max(0, n)) }

    func append(_ piece: UnsafeBufferPointer<UInt8>) {
        if count + piece.count > storage.count {
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(storage.count * 2, count + piece.count))
            _ = bigger.initialize(from: storage[..<count])
            storage.deallocate()
            storage = bigger
        }
        if let from = piece.baseAddress, let to = storage.baseAddress { (to + count).update(from: from, count: piece.count) }
        count += piece.count
    }
}
