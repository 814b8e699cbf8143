internal import CPCRE2
import ZhibiaoCore

/// A PCRE2 pattern compiled once (with JIT) and shared read-only by every worker.
///
/// Matching runs on UTF-8 bytes through `pcre2_jit_match`, which never re-validates
/// UTF-8: the caller guarantees valid UTF-8 (the Input stage does). Offsets are UTF-8
/// byte offsets. The corresponding PCRE2 functions are `pcre2_compile` and `pcre2_jit_compile`.
///
/// SAFETY: `@unchecked Sendable` holds because compiled PCRE2 code is immutable after
/// `pcre2_jit_compile` and PCRE2 documents it as safe to share between threads; all
/// mutable match state lives in `MatchScratch`, one per thread.
public final class CompiledPattern: @unchecked Sendable {
    let code: OpaquePointer
    /// True when JIT compilation succeeded (it can fail on exotic patterns; the interpreter is used then).
    public let isJITCompiled: Bool
    /// Number of capture groups (group 0, the whole match, not counted).
    public let captureCount: Int

    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Whitespace and `#` comments in the pattern are ignored (PCRE2_EXTENDED).
        public static let extended = Options(rawValue: PCRE2_EXTENDED)
        /// Matches only at the start offset (PCRE2_ANCHORED, compiled in, so JIT keeps working).
        public static let anchored = Options(rawValue: PCRE2_ANCHORED)
    }

    /// Compiles `pattern` in UTF mode, and with JIT unless `jit` is false (a pattern kept only
    /// for its group table, or rarely run, is not worth the JIT's start-up time).
    /// - Throws: `ZhibiaoError(.pattern)` with PCRE2's message and the character offset of the error.
    public init(_ pattern: String, options: Options = [], jit: Bool = true) throws(ZhibiaoError) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(pattern.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress, buf.count, PCRE2_UTF | options.rawValue, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            let prefix = String(decoding: bytes[..<min(errorOffset, bytes.count)], as: UTF8.self)
            let line = prefix.split(separator: "\n", omittingEmptySubsequences: false).count
            throw ZhibiaoError(.pattern, line: line,
                               "PCRE2 error \(errorCode) at character \(prefix.unicodeScalars.count): \(Self.message(for: errorCode))")
        }
        code = compiled
        isJITCompiled = jit && pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
    }

    deinit { pcre2_code_free_8(code) }

    /// The number of a named group, or nil when the pattern has no such name.
    /// The corresponding PCRE2 function is `pcre2_substring_number_from_name`.
    public func groupNumber(_ name: String) -> Int? {
        let n = pcre2_substring_number_from_name_8(code, name)
        return n > 0 ? Int(n) : nil
    }

    /// PCRE2's text for an error code (`pcre2_get_error_message`).
    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[..<Int(n)], as: UTF8.self) : "unknown error"
    }
}

/// Per-thread match state for one `CompiledPattern`: the match data block and its ovector.
/// Reused for every match, so matching allocates nothing. Not thread-safe: one per worker.
public final class MatchScratch {
    public let pattern: CompiledPattern
    let matchData: OpaquePointer
    let ovector: UnsafeMutablePointer<Int>
    let pairs: Int

    public init(_ pattern: CompiledPattern) {
        self.pattern = pattern
        guard let md = pcre2_match_data_create_from_pattern_8(pattern.code, nil) else {
            fatalError("PCRE2 could not allocate match data (out of memory)")
        }
        matchData = md
        pairs = Int(pcre2_get_ovector_count_8(md))
        ovector = UnsafeMutableRawPointer(pcre2_get_ovector_pointer_8(md)).assumingMemoryBound(to: Int.self)
    }

    deinit { pcre2_match_data_free_8(matchData) }

    /// Finds the first match at or after `start` in `text` (valid UTF-8, never re-checked);
    /// a pattern compiled with `.anchored` only tries `start` itself.
    /// - Returns: the whole match's byte span, or nil when there is none.
    /// - Throws: `ZhibiaoError(.engine)` when PCRE2 reports an error (match limit, bad offset).
    /// The corresponding PCRE2 function is `pcre2_jit_match` (`pcre2_match` without JIT).
    @inline(__always)
    public func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) throws(ZhibiaoError) -> ByteSpan? {
        let rc: Int32
        if pattern.isJITCompiled {
            rc = pcre2_jit_match_8(pattern.code, text.baseAddress, text.count, start, 0, matchData, nil)
        } else {
            rc = pcre2_match_8(pattern.code, text.baseAddress, text.count, start, PCRE2_NO_UTF_CHECK, matchData, nil)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 {
            throw ZhibiaoError(.engine, "PCRE2 match error \(rc): \(CompiledPattern.message(for: rc))")
        }
        return ByteSpan(ovector[0], ovector[1])
    }

    /// The byte span of capture group `group` in the last match, or nil when it did not take part.
    @inline(__always)
    public func span(ofGroup group: Int) -> ByteSpan? {
        guard group < pairs else { return nil }
        let lo = ovector[2 * group], hi = ovector[2 * group + 1]
        if lo < 0 || hi < lo { return nil }   // PCRE2_UNSET reads as -1 through Int
        return ByteSpan(lo, hi)
    }

    /// Calls `body` with each non-overlapping match in `text[range]`, left to right.
    /// Zero-length matches advance by one character. `body` returns false to stop.
    @inline(__always)
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int = 0,
                             _ body: (ByteSpan) throws(ZhibiaoError) -> Bool) throws(ZhibiaoError) {
        var position = start
        while position <= text.count, let m = try firstMatch(in: text, from: position) {
            guard try body(m) else { return }
            if m.upperBound > m.lowerBound {
                position = m.upperBound
            } else {
                position = m.upperBound + 1
                while position < text.count, text[position] & 0xC0 == 0x80 { position += 1 }
            }
        }
    }
}
