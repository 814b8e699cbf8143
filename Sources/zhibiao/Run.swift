import Extraction
import Foundation
import Input
import Output
import ZhibiaoCore

/// Writes messages to standard error, one line each; keeps a progress line (if any) below them.
final class ErrorReporter: @unchecked Sendable {
    // SAFETY: `status` is only touched under `lock`.
    private let lock = NSLock()
    private var status: String?

    func report(_ error: ZhibiaoError) { note("zhibiao: \(error)") }

    func note(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        var text = status == nil ? "" : "\r\u{1B}[K"
        text += line + "\n"
        if let status { text += status }
        writeStandardError(text)
    }

    /// Shows `line` as the progress line (replacing the last one); nil clears it.
    func setStatus(_ line: String?) {
        lock.lock()
        defer { lock.unlock() }
        status = line
        writeStandardError("\r" + (line ?? "") + "\u{1B}[K")
    }

    private func writeStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { Foundation.write(2, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}

/// The progress line on a terminal: files done/total, bytes, MB/s, rows, elapsed and ETA,
/// redrawn four times a second by its own thread.
final class Progress: @unchecked Sendable {
    // SAFETY: the counters are only touched under `lock`.
    private let lock = NSLock()
    private let reporter: ErrorReporter
    private let totalFiles: Int
    private let totalBytes: Int
    private let started = Date()
    private var files = 0, bytes = 0, rows = 0, errors = 0
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(reporter: ErrorReporter, totalFiles: Int, totalBytes: Int) {
        self.reporter = reporter
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
        let t = Thread { [self] in
            while true {
                usleep(250_000)
                lock.lock()
                let stop = stopped
                let line = stop ? nil : self.line()
                lock.unlock()
                if stop { break }
                reporter.setStatus(line)
            }
            finished.signal()
        }
        t.start()
    }

    func update(files: Int, bytes: Int, rows: Int, errors: Int) {
        lock.lock()
        (self.files, self.bytes, self.rows, self.errors) = (files, bytes, rows, errors)
        lock.unlock()
    }

    /// Stops the redraws and clears the line.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        finished.wait()
        reporter.setStatus(nil)
    }

    private func line() -> String {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(bytes) / 1e6 / elapsed : 0
        var eta = "ETA --"
        if totalBytes > 0, bytes > 0 {
            eta = "ETA " + Self.clock(elapsed * Double(max(0, totalBytes - bytes)) / Double(bytes))
        }
        return "zhibiao: \(files)/\(totalFiles) files, "
            + String(format: "%.1f/%.1f MB, %.1f MB/s, ", Double(bytes) / 1e6, Double(totalBytes) / 1e6, rate)
            + "\(rows) rows, \(Self.clock(elapsed)), \(eta)"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// The reader of the output went away (`zhibiao extract … | head`): not a failure, the
/// run stops quietly with status 0, as `rg` and `head`'s other neighbours do.
struct OutputClosed: Error {}

/// Standard output, or a file written through a temporary file in the same folder and
/// renamed into place by `commit()`: an interrupted run never leaves a truncated file
/// where a good one was.
final class OutputSink {
    let path: String?
    let temporaryPath: String?
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// - Parameter path: the output file; nil or `-` is standard output.
    init(path: String?) throws {
        guard let path, path != "-" else { self.path = nil; fd = 1; temporaryPath = nil; return }
        self.path = path
        // Not a regular file (/dev/null, a FIFO, a terminal): write to it directly; renaming
        // a temporary file over a device would replace the device.
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw ZhibiaoError(.output, path: path, "cannot open the output: \(String(cString: strerror(errno)))")
            }
            self.fd = fd
            temporaryPath = nil
            return
        }
        // The temporary file goes beside the output: same folder, so the rename stays on one
        // file system. (Split by hand: NSString's path methods trap on one-character names.)
        let bytes = Array(path.utf8)
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let dir = slash.map { String(decoding: bytes[...$0], as: UTF8.self) } ?? "./"
        let base = String(decoding: bytes[(slash.map { $0 + 1 } ?? 0)...], as: UTF8.self)
        var template = Array(PartialOutput.template(directory: dir, base: base).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ZhibiaoError(.output, path: path, "cannot create the output file: \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o644)
        self.fd = fd
        temporaryPath = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Small pieces are gathered into 1 MiB writes; a piece of 1 MiB or more (a big chunk's
    /// rows) goes out as it is, without a copy.
    func write(_ bytes: [UInt8]) throws {
        if bytes.count >= 1 << 20 {
            try flush()
            try writeAll(bytes)
            return
        }
        buffer += bytes
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw OutputClosed() }
                throw ZhibiaoError(.output, path: path ?? "standard output", "write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Flushes and, for a file, renames the temporary file over the destination.
    func commit() throws {
        try flush()
        guard let path, let temporaryPath else {
            if path != nil { close(fd) }
            return
        }
        guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
            throw ZhibiaoError(.output, path: path, "could not finish writing: \(String(cString: strerror(errno)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            unlink(temporaryPath)
            throw ZhibiaoError(.output, path: path, "could not rename the finished output into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the temporary file after a failure; the destination is left as it was.
    func abandon() {
        if let temporaryPath { close(fd); unlink(temporaryPath) } else if path != nil { close(fd) }
    }
}
