#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file path as the raw bytes the system gave or takes: Linux file names are bytes, not
/// text, and a name in GBK or Latin-1 is not valid UTF-8. A Swift `String` would replace
/// those bytes and the file could no longer be opened, so discovery and opening keep the
/// bytes, and only the `file` column and messages use the lossy `displayName`.
public struct BytePath: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The path bytes, without a terminating NUL.
    public let bytes: [UInt8]
    /// The path for people: valid UTF-8 as it is, each byte of an invalid sequence as `\xHH`
    /// (so two names that differ only in such bytes still read differently).
    public let displayName: String

    /// A path of raw bytes (as a directory listing or `argv` gives them).
    public init(bytes: some Sequence<UInt8>) {
        self.bytes = Array(bytes)
        displayName = Self.display(self.bytes)
    }

    /// A path given as text (always valid UTF-8).
    public init(_ path: String) {
        bytes = Array(path.utf8)
        displayName = path
    }

    /// A path written in code.
    public init(stringLiteral path: String) { self.init(path) }

    /// `displayName`.
    public var description: String { displayName }

    /// Byte order, as `ls` in the C locale sorts: the same on every machine.
    public static func < (a: BytePath, b: BytePath) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
    /// Same bytes.
    public static func == (a: BytePath, b: BytePath) -> Bool { a.bytes == b.bytes }
    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// `self/name`, with one slash between.
    public func appending(_ name: [UInt8]) -> BytePath {
        BytePath(bytes: bytes.last == UInt8(ascii: "/") ? bytes + name : bytes + [UInt8(ascii: "/")] + name)
    }

    /// Calls `body` with the path as a NUL-terminated C string, for open(2), stat(2) and the like.
    public func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        var c = bytes.map { CChar(bitPattern: $0) }
        c.append(0)
        return try c.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Valid UTF-8 kept, the bytes of each invalid sequence written `\xHH`.
    static func display(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        let hex = Array("0123456789ABCDEF".utf8)
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                let (len, status) = StreamingDecoder.classify(b, i, b.count)
                if status == .valid {
                    out += b[i..<i + len]
                } else {
                    for x in b[i..<i + len] { out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(x >> 4)], hex[Int(x & 15)]] }
                }
                i += len
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
