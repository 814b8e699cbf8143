import PCRE2Matching
import ZhibiaoCore

/// The characters a quantity can begin with, as a bitmap over the Basic Multilingual Plane,
/// built once per run by testing characters against the `@start` class of quantity.pcre with
/// PCRE2 itself (so the class syntax is PCRE2's, not re-implemented).
///
/// The class is generated from the tables as a list of literal characters, so only ASCII and
/// the characters written in it can match: those are the ones tested (a few hundred PCRE2
/// calls instead of 65,536 at start-up). A class PCRE2 could widen beyond its letters (a
/// range between non-ASCII characters, `\p`, `\x{…}`, a POSIX class) is tested over the
/// whole BMP. A test checks both give the same set for the built-in patterns.
///
/// The scan uses it as a prefilter: the anchored pattern is tried only where a start
/// character stands. Characters outside the BMP are always tried.
struct StartSet: Sendable, Equatable {
    private var bits = [UInt64](repeating: 0, count: 65536 / 64)

    /// - Parameter exhaustive: test every BMP character, whatever the class looks like.
    init(startClass: String, exhaustive: Bool = false) throws(ZhibiaoError) {
        let probe = try CompiledPattern("(?:\(startClass))\\z", options: [.anchored], jit: false)
        let scratch = MatchScratch(probe)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        func test(_ value: UInt32) throws(ZhibiaoError) {
            guard let scalar = Unicode.Scalar(value) else { return }   // surrogates
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: String(scalar).utf8)
            let hit = try bytes.withUnsafeBufferPointer { buf throws(ZhibiaoError) in try scratch.firstMatch(in: buf, from: 0) != nil }
            if hit { bits[Int(value >> 6)] |= 1 << UInt64(value & 63) }
        }
        if !exhaustive, let letters = Self.literalCharacters(of: startClass) {
            for value in UInt32(0)..<0x80 { try test(value) }
            for value in letters where value <= 0xFFFF { try test(value) }
        } else {
            for value in UInt32(0)...0xFFFF { try test(value) }
        }
    }

    /// The non-ASCII characters written in `pattern`, or nil when PCRE2 could read it as
    /// matching others too (a range with a non-ASCII end, a property, a code-point escape).
    static func literalCharacters(of pattern: String) -> Set<UInt32>? {
        let s = Array(pattern.unicodeScalars)
        var out: Set<UInt32> = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                guard i + 1 < s.count else { return nil }
                let e = s[i + 1]
                // \h: PCRE2's horizontal spaces (its documentation lists them); the test
                // against the exhaustive probe checks the list.
                if e == "h" { out.formUnion(Self.horizontalSpaces); i += 2; continue }
                // \t \n \r \f: one ASCII character, and ASCII is always probed.
                if "tnrf".unicodeScalars.contains(e) { i += 2; continue }
                // \xHH: one character below U+0100.
                if e == "x", i + 3 < s.count, let v = UInt32(String(String.UnicodeScalarView([s[i + 2], s[i + 3]])), radix: 16) {
                    if v >= 0x80 { out.insert(v) }
                    i += 4
                    continue
                }
                // An escaped ASCII punctuation mark is itself; a letter escape may be a class.
                if e.properties.isAlphabetic || e.properties.numericType != nil || !e.isASCII { return nil }
                i += 2
                continue
            }
            if c == "-", i > 0, i + 1 < s.count, !s[i - 1].isASCII || !s[i + 1].isASCII { return nil }
            if c == "[", i + 1 < s.count, s[i + 1] == ":" { return nil }
            if !c.isASCII { out.insert(c.value) }
            i += 1
        }
        return out
    }

    /// What `\h` matches beyond ASCII: U+00A0, U+1680, U+180E, U+2000–U+200A, U+202F, U+205F, U+3000.
    static let horizontalSpaces: Set<UInt32> = Set([0xA0, 0x1680, 0x180E, 0x202F, 0x205F, 0x3000] + Array(0x2000...0x200A))

    /// Membership without the prefilter's caution: a character beyond the BMP is in no set.
    @inline(__always)
    func containsExactly(_ value: UInt32) -> Bool {
        value <= 0xFFFF && bits[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
    }

    /// The first index at or after `i` that does not begin a three-byte character outside
    /// the set (valid UTF-8): such characters are tested on their bytes, without decoding
    /// (the bitmap word is given by the first two bytes, the bit by the third).
    @inline(__always)
    func skipThreeByteNonMembers(_ t: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        bits.withUnsafeBufferPointer { words in
            var i = i
            while i + 2 < t.count {
                let b0 = t[i]
                guard b0 & 0xF0 == 0xE0,
                      words[Int(b0 & 0x0F) << 6 | Int(t[i + 1] & 0x3F)] & (1 << UInt64(t[i + 2] & 0x3F)) == 0 else { break }
                i += 3
            }
            return i
        }
    }

    @inline(__always)
    func contains(_ value: UInt32) -> Bool {
        value > 0xFFFF || bits[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
    }
}
