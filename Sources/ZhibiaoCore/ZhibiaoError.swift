/// An error that names what failed and why, for messages such as
/// `zhibiao: reports/a.txt: not valid UTF-8 or GB18030 (binary content?)`.
public struct ZhibiaoError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What failed: a path, a file's content, a pattern file, the output, the command line, or an engine (PCRE2, ICU).
    public enum Kind: String, Sendable {
        case missingPath, unreadable, binaryContent, decoding, pattern, output, usage, engine
    }
    /// What failed.
    public var kind: Kind
    /// The file (or pattern file) concerned, if any.
    public var path: String?
    /// 1-based line in `path`, for pattern files.
    public var line: Int?
    /// The cause, in words for the user.
    public var message: String

    /// An error of `kind` about `path` (and `line` in it, for pattern files).
    public init(_ kind: Kind, path: String? = nil, line: Int? = nil, _ message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, as the command line prints it after `zhibiao: `.
    public var description: String {
        var s = ""
        if let path { s += path; if let line { s += ":\(line)" }; s += ": " }
        return s + message
    }
}
