#if canImport(Glibc)
import Glibc
#endif
import Input

/// The command line as raw bytes. Swift decodes `argv` into `String`, replacing bytes that
/// are not UTF-8 with U+FFFD, so a GBK or Latin-1 file name given as an argument could not be
/// opened; this finds the original bytes of such an argument in `argv`.
struct RawArguments {
    /// Original bytes of each argument (and of the value in `--option=value`), keyed by the
    /// text Swift made of them, in command-line order.
    private var pool: [String: [[UInt8]]] = [:]

    init() {
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: p, count: strlen(p))).map { UInt8(bitPattern: $0) }
            guard String(validating: bytes, as: UTF8.self) == nil else { continue }   // text: nothing to recover
            pool[String(decoding: bytes, as: UTF8.self), default: []].append(bytes)
            if bytes.starts(with: [0x2D, 0x2D]), let eq = bytes.firstIndex(of: 0x3D) {
                let value = Array(bytes[(eq + 1)...])
                pool[String(decoding: value, as: UTF8.self), default: []].append(value)
            }
        }
    }

    /// The path the user typed: its raw bytes when Swift had to replace some, else the text.
    mutating func path(_ argument: String) -> BytePath {
        guard argument.unicodeScalars.contains("\u{FFFD}"), var candidates = pool[argument], !candidates.isEmpty else {
            return BytePath(argument)
        }
        let bytes = candidates.removeFirst()
        pool[argument] = candidates
        return BytePath(bytes: bytes)
    }
}
