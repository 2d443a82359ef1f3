import Foundation

/// Renders a ``RunSummary`` as a plain-text table for the terminal.
///
/// ```
/// factory-default  2026-11-30T06:00:00.000Z .. 2026-11-30T14:00:00.000Z (8.00 h)
///   tasks       created 528  completed 528  failed 0  cancelled 0  rejected 0  open 0
///   throughput  66.0 /h
///                    p50       p95      mean       max      n
///   assign         0.0 s     3.1 s ...
/// ```
public enum SummaryTable {
    /// The table.
    /// - Parameters:
    ///   - summary: The summary.
    ///   - maxRobots: At most this many robot rows (the rest are summarised in one line).
    /// - Returns: Lines joined with `\n`, newline-terminated.
    public static func render(_ summary: RunSummary, maxRobots: Int = 40) -> String {
        var lines: [String] = []
        let title = summary.scenario ?? "run"
        lines.append("\(title)  \(summary.window.start) .. \(summary.window.end) (\(fixed(summary.window.hours)) h)")
        let t = summary.tasks
        lines.append(
            "  tasks        created \(t.created)  completed \(t.completed)  failed \(t.failed)  "
                + "cancelled \(t.cancelled)  rejected \(t.rejected)  open \(t.open)")
        if !t.openTaskIDs.isEmpty {
            let shown = t.openTaskIDs.prefix(20).joined(separator: " ")
            let more = t.openTaskIDs.count > 20 ? " ... (+\(t.openTaskIDs.count - 20))" : ""
            lines.append("  open tasks   \(shown)\(more)")
        }
        lines.append("  throughput   \(fixed(summary.throughputPerHour, 1)) tasks/h")
        lines.append(
            "  events       requeues \(summary.requeues)  reassignments \(summary.reassignments)  faults "
                + "\(summary.faults.values.reduce(0, +))  records \(summary.records.decoded)"
                + (summary.records.undecodable > 0 ? "  undecodable \(summary.records.undecodable)" : ""))
        if !summary.failureReasons.isEmpty {
            let reasons = summary.failureReasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  failures     " + reasons.joined(separator: "  "))
        }
        if t.duplicateTerminalRecords > 0 || t.recordsAfterFinish > 0 || !t.withoutCreated.isEmpty {
            lines.append(
                "  data quality duplicate terminals \(t.duplicateTerminalRecords)  after finish "
                    + "\(t.recordsAfterFinish)  without created \(t.withoutCreated.count)")
        }
        lines.append("")
        lines.append("  " + pad("seconds", 14) + ["p50", "p95", "mean", "max", "n"].map { left($0, 10) }.joined())
        for (name, distribution) in [
            ("time to assign", summary.timeToAssign), ("wait", summary.waitTime), ("lead", summary.leadTime),
        ] {
            let figures = [distribution.p50, distribution.p95, distribution.mean, distribution.max]
            lines.append(
                "  " + pad(name, 14) + figures.map { left($0.map { fixed($0, 1) } ?? "-", 10) }.joined()
                    + left(String(distribution.count), 10))
        }
        lines.append("")
        lines.append("  utilisation  fleet \(percent(summary.fleetUtilisation))")
        let width = max(6, summary.robots.prefix(maxRobots).map(\.robot.count).max() ?? 0)
        if !summary.robots.isEmpty {
            lines.append("    " + pad("robot", width) + left("busy", 10) + left("util", 9) + left("done", 7))
        }
        for robot in summary.robots.prefix(maxRobots) {
            lines.append(
                "    " + pad(robot.robot, width) + left(fixed(robot.busySeconds / 3600, 2) + " h", 10)
                    + left(percent(robot.utilisation), 9) + left(String(robot.completed), 7))
        }
        if summary.robots.count > maxRobots {
            lines.append("    ... \(summary.robots.count - maxRobots) more robots (see summary.json)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int = 2) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `value` (0...1) as a percentage with one decimal.
    static func percent(_ value: Double) -> String { fixed(value * 100, 1) + " %" }

    /// `text` padded on the right to `width`.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` right-aligned in `width`.
    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
