import ArgumentParser
import Foundation
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
        version: "0.1.0",
        subcommands: [Extract.self],
        defaultSubcommand: Extract.self
    )

    /// Parses and runs, and turns every failure into one `zhibiao: …` line on standard error
    /// and its documented exit status (see `ExitStatus`); ArgumentParser's own `Error:` lines
    /// and its status 64 are rewritten to the same style and to 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
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
                Foundation.exit(ExitStatus.success)
            }
            if let exit = error as? ExitCode, exit == ExitCode(ExitStatus.inputFailed) {
                Foundation.exit(ExitStatus.inputFailed)   // the failures are already on standard error
            }
            let text = message.hasPrefix("Error: ") ? "zhibiao: " + message.dropFirst(7) : "zhibiao: " + message
            fail(text, status: ExitStatus.usage)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status)
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

/// A usage problem that needs no usage text (a broken `--patterns` file names its file and
/// line already): printed as one line, exit status 2.
struct UsageFailure: Error {
    var message: String
}
