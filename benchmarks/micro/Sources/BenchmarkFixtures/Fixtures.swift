// Inputs shared by the benchmark groups, built from the repository's reference report.

import Benchmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Fixtures {
    /// The repository root, found from this file's path (benchmarks/micro/Sources/BenchmarkFixtures/).
    public static let repositoryRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(5)
        return parts.joined(separator: "/")
    }()

    /// `corpus/000_34359a9591d34247.txt`, the hand-annotated reference report (13.8 kB).
    public static let report: [UInt8] = read(repositoryRoot + "/corpus/000_34359a9591d34247.txt")

    /// The reference report `copies` times, each copy followed by a newline (as the macro
    /// benchmark's ref-*.txt files).
    public static func reportTimes(_ copies: Int) -> [UInt8] {
        var unit = report
        while unit.last == 0x0A { unit.removeLast() }
        unit.append(0x0A)
        var out: [UInt8] = []
        out.reserveCapacity(unit.count * copies)
        for _ in 0..<copies { out += unit }
        return out
    }

    /// Text where every quantity has a long indicator name before it (or a noun after its
    /// classifier), `lines` lines of 12 clauses, from a fixed sequence: the label stage's worst
    /// ordinary case. With `labels: false` the same quantities with the names left out.
    public static func labelHeavy(lines: Int, labels: Bool = true) -> [UInt8] {
        let before = ["全区法律援助案件受理数量", "行政复议案件纠错率", "重大行政决策合法性审查通过率",
                      "规范性文件备案审查数量", "政务服务事项网上可办率", "基层法律服务工作者人数",
                      "涉企行政执法检查次数", "人民调解组织调解成功率", "公共法律服务热线接听量"]
        let after = ["法律顾问", "公职律师", "调解员", "行政执法人员", "村居法律顾问"]
        let amounts = ["806宗", "99.69%", "2004.5万元", "2.72亿元", "18000余人次", "96.31%", "1.5万件", "320家"]
        var seed: UInt32 = 20_240_601
        var text = ""
        for _ in 0..<lines {
            var clauses: [String] = []
            for _ in 0..<12 {
                seed = seed &* 1_103_515_245 &+ 12_345
                let r = Int(seed >> 8)
                if r % 3 == 0 {
                    clauses.append("配备\(r % 90 + 10)名" + (labels ? after[r % after.count] : ""))
                } else {
                    clauses.append((labels ? before[r % before.count] + "达到" : "达到") + amounts[(r >> 5) % amounts.count])
                }
            }
            text += clauses.joined(separator: "，") + "。\n"
        }
        return Array(text.utf8)
    }

    /// Input (or output) bytes per second of one iteration, recorded with `record`.
    public static let bytesPerSecond = BenchmarkMetric.custom("bytes/s", polarity: .prefersLarger, useScalingFactor: false)

    public static func record(_ benchmark: Benchmark, bytes: Int, since start: ContinuousClock.Instant) {
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        if seconds > 0 { benchmark.measurement(bytesPerSecond, Int(Double(bytes) / seconds)) }
    }

    static func read(_ path: String) -> [UInt8] {
        guard let f = fopen(path, "rb") else { fatalError("cannot open \(path)") }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }
}
