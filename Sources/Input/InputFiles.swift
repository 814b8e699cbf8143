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
    public init(include: [String] = ["*.txt"], exclude: [String] = [], includeHidden: Bool = false) {
        self.include = include; self.exclude = exclude; self.includeHidden = includeHidden
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
            } else if (st.st_mode & S_IFMT) == S_IFREG, options.include.contains(where: { matches($0, name) }) {
                found.append(path)
            }
        }
    }

    /// Shell-style glob match (`*`, `?`, `[...]`) through fnmatch(3).
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}

/// Reads a whole input into memory.
public enum InputReader {
    /// Reads all bytes of `source`.
    /// - Throws: `.missingPath` or `.unreadable` naming the file and the system's reason.
    public static func readAll(_ source: InputSource) throws(ZhibiaoError) -> [UInt8] {
        let fd: Int32
        switch source {
        case .standardInput: fd = 0
        case .file(let path):
            fd = open(path, O_RDONLY)
            if fd < 0 {
                throw ZhibiaoError(errno == ENOENT ? .missingPath : .unreadable, path: path, String(cString: strerror(errno)))
            }
        }
        defer { if fd != 0 { close(fd) } }
        var out: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { out.reserveCapacity(Int(st.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ZhibiaoError(.unreadable, path: source.displayName, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}
