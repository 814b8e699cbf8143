#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `format` filled in by C's `vsnprintf` (`%ld`, `%02ld`, `%.1f` …): what Foundation's
/// `String(format:)` did, without loading Foundation for a few status lines.
func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    var capacity = 128
    while true {
        var buffer = [CChar](repeating: 0, count: capacity)
        let written = withVaList(arguments) { vsnprintf(&buffer, capacity, format, $0) }
        if written < 0 { return format }
        if Int(written) < capacity { return String(decoding: buffer[..<Int(written)].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        capacity = Int(written) + 1
    }
}
