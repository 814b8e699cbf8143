internal import CICU
import ZhibiaoCore

/// The text encodings Zhibiao reads. Detection: a byte-order mark (UTF-8, UTF-16), else line
/// by line, strict UTF-8 when the line is valid, else GB18030 (a superset of GBK and GB2312,
/// common for Chinese government documents) when it decodes the line with fewer errors.
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
    /// The text as UTF-8.
    public var bytes: [UInt8]
    /// The encoding it was read in.
    public var encoding: TextEncoding
    /// Invalid byte sequences replaced by U+FFFD (one per sequence, so line and column stay right).
    public var replacements: Int
}

/// Decodes a whole buffer of any supported encoding to valid UTF-8 (small inputs and tests;
/// files are read in chunks by `DocumentReader`, which this shares its code with).
public enum TextDecoder {
    /// Decodes `bytes`, detecting the encoding unless `forced` is given.
    /// - Throws: `.binaryContent` for an 8 KiB block with more than one NUL (unless UTF-16), `.decoding` when ICU fails.
    public static func decode(_ bytes: [UInt8], forced: TextEncoding? = nil) throws(ZhibiaoError) -> DecodedText {
        let size = max(bytes.count, 16)
        let reader = DocumentReader(source: MemoryByteSource(bytes), name: "-", encoding: forced,
                                    options: ChunkingOptions(readSize: size + 1, targetChunk: size * 4, maxChunk: size * 4))
        var text: [UInt8] = []
        while let chunk = try reader.nextChunk() { text += chunk.text }
        return DecodedText(bytes: text, encoding: reader.encoding ?? .utf8, replacements: reader.replacements)
    }

    /// Validates UTF-8 strictly (no overlongs, surrogates or values past U+10FFFF) and
    /// replaces each invalid sequence with U+FFFD.
    public static func repairUTF8(_ bytes: [UInt8]) -> DecodedText {
        let decoder = try! StreamingDecoder(.utf8)   // UTF-8 needs no converter: cannot fail
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { try! decoder.decode($0, final: true, into: &out) }
        return DecodedText(bytes: out, encoding: .utf8, replacements: decoder.replacements)
    }
}
