import ArgumentParser
import FleetEvaluation
import Foundation

/// `fleet-eval compare --a RUN... --b RUN... --scenario S [--out DIR]`: paired A/B differences per KPI.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sets of runs (two policies on the same seeds, paired in the order given).")

    @Option(name: .customLong("a"), parsing: .upToNextOption, help: "Runs (journals or run folders) of policy A.")
    var a: [String] = []

    @Option(name: .customLong("b"), parsing: .upToNextOption, help: "Runs of policy B, same seeds in the same order.")
    var b: [String] = []

    @Option(name: .long, help: "The scenario file (window and targets).")
    var scenario: String

    @Option(name: .long, help: "Where to write comparison.md and comparison.html (default: the current folder).")
    var out: String = "."

    @Flag(name: .long, help: "No progress lines.")
    var quiet = false

    func run() throws {
        guard !a.isEmpty, !b.isEmpty else { throw ValidationError("give runs for both --a and --b") }
        if a.count != b.count {
            progress(
                "warning: \(a.count) A runs and \(b.count) B runs; only the first \(min(a.count, b.count)) pairs count")
        }
        do {
            let input = try RunInput(scenarioPath: scenario)
            let runsA = try a.map { try input.evaluate(journal: $0, quiet: quiet) }
            let runsB = try b.map { try input.evaluate(journal: $0, quiet: quiet) }
            let comparison = ABComparison(a: runsA, b: runsB)
            let markdown = comparison.markdown()
            try write(markdown, to: out + "/comparison.md")
            try write(HTMLReport.render(comparison: comparison), to: out + "/comparison.html")
            print(markdown)
            print("reports: \(out)/comparison.{md,html}")
        } catch let error as EvalError {
            FileHandle.standardError.write(Data("fleet-eval: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
