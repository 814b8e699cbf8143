internal import CPCRE2
import ZhibiaoCore

/// What PCRE2 reported, as typed cases rather than one flattened string, so callers can
/// tell a resource limit (drop one match, go on) from a broken pattern or a bug.
public enum PCRE2Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// `pcre2_compile` failed: PCRE2's code, the character offset and 1-based line of the error.
    case compile(code: Int32, offset: Int, line: Int, message: String)
    /// The match limit (`pcre2_set_match_limit`) was reached: too much backtracking.
    case matchLimit
    /// The depth limit (`pcre2_set_depth_limit`, interpreter) or the JIT stack ran out: nesting too deep.
    case depthLimit
    /// The heap limit (`pcre2_set_heap_limit`, interpreter backtracking memory) was reached.
    case heapLimit
    /// Any other match error (bad offset, bad UTF-8, out of memory).
    case match(code: Int32, message: String)

    /// True for the three limits: the pattern, not the text or the program, is at fault.
    public var isResourceLimit: Bool {
        switch self {
        case .matchLimit, .depthLimit, .heapLimit: return true
        case .compile, .match: return false
        }
    }

    /// True when the compiled pattern would exceed PCRE2's size limit (too many alternatives).
    public var isPatternTooLarge: Bool {
        if case let .compile(code, _, _, _) = self { return code == 120 }   // ERR20: regular expression is too large
        return false
    }

    init(matchCode rc: Int32) {
        switch rc {
        case PCRE2_ERROR_MATCHLIMIT: self = .matchLimit
        case PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_JIT_STACKLIMIT: self = .depthLimit
        case PCRE2_ERROR_HEAPLIMIT: self = .heapLimit
        default: self = .match(code: rc, message: CompiledPattern.message(for: rc))
        }
    }

    /// A one-line message naming the PCRE2 failure, for error reports.
    public var description: String {
        switch self {
        case let .compile(code, offset, _, message): return "PCRE2 error \(code) at character \(offset): \(message)"
        case .matchLimit: return "PCRE2 match limit reached (too much backtracking)"
        case .depthLimit: return "PCRE2 depth limit reached (nesting too deep for the backtracking stack)"
        case .heapLimit: return "PCRE2 heap limit reached (backtracking needs too much memory)"
        case let .match(code, message): return "PCRE2 match error \(code): \(message)"
        }
    }
}

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

    /// Compile options, passed to `pcre2_compile` with `PCRE2_UTF` always added.
    public struct Options: OptionSet, Sendable {
        /// The PCRE2 option bits.
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Whitespace and `#` comments in the pattern are ignored (PCRE2_EXTENDED).
        public static let extended = Options(rawValue: PCRE2_EXTENDED)
        /// Matches only at the start offset (PCRE2_ANCHORED, compiled in, so JIT keeps working).
        public static let anchored = Options(rawValue: PCRE2_ANCHORED)
        /// `\C` (one code unit, which splits a UTF-8 character) is a compile error (PCRE2_NEVER_BACKSLASH_C).
        public static let neverBackslashC = Options(rawValue: PCRE2_NEVER_BACKSLASH_C)
    }

    /// Bounds on the work of one match attempt (a match context), for patterns written by users:
    /// a regex with catastrophic backtracking then fails with `PCRE2Error.matchLimit` (or depth,
    /// heap) in bounded time instead of running for hours. Nil fields keep PCRE2's defaults.
    public struct Limits: Sendable, Equatable {
        /// `pcre2_set_match_limit`: backtracking steps per match attempt (JIT and interpreter).
        public var match: UInt32?
        /// `pcre2_set_depth_limit`: backtracking depth (interpreter; JIT has its stack instead).
        public var depth: UInt32?
        /// `pcre2_set_heap_limit`, in KiB: backtracking memory of the interpreter.
        public var heapKiB: UInt32?
        /// Limits with the given fields; nil keeps PCRE2's default for that one.
        public init(match: UInt32? = nil, depth: UInt32? = nil, heapKiB: UInt32? = nil) {
            self.match = match; self.depth = depth; self.heapKiB = heapKiB
        }
        /// PCRE2's defaults (10 million steps, 20 GB of heap): for the built-in pattern.
        public static let none = Limits()
        /// For `--patterns` regexes: 1 million steps, depth 10,000, 64 MiB. A sane regex needs
        /// a few hundred steps per place; a runaway one stops within milliseconds.
        public static let userPattern = Limits(match: 1_000_000, depth: 10_000, heapKiB: 64 * 1024)
    }

    /// The limits every match with this pattern runs under.
    public let limits: Limits

    /// Compiles `pattern` in UTF mode, and with JIT unless `jit` is false (a pattern kept only
    /// for its group table, or rarely run, is not worth the JIT's start-up time).
    /// - Throws: `ZhibiaoError(.pattern)` with PCRE2's message and the character offset of the error.
    public convenience init(_ pattern: String, options: Options = [], limits: Limits = .none, jit: Bool = true) throws(ZhibiaoError) {
        do throws(PCRE2Error) {
            try self.init(compiling: pattern, options: options, limits: limits, jit: jit)
        } catch {
            var line: Int?
            if case let .compile(_, _, l, _) = error { line = l }
            throw ZhibiaoError(.pattern, line: line, error.description)
        }
    }

    /// Compiles `pattern` in UTF mode (with JIT unless `jit` is false), with PCRE2's error as a typed case.
    public init(compiling pattern: String, options: Options = [], limits: Limits = .none, jit: Bool = true) throws(PCRE2Error) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(pattern.utf8)
        // A Swift String's UTF-8 is always valid: PCRE2 need not check the pattern again (6% of
        // compiling the quantity pattern at every start-up).
        let compiled = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress, buf.count, PCRE2_UTF | PCRE2_NO_UTF_CHECK | options.rawValue, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            let prefix = String(decoding: bytes[..<min(errorOffset, bytes.count)], as: UTF8.self)
            let line = prefix.split(separator: "\n", omittingEmptySubsequences: false).count
            throw .compile(code: errorCode, offset: prefix.unicodeScalars.count, line: line, message: Self.message(for: errorCode))
        }
        code = compiled
        self.limits = limits
        // (*NO_JIT) in a pattern makes pcre2_jit_compile succeed without JIT code: ask for its size.
        var jitSize = 0
        if jit, pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0 { pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_JITSIZE), &jitSize) }
        isJITCompiled = jitSize > 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
    }

    deinit { pcre2_code_free_8(code) }

    /// The compiled size in bytes (`PCRE2_INFO_SIZE`).
    public var compiledSize: Int {
        var size = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_SIZE), &size)
        return size
    }

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
    /// The pattern this scratch matches with.
    public let pattern: CompiledPattern
    let matchData: OpaquePointer
    @usableFromInline let ovector: UnsafeMutablePointer<Int>
    @usableFromInline let pairs: Int
    /// The match context carrying `pattern.limits`; nil with PCRE2's defaults.
    let context: OpaquePointer?

    /// Allocates match data (and a match context when `pattern` has limits) for one thread.
    public init(_ pattern: CompiledPattern) {
        self.pattern = pattern
        guard let md = pcre2_match_data_create_from_pattern_8(pattern.code, nil) else {
            fatalError("PCRE2 could not allocate match data (out of memory)")
        }
        matchData = md
        pairs = Int(pcre2_get_ovector_count_8(md))
        ovector = UnsafeMutableRawPointer(pcre2_get_ovector_pointer_8(md)).assumingMemoryBound(to: Int.self)
        let limits = pattern.limits
        if limits != .none {
            guard let mc = pcre2_match_context_create_8(nil) else { fatalError("PCRE2 could not allocate a match context (out of memory)") }
            if let m = limits.match { pcre2_set_match_limit_8(mc, m) }
            if let d = limits.depth { pcre2_set_depth_limit_8(mc, d) }
            if let h = limits.heapKiB { pcre2_set_heap_limit_8(mc, h) }
            context = mc
        } else {
            context = nil
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        if let context { pcre2_match_context_free_8(context) }
    }

    /// Finds the first match at or after `start` in `text` (valid UTF-8, never re-checked);
    /// a pattern compiled with `.anchored`, or `onlyAt: true`, only tries `start` itself.
    /// - Returns: the whole match's byte span, or nil when there is none.
    /// - Throws: the typed PCRE2 error (a limit of `pattern.limits`, a bad offset).
    /// The corresponding PCRE2 function is `pcre2_jit_match` (`pcre2_match` without JIT, or
    /// with `onlyAt`, which JIT cannot do for a pattern compiled unanchored).
    @inline(__always)
    public func find(in text: UnsafeBufferPointer<UInt8>, from start: Int, onlyAt: Bool = false) throws(PCRE2Error) -> ByteSpan? {
        let rc: Int32
        if onlyAt {
            rc = pcre2_match_8(pattern.code, text.baseAddress, text.count, start, PCRE2_NO_UTF_CHECK | PCRE2_ANCHORED, matchData, context)
        } else if pattern.isJITCompiled {
            rc = pcre2_jit_match_8(pattern.code, text.baseAddress, text.count, start, 0, matchData, context)
        } else {
            rc = pcre2_match_8(pattern.code, text.baseAddress, text.count, start, PCRE2_NO_UTF_CHECK, matchData, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw PCRE2Error(matchCode: rc) }
        return ByteSpan(ovector[0], ovector[1])
    }

    /// `find`, with any PCRE2 error as `ZhibiaoError(.engine)` (for the built-in pattern,
    /// where a limit is a bug of the program, not of the user's data).
    @inline(__always)
    public func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) throws(ZhibiaoError) -> ByteSpan? {
        do throws(PCRE2Error) {
            return try find(in: text, from: start)
        } catch {
            throw ZhibiaoError(.engine, error.description)
        }
    }

    /// The start of the character after the one at `offset` in `text` (valid UTF-8).
    @inline(__always)
    public static func nextCharacter(after offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var p = offset + 1
        while p < text.count, text[p] & 0xC0 == 0x80 { p += 1 }
        return p
    }

    /// The byte span of capture group `group` in the last match, or nil when it did not take
    /// part. Inlined into callers in other modules: the scanner reads some 30 groups a match.
    @inlinable @inline(__always)
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
                position = Self.nextCharacter(after: m.upperBound, in: text)
            }
        }
    }
}
