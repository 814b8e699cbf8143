/// An error that names what failed and why, for messages such as
/// `zhibiao: reports/a.txt: not valid UTF-8 or GB18030 (binary content?)`.
public struct ZhibiaoError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case missingPath, unreadable, binaryContent, decoding, pattern, output, usage, engine
    }
    public var kind: Kind
    /// The file (or pattern file) concerned, if any.
    public var path: String?
    /// 1-based line in `path`, for pattern files.
    public var line: Int?
    public var message: String

    public init(_ kind: Kind, path: String? = nil, line: Int? = nil, _ message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        var s = ""
        if let path { s += path; if let line { s += ":\(line)" }; s += ": " }
        return s + message
    }
}
