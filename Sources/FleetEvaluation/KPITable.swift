/// Renders KPIs as a plain-text table for the terminal (`fleet-eval evaluate` and `live`).
public enum KPITable {
    /// The table.
    /// - Parameters:
    ///   - kpis: The KPIs.
    ///   - title: A first line.
    /// - Returns: Lines joined with `\n`.
    public static func render(_ kpis: [KPIResult], title: String) -> String {
        var lines = [title]
        let header = [
            pad("KPI", 28), pad("estimate", 12), pad("95 % CI", 22), pad("n", 6), pad("target", 26), "verdict",
        ]
        lines.append(header.joined())
        for kpi in kpis {
            lines.append(
                [
                    pad(kpi.id, 28), pad(Format.number(kpi.estimate), 12), pad(Format.interval(kpi.ci), 22),
                    pad(String(kpi.n), 6), pad(kpi.target?.text ?? "-", 26), kpi.verdict?.rawValue ?? "-",
                ].joined())
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
