// libFuzzer target over the whole row path: DocumentReader (encoding detection, decoding,
// chunking) -> Extractor (matching, reading numbers, traps, labels, sentences) -> RowWriter.
// Every invariant below is checked on every input; a broken one calls fatalError, which
// libFuzzer reports as a crash and saves the input. See fuzz/README.md.
import Extraction
import Input
import Output
import PatternCatalog
import ZhibiaoCore

/// The engine is compiled once per process, like one run of `zhibiao extract`.
nonisolated(unsafe) let engine: ExtractionEngine = {
    do { return try ExtractionEngine(catalog: try PatternCatalog()) } catch { fatalError("engine: \(error)") }
}()
nonisolated(unsafe) let extractor: Extractor = {
    do { return try Extractor(engine: engine, options: ExtractionOptions(kinds: Set(Kind.allCases))) }
    catch { fatalError("extractor: \(error)") }
}()
let writer = RowWriter(format: .csv)

/// Output bytes per input byte, sentence field left out (the sentence is bounded separately:
/// it must hold its match). A row costs ~60 bytes of fixed fields, a match is at least two
/// bytes, a label at most 12 characters, a value at most `NumeralReader` limits.
let outputFactor = 200
let outputSlack = 4096

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    // Small reads and chunks, so that chunk edges and the fallback cuts are exercised too.
    let reader = DocumentReader(source: MemoryByteSource(input), name: "fuzz",
                                options: ChunkingOptions(readSize: 61, targetChunk: 200, maxChunk: 700))
    var document: [UInt8] = []
    var rows: [Indicator] = []
    var position = TextPosition()
    do {
        while let chunk = try reader.nextChunk() {
            try chunk.text.withUnsafeBufferPointer { text throws(ZhibiaoError) in
                try extractor.extract(text, startingAt: position, into: &rows)
                position = position.advanced(over: text)
            }
            document += chunk.text
        }
    } catch {
        // Binary content or undecodable input: a clean error is a valid outcome.
        // Rows from the chunks before it must still satisfy the invariants.
        _ = error
    }
    check(rows, in: document, inputSize: size)
    return 0
}

func fail(_ what: String, _ row: Indicator) -> Never {
    fatalError("invariant broken: \(what): line \(row.line) column \(row.column) match \(row.match) value \(row.quantity.value) value_max \(row.quantity.valueMax?.description ?? "")")
}

func check(_ rows: [Indicator], in document: [UInt8], inputSize: Int) {
    let lineStarts = lineStartOffsets(document)
    var output = writer.header(byteOrderMark: false)
    for row in rows {
        // The span holds the match, byte for byte.
        let span = row.span
        guard span.lowerBound >= 0, span.upperBound <= document.count, span.lowerBound < span.upperBound else { fail("span outside the document", row) }
        guard Array(document[span.lowerBound..<span.upperBound]) == Array(row.match.utf8) else { fail("span is not the match", row) }
        // line/column (1-based, column in scalars) lands on the match's first byte.
        guard row.line >= 1, row.line <= lineStarts.count else { fail("line out of range", row) }
        var offset = lineStarts[row.line - 1]
        var column = 1
        while column < row.column, offset < document.count {
            offset += 1
            while offset < document.count, document[offset] & 0xC0 == 0x80 { offset += 1 }
            column += 1
        }
        guard offset == span.lowerBound else { fail("line/column points at byte \(offset), match at \(span.lowerBound)", row) }
        // Values: plain decimals, and a range is low < high.
        let q = row.quantity
        guard isPlainDecimal(q.value.description) else { fail("value not a plain decimal", row) }
        if let high = q.valueMax {
            guard isPlainDecimal(high.description) else { fail("value_max not a plain decimal", row) }
            guard q.value < high else { fail("value_max not above value", row) }
        }
        // The sentence holds its match.
        guard contains(Array(row.sentence.utf8), Array(row.match.utf8)) else { fail("sentence does not hold the match", row) }
        var bare = row
        bare.sentence = ""
        writer.append(bare, file: "fuzz", to: &output)
    }
    guard output.count <= outputFactor * inputSize + outputSlack else {
        fatalError("invariant broken: \(output.count) output bytes (sentences left out) for \(inputSize) input bytes")
    }
}

/// Byte offsets where lines begin; line ends are LF, CRLF and a lone CR (as `TextPosition`).
func lineStartOffsets(_ t: [UInt8]) -> [Int] {
    var starts = [0]
    var i = 0
    while i < t.count {
        if t[i] == 0x0A { starts.append(i + 1) }
        else if t[i] == 0x0D, i + 1 >= t.count || t[i + 1] != 0x0A { starts.append(i + 1) }
        i += 1
    }
    return starts
}

/// `-?digits(.digits)?` with no leading zero in the integer part (except `0`) and no trailing zero in the fraction.
func isPlainDecimal(_ s: String) -> Bool {
    var b = Array(s.utf8)
    if b.first == UInt8(ascii: "-") { b.removeFirst(); if b == [0x30] { return false } }
    guard !b.isEmpty else { return false }
    let parts = b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else { return false }
    if parts[0].count > 1, parts[0].first == 0x30 { return false }
    if parts.count == 2, parts[1].last == 0x30 { return false }
    return true
}

func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= hay.count else { return false }
    if needle.isEmpty { return true }
    for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
        if Array(hay[i..<(i + needle.count)]) == needle { return true }
    }
    return false
}

// SwiftPM links an executable target with its entry point renamed to `<Target>_main`
// (`main` is defined as an alias of it); here that entry point hands control to
// libFuzzer's driver, which parses the usual libFuzzer flags.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzExtract_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
