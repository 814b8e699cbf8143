import Glibc
@testable import Segmentation
import Testing

// No Foundation here: a test target that sees both Foundation's ICU and the system ICU
// behind Segmentation does not compile (see the README's notes on ICU).

/// The names in a folder, sorted.
func fileNames(in folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// A file's bytes, or nil when it cannot be read.
func contents(of path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        out += buffer[..<n]
    }
    return out
}

@Suite struct SentenceRuleTests {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// Boundaries of `text` by the byte rule (nil when it leaves the text to ICU) and by ICU.
    func both(_ text: String) throws -> (rule: [Int]?, icu: [Int]) {
        let icu = try BoundaryFinder(.sentence)
        let rule = SentenceRule()
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buf in
            try icu.attach(buf)
            var out = [7, 7]
            return (rule.boundaries(buf, into: &out) ? out : nil, icu.allBoundaries())
        }
    }

    /// The cases the rules name: terminals, closing quotes after them, spaces, commas after a
    /// terminal (SB8a), line ends, a decimal point (SB6); an abbreviation dot goes to ICU.
    @Test func agreesWithICUOnTheRules() throws {
        for text in ["今天下雨了。你去吗？太好了！", "他说：“好。”然后走了。", "增长5.2%。下降0.3%！", "第一项；第二项。",
                     "完成。 \u{3000}下一句", "真的？！是的", "好。，还有", "一行\n二行\r\n三行\r四行", "（注。）后文",
                     "金额99.69万元。", "……结束"] {
            let (rule, icu) = try both(text)
            #expect(rule == icu, "\(text)")
        }
        #expect(try both("Co. Ltd 成立").rule == nil)
        #expect(try both("共计2.5亿元.此后").rule == nil)
    }

    /// Every line of the real documents in the fixtures and of corpus/: wherever the rule
    /// decides, it gives exactly ICU's boundaries; and it decides almost every line.
    @Test func agreesWithICUOnRealLines() throws {
        var files: [String] = []
        for folder in ["/Tests/Fixtures/corpus-slice/input", "/corpus"] {
            let path = Self.root + folder
            for name in fileNames(in: path) where name.hasSuffix(".txt") {
                files.append(path + "/" + name)
            }
        }
        var decided = 0, lines = 0
        for file in files {
            guard let bytes = contents(of: file), let text = String(validating: bytes, as: UTF8.self) else { continue }   // GB18030 ones
            for line in text.split(separator: "\n") {
                lines += 1
                let (rule, icu) = try both(String(line))
                guard let rule else { continue }
                decided += 1
                #expect(rule == icu, "\(file): \(line.prefix(60))")
            }
        }
        #expect(lines > 1000)
        #expect(Double(decided) / Double(lines) > 0.9)
    }
}

@Suite struct SentenceRuleSkipTests {
    /// The rule steps over U+4000–U+9FFF in mid-sentence without a lookup: ICU must class
    /// none of them as a terminal, a separator, a line end, an extending or a format character.
    @Test func ideographRangeHoldsNoSentenceMark() {
        let rule = SentenceRule()
        let marks: [SentenceRule.Class] = [.sTerm, .aTerm, .sep, .cr, .lf, .extend, .format]
        let offenders = (UInt32(0x4000)...0x9FFF).filter { marks.contains(rule.classOf($0)) }
        #expect(offenders.isEmpty)
    }

    /// Ideographs around every kind of terminal, space and line end: the same boundaries
    /// with the step-over as the plain rule gives character by character (`ICU's` is the
    /// reference for the plain rule, checked over documents elsewhere in this file).
    @Test func boundariesAroundIdeographsAreICUs() throws {
        let text = "今年受理纠纷972宗。成功调处969宗！\n“好吗？”他问。  下一句\r\n再一句…又一句⁉结束"
        let bytes = Array(text.utf8)
        let finder = try BoundaryFinder(.sentence)
        let rule = SentenceRule()
        var byRule: [Int] = []
        try bytes.withUnsafeBufferPointer { t in
            #expect(rule.boundaries(t, into: &byRule))
            try finder.attach(t)
            #expect(byRule == finder.allBoundaries())
        }
    }
}
