import ArgumentParser

/// `fleet-eval`: evaluates pilot runs against the scenario's KPI targets (evaluate), compares two sets of runs
/// (compare) and shows live KPIs from a running daemon (live).
@main
struct FleetEval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet-eval",
        abstract: "Evaluate FleetPilot runs: KPIs with confidence intervals, verdicts against targets, reports.",
        subcommands: [EvaluateCommand.self, CompareCommand.self, LiveCommand.self])
}
