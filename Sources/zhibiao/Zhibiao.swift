import ArgumentParser
import Foundation

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

    /// Parses and runs; usage errors exit with status 2 (not ArgumentParser's 64), so that
    /// 0 = every input read, 1 = some inputs failed, 2 = the command line was wrong.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as UsageFailure {
            FileHandle.standardError.write(Data("zhibiao: \(failure.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == ExitCode(1) ? 1 : 2)
        }
    }
}

/// A usage problem that needs no usage text (a broken `--patterns` file names its file and
/// line already): printed as one line, exit status 2.
struct UsageFailure: Error {
    var message: String
}
