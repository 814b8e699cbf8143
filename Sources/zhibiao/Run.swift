import Extraction
import FoundationEssentials   // Date (not Foundation: ~5 ms of start-up)
#if canImport(Glibc)
import Glibc
#endif
import Input
import Output
import ZhibiaoCore

/// Writes messages to standard error, one line each; keeps a progress line (if any) below them.
final class ErrorReporter: @unchecked Sendable {
    // SAFETY: `status` is only touched under `lock`.
    private let lock = ThreadCondition()
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
}

/// Writes `text` to standard error (file descriptor 2) unbuffered, all of it.
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; return }
        offset += n
    }
}

/// The progress line on a terminal: files done/total, bytes, MB/s, rows, elapsed and ETA,
/// redrawn four times a second by its own thread.
final class Progress: @unchecked Sendable {
    // SAFETY: the counters are only touched under `lock`.
    private let lock = ThreadCondition()
    private let reporter: ErrorReporter
    private let totalFiles: Int
    private let totalBytes: Int
    private let started = Date()
    private var files = 0, bytes = 0, rows = 0, errors = 0
    private var stopped = false
    /// The thread that redraws the line; `stop` waits for it.
    private var redraw: JoinableThread<Void>?

    init(reporter: ErrorReporter, totalFiles: Int, totalBytes: Int) {
        self.reporter = reporter
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
        redraw = JoinableThread { [self] in
            while true {
                usleep(250_000)
                lock.lock()
                let stop = stopped
                let line = stop ? nil : self.line()
                lock.unlock()
                if stop { break }
                reporter.setStatus(line)
            }
        }
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
        _ = redraw?.join()
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
            + cFormat("%.1f/%.1f MB, %.1f MB/s, ", Double(bytes) / 1e6, Double(totalBytes) / 1e6, rate)
            + "\(rows) rows, \(Self.clock(elapsed)), \(eta)"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? cFormat("%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60) : cFormat("%ld:%02ld", s / 60, s % 60)
    }
}
