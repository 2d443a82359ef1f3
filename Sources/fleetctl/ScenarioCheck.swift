import FleetConfig
import FleetEvaluation

/// Checks a scenario before `fleetctl pilot` starts anything, so that a broken file fails at once with its line
/// and field instead of after the run (fleetd, fleet-sim and fleet-eval read the same file).
enum ScenarioCheck {
    /// The problems of the scenario at `path`, run with `--robots robots` when given: it must load
    /// (``FleetConfig/ScenarioLoader``), every target must name a KPI and comparison the evaluator knows, and every
    /// robot a fault names must still be in a fleet resized by `--robots`.
    /// - Returns: One message per problem (`file:line: field: reason`); empty when the scenario is fine.
    static func problems(path: String, robots: Int?) -> [String] {
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader().load(path: path)
        } catch {
            return [error.description]
        }
        var problems: [String] = []
        for (i, target) in scenario.targets.enumerated() {
            do {
                _ = try KPICatalogue.target(
                    kpi: target.kpi ?? "", type: target.type, comparison: target.comparison,
                    threshold: target.threshold, gate: target.gate, reliability: target.reliability,
                    confidence: target.confidence, baseline: target.baseline)
            } catch {
                problems.append("\(path):\(target.line.map(String.init) ?? "?"): targets[\(i)]: \(error)")
            }
        }
        if let robots {
            let fleet = Set(scenario.robots(total: robots).map(\.id.serialNumber))
            for (i, fault) in scenario.faults.enumerated() {
                for robot in fault.robots where !fleet.contains(robot) {
                    problems.append(
                        "\(path):\(fault.line.map(String.init) ?? "?"): faults[\(i)].robots: '\(robot)' is not among "
                            + "the robots left by --robots \(robots)")
                }
            }
        }
        return problems
    }
}
