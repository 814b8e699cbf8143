internal import CICU
import ZhibiaoCore

/// ICU sentence or word boundaries over UTF-8 bytes, without converting to UTF-16.
///
/// The text is attached with `utext_openUTF8`, so every offset in and out is a UTF-8
/// byte offset relative to the attached buffer. One finder is reused for many small
/// windows (a line around a match, a clause before it): ICU word breaking runs at only
/// a few MB/s, so it is never run over a whole document. Not thread-safe: one per worker.
///
/// This module must stay free of Foundation (Foundation carries its own ICU, and the two
/// sets of headers cannot meet in one module); no ICU type appears in its API.
public final class BoundaryFinder {
    /// What the boundaries delimit.
    public enum Unit: Sendable { case sentence, word }

    /// The unit of this finder.
    public let unit: Unit
    private let iterator: OpaquePointer
    private var text: UnsafeMutablePointer<UText>?
    private var attachedCount = 0

    /// Opens an ICU break iterator (root rules, which already segment Han with ICU's CJ dictionary).
    /// The corresponding ICU function is `ubrk_open`.
    public init(_ unit: Unit) throws(ZhibiaoError) {
        self.unit = unit
        var status = U_ZERO_ERROR
        let type = unit == .sentence ? UBRK_SENTENCE : UBRK_WORD
        guard let bi = cicu_ubrk_open(type, "zh", &status), status.rawValue <= U_ZERO_ERROR.rawValue else {
            throw ZhibiaoError(.engine, "ICU could not open a \(unit) break iterator: \(String(cString: cicu_errorName(status)))")
        }
        iterator = bi
    }

    deinit {
        cicu_ubrk_close(iterator)
        if let text { _ = cicu_utext_close(text) }
    }

    /// Attaches `bytes` (valid UTF-8, at most 2 GiB) for the following queries. The buffer must
    /// stay alive and unchanged until the next `attach`.
    public func attach(_ bytes: UnsafeBufferPointer<UInt8>) throws(ZhibiaoError) {
        precondition(bytes.count < Int(Int32.max), "BoundaryFinder windows must be under 2 GiB")
        var status = U_ZERO_ERROR
        let raw = UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        text = cicu_utext_openUTF8(text, raw.assumingMemoryBound(to: CChar.self), Int64(bytes.count), &status)
        guard status.rawValue <= U_ZERO_ERROR.rawValue else {
            throw ZhibiaoError(.engine, "ICU could not attach text: \(String(cString: cicu_errorName(status)))")
        }
        cicu_ubrk_setUText(iterator, text, &status)
        guard status.rawValue <= U_ZERO_ERROR.rawValue else {
            throw ZhibiaoError(.engine, "ICU could not attach text: \(String(cString: cicu_errorName(status)))")
        }
        attachedCount = bytes.count
    }

    /// The last boundary at or before `offset` (0 when there is none).
    public func boundary(atOrBefore offset: Int) -> Int {
        if offset <= 0 { return 0 }
        if offset >= attachedCount { return attachedCount }
        if cicu_ubrk_isBoundary(iterator, Int32(offset)) != 0 { return offset }
        let b = cicu_ubrk_preceding(iterator, Int32(offset))
        return b < 0 ? 0 : Int(b)
    }

    /// The first boundary after `offset` (the attached length when there is none).
    public func boundary(after offset: Int) -> Int {
        if offset >= attachedCount { return attachedCount }
        let b = cicu_ubrk_following(iterator, Int32(max(0, offset)))
        return b < 0 ? attachedCount : Int(b)
    }

    /// All boundaries of the attached text, in order, including 0 and the end.
    public func allBoundaries() -> [Int] {
        var out: [Int] = []
        allBoundaries(into: &out)
        return out
    }

    /// All boundaries of the attached text into `out` (emptied first, its storage kept):
    /// one forward pass, far cheaper than random-access `boundary(atOrBefore:)` calls,
    /// which make ICU rebuild its cache around each offset.
    public func allBoundaries(into out: inout [Int]) {
        out.removeAll(keepingCapacity: true)
        var b = cicu_ubrk_first(iterator)
        while b >= 0 { out.append(Int(b)); b = cicu_ubrk_next(iterator) }
    }
}
