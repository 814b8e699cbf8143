#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZhibiaoCore

/// Which file a path names (device and inode, symbolic links followed): how an input that
/// is the output file itself is recognised, whatever path leads to it.
public struct FileIdentity: Hashable, Sendable {
    /// The file system's device number (`st_dev`).
    public let device: UInt64
    /// The file's inode number on that device (`st_ino`).
    public let inode: UInt64

    /// The identity of the regular file at `path`, or nil (missing, not a regular file).
    public init?(path: String) {
        guard let identity = path.withCString(FileIdentity.init(cPath:)) else { return nil }
        self = identity
    }

    /// The same for a path given as a C string (raw bytes, not necessarily UTF-8).
    public init?(cPath: UnsafePointer<CChar>) {
        var st = stat()
        guard stat(cPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}

/// The reader of standard output went away (`zhibiao extract … | head`): not a failure, the
/// run stops quietly with status 0, as `rg` and `head`'s other neighbours do.
public struct OutputClosed: Error {}

/// Standard output, or a file written through a temporary file in the same folder and
/// renamed into place by `commit()`: an interrupted or failed run never leaves a truncated
/// file where a good one was.
///
/// Safety rules for `-o FILE`, as careful Unix tools behave:
/// - a symbolic link is written through: the link stays, its target gets the new content;
/// - an existing file keeps its permission bits (and owner, when we may set it); a new file
///   gets 0666 minus the umask, like a file made by the shell's `>`;
/// - an existing file we may not write (read-only, someone else's) is refused, even when the
///   folder would let us replace it;
/// - a device, FIFO or terminal (`/dev/null`, `/dev/stdout`) is written directly.
public final class AtomicOutputFile: OutputDestination {
    /// The path as given; nil for standard output.
    public let path: String?
    /// Where the content ends up: `path` with symbolic links followed.
    public let target: String?
    /// The hidden file the content is written to before the rename; nil for standard output,
    /// a device, or once committed.
    public private(set) var temporaryPath: String?
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// The temporary file was handed to another writer (`releaseTemporaryFile`).
    private var released = false

    /// - Parameters:
    ///   - path: the output file; nil or `-` is standard output.
    ///   - requireRegularFile: refuse anything but a regular file (or a new one): the xlsx
    ///     writer needs a file it can finish by name.
    public init(path: String?, requireRegularFile: Bool = false) throws(ZhibiaoError) {
        guard let path, path != "-" else {
            if requireRegularFile {
                throw ZhibiaoError(.output, path: "standard output", "this format can only be written to a file (use -o FILE)")
            }
            self.path = nil; target = nil; fd = 1; temporaryPath = nil
            return
        }
        self.path = path
        let target = try Self.followingLinks(path)
        self.target = target
        var mode = 0o666 & ~Self.currentUmask()
        var owner: (uid_t, gid_t)?
        var st = stat()
        if stat(target, &st) == 0 {
            if (st.st_mode & S_IFMT) != S_IFREG {
                // Not a regular file (/dev/null, a FIFO, a terminal): write to it directly;
                // renaming a temporary file over a device would replace the device.
                if requireRegularFile {
                    throw ZhibiaoError(.output, path: path, "not a regular file; an .xlsx workbook can only be written to one")
                }
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    throw ZhibiaoError(.output, path: path, "is a directory")
                }
                let fd = open(target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw ZhibiaoError(.output, path: path, "cannot open the output: \(Self.lastError())")
                }
                self.fd = fd
                temporaryPath = nil
                return
            }
            // Replacing the file by rename needs only the folder's permission; refuse a file
            // we could not have written in place (read-only, or another user's).
            guard access(target, W_OK) == 0 else {
                throw ZhibiaoError(.output, path: path, "cannot write the output: \(Self.lastError()) (the existing file is not writable; it is left as it is)")
            }
            mode = mode_t(st.st_mode & 0o7777)
            owner = (st.st_uid, st.st_gid)
        }
        // The temporary file goes beside the target: same folder, so the rename stays on one
        // file system. (Split by hand: NSString's path methods trap on one-character names.)
        let (dir, base) = Self.split(target)
        PartialOutput.removeStale(in: dir, base: base)   // left by a killed run
        var template = Array(PartialOutput.template(directory: dir, base: base).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ZhibiaoError(.output, path: path, "cannot create the output file: \(Self.lastError())")
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        fchmod(fd, mode)
        if let (uid, gid) = owner, uid != geteuid() || gid != getegid() {
            _ = fchown(fd, uid, gid)   // keeps the owner when we may (root); harmless otherwise
            fchmod(fd, mode)           // chown clears set-id bits
        }
        self.fd = fd
        temporaryPath = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` with its symbolic links followed (the last component, repeatedly); a dangling
    /// link gives its target, which the commit creates.
    static func followingLinks(_ path: String) throws(ZhibiaoError) -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
            var bytes = [CChar](repeating: 0, count: 4097)
            let n = readlink(current, &bytes, 4096)
            guard n > 0 else { return current }
            let link = String(decoding: bytes[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : split(current).dir + link
        }
        throw ZhibiaoError(.output, path: path, "too many levels of symbolic links")
    }

    /// The folder part (with its slash, `./` when none) and the name part of a path.
    static func split(_ path: String) -> (dir: String, base: String) {
        let bytes = Array(path.utf8)
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let dir = slash.map { String(decoding: bytes[...$0], as: UTF8.self) } ?? "./"
        let base = String(decoding: bytes[(slash.map { $0 + 1 } ?? 0)...], as: UTF8.self)
        return (dir, base)
    }

    static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    /// The folder the output goes to (for helper files on the same disk); nil for standard output.
    public var folder: String? { target.map { Self.split($0).dir } }

    /// Hands the temporary file over to a writer that writes it by name (libxlsxwriter):
    /// closes our descriptor and returns the path; `commit()` then syncs and renames it.
    public func releaseTemporaryFile() -> String? {
        guard let temporaryPath, !released else { return nil }
        released = true
        close(fd)
        return temporaryPath
    }

    /// Small pieces are gathered into 1 MiB writes; a piece of 1 MiB or more (a big chunk's
    /// rows) goes out as it is, without a copy.
    public func write(_ bytes: [UInt8]) throws {
        if bytes.count >= 1 << 20 {
            try flush()
            try writeAll(bytes)
            return
        }
        buffer += bytes
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes out what `write` has gathered.
    public func flush() throws {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        precondition(!released || bytes.isEmpty, "the temporary file was handed to another writer")
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE && path == nil { throw OutputClosed() }
                throw ZhibiaoError(.output, path: path ?? "standard output", "write failed: \(Self.lastError())")
            }
            offset += n
        }
    }

    /// Flushes and, for a file, renames the temporary file over the destination.
    public func commit() throws {
        try flush()
        guard let path, let temporaryPath, let target else {
            if path != nil { close(fd) }
            return
        }
        if released {
            // Written by name by another writer: sync what it wrote.
            let synced = open(temporaryPath, O_RDONLY | O_CLOEXEC)
            guard synced >= 0 else {
                throw ZhibiaoError(.output, path: path, "could not finish writing: \(Self.lastError())")
            }
            _ = fsync(synced)
            close(synced)
        } else {
            guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
                let reason = Self.lastError()
                unlink(temporaryPath)
                throw ZhibiaoError(.output, path: path, "could not finish writing: \(reason)")
            }
        }
        guard rename(temporaryPath, target) == 0 else {
            let reason = Self.lastError()
            unlink(temporaryPath)
            throw ZhibiaoError(.output, path: path, "could not rename the finished output into place: \(reason)")
        }
        self.temporaryPath = nil
    }

    /// Removes the temporary file after a failure; the destination is left as it was.
    public func abandon() {
        if let temporaryPath {
            if !released { close(fd) }
            unlink(temporaryPath)
            self.temporaryPath = nil
        } else if path != nil {
            close(fd)
        }
    }
}
