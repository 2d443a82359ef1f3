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
            (
                "robot report age on arrival p50 / p95 of magnitude (n)",
                q.reportAgeP50Seconds.map {
                    "\(Format.number($0)) s / \(Format.number(q.reportAgeP95Seconds ?? 0)) s (\(q.reportAgeSamples))"
                } ?? "- (no position samples with a robot timestamp)"
            ),
            (
                "simulated-time jumps (longest)",
                "\(q.clockJumps) (\(Format.number(q.longestClockJumpSeconds)) s)"
            ),
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
        lines += strataTables(report.kpis)
        if !replications.isEmpty {
            lines.append("")
            lines.append("## Replications")
            lines.append("")
            lines.append(
                "| KPI | per run | mean | 95 % CI (t over runs) | pooled Σk/Σn | 95 % CI (bootstrap) | method |")
            lines.append("|---|---|---|---|---|---|---|")
            for row in replications {
                lines.append(
                    "| `\(row.id)` | \(row.values.map { Format.number($0) }.joined(separator: ", ")) | "
                        + "\(Format.number(row.mean)) | \(Format.interval(row.ci)) | \(Format.number(row.pooled)) | "
                        + "\(Format.interval(row.bootstrap)) | \(row.bootstrap?.method ?? "-") |")
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

    /// The breakdowns: per task kind (throughput with its Garwood interval, success rate with Wilson) and per
    /// patrol waypoint (longest revisit gap).
    static func strataTables(_ kpis: [KPIResult]) -> [String] {
        var lines: [String] = []
        let throughput = kpis.first { $0.id == "throughput" }?.strata ?? [:]
        let success = kpis.first { $0.id == "success_rate" }?.strata ?? [:]
        let kinds = Set(throughput.keys).union(success.keys).sorted()
        if !kinds.isEmpty {
            lines += ["", "## Task kinds", ""]
            lines.append(
                "| kind | completed in W | throughput (tasks/h) | 95 % CI (garwood) | success | n | 95 % CI (wilson) |")
            lines.append("|---|---|---|---|---|---|---|")
            for kind in kinds {
                let th = throughput[kind]
                let sr = success[kind]
                lines.append(
                    "| \(kind) | \(th?.n ?? 0) | \(Format.number(th?.estimate ?? 0)) | \(Format.interval(th?.ci)) | "
                        + "\(Format.number(sr?.estimate)) | \(sr?.n ?? 0) | \(Format.interval(sr?.ci)) |")
            }
        }
        if let gaps = kpis.first(where: { $0.id == "patrol_revisit_gap_max" })?.strata, !gaps.isEmpty {
            lines += ["", "## Patrol waypoints", ""]
            lines.append("| waypoint | closed gaps | longest gap (s, incl. the open one at the end of W) |")
            lines.append("|---|---|---|")
            for (waypoint, stratum) in gaps.sorted(by: { $0.key < $1.key }) {
                lines.append("| \(waypoint) | \(stratum.n) | \(Format.number(stratum.estimate)) |")
            }
        }
        return lines
    }
}
