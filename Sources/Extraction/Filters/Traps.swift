import ZhibiaoCore

/// Filter: numbers inside a word of traps.tsv are not quantities (一次性, 三中全会, 两部分).
extension Extractor {
    /// True when the number starting at `start` lies inside a word of traps.tsv (一次性, 三中全会).
    /// A trap that begins inside the match itself, before the number, does not count:
    /// 之一 is a trap, but 百分之一 is a percentage.
    func isInsideTrap(_ t: UnsafeBufferPointer<UInt8>, _ start: Int, matchStart: Int) -> Bool {
        engine.traps.covers(start, in: t, excluding: matchStart..<start)
    }

    /// True when a trap word starts where the unit starts and runs past the match:
    /// 两部分 (部 begins 部分), 三次产业, 80年代.
    func startsTrap(_ t: UnsafeBufferPointer<UInt8>, at unitStart: Int?, beyond end: Int) -> Bool {
        guard let unitStart else { return false }
        return engine.traps.startsWord(at: unitStart, runningPast: end, in: t)
    }
}
