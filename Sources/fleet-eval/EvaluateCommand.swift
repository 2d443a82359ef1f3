import ArgumentParser
import FleetConfig
import FleetEvaluation
import Foundation

/// `fleet-eval evaluate --journal J [--journal J2 ...] --scenario S [--out DIR]`.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate one run (or replications over seeds) against the scenario's targets.")

    @Option(name: .long, help: "A journal (journal.sqlite or journal.jsonl) or a run folder; repeat for replications.")
    var journal: [String] = []

    @Option(name: .long, help: "The scenario file with its targets.")
    var scenario: String

    @Option(name: .long, help: "Where to write report.json, report.md and report.html (default: the run folder).")
    var out: String?

    @Option(
        name: .long,
        help: "The runs' simulated length when it was not the scenario's (e.g. 2h after fleetctl pilot --duration 2h).")
    var duration: String?

    @Flag(name: .long, help: "No progress lines.")
    var quiet = false

    func run() throws {
        guard !journal.isEmpty else { throw ValidationError("give at least one --journal") }
        if let duration, (ScenarioLoader.parseDuration(duration) ?? 0) <= 0 {
            throw ValidationError("--duration '\(duration)' is not a positive duration like 8h, 30m or 600s")
        }
        do {
            try evaluate()
        } catch let error as EvalError {
            FileHandle.standardError.write(Data("fleet-eval: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func evaluate() throws {
        let input = try RunInput(
            scenarioPath: scenario, runSeconds: duration.flatMap { ScenarioLoader.parseDuration($0) })
        if let note = input.shortenedWindowNote { FileHandle.standardError.write(Data("fleet-eval: \(note)\n".utf8)) }
        var runs: [RunEvaluation] = []
        for (i, path) in journal.enumerated() {
            if !quiet && journal.count > 1 { progress("run \(i + 1)/\(journal.count)") }
            runs.append(try input.evaluate(journal: path, quiet: quiet))
        }
        let first = try RunInput.journalPath(journal[0])
        let folder = out ?? (first == journal[0] ? (first as NSString).deletingLastPathComponent : journal[0])
        var report = EvaluationReport(
            run: runs[0], scenarioName: input.scenario.name, scenarioFile: scenario, journalFile: first,
            commit: Self.commit(), command: CommandLine.arguments.joined(separator: " "))
        var rows: [ReplicationRow] = []
        if runs.count > 1 {
            rows = ReplicationRow.aggregate(runs, seed: input.settings.seed)
            let aggregate = ReplicationRow.verdicts(runs, rows: rows)
            report.kpis = aggregate.kpis
            report.overall = aggregate.overall
            report.overallReason = aggregate.reason + " (\(runs.count) replications)"
        }
        try write(String(decoding: try report.jsonData(), as: UTF8.self), to: folder + "/report.json")
        try write(MarkdownReport.render(report, replications: rows), to: folder + "/report.md")
        try write(HTMLReport.render(report, run: runs[0], replications: rows), to: folder + "/report.html")
        print(KPITable.render(report.kpis, title: "\(input.scenario.name): \(report.overall.rawValue)"))
        print(report.overallReason)
        print("reports: \(folder)/report.{json,md,html}")
    }

    /// The evaluator's git commit, when run from a checkout.
    static func commit() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return process.terminationStatus == 0 ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }
}
