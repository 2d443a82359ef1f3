/// Renders a self-contained HTML report (`report.html`): inline CSS and SVG, no scripts, no external references;
/// verdict, provenance and data quality first, then gates, KPIs, charts and methods.
public enum HTMLReport {
    /// The document of one evaluated run.
    /// - Parameters:
    ///   - report: The result record.
    ///   - run: The evaluation (for the charts).
    ///   - replications: Replication rows, when several runs were evaluated.
    /// - Returns: The HTML text.
    public static func render(_ report: EvaluationReport, run: RunEvaluation, replications: [ReplicationRow] = [])
        -> String
    {
        var html = head("Pilot evaluation: \(report.scenario.id)")
        html += "<h1>Pilot evaluation: \(e(report.scenario.id))</h1>"
        html +=
            "<p class='overall \(report.overall.rawValue)'>Overall: <b>\(report.overall.rawValue)</b> — "
            + "\(e(report.overallReason))</p>"
        html += "<h2>Provenance and data quality</h2>" + table(markdownRows(report, section: "## Provenance"))
        html += "<h2>Gates</h2>" + table(markdownRows(report, section: "## Gates"))
        html += "<h2>KPIs</h2>" + table(markdownRows(report, section: "## KPIs"))
        for (section, title) in [("## Task kinds", "Task kinds"), ("## Patrol waypoints", "Patrol waypoints")] {
            let rows = markdownRows(report, section: section)
            if !rows.isEmpty { html += "<h2>\(title)</h2>" + table(rows) }
        }
        if !replications.isEmpty {
            html += "<h2>Replications</h2>" + table(markdownRows(report, section: "## Replications", replications))
        }
        html += "<h2>Charts</h2><div class='charts'>"
        for (key, name) in [
            ("lead_time", "Lead time"), ("time_to_assign", "Time to assign"), ("queue_wait", "Queue wait"),
            ("call_ack", "Call acknowledged"), ("call_arrive", "Call: person on scene"),
            ("call_resolve", "Call resolved"), ("fall_human_on_scene", "Fall: person on scene"),
            ("handover_duration", "Handover duration"), ("coalition_sync_wait", "Coalition sync wait"),
        ] {
            guard let sample = run.samples[key] else { continue }
            let target = report.kpis.first { $0.id == "\(key)_p95" }?.target?.value
            html +=
                "<figure id='ecdf-\(key)'>" + ReportCharts.ecdf("ECDF: \(name)", sample: sample, target: target)
                + "</figure>"
        }
        html += "<figure id='throughput'>" + ReportCharts.throughput(run) + "</figure>"
        html += "<figure id='gantt'>" + ReportCharts.gantt(run) + "</figure>"
        html += "<figure id='utilisation'>" + ReportCharts.utilisation(run) + "</figure>"
        html += "<figure id='battery'>" + ReportCharts.battery(run) + "</figure></div>"
        html += "<h2>Methods</h2><ul>"
        html +=
            "<li>Population: \(e(report.methods.population)).</li><li>Censoring: \(e(report.methods.censoring)).</li>"
        html += "<li>Percentiles: \(e(report.methods.percentile)).</li>"
        html += "<li>Robot state precedence: \(e(report.methods.statePrecedence)).</li></ul>"
        return html + "</body></html>\n"
    }

    /// The document of an A/B comparison, with the forest plot.
    /// - Parameter comparison: The comparison.
    /// - Returns: The HTML text.
    public static func render(comparison: ABComparison) -> String {
        var html = head("A/B comparison")
        html += "<h1>A/B comparison (\(comparison.pairs) pair(s), B − A)</h1>"
        html += "<figure id='forest'>" + ForestPlot.render(comparison) + "</figure>"
        let lines = comparison.markdown().split(separator: "\n").map(String.init).filter { $0.hasPrefix("|") }
        html += table(lines)
        return html + "</body></html>\n"
    }

    static func head(_ title: String) -> String {
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>\(e(title))</title><style>"
            + "body{font-family:sans-serif;margin:24px;color:#222;max-width:1120px}"
            + "table{border-collapse:collapse;font-size:12px;margin-bottom:16px}"
            + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
            + "th{background:#f0f0f0}.overall{font-size:18px;padding:8px;border-radius:4px}"
            + ".PASS{background:#c8e6c9}.FAIL,.INVALID{background:#ffcdd2}.INCONCLUSIVE{background:#fff9c4}"
            + ".INSUFFICIENT_DATA{background:#e0e0e0}figure{margin:0}.charts{display:flex;flex-wrap:wrap;gap:8px}"
            + ".key{font-size:11px;margin-right:10px}.swatch{display:inline-block;width:10px;height:10px;"
            + "margin-right:3px}</style></head><body>"
    }

    /// The rows of one Markdown section, reused so HTML and Markdown tables never disagree.
    static func markdownRows(_ report: EvaluationReport, section: String, _ replications: [ReplicationRow] = [])
        -> [String]
    {
        let text = MarkdownReport.render(report, replications: replications)
        guard let range = text.range(of: section) else { return [] }
        var rows: [String] = []
        for line in text[range.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line.hasPrefix("## ") { break }
            if line.hasPrefix("|") { rows.append(String(line)) }
        }
        return rows
    }

    /// An HTML table from Markdown table rows (header, separator, body); verdict cells get their colour.
    static func table(_ rows: [String]) -> String {
        guard rows.count >= 2 else { return "" }
        func cells(_ row: String) -> [String] {
            row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        var html = "<table><tr>" + cells(rows[0]).map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        for row in rows.dropFirst(2) {
            html +=
                "<tr>"
                + cells(row).map { cell in
                    let plain = cell.replacingOccurrences(of: "`", with: "")
                    let verdict = Verdict(rawValue: plain) != nil ? " class='\(plain)'" : ""
                    return "<td\(verdict)>\(e(plain))</td>"
                }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    static func e(_ text: String) -> String { Format.escape(text) }
}
