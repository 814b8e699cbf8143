import Extraction
#if canImport(Glibc)
import Glibc
#endif
import PatternCatalog
import ZhibiaoCore

/// The built-in pattern catalog and its engine (compiled without JIT), built on a second
/// thread while ArgumentParser reads the command line and the inputs are listed: together
/// they are more than half of start-up. A run without `--patterns` takes the catalog, and
/// the engine too when its inputs are too small to pay for JIT. `--help`, `--version` and
/// runs with `--patterns` do not start it.
final class BuiltInCatalog: @unchecked Sendable {
    // SAFETY: `catalog` and `engine` are only touched under `condition`; `buildsEngine` is
    // set before the thread starts and never changed.
    private let condition = ThreadCondition()
    private var catalog: Result<PatternCatalog, ZhibiaoError>?
    private var engine: Result<ExtractionEngine, ZhibiaoError>?
    /// False when the inputs looked too large for an engine without JIT: none is built.
    private var buildsEngine = false

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
        let engineToo = probablySmallInputs(arguments)
        reader.buildsEngine = engineToo
        started = reader
        detachThread {
            let catalog = Result { () throws(ZhibiaoError) in try PatternCatalog() }
            reader.publish { $0.catalog = catalog }
            guard engineToo else { return }
            let engine = catalog.flatMap { c in Result { () throws(ZhibiaoError) in try ExtractionEngine(catalog: c, jit: false) } }
            reader.publish { $0.engine = engine }
        }
    }

    /// A guess, before parsing, that the run reads too little to JIT-compile its pattern (the
    /// engine built here has no JIT, and one built for nothing costs 13 M instructions): the
    /// arguments name existing regular files only, under `Extract.jitThreshold` bytes in
    /// all, and no folder, standard input or list of files. `run` decides on the real inputs.
    static func probablySmallInputs(_ arguments: [String]) -> Bool {
        var total = 0
        var files = 0
        var positional = false
        for a in arguments {
            if !positional {
                if a == "--" { positional = true; continue }
                if a == "-" || a.hasPrefix("--files-from") { return false }
                if a.hasPrefix("-") { continue }
            }
            var st = stat()
            guard stat(a, &st) == 0 else { continue }          // an option's value, a subcommand
            if (st.st_mode & S_IFMT) == S_IFDIR { return false }
            if (st.st_mode & S_IFMT) == S_IFREG { total += Int(st.st_size); files += 1 }
        }
        return files > 0 && total <= Extract.jitThreshold
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
    /// it was not started or not built.
    static func takeEngineWithoutJIT() throws(ZhibiaoError) -> ExtractionEngine? {
        guard let reader = started, reader.buildsEngine else { return nil }
        return try reader.wait { $0.engine }
    }
}
