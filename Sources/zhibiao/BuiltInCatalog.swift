import Extraction
import Foundation
import PatternCatalog
import ZhibiaoCore

/// The built-in pattern catalog and its engine (compiled without JIT), built on a second
/// thread while ArgumentParser reads the command line and the inputs are listed: together
/// they are more than half of start-up. A run without `--patterns` takes the catalog, and
/// the engine too when its inputs are too small to pay for JIT. `--help`, `--version` and
/// runs with `--patterns` do not start it.
final class BuiltInCatalog: @unchecked Sendable {
    // SAFETY: `catalog` and `engine` are only touched under `condition`.
    private let condition = NSCondition()
    private var catalog: Result<PatternCatalog, ZhibiaoError>?
    private var engine: Result<ExtractionEngine, ZhibiaoError>?

    nonisolated(unsafe) private static var started: BuiltInCatalog?

    /// Starts building when `arguments` (without the program name) may run an extraction
    /// with the built-in patterns only. Call once, before parsing.
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
            reader.publish { $0.catalog = catalog }
            let engine = catalog.flatMap { c in Result { () throws(ZhibiaoError) in try ExtractionEngine(catalog: c, jit: false) } }
            reader.publish { $0.engine = engine }
        }
    }

    private func publish(_ set: (BuiltInCatalog) -> Void) {
        condition.lock()
        set(self)
        condition.broadcast()
        condition.unlock()
    }

    private func wait<T>(_ get: (BuiltInCatalog) -> Result<T, ZhibiaoError>?) throws(ZhibiaoError) -> T {
        condition.lock()
        defer { condition.unlock() }
        while get(self) == nil { condition.wait() }
        return try get(self)!.get()
    }

    /// The built-in catalog, waiting for it if need be; nil when it was not started.
    static func take() throws(ZhibiaoError) -> PatternCatalog? {
        guard let reader = started else { return nil }
        return try reader.wait { $0.catalog }
    }

    /// The engine of the built-in catalog without JIT, waiting for it if need be; nil when
    /// it was not started.
    static func takeEngineWithoutJIT() throws(ZhibiaoError) -> ExtractionEngine? {
        guard let reader = started else { return nil }
        return try reader.wait { $0.engine }
    }
}
