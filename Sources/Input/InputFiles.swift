#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZhibiaoCore

/// Which files a directory walk picks up.
public struct WalkOptions: Sendable {
    /// Glob patterns on the file name; a file is taken when it matches any (`*.txt`).
    public var include: [String]
    /// Glob patterns on the file name or path; a matching file or folder is skipped.
    public var exclude: [String]
    /// Walk into hidden files and folders (names starting with `.`).
    public var includeHidden: Bool
    /// Match `include` without regard to case (`*.txt` takes `A.TXT`), as for the default.
    public var includeIgnoresCase: Bool
    /// Walk options; the defaults take `*.txt` (exactly as written) and skip hidden names.
    public init(include: [String] = ["*.txt"], exclude: [String] = [], includeHidden: Bool = false, includeIgnoresCase: Bool = false) {
        self.include = include; self.exclude = exclude; self.includeHidden = includeHidden
        self.includeIgnoresCase = includeIgnoresCase
    }
}

/// One input: a file path (raw bytes, see `BytePath`), or standard input (`-`).
public enum InputSource: Hashable, Sendable {
    case file(BytePath)
    case standardInput

    /// A file given by a text path.
    public static func file(_ path: String) -> InputSource { .file(BytePath(path)) }

    /// The name written in the `file` column and in messages (lossy for a name that is not
    /// UTF-8: see `BytePath.displayName`).
    public var displayName: String {
        switch self {
        case .file(let p): p.displayName
        case .standardInput: "-"
        }
    }
}

/// Expands command-line paths into the ordered list of inputs: files as given, directories
/// walked recursively (sorted by path bytes, so output order never depends on the file system).
public enum InputFiles {
    /// - Returns: the inputs, and an error per path that could not be used (missing, unreadable,
    ///   a directory loop); the caller reports those and goes on with the rest.
    public static func expand(_ paths: [String], options: WalkOptions = WalkOptions()) -> (inputs: [InputSource], errors: [ZhibiaoError]) {
        expand(paths.map { BytePath($0) }, options: options)
    }

    /// The same for raw paths (names that are not UTF-8 are read too).
    public static func expand(_ paths: [BytePath], options: WalkOptions = WalkOptions()) -> (inputs: [InputSource], errors: [ZhibiaoError]) {
        var inputs: [InputSource] = []
        var errors: [ZhibiaoError] = []
        if paths.isEmpty { return ([.standardInput], []) }
        for path in paths {
            if path.bytes == [UInt8(ascii: "-")] { inputs.append(.standardInput); continue }
            var st = stat()
            guard path.withCString({ stat($0, &st) }) == 0 else {
                let code = errno
                let cause = code == ENOENT ? "no such file or directory" : String(cString: strerror(code))
                errors.append(ZhibiaoError(code == ENOENT ? .missingPath : .unreadable, path: path.displayName, cause))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var found: [BytePath] = []
                var seen: Set<FileID> = [FileID(st)]
                walk(path, options: options, seen: &seen, into: &found, errors: &errors)
                inputs += found.sorted().map { .file($0) }
            } else {
                inputs.append(.file(path))   // a file named on the command line is read whatever its name
            }
        }
        return (inputs, errors)
    }

    /// A directory's identity, to notice symlink loops.
    struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ st: stat) { device = UInt64(st.st_dev); inode = UInt64(st.st_ino) }
    }

    static func walk(_ dir: BytePath, options: WalkOptions, seen: inout Set<FileID>, into found: inout [BytePath], errors: inout [ZhibiaoError]) {
        guard let handle = dir.withCString({ opendir($0) }) else {
            errors.append(ZhibiaoError(.unreadable, path: dir.displayName, String(cString: strerror(errno))))
            return
        }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            // d_name as bytes: String(cString:) would replace bytes that are not UTF-8.
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            if !options.includeHidden && name.first == 0x2E { continue }
            names.append(name)
        }
        for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let path = dir.appending(name)
            if options.exclude.contains(where: { matches($0, name) || matches($0, path.bytes) }) { continue }
            var st = stat()
            guard path.withCString({ stat($0, &st) }) == 0 else {
                errors.append(ZhibiaoError(.unreadable, path: path.displayName, String(cString: strerror(errno))))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let id = FileID(st)
                if seen.contains(id) {
                    errors.append(ZhibiaoError(.unreadable, path: path.displayName, "directory loop (a symbolic link back to a folder being walked); skipped"))
                    continue
                }
                seen.insert(id)
                walk(path, options: options, seen: &seen, into: &found, errors: &errors)
                seen.remove(id)
            } else if (st.st_mode & S_IFMT) == S_IFREG, options.include.contains(where: { matches($0, name, ignoringCase: options.includeIgnoresCase) }) {
                found.append(path)
            }
        }
    }

    /// Shell-style glob match (`*`, `?`, `[...]`) through fnmatch(3), case-folded when asked.
    public static func matches(_ pattern: String, _ name: String, ignoringCase: Bool = false) -> Bool {
        fnmatch(pattern, name, ignoringCase ? fnmCaseFold : 0) == 0
    }

    /// fnmatch's FNM_CASEFOLD (a GNU and BSD extension, 1 << 4 on both; Glibc's Swift module
    /// does not export the macro).
    static let fnmCaseFold: Int32 = 1 << 4

    /// The same on raw name bytes (a `*` matches bytes that are not UTF-8 too).
    static func matches(_ pattern: String, _ name: [UInt8], ignoringCase: Bool = false) -> Bool {
        BytePath(bytes: name).withCString { fnmatch(pattern, $0, ignoringCase ? fnmCaseFold : 0) == 0 }
    }
}

/// File lists (`--files-from`) and deterministic shares of the input set (`--shard K/N`).
public enum InputList {
    /// Reads a list of paths from `source` (a file, or standard input): NUL-separated when
    /// the list holds a NUL byte, else one path a line (LF or CRLF). Empty entries are skipped.
    public static func read(from source: InputSource) throws(ZhibiaoError) -> [BytePath] {
        let reader = try FileByteSource(source)
        var bytes: [UInt8] = []
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { block.deallocate() }
        while true {
            let n = try reader.read(into: block)
            if n == 0 { break }
            bytes += block[0..<n]
        }
        return parse(bytes)
    }

    /// Splits a path list: on NUL when there is one, else on LF (dropping a CR before it).
    /// Paths stay raw bytes, so names that are not UTF-8 are kept exactly.
    public static func parse(_ bytes: [UInt8]) -> [BytePath] {
        let separator: UInt8 = bytes.contains(0) ? 0 : 0x0A
        return bytes.split(separator: separator, omittingEmptySubsequences: true).compactMap { entry in
            var e = entry[...]
            if separator == 0x0A, e.last == 0x0D { e = e.dropLast() }
            return e.isEmpty ? nil : BytePath(bytes: e)
        }
    }

    /// FNV-1a, 64 bits, of the UTF-8 bytes of `s`: the same on every machine and every run
    /// (unlike Swift's seeded `Hasher`).
    public static func fnv1a64(_ s: String) -> UInt64 { fnv1a64(bytes: s.utf8) }

    /// FNV-1a of raw bytes (a path as written, whatever its encoding).
    public static func fnv1a64(bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The inputs of share `k` (0-based) of `n`: those whose path hashes to k modulo n.
    /// The n shares partition the inputs; the order of the kept inputs is unchanged.
    public static func shard(_ inputs: [InputSource], k: Int, of n: Int) -> [InputSource] {
        precondition(n >= 1 && k >= 0 && k < n, "shard k/n needs 0 <= k < n")
        return inputs.filter { input in
            let h = switch input {
            case .file(let path): fnv1a64(bytes: path.bytes)
            case .standardInput: fnv1a64("-")
            }
            return h % UInt64(n) == UInt64(k)
        }
    }
}

extension InputFiles {
    /// The total size of the regular files among `inputs` (for the progress line's ETA).
    public static func totalSize(_ inputs: [InputSource]) -> Int {
        var total = 0
        for case .file(let path) in inputs {
            var st = stat()
            if path.withCString({ stat($0, &st) }) == 0, (st.st_mode & S_IFMT) == S_IFREG { total += Int(st.st_size) }
        }
        return total
    }
}
