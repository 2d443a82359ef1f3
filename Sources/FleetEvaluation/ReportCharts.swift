import FleetCore

/// The charts of the HTML report (catalogue C.7), each an inline SVG string.
public enum ReportCharts {
    static let stateColors: [RobotState: String] = [
        .offline: "#9e9e9e", .faultDown: "#d32f2f", .safetyStopped: "#ff9800", .manual: "#8e24aa",
        .charging: "#fbc02d", .chargeTrip: "#fff176", .busyExec: "#1976d2", .busyToStart: "#64b5f6", .idle: "#c8e6c9",
    ]

    /// ECDF of a duration sample (censored observations shown as the share never reached) with the target line of
    /// its p95 KPI.
    static func ecdf(_ title: String, sample: DurationSample, target: Double?) -> String {
        let values = sample.exact
        let n = Double(sample.observations.count)
        let maxX = max(values.max() ?? 1, target ?? 0) * 1.05
        var chart = SVGChart(title: title, width: 540, x: 0...max(maxX, 1), y: 0...1)
        chart.axes(xLabel: "seconds (n = \(Int(n)), censored \(sample.censoredCount))", yLabel: "share ≤ x")
        var points: [(Double, Double)] = [(0, 0)]
        for (i, v) in values.enumerated() { points.append((v, Double(i + 1) / n)) }
        if let last = values.last { points.append((maxX, Double(values.count) / n)); _ = last }
        chart.line(points, color: "#1976d2", step: true)
        if let target { chart.vertical(at: target, color: "#d32f2f", label: "target \(Format.number(target)) s") }
        chart.line([(0, 0.95), (maxX, 0.95)], color: "#999", width: 0.8)
        return chart.svg
    }

    /// Hourly throughput bars with the queue length line.
    static func throughput(_ run: RunEvaluation) -> String {
        let start = run.window.start
        let hours = max(run.window.hours, 0.01)
        let rates = run.batchCompletions.map {
            (
                $0.start.seconds(since: start) / 3600, $0.end.seconds(since: start) / 3600,
                Double($0.completed) / max($0.end.seconds(since: $0.start) / 3600, 1e-9)
            )
        }
        let queue = run.queueLength.map { ($0.time.seconds(since: start) / 3600, Double($0.length)) }
        let top = (rates.map(\.2).max() ?? 1) * 1.1
        let queueTop = max(queue.map(\.1).max() ?? 1, 1)
        var chart = SVGChart(
            title: "Throughput per batch (bars) and queue length (line, right axis)", width: 540, x: 0...hours,
            y: 0...max(top, 1))
        chart.axes(xLabel: "hours into the window", yLabel: "completed tasks/h")
        for (from, to, rate) in rates {
            chart.rect(
                x0: from + 0.03, x1: to - 0.03, y0: 0, y1: rate, color: "#90caf9",
                title: "\(Format.number(rate)) tasks/h")
        }
        let factor = chart.y.upperBound / queueTop
        chart.line(queue.map { ($0.0, $0.1 * factor) }, color: "#e65100")
        for q in SVGChart.ticks(0...queueTop) where q == q.rounded() {
            chart.raw(
                chart.text(
                    chart.width - chart.right + 2, chart.py(q * factor) + 4, Format.number(q), size: 9, color: "#e65100"
                ))
        }
        return chart.svg
    }

    /// Per-robot state Gantt chart.
    static func gantt(_ run: RunEvaluation) -> String {
        let robots = run.states.robots
        let start = run.window.start
        var chart = SVGChart(
            title: "Robot states over the window", width: 1080, height: Double(60 + 16 * max(robots.count, 1) + 40),
            x: 0...max(run.window.hours, 0.01), y: 0...Double(max(robots.count, 1)))
        chart.axes(xLabel: "hours into the window", yLabel: "", yTicks: false)
        for (i, robot) in robots.enumerated() {
            let row = Double(robots.count - i)
            for segment in run.states.segments[robot] ?? [] {
                chart.rect(
                    x0: segment.start.seconds(since: start) / 3600, x1: segment.end.seconds(since: start) / 3600,
                    y0: row - 0.9, y1: row - 0.1, color: stateColors[segment.state]!,
                    title: "\(robot) \(segment.state.rawValue)")
            }
            chart.raw(chart.text(chart.left - 4, chart.py(row - 0.5) + 3, robot.serialNumber, anchor: "end", size: 9))
        }
        return chart.svg + "<div class='legend'>" + legend() + "</div>"
    }

    /// Stacked state shares per robot (utilisation bars).
    static func utilisation(_ run: RunEvaluation) -> String {
        let robots = run.states.robots
        let w = max(run.window.seconds, 1e-9)
        var chart = SVGChart(
            title: "Time share by state per robot", width: 1080, height: 280, x: 0...Double(max(robots.count, 1)),
            y: 0...1)
        chart.axes(xLabel: "robots", yLabel: "share of W", xTick: { _ in "" })
        for (i, robot) in robots.enumerated() {
            var base = 0.0
            let seconds = run.states.seconds(robot)
            for state in [RobotState.busyExec, .busyToStart, .charging, .idle, .manual, .faultDown, .offline] {
                let share = (seconds[state] ?? 0) / w
                guard share > 0 else { continue }
                chart.rect(
                    x0: Double(i) + 0.1, x1: Double(i) + 0.9, y0: base, y1: base + share, color: stateColors[state]!,
                    title: "\(robot) \(state.rawValue) \(Format.number(share * 100)) %")
                base += share
            }
            chart.raw(
                chart.text(chart.px(Double(i) + 0.5), chart.py(0) + 14, robot.serialNumber, anchor: "middle", size: 8))
        }
        return chart.svg
    }

    /// Battery state of charge per robot.
    static func battery(_ run: RunEvaluation) -> String {
        let start = run.window.runStart
        let palette = ["#1976d2", "#388e3c", "#d32f2f", "#7b1fa2", "#f57c00", "#0097a7", "#5d4037", "#c2185b"]
        var chart = SVGChart(
            title: "Battery state of charge (journaled threshold crossings)", width: 1080, height: 280,
            x: 0...max(run.window.runEnd.seconds(since: start) / 3600, 0.01), y: 0...100)
        chart.axes(xLabel: "hours into the run", yLabel: "SoC %")
        for (i, robot) in run.states.battery.keys.sorted().enumerated() {
            var points = run.states.battery[robot]!.map { ($0.time.seconds(since: start) / 3600, $0.soc) }
            if let last = points.last { points.append((chart.x.upperBound, last.1)) }
            chart.line(points, color: palette[i % palette.count], step: true, width: 1)
        }
        return chart.svg
    }

    static func legend() -> String {
        RobotState.allCases.map {
            "<span class='key'><span class='swatch' style='background:\(stateColors[$0]!)'></span>\($0.rawValue)</span>"
        }.joined(separator: " ")
    }
}
