internal import CICU
import ZhibiaoCore

/// The text encodings Zhibiao reads. Detection order: byte-order mark (UTF-8, UTF-16),
/// then strict UTF-8 validation, then GB18030 (a superset of GBK and GB2312, common for
/// Chinese government documents) when it decodes with fewer errors than UTF-8.
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"
    case gb18030 = "gb18030"

    /// The ICU converter name.
    var icuName: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16le: "UTF-16LE"
        case .utf16be: "UTF-16BE"
        case .gb18030: "GB18030"
        }
    }

    /// Accepts the common spellings (`gbk`, `gb2312`, `utf8`, `UTF-8`).
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "utf-16le", "utf16le": self = .utf16le
        case "utf-16be", "utf16be": self = .utf16be
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}

/// Decoded document text: always valid UTF-8, ready for PCRE2 without re-validation.
public struct DecodedText: Sendable {
    public var bytes: [UInt8]
    public var encoding: TextEncoding
    /// Invalid byte sequences replaced by U+FFFD (one per sequence, so line and column stay right).
    public var replacements: Int
}

/// Decodes bytes of any supported encoding to valid UTF-8.
public enum TextDecoder {
    /// Decodes `bytes`, detecting the encoding unless `forced` is given.
    /// - Throws: `.binaryContent` for NUL-heavy input that is not UTF-16, `.decoding` when ICU fails.
    public static func decode(_ bytes: [UInt8], forced: TextEncoding? = nil) throws(ZhibiaoError) -> DecodedText {
        if let forced { return try decode(bytes, as: forced, skippingBOM: true) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return repairUTF8(Array(bytes[3...]))
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return try convert(Array(bytes[2...]), from: .utf16le) }
        if bytes.starts(with: [0xFE, 0xFF]) { return try convert(Array(bytes[2...]), from: .utf16be) }
        if looksBinary(bytes) {
            throw ZhibiaoError(.binaryContent, "binary content (NUL bytes), not text; use --encoding for BOM-less UTF-16")
        }
        let utf8 = repairUTF8(bytes)
        if utf8.replacements == 0 { return utf8 }
        let gb = try convert(bytes, from: .gb18030)
        return gb.replacements < utf8.replacements ? gb : utf8
    }

    static func decode(_ bytes: [UInt8], as encoding: TextEncoding, skippingBOM: Bool) throws(ZhibiaoError) -> DecodedText {
        switch encoding {
        case .utf8: return repairUTF8(bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes[3...]) : bytes)
        case .utf16le: return try convert(bytes.starts(with: [0xFF, 0xFE]) ? Array(bytes[2...]) : bytes, from: .utf16le)
        case .utf16be: return try convert(bytes.starts(with: [0xFE, 0xFF]) ? Array(bytes[2...]) : bytes, from: .utf16be)
        case .gb18030: return try convert(bytes, from: .gb18030)
        }
    }

    /// More than one NUL byte in the first 8 KiB: text files of these encodings have none.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        var nul = 0
        for b in bytes.prefix(8192) where b == 0 { nul += 1; if nul > 1 { return true } }
        return false
    }

    /// Validates UTF-8 strictly (no overlongs, surrogates or values past U+10FFFF) and
    /// replaces each invalid sequence with U+FFFD.
    public static func repairUTF8(_ bytes: [UInt8]) -> DecodedText {
        var out: [UInt8] = []
        var replacements = 0
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0
            var copiedUpTo = 0
            while i < n {
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let len = validSequenceLength(b, i)
                if len > 0 { i += len; continue }
                // Invalid: flush the valid run, write U+FFFD, skip the maximal invalid prefix.
                if out.isEmpty { out.reserveCapacity(n + 16) }
                out.append(contentsOf: b[copiedUpTo..<i])
                out += [0xEF, 0xBF, 0xBD]
                replacements += 1
                i += max(1, invalidPrefixLength(b, i))
                copiedUpTo = i
            }
            if replacements > 0 { out.append(contentsOf: b[copiedUpTo..<n]) }
        }
        return DecodedText(bytes: replacements > 0 ? out : bytes, encoding: .utf8, replacements: replacements)
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or 0.
    @inline(__always)
    static func validSequenceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i], n = b.count
        func cont(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xF0: return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// How many bytes one invalid sequence covers: the lead byte plus the continuation bytes
    /// that could have belonged to it (the "maximal subpart" rule of Unicode §3.9).
    static func invalidPrefixLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        let expected = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1
        var k = 1
        while k < expected, i + k < b.count, b[i + k] & 0xC0 == 0x80 { k += 1 }
        return k
    }

    /// Converts `bytes` from `encoding` to UTF-8 with ICU; unmappable or invalid input
    /// becomes U+FFFD (ICU's substitution), counted in `replacements`.
    /// The corresponding ICU function is `ucnv_convertEx`.
    static func convert(_ bytes: [UInt8], from encoding: TextEncoding) throws(ZhibiaoError) -> DecodedText {
        var status = U_ZERO_ERROR
        guard let source = cicu_ucnv_open(encoding.icuName, &status), status.rawValue <= U_ZERO_ERROR.rawValue else {
            throw ZhibiaoError(.decoding, "ICU has no \(encoding.icuName) converter: \(String(cString: cicu_errorName(status)))")
        }
        defer { cicu_ucnv_close(source) }
        guard let target = cicu_ucnv_open("UTF-8", &status), status.rawValue <= U_ZERO_ERROR.rawValue else {
            throw ZhibiaoError(.decoding, "ICU has no UTF-8 converter: \(String(cString: cicu_errorName(status)))")
        }
        defer { cicu_ucnv_close(target) }
        var out = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var pivot = [UChar](repeating: 0, count: 4096)
        var written = 0
        try bytes.withUnsafeBufferPointer { (src: UnsafeBufferPointer<UInt8>) throws(ZhibiaoError) in
            try out.withUnsafeMutableBufferPointer { (dst: inout UnsafeMutableBufferPointer<UInt8>) throws(ZhibiaoError) in
                try pivot.withUnsafeMutableBufferPointer { (pv: inout UnsafeMutableBufferPointer<UChar>) throws(ZhibiaoError) in
                    let srcBase = UnsafeRawPointer(src.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
                    var srcPtr: UnsafePointer<CChar>? = srcBase
                    let dstBase = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var dstPtr: UnsafeMutablePointer<CChar>? = dstBase
                    var pivotSource: UnsafeMutablePointer<UChar>? = pv.baseAddress
                    var pivotTarget: UnsafeMutablePointer<UChar>? = pv.baseAddress
                    var st = U_ZERO_ERROR
                    cicu_ucnv_convertEx(target, source, &dstPtr, dstBase + dst.count, &srcPtr, srcBase + src.count,
                                        pv.baseAddress, &pivotSource, &pivotTarget, pv.baseAddress! + pv.count,
                                        1, 1, &st)
                    guard st.rawValue <= U_ZERO_ERROR.rawValue else {
                        throw ZhibiaoError(.decoding, "ICU could not decode \(encoding.icuName): \(String(cString: cicu_errorName(st)))")
                    }
                    written = dstPtr! - dstBase
                }
            }
        }
        out.removeSubrange(written...)
        // Count U+FFFD (EF BF BD) that ICU substituted.
        var replacements = 0
        var i = 0
        while i + 2 < out.count {
            if out[i] == 0xEF && out[i + 1] == 0xBF && out[i + 2] == 0xBD { replacements += 1; i += 3 } else { i += 1 }
        }
        return DecodedText(bytes: out, encoding: encoding, replacements: replacements)
    }
}
