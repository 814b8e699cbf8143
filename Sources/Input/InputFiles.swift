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
    public init(include: [String] = ["*.txt"], exclude: [String] = [], includeHidden: Bool = false, includeIgnoresCase: Bool = false) {
        self.include = include; self.exclude = exclude; self.includeHidden = includeHidden
        self.includeIgnoresCase = includeIgnoresCase
    }
}

/// One input: a file path, or standard input (`-`).
public enum InputSource: Hashable, Sendable {
    case file(String)
    case standardInput

    /// The name written in the `file` column.
    public var displayName: String {
        switch self {
        case .file(let p): p
        case .standardInput: "-"
        }
    }
}

/// Expands command-line paths into the ordered list of inputs: files as given, directories
/// walked recursively (sorted by path, so output order never depends on the file system).
public enum InputFiles {
    /// - Returns: the inputs, and an error per path that could not be used (missing, unreadable,
    ///   a directory loop); the caller reports those and goes on with the rest.
    public static func expand(_ paths: [String], options: WalkOptions = WalkOptions()) -> (inputs: [InputSource], errors: [ZhibiaoError]) {
        var inputs: [InputSource] = []
        var errors: [ZhibiaoError] = []
        if paths.isEmpty { return ([.standardInput], []) }
        for path in paths {
            if path == "-" { inputs.append(.standardInput); continue }
            var st = stat()
            guard stat(path, &st) == 0 else {
                let cause = errno == ENOENT ? "no such file or directory" : String(cString: strerror(errno))
                errors.append(ZhibiaoError(errno == ENOENT ? .missingPath : .unreadable, path: path, cause))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var found: [String] = []
                var seen: Set<FileID> = [FileID(st)]
                walk(path, options: options, seen: &seen, into: &found, errors: &errors)
                inputs += found.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).map { .file($0) }
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

    static func walk(_ dir: String, options: WalkOptions, seen: inout Set<FileID>, into found: inout [String], errors: inout [ZhibiaoError]) {
        guard let handle = opendir(dir) else {
            errors.append(ZhibiaoError(.unreadable, path: dir, String(cString: strerror(errno))))
            return
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            if !options.includeHidden && name.hasPrefix(".") { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            if options.exclude.contains(where: { matches($0, name) || matches($0, path) }) { continue }
            var st = stat()
            guard stat(path, &st) == 0 else {
                errors.append(ZhibiaoError(.unreadable, path: path, String(cString: strerror(errno))))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let id = FileID(st)
                if seen.contains(id) {
                    errors.append(ZhibiaoError(.unreadable, path: path, "directory loop (a symbolic link back to a folder being walked); skipped"))
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
}

/// File lists (`--files-from`) and deterministic shares of the input set (`--shard K/N`).
public enum InputList {
    /// Reads a list of paths from `source` (a file, or standard input): NUL-separated when
    /// the list holds a NUL byte, else one path a line (LF or CRLF). Empty entries are skipped.
    public static func read(from source: InputSource) throws(ZhibiaoError) -> [String] {
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
    public static func parse(_ bytes: [UInt8]) -> [String] {
        let separator: UInt8 = bytes.contains(0) ? 0 : 0x0A
        return bytes.split(separator: separator, omittingEmptySubsequences: true).compactMap { entry in
            var e = entry[...]
            if separator == 0x0A, e.last == 0x0D { e = e.dropLast() }
            return e.isEmpty ? nil : String(decoding: e, as: UTF8.self)
        }
    }

    /// FNV-1a, 64 bits, of the UTF-8 bytes of `s`: the same on every machine and every run
    /// (unlike Swift's seeded `Hasher`).
    public static func fnv1a64(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The inputs of share `k` (0-based) of `n`: those whose path hashes to k modulo n.
    /// The n shares partition the inputs; the order of the kept inputs is unchanged.
    public static func shard(_ inputs: [InputSource], k: Int, of n: Int) -> [InputSource] {
        precondition(n >= 1 && k >= 0 && k < n, "shard k/n needs 0 <= k < n")
        return inputs.filter { fnv1a64($0.displayName) % UInt64(n) == UInt64(k) }
    }
}

extension InputFiles {
    /// The total size of the regular files among `inputs` (for the progress line's ETA).
    public static func totalSize(_ inputs: [InputSource]) -> Int {
        var total = 0
        for case .file(let path) in inputs {
            var st = stat()
            if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { total += Int(st.st_size) }
        }
        return total
    }
}
