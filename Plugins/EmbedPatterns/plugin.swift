// EmbedPatterns: a build-tool plugin that embeds the top-level patterns/ folder into the
// target it is applied to (PatternCatalog), as EmbeddedPatterns.files. Example files
// (*.examples.tsv) are test data and stay out of the binary.
import Foundation
import PackagePlugin

@main
struct EmbedPatterns: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "patterns")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { ($0.hasSuffix(".tsv") || $0.hasSuffix(".pcre")) && !$0.hasSuffix(".examples.tsv") }
            .sorted()
        let inputs = names.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPatterns.swift")
        return [
            .buildCommand(
                displayName: "Embedding patterns/ into \(target.name)",
                executable: try context.tool(named: "PatternEmbedder").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
