import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Output
import ZhibiaoCore

/// The `zhibiao` command: subcommands per job; `extract` is the main one.
@main
struct Zhibiao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zhibiao",
        abstract: "Extract quantitative indicators (指标) from Chinese report text into CSV.",
        discussion: """
            Reads government work reports, annual reports and statistical communiqués and writes \
            one row per quantity: value, unit, kind, qualifier and the indicator's name.

            Example:
              zhibiao extract reports/ -o indicators.csv
            """,
        version: "zhibiao 0.1.0",
        subcommands: [Extract.self],
        defaultSubcommand: Extract.self
    )

    /// Parses and runs, and turns every failure into one `zhibiao: …` line on standard error
    /// and its documented exit status (see `ExitStatus`); ArgumentParser's own `Error:` lines
    /// and its status 64 are rewritten to the same style and to 2.
    static func main() {
        // A closed pipe on standard output shows up as EPIPE from write (OutputClosed), not as
        // a SIGPIPE that kills the process with status 141.
        signal(SIGPIPE, SIG_IGN)
        do {
            BuiltInCatalog.startReading(for: Array(CommandLine.arguments.dropFirst()))
            try rejectMistypedSubcommand(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot()
            try command.run()
        } catch is OutputClosed {
            Glibc.exit(0)
        } catch let failure as UsageFailure {
            fail("zhibiao: \(failure.message)", status: ExitStatus.usage)
        } catch let error as ZhibiaoError {
            // Input failures are reported as they happen and end in ExitCode(1); a ZhibiaoError
            // reaching here stopped the run: the output could not be written.
            let status = switch error.kind {
            case .output: ExitStatus.output
            case .usage, .pattern: ExitStatus.usage
            default: ExitStatus.inputFailed
            }
            fail("zhibiao: \(error)", status: status)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)   // --help, --version
                Glibc.exit(ExitStatus.success)
            }
            if let exit = error as? ExitCode, exit == ExitCode(ExitStatus.inputFailed) {
                Glibc.exit(ExitStatus.inputFailed)   // the failures are already on standard error
            }
            let text = message.hasPrefix("Error: ") ? "zhibiao: " + message.dropFirst(7) : "zhibiao: " + message
            fail(text, status: ExitStatus.usage)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        writeStandardError(message + "\n")
        Glibc.exit(status)
    }
}

/// The exit statuses, documented in `extract --help` and the README.
enum ExitStatus {
    /// Every input was read and the output written.
    static let success: Int32 = 0
    /// Some input could not be read (each named on standard error); the others were processed.
    static let inputFailed: Int32 = 1
    /// The command line was wrong: unknown option, bad value, broken --patterns, missing --files-from list.
    static let usage: Int32 = 2
    /// The output could not be created, written or renamed into place (-o FILE is left as it was).
    static let output: Int32 = 3
    // Interrupted: 128 + the signal (129 SIGHUP, 130 SIGINT, 143 SIGTERM), set in Signals.swift.
}

extension Zhibiao {
    /// `extract` is the default subcommand, so a misspelt `zhibiao extrat corpus/` would
    /// otherwise read `extrat` as a missing input; a first word close to a subcommand name
    /// that is not a path is refused instead, with the name it probably meant.
    static func rejectMistypedSubcommand(_ arguments: [String]) throws {
        guard let first = arguments.first, !first.hasPrefix("-"), !first.contains("/") else { return }
        // Names as configured (asking ArgumentParser for a derived name costs reflection at
        // every start-up); a subcommand without an explicit name falls back to that.
        let names = configuration.subcommands.map { $0.configuration.commandName ?? $0._commandName } + ["help"]
        guard !names.contains(first), access(first, F_OK) != 0 else { return }
        let word = first.lowercased()
        let guess = names.filter { name in
            editDistance(word, name) <= max(1, name.count / 3) || (word.count >= 3 && name.hasPrefix(word))
        }.first
        guard let guess else { return }
        throw UsageFailure(message: "'\(first)' is not a subcommand nor a file here; did you mean '\(guess)'? (zhibiao --help lists the subcommands)")
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit (`extarct`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

/// A usage problem that needs no usage text (a broken `--patterns` file names its file and
/// line already): printed as one line, exit status 2.
struct UsageFailure: Error {
    var message: String
}
