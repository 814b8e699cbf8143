import PCRE2Matching
import Testing
import ZhibiaoCore

/// Issue 14: PCRE2's errors as typed cases, and the limits of user patterns.
@Suite struct LimitTests {
    func find(_ p: CompiledPattern, _ text: String) throws(PCRE2Error) -> ByteSpan? {
        let s = MatchScratch(p)
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (b) throws(PCRE2Error) -> ByteSpan? in try s.find(in: b, from: 0) }
    }

    @Test func catastrophicBacktrackingStopsAtTheMatchLimit() throws {
        let p = try CompiledPattern(compiling: "^(a+)+$", limits: .userPattern)
        #expect(throws: PCRE2Error.matchLimit) { try find(p, String(repeating: "a", count: 40) + "!") }
        #expect(PCRE2Error.matchLimit.isResourceLimit)
        #expect(try find(p, "aaa") == ByteSpan(0, 3))     // a sane input still matches
    }

    @Test func deepNestingStopsAtTheDepthLimit() throws {
        // (*NO_JIT): the interpreter, where the depth limit applies (JIT has its stack instead).
        let p = try CompiledPattern(compiling: "(*NO_JIT)(a|b)*c", limits: .userPattern)
        #expect(!p.isJITCompiled)
        #expect(throws: PCRE2Error.depthLimit) { try find(p, String(repeating: "ab", count: 20_000) + "c") }
        let unlimited = try CompiledPattern(compiling: "(*NO_JIT)(a|b)*c")
        #expect(try find(unlimited, String(repeating: "ab", count: 20_000) + "c") == ByteSpan(0, 40_001))
    }

    @Test func otherErrorsAreTyped() throws {
        do {
            _ = try CompiledPattern(compiling: "a\nb(")
            Issue.record("compiled")
        } catch {
            guard case let .compile(code, offset, line, message) = error else { Issue.record("\(error)"); return }
            #expect(code > 100)
            #expect(offset == 4)
            #expect(line == 2)
            #expect(message.contains("missing closing parenthesis"))
            #expect(!error.isResourceLimit)
        }
        // A bad start offset is a match error, not a limit (the interpreter checks it).
        let p = try CompiledPattern(compiling: "(*NO_JIT)a")
        let s = MatchScratch(p)
        let bytes = Array("abc".utf8)
        #expect(throws: PCRE2Error.self) {
            try bytes.withUnsafeBufferPointer { (b) throws(PCRE2Error) -> ByteSpan? in try s.find(in: b, from: 9) }
        }
        // The built-in path keeps reporting ZhibiaoError(.engine).
        #expect(throws: ZhibiaoError.self) { try bytes.withUnsafeBufferPointer { try s.firstMatch(in: $0, from: 9) } }
    }

    @Test func backslashCIsACompileErrorWhenForbidden() throws {
        #expect(throws: PCRE2Error.self) { try CompiledPattern(compiling: "a\\C", options: .neverBackslashC) }
        _ = try CompiledPattern(compiling: "a\\C")   // allowed by PCRE2 itself: the option makes the difference
    }

    @Test func onlyAtTriesOnePlace() throws {
        let p = try CompiledPattern(compiling: "[0-9]+")
        let s = MatchScratch(p)
        let bytes = Array("ab12".utf8)
        try bytes.withUnsafeBufferPointer { (b) throws(PCRE2Error) in
            #expect(try s.find(in: b, from: 0, onlyAt: true) == nil)
            #expect(try s.find(in: b, from: 2, onlyAt: true) == ByteSpan(2, 4))
            #expect(try s.find(in: b, from: 0) == ByteSpan(2, 4))
        }
    }
}
