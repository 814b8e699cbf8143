internal import CICU
import ZhibiaoCore

/// Decodes one document block by block into valid UTF-8, whatever the block borders are:
/// a UTF-8 sequence cut by a border is carried to the next block, and the ICU converters
/// (GB18030, UTF-16) stay open across blocks and are flushed only at the end.
///
/// Invalid or unmappable input becomes one U+FFFD per bad sequence (the "maximal subpart"
/// rule of Unicode §3.9 for UTF-8), counted in `replacements`; so splitting the same bytes
/// differently always gives the same text, and lines and columns never shift.
public final class StreamingDecoder {
    /// The encoding decoded from.
    public let encoding: TextEncoding
    /// Invalid byte sequences replaced so far.
    public var replacements: Int { encoding == .utf8 ? utf8Replacements : Int(icuCount.pointee) }

    // UTF-8: the valid but incomplete sequence at the end of the last block.
    private var carry: [UInt8] = []
    private var utf8Replacements = 0

    // ICU: source converter (UConverter*), UTF-8 target converter, the pivot buffer and its
    // state, kept between calls as ucnv_convertEx requires when `reset` is false.
    private var source: OpaquePointer?
    private var target: OpaquePointer?
    private let pivot: UnsafeMutablePointer<UInt16>
    private let pivotCapacity = 4096
    private var pivotSource = 0
    private var pivotTarget = 0
    private var started = false
    private var finished = false
    private let icuCount: UnsafeMutablePointer<Int64>
    private var scratch: [UInt8] = []

    /// A decoder from `encoding` to UTF-8.
    /// - Throws: `ZhibiaoError(.engine)` when ICU has no converter for it.
    public init(_ encoding: TextEncoding) throws(ZhibiaoError) {
        self.encoding = encoding
        pivot = .allocate(capacity: pivotCapacity)
        icuCount = .allocate(capacity: 1)
        icuCount.initialize(to: 0)
        guard encoding != .utf8 else { return }
        var status = U_ZERO_ERROR
        source = cicu_ucnv_open(encoding.icuName, &status)
        guard source != nil, status.rawValue <= U_ZERO_ERROR.rawValue else {
            throw ZhibiaoError(.decoding, "ICU has no \(encoding.icuName) converter: \(String(cString: cicu_errorName(status)))")
        }
        cicu_ucnv_setCountingToU(source, icuCount, &status)
        target = cicu_ucnv_open("UTF-8", &status)
        guard target != nil, status.rawValue <= U_ZERO_ERROR.rawValue else {
            throw ZhibiaoError(.decoding, "ICU has no UTF-8 converter: \(String(cString: cicu_errorName(status)))")
        }
    }

    deinit {
        if let source { cicu_ucnv_close(source) }
        if let target { cicu_ucnv_close(target) }
        pivot.deallocate()
        icuCount.deallocate()
    }

    /// Decodes the next block and appends the UTF-8 text to `out`. `final` marks the last
    /// block (it may be empty): an incomplete sequence left at the end is then replaced.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) throws(ZhibiaoError) {
        precondition(!finished, "StreamingDecoder used after its final block")
        finished = final
        if encoding == .utf8 { decodeUTF8(bytes, final: final, into: &out) } else { try convert(bytes, final: final, into: &out) }
    }

    // MARK: UTF-8

    enum SequenceStatus { case valid, invalid, truncated }

    /// The sequence starting at `i`: valid (its length), invalid (the length of its maximal
    /// subpart, which one U+FFFD replaces) or truncated by `n` (a valid prefix so far).
    @inline(__always)
    static func classify(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> (Int, SequenceStatus) {
        let c = b[i]
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0x00...0x7F: return (1, .valid)
        case 0xC2...0xDF: need = 2
        case 0xE0: need = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: need = 3
        case 0xED: need = 3; hi = 0x9F
        case 0xF0: need = 4; lo = 0x90
        case 0xF1...0xF3: need = 4
        case 0xF4: need = 4; hi = 0x8F
        default: return (1, .invalid)
        }
        var k = 1
        while k < need {
            if i + k >= n { return (k, .truncated) }
            let x = b[i + k]
            if k == 1 {
                if x < lo || x > hi { return (1, .invalid) }
            } else if x & 0xC0 != 0x80 {
                return (k, .invalid)
            }
            k += 1
        }
        return (need, .valid)
    }

    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// `i` moved over whole 8-byte blocks of ASCII in b[..<limit] (the rest byte by byte).
    @inline(__always)
    static func asciiRun(_ b: UnsafeBufferPointer<UInt8>, from i: Int, to limit: Int) -> Int {
        guard let base = UnsafeRawPointer(b.baseAddress) else { return i }
        var k = i
        while k + 8 <= limit, base.loadUnaligned(fromByteOffset: k, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { k += 8 }
        return k
    }

    /// The end of the run of three-byte characters with leads E1–EC, EE or EF that begins at
    /// `i` in b[..<limit] (`i` when none does). After those leads any two continuation bytes
    /// are valid, as `classify` decides, so the run is checked two characters to one 8-byte
    /// load without it; E0 and ED leads (whose second byte is narrower) end the run.
    @inline(__always)
    static func threeByteRun(_ b: UnsafeBufferPointer<UInt8>, from i: Int, to limit: Int) -> Int {
        guard let base = UnsafeRawPointer(b.baseAddress) else { return i }
        var k = i
        while k + 8 <= limit {
            let w = base.loadUnaligned(fromByteOffset: k, as: UInt64.self).littleEndian
            let lead0 = UInt8(truncatingIfNeeded: w), lead1 = UInt8(truncatingIfNeeded: w >> 24)
            guard w & 0xC0C0_F0C0_C0F0 == 0x8080_E080_80E0, lead0 != 0xE0, lead0 != 0xED,
                  lead1 != 0xE0, lead1 != 0xED else { break }
            k += 6
        }
        while k + 2 < limit {
            let c = b[k]
            guard c >= 0xE1, c <= 0xEF, c != 0xED, b[k + 1] & 0xC0 == 0x80, b[k + 2] & 0xC0 == 0x80 else { break }
            k += 3
        }
        return k
    }

    /// Undoes a UTF-8 decode begun at a character boundary (nothing carried): back to
    /// `replacements` and no carried sequence, so the same bytes can be decoded otherwise.
    func rewind(toReplacements count: Int) {
        precondition(encoding == .utf8, "only UTF-8 decoding can be rewound")
        utf8Replacements = count
        carry.removeAll()
        finished = false
    }

    private func decodeUTF8(_ b: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) {
        var start = 0
        if !carry.isEmpty {
            // Finish the sequence cut by the last border: carry + up to 3 new bytes.
            let joined = carry + b.prefix(3)
            let (len, status) = joined.withUnsafeBufferPointer { Self.classify($0, 0, $0.count) }
            switch status {
            case .valid:
                out += joined[0..<len]
                start = len - carry.count
                carry.removeAll()
            case .invalid:
                out += Self.replacementCharacter
                utf8Replacements += 1
                start = max(0, len - carry.count)
                carry.removeAll()
            case .truncated:
                // Still incomplete: every new byte belongs to it.
                if final {
                    out += Self.replacementCharacter
                    utf8Replacements += 1
                    carry.removeAll()
                } else {
                    carry = joined
                }
                return
            }
        }
        let n = b.count
        var i = start
        var copied = start
        @inline(__always) func flush(_ upTo: Int) {
            if upTo > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<upTo])) }
        }
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i = Self.asciiRun(b, from: i + 1, to: n)
                continue
            }
            // Most CJK text: a run of three-byte characters taken without the general check.
            let k = Self.threeByteRun(b, from: i, to: n)
            if k != i { i = k; continue }
            let (len, status) = Self.classify(b, i, n)
            switch status {
            case .valid:
                i += len
            case .invalid:
                flush(i)
                out += Self.replacementCharacter
                utf8Replacements += 1
                i += len
                copied = i
            case .truncated:
                flush(i)
                if final {
                    out += Self.replacementCharacter
                    utf8Replacements += 1
                } else {
                    carry = Array(b[i..<n])
                }
                i = n
                copied = n
            }
        }
        flush(n)
    }

    // MARK: ICU

    private func convert(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) throws(ZhibiaoError) {
        // GB18030 -> UTF-8 grows at most 3x (a lone invalid byte becomes U+FFFD); UTF-16 1.5x.
        let capacity = max(4096, bytes.count * 3 + 16)
        if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: capacity) }
        var dummy: UInt8 = 0
        try withUnsafePointer(to: &dummy) { (dummyPointer) throws(ZhibiaoError) in
            let srcBase = UnsafeRawPointer(bytes.baseAddress ?? dummyPointer).assumingMemoryBound(to: CChar.self)
            var srcPtr: UnsafePointer<CChar>? = srcBase
            let srcLimit = srcBase + bytes.count
            try scratch.withUnsafeMutableBufferPointer { (dst) throws(ZhibiaoError) in
                let dstBase = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self)
                while true {
                    var dstPtr: UnsafeMutablePointer<CChar>? = dstBase
                    var pivotSourcePtr: UnsafeMutablePointer<UChar>? = pivot + pivotSource
                    var pivotTargetPtr: UnsafeMutablePointer<UChar>? = pivot + pivotTarget
                    var status = U_ZERO_ERROR
                    cicu_ucnv_convertEx(target, source, &dstPtr, dstBase + dst.count, &srcPtr, srcLimit,
                                        pivot, &pivotSourcePtr, &pivotTargetPtr, pivot + pivotCapacity,
                                        started ? 0 : 1, final ? 1 : 0, &status)
                    started = true
                    pivotSource = pivotSourcePtr! - pivot
                    pivotTarget = pivotTargetPtr! - pivot
                    let written = dstPtr! - dstBase
                    out.append(contentsOf: UnsafeRawBufferPointer(start: dstBase, count: written))
                    if status == U_BUFFER_OVERFLOW_ERROR { continue }
                    guard status.rawValue <= U_ZERO_ERROR.rawValue else {
                        throw ZhibiaoError(.decoding, "ICU could not decode \(encoding.icuName): \(String(cString: cicu_errorName(status)))")
                    }
                    break
                }
            }
        }
    }
}
