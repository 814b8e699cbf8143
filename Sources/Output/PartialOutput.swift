#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names of the temporary file that `-o FILE` is written through, and the removal of ones a
/// killed run left behind. The name says what it is and who wrote it:
/// `.FILE.zhibiao-partial.HOST.PID.XXXXXX` beside FILE. SIGINT, SIGTERM and SIGHUP remove it;
/// after a SIGKILL or a crash it stays until the next run with the same `-o` removes it.
public enum PartialOutput {
    static let marker = ".zhibiao-partial."

    /// This machine's name, as used in the temporary name (dots and slashes replaced).
    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        let name = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let safe = name.map { $0 == "." || $0 == "/" ? "-" : $0 }
        return safe.isEmpty ? "host" : String(safe)
    }()

    /// The mkstemp(3) template for output `base` in folder `directory` (which ends in `/`).
    static func template(directory: String, base: String) -> String {
        directory + "." + base + marker + host + "." + String(getpid()) + ".XXXXXX"
    }

    /// Removes the temporary files of earlier runs for the output `base` in `directory` that
    /// provably died: written on this machine by a process that no longer exists. Others are
    /// left alone (another machine's run on a shared folder, or one still running). Returns
    /// the removed names.
    @discardableResult
    public static func removeStale(in directory: String, base: String) -> [String] {
        guard !base.isEmpty, let d = opendir(directory) else { return [] }
        defer { closedir(d) }
        let prefix = "." + base + marker + host + "."
        let prefixBytes = Array(prefix.utf8)
        var removed: [String] = []
        while let entry = readdir(d) {
            // The prefix is compared on the entry's bytes, and only a match becomes a String:
            // the folder may hold thousands of other files (the reports themselves), and a
            // String for each name cost ~700 instructions.
            let candidate = withUnsafeBytes(of: entry.pointee.d_name) { $0.starts(with: prefixBytes) }
            guard candidate else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let rest = String(decoding: name.utf8.dropFirst(prefixBytes.count), as: UTF8.self)
                .split(separator: ".", omittingEmptySubsequences: false)
            guard rest.count == 2, rest[1].count == 6, let pid = Int32(rest[0]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH, unlink(directory + name) == 0 { removed.append(name) }
        }
        return removed
    }
}
