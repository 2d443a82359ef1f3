import Foundation

/// Renders an evaluation as Markdown (`report.md`): verdict, provenance and data quality first, then gates, KPIs
/// and methods.
public enum MarkdownReport {
    /// The Markdown text.
    /// - Parameters:
    ///   - report: The result record.
    ///   - replications: Replication summary rows, when several runs were evaluated.
    /// - Returns: The document.
    public static func render(_ report: EvaluationReport, replications: [ReplicationRow] = []) -> String {
        var lines: [String] = []
        lines.append("# Pilot evaluation: \(report.scenario.id)")
        lines.append("")
        lines.append("**Overall: \(report.overall.rawValue)** — \(report.overallReason)")
        lines.append("")
        lines.append("## Provenance and data quality")
        lines.append("")
        let q = report.log.quality
        lines.append("| item | value |")
        lines.append("|---|---|")
        let rows: [(String, String)] = [
            ("evaluator", "fleet-eval \(report.evaluator.version) \(report.evaluator.commit ?? "")"),
            ("scenario file", "\(report.scenario.file ?? "-") sha256 `\(report.scenario.sha256 ?? "-")`"),
            ("journal", "\(report.log.path ?? "-") sha256 `\(report.log.sha256 ?? "-")`"),
            ("run [T0, T1]", report.scenario.run.joined(separator: " .. ")),
            ("window W", report.scenario.window.joined(separator: " .. ")),
            (
                "warm-up / cool-down",
                "\(Format.number(report.scenario.warmupS)) s / \(Format.number(report.scenario.cooldownS)) s"
            ),
            ("records / undecodable", "\(q.events) / \(q.undecodable)"),
            ("out of time order", "\(q.outOfOrder)"),
            ("tasks without created / duplicate terminals", "\(q.tasksWithoutCreated) / \(q.duplicateTerminals)"),
            ("link losses in W (offline, broken, stale)", "\(q.linkLosses)"),
            ("records outside [T0, T1] (not evaluated)", "\(q.recordsOutsideRun)"),
            ("longest journal silence", "\(Format.number(q.longestGapSeconds)) s"),
            ("coverage of the run", "\(Format.number(q.coverage * 100)) %"),
            ("open tasks at T1 (censored)", "\(q.openTasks)"),
            ("Little's law L̄ / (λ·E[QW])", q.littlesLawRatio.map { String(format: "%.4f", $0) } ?? "-"),
        ]
        for (item, value) in rows { lines.append("| \(item) | \(value) |") }
        lines.append("")
        lines.append("## Gates")
        lines.append("")
        lines.append("| gate | observed | n | n required | verdict | reason |")
        lines.append("|---|---|---|---|---|---|")
        for gate in report.gates {
            lines.append(
                "| \(gate.id) | \(Format.number(gate.observed)) | \(Format.number(gate.n)) | "
                    + "\(gate.nRequired.map(String.init) ?? "-") | \(gate.verdict.rawValue) | \(gate.reason) |")
        }
        lines.append("")
        lines.append("## KPIs")
        lines.append("")
        lines.append("| KPI | id | estimate | 95 % CI | method | n | target | verdict | reason |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for kpi in report.kpis {
            lines.append(
                "| \(kpi.name) (\(kpi.catalogue)) | `\(kpi.id)` | \(Format.number(kpi.estimate)) \(kpi.unit) | "
                    + "\(Format.interval(kpi.ci)) | \(kpi.ci?.method ?? "-") | \(kpi.n) | \(kpi.target?.text ?? "-") | "
                    + "\(kpi.verdict?.rawValue ?? "-") | \(kpi.reason) |")
        }
        if !replications.isEmpty {
            lines.append("")
            lines.append("## Replications")
            lines.append("")
            lines.append("| KPI | per run | mean | 95 % CI (t over runs) |")
            lines.append("|---|---|---|---|")
            for row in replications {
                lines.append(
                    "| `\(row.id)` | \(row.values.map { Format.number($0) }.joined(separator: ", ")) | "
                        + "\(Format.number(row.mean)) | \(Format.interval(row.ci)) |")
            }
        }
        lines.append("")
        lines.append("## Methods")
        lines.append("")
        lines.append("- Population: \(report.methods.population).")
        lines.append("- Censoring: \(report.methods.censoring).")
        lines.append("- Percentiles: \(report.methods.percentile).")
        lines.append("- Robot state precedence: \(report.methods.statePrecedence).")
        lines.append("- Formulas:")
        for kpi in report.kpis where kpi.formula != "-" { lines.append("  - `\(kpi.id)`: \(kpi.formula)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
