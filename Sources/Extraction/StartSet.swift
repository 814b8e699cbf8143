import PCRE2Matching
import ZhibiaoCore

/// The characters a quantity can begin with, as a bitmap over the Basic Multilingual Plane,
/// built once per run by testing every BMP character against the `@start` class of
/// quantity.pcre with PCRE2 itself (so the class syntax is PCRE2's, not re-implemented).
///
/// The scan uses it as a prefilter: the anchored pattern is tried only where a start
/// character stands. Characters outside the BMP are always tried.
struct StartSet: Sendable {
    private var bits = [UInt64](repeating: 0, count: 65536 / 64)

    init(startClass: String) throws(ZhibiaoError) {
        let probe = try CompiledPattern("(?:\(startClass))\\z", options: [.anchored])
        let scratch = MatchScratch(probe)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }   // surrogates
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: String(scalar).utf8)
            let hit = try bytes.withUnsafeBufferPointer { buf throws(ZhibiaoError) in try scratch.firstMatch(in: buf, from: 0) != nil }
            if hit { bits[Int(value >> 6)] |= 1 << UInt64(value & 63) }
        }
    }

    @inline(__always)
    func contains(_ value: UInt32) -> Bool {
        value > 0xFFFF || bits[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
    }
}
