import PatternCatalog
import ZhibiaoCore

/// Annotator: the period a figure refers to, as written in its sentence (periods.tsv):
/// period words (全年, 年末, 今年以来, 一季度), a year with what extends it (2024年,
/// 2024年以来, 2019年末), a duration used as a period (过去五年, 一年来) and a plan's name
/// with 时期/期间 (“十三五”时期). Comparisons that hold such a word (比上年) are passed over.
/// Durations that only name a period, and those that are rhetoric or part of a name
/// (成立一百年, 九年义务教育, 三年行动), are listed in `periodDurations`: no rows by default.
/// A figure takes the nearest period before it in the sentence, else the first after it.
/// The periods of a sentence are found once, for all of its rows.
extension Extractor {
    /// Fills `periodSpans` (sorted by start) and `periodDurations` (indices of the duration
    /// mentions used as periods) for `sentence`, which holds mention `index`. The same pass
    /// finds the sentence's first target cue (Annotators/Target.swift), returned.
    func findPeriods(in sentence: ByteSpan, around index: Int, of mentions: [Mention], text t: UnsafeBufferPointer<UInt8>) -> Int? {
        periodSpans.removeAll(keepingCapacity: true)
        periodDurations.removeAll(keepingCapacity: true)
        var firstCue: Int?
        let words = engine.sentenceWords
        var i = sentence.lowerBound
        while i < sentence.upperBound {
            let (s, step) = UTF8Bytes.scalar(t, at: i)
            if words.mayBegin(s), let (word, length) = words.longestStarting(in: t, at: i, limit: sentence.upperBound) {
                if firstCue == nil, word.target == .cue { firstCue = i }
                switch word.period {
                case .word: periodSpans.append(ByteSpan(i, i + length))
                case .plan:
                    // “十三五”时期: the quotes around the name, then 时期/期间 (after_year words).
                    var lo = i, hi = i + length
                    if let p = UTF8Bytes.previousStart(t, before: lo), p >= sentence.lowerBound,
                       isQuote(UTF8Bytes.scalar(t, at: p).value) { lo = p }
                    if hi < sentence.upperBound, isQuote(UTF8Bytes.scalar(t, at: hi).value) { hi += UTF8Bytes.scalar(t, at: hi).length }
                    if let (_, more) = engine.periodAfterYear.longestStarting(in: t, at: hi, limit: sentence.upperBound) {
                        periodSpans.append(ByteSpan(lo, hi + more))
                    }
                default: break
                }
                i += length
                continue
            }
            i += step
        }
        // Years and durations among the mentions of the sentence.
        var first = index
        while first > 0, mentions[first - 1].span.lowerBound >= sentence.lowerBound { first -= 1 }
        var j = first
        while j < mentions.count, mentions[j].span.upperBound <= sentence.upperBound {
            // The fields read in place (a whole Mention copied is a dozen retains).
            let span = mentions[j].span, kind = mentions[j].reading.quantity.kind
            defer { j += 1 }
            // A date held by a trap word (12月份) still names a period.
            guard mentions[j].keep || kind == .date else { continue }
            switch kind {
            case .date where mentions[j].reading.quantity.unit == "月"
                && (j == 0 || mentions[j - 1].span.upperBound != span.lowerBound):
                // A month on its own (12月份, 1-11月): 份 and the after_year words extend it.
                var hi = span.upperBound
                if hi < sentence.upperBound, UTF8Bytes.scalar(t, at: hi).value == 0x4EFD { hi += 3 }   // 份
                if let (_, more) = engine.periodAfterYear.longestStarting(in: t, at: hi, limit: sentence.upperBound) { hi += more }
                periodSpans.append(ByteSpan(span.lowerBound, hi))
            case .year:
                // 2024年, 2024年12月, 2024年以来, 2019年末.
                var hi = span.upperBound
                var k = j + 1
                while k < mentions.count, mentions[k].reading.quantity.kind == .date, mentions[k].span.lowerBound == hi {
                    hi = mentions[k].span.upperBound   // 2019年12月31日
                    k += 1
                }
                if let (_, more) = engine.periodAfterYear.longestStarting(in: t, at: hi, limit: sentence.upperBound) { hi += more }
                periodSpans.append(ByteSpan(span.lowerBound, hi))
            case _ where kind == .duration || (kind == .number && mentions[j].reading.quantity.unit == "年"):   // 一年来: 一 read as an article
                var lo = span.lowerBound, hi = span.upperBound
                // 成立一百年, 九年义务教育, 三年行动, 五千多年历史: rhetoric or a name, no period.
                if engine.rhetoricBefore.longestEnding(in: t, at: lo, floor: sentence.lowerBound) != nil
                    || engine.rhetoricAfter.longestStarting(in: t, at: hi, limit: sentence.upperBound) != nil {
                    periodDurations.append(j)
                    continue
                }
                var isPeriod = false
                if let (_, more) = engine.periodSpanBefore.longestEnding(in: t, at: lo, floor: sentence.lowerBound) { lo -= more; isPeriod = true }
                // 近五年: the word may be read as the match's qualifier.
                else if engine.periodSpanBefore.longestEnding(in: t, at: mentions[j].numberStart, floor: lo) != nil { isPeriod = true }
                if let (_, more) = engine.periodSpanAfter.longestStarting(in: t, at: hi, limit: sentence.upperBound) { hi += more; isPeriod = true }
                if isPeriod {
                    periodSpans.append(ByteSpan(lo, hi))
                    periodDurations.append(j)
                }
            default: break
            }
        }
        if periodSpans.count > 1 {
            periodSpans.sort { $0.lowerBound < $1.lowerBound || ($0.lowerBound == $1.lowerBound && $0.upperBound > $1.upperBound) }
        }
        return firstCue
    }

    /// The period of a figure at `span`: the nearest of `periodSpans` before it in its own
    /// clause (the longest when two end together); else the nearest before it that opens a
    /// clause, which speaks for the clauses after it (年末农业机械总动力552.3万千瓦，全年第一产业
    /// 用电量5.08亿千瓦时，农村居民生活用电量23.86亿千瓦时: 全年 for the last); else the sentence's
    /// first (预计今年…，支出规模比去年扩大2万亿元); else the first after it; nil when none.
    /// A period inside another clause (失业率全年控制在…；居民消费价格涨幅3%) speaks for that clause only.
    func period(for span: ByteSpan, in t: UnsafeBufferPointer<UInt8>, sentence: ByteSpan) -> ByteSpan? {
        var best: ByteSpan?
        for p in periodSpans where p.upperBound <= span.lowerBound {
            if best == nil || p.upperBound > best!.upperBound || (p.upperBound == best!.upperBound && p.lowerBound < best!.lowerBound) { best = p }
        }
        if let nearest = best {
            var i = nearest.upperBound
            while i < span.lowerBound {
                let (s, length) = UTF8Bytes.scalar(t, at: i)
                if s != 0x3001, UTF8Bytes.isClauseDelimiter(s) {
                    for p in periodSpans.reversed() where p.upperBound <= span.lowerBound && opensClause(p, t, sentence) { return p }
                    return periodSpans.first   // sorted: the sentence's first
                }
                i += length
            }
            return nearest
        }
        return periodSpans.first { $0.lowerBound >= span.upperBound }
    }
}

extension Extractor {
    /// True when `p` stands at the start of its sentence or clause, at most two characters
    /// after the delimiter (其中，全年…; 预计今年…).
    func opensClause(_ p: ByteSpan, _ t: UnsafeBufferPointer<UInt8>, _ sentence: ByteSpan) -> Bool {
        var i = p.lowerBound
        for _ in 0..<3 {
            guard i > sentence.lowerBound, let q = UTF8Bytes.previousStart(t, before: i) else { return true }
            let s = UTF8Bytes.scalar(t, at: q).value
            if s != 0x3001, UTF8Bytes.isClauseDelimiter(s) { return true }
            i = q
        }
        return false
    }
}
