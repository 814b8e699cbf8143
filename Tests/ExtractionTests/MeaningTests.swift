// The annotators of issue 11 on short texts: role and direction, targets (cues and sections),
// periods, and labels after a verb of change.
@testable import Extraction
import Foundation
import PatternCatalog
import Testing
import ZhibiaoCore

@Suite struct MeaningTests {
    /// 下降0.3% and 增长0.3% were the same row: now the direction tells them apart.
    @Test func aFallIsToldFromARise() throws {
        let rows = try extract("居民消费价格上涨0.3%，工业生产者出厂价格下降0.3%。")
        #expect(rows.map(\.meaning.role) == [.change, .change])
        #expect(rows.map(\.meaning.direction) == [.up, .down])
        #expect(rows.map(\.label) == ["居民消费价格", "工业生产者出厂价格"])
    }

    @Test func aMovementHasTwoEndsWithOneDirection() throws {
        let rows = try extract("平均时限从5天缩短至2天，城镇化率从60.2%提高到65.2%，审批时限由30天到12天。")
        #expect(rows.map(\.meaning.role) == [.from, .to, .from, .to, .from, .to])
        // 由30天到12天 says no direction: the two values give it.
        #expect(rows.map(\.meaning.direction) == [.down, .down, .up, .up, .down, .down])
        #expect(rows.map(\.label) == ["平均时限", "平均时限", "城镇化率", "城镇化率", "审批时限", "审批时限"])
    }

    /// The name is carried to the next clause of the same sentence, never to the next sentence.
    @Test func theNameIsCarriedWithinItsSentenceOnly() throws {
        let rows = try extract("地区生产总值13778.34亿元，比上年增长5.3%。比上年增长2%。")
        #expect(rows.map(\.label) == ["地区生产总值", "地区生产总值", ""])
    }

    @Test func targetCuesMarkTheFiguresAfterThem() throws {
        let rows = try extract("国内生产总值增长8.1%。今年主要预期目标是：国内生产总值增长5.5%左右；城镇调查失业率控制在5.5%以内。")
        #expect(rows.map(\.meaning.target) == [false, true, true])
        // 主要 holds 要 but is no cue.
        #expect(try extract("主要农产品产量增长3%").map(\.meaning.target) == [false])
    }

    /// A numbered heading with a section word of targets.tsv makes a section of targets, up to
    /// the next numbered heading.
    @Test func aHeadingOpensASectionOfTargets() throws {
        let text = "一、2021年工作回顾\n粮食产量1.37万亿斤。\n二、2022年经济社会发展总体要求和政策取向\n粮食产量1.3万亿斤以上。\n三、其他事项说明如下\n粮食产量1.4万亿斤。\n"
        let rows = try extract(text)
        #expect(rows.map(\.match) == ["1.37万亿斤", "1.3万亿斤以上", "1.4万亿斤"])
        #expect(rows.map(\.meaning.target) == [false, true, false])
    }

    @Test func thePeriodIsTheNearestInTheClauseElseTheSentencesFirst() throws {
        let rows = try extract("今年发展主要预期目标是：城镇调查失业率全年控制在5.5%以内；居民消费价格涨幅3%左右。比上年增长2%。")
        #expect(rows.map(\.period) == ["全年", "今年", ""])
    }

    /// A duration used as a period is a row only when every kind is asked for.
    @Test func aPeriodSpanIsNoIndicatorByDefault() throws {
        let text = "过去五年粮食产量增长2%"
        #expect(try extract(text).map(\.match) == ["2%"])
        #expect(try extract(text).map(\.period) == ["过去五年"])
        #expect(try extract(text, kinds: Set(Kind.allCases)).map(\.match) == ["五年", "2%"])
    }

    /// A structure ratio is one row per part, kind ratio, each named after the structure;
    /// two numbers with a colon (a time, a score) are not a structure.
    @Test func aStructureRatioIsOneRowPerPart() throws {
        let rows = try extract("三次产业结构为2.0︰50.5︰47.5，比分2：1。")
        #expect(rows.map(\.match) == ["2.0", "50.5", "47.5"])
        #expect(rows.allSatisfy { $0.quantity.kind == .ratio && $0.label == "三次产业结构" })
    }
}
