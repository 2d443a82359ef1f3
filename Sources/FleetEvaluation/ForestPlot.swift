/// The A/B forest plot: per KPI the relative difference `(B − A)/|mean A|` with its interval, so KPIs of different
/// units share one axis.
enum ForestPlot {
    /// The SVG.
    static func render(_ comparison: ABComparison) -> String {
        let rows = comparison.rows.filter { $0.ci?.low != nil && $0.ci?.high != nil && $0.a.contains { $0 != 0 } }
        func scale(_ row: ABComparison.Row) -> Double {
            let mean = row.a.reduce(0, +) / Double(row.a.count)
            return abs(mean) > 0 ? 100 / abs(mean) : 1
        }
        let extent = rows.flatMap { row in [row.ci!.low!, row.ci!.high!, row.difference].map { $0 * scale(row) } }
        let bound = min(200, max(5, extent.map(abs).max() ?? 5) * 1.1)
        var chart = SVGChart(
            title: "B − A, % of A's mean (95 % CI)", width: 900, height: Double(80 + 18 * max(rows.count, 1)),
            x: -bound...bound, y: 0...Double(max(rows.count, 1)))
        chart.left = 170
        chart.axes(xLabel: "difference, % of A", yLabel: "", yTicks: false)
        chart.vertical(at: 0, color: "#444", label: "")
        for (i, row) in rows.enumerated() {
            let y = Double(rows.count - i) - 0.5
            let s = scale(row)
            let low = max(-bound, row.ci!.low! * s)
            let high = min(bound, row.ci!.high! * s)
            chart.line([(low, y), (high, y)], color: "#1976d2", width: 2)
            let d = max(-bound, min(bound, row.difference * s))
            chart.rect(
                x0: d - bound / 150, x1: d + bound / 150, y0: y - 0.2, y1: y + 0.2, color: "#0d47a1", title: row.id)
            chart.raw(chart.text(chart.left - 6, chart.py(y) + 3, row.id, anchor: "end", size: 10))
        }
        return chart.svg
    }
}
