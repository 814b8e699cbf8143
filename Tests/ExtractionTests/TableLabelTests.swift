// Table labels are bounded: a row header can be a whole clause (the PSBC report's capital
// tables), and every figure of the row repeats it.
import Extraction
import PatternCatalog
import Testing
import ZhibiaoCore

@Suite struct TableLabelTests {
    @Test func aLongRowNameIsCutToFourTimesTheLabelLength() throws {
        let name = String(repeating: "除上述各项之外的其他营业外收入和支出", count: 10)   // 180 characters
        let text = "单位：元\n项目\t2019年\t2018年\n\(name)\t1,000.00\t800.00\n营业收入\t5.00\t4.00\n"
        let extractor = try Extractor(engine: try ExtractionEngine(catalog: try PatternCatalog()))
        let rows = try Array(text.utf8).withUnsafeBufferPointer { try extractor.extract($0) }
        #expect(rows.count == 4)
        #expect(rows[0].label == String(name.prefix(48)))
        #expect(rows[0].quantity.unit == "元" && rows[0].period == "2019年" && rows[0].table == 2)
        #expect(rows[2].label == "营业收入")
        let small = try Extractor(engine: extractor.engine, options: ExtractionOptions(maxLabelLength: 3))
        let cut = try Array(text.utf8).withUnsafeBufferPointer { try small.extract($0) }
        #expect(cut[0].label == String(name.prefix(12)) && cut[2].label == "营业收入")
    }
}
