import Foundation
import PatternCatalog
import ZhibiaoCore

/// The built-in pattern catalog, read on a second thread while ArgumentParser reads the
/// command line (about a third of start-up each): a run without `--patterns` then finds it
/// ready. `--help`, `--version` and runs with `--patterns` do not start it.
final class BuiltInCatalog: @unchecked Sendable {
    // SAFETY: `result` is only touched under `condition`.
    private let condition = NSCondition()
    private var result: Result<PatternCatalog, ZhibiaoError>?

    nonisolated(unsafe) private static var started: BuiltInCatalog?

    /// Starts reading the catalog when `arguments` (without the program name) may run an
    /// extraction with the built-in patterns only. Call once, before parsing.
    static func startReading(for arguments: [String]) {
        for a in arguments {
            switch a {
            case "--": break
            case "-h", "--help", "help", "--version", "--generate-completion-script", "--experimental-dump-help": return
            default: if a.hasPrefix("--patterns") { return }; continue
            }
            break
        }
        let reader = BuiltInCatalog()
        started = reader
        Thread.detachNewThread {
            let catalog = Result { () throws(ZhibiaoError) in try PatternCatalog() }
            reader.condition.lock()
            reader.result = catalog
            reader.condition.broadcast()
            reader.condition.unlock()
        }
    }

    /// The catalog read by `startReading`, waiting for it if need be; nil when it was not started.
    static func take() throws(ZhibiaoError) -> PatternCatalog? {
        guard let reader = started else { return nil }
        reader.condition.lock()
        defer { reader.condition.unlock() }
        while reader.result == nil { reader.condition.wait() }
        return try reader.result!.get()
    }
}
