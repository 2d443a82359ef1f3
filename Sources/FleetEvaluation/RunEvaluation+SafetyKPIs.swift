import FleetCore

extension RunEvaluation {
    /// The KPI ids of ``safetyKPIs(records:level:)`` and their kinds, for target resolution.
    static let safetyKPIKinds: [String: KPIKind] = ["safety_stops_per_robot_hour": .eventRate]

    /// 1.15 Safety stops: `safety_stop` records (emergency stop, protective field violation) that began in W, per
    /// robot-hour of the fleet in W (Garwood), with the time lost (stop durations clipped to W; a stop still active
    /// at the end counts up to the end) and the longest stop in the reason, per type in the strata.
    func safetyKPIs(records: [JournalRecord], level: Double) -> [KPIResult] {
        struct Key: Hashable {
            var robot: RobotID
            var type: String
        }
        var began: [Key: FleetTime] = [:]
        var counts: [String: Int] = [:]
        var lost = 0.0
        var longest = 0.0
        func close(_ key: Key, at end: FleetTime) {
            guard let start = began.removeValue(forKey: key) else { return }
            let from = max(start, window.start)
            let to = min(end, window.end)
            if to > from { lost += to.seconds(since: from) }
            longest = max(longest, end.seconds(since: start))
        }
        for record in records {
            guard case .safetyStop(let robot, let type, let active) = record.event else { continue }
            let key = Key(robot: robot, type: type)
            if active {
                guard began[key] == nil else { continue }
                began[key] = record.time
                if window.contains(record.time) { counts[type, default: 0] += 1 }
            } else {
                close(key, at: record.time)
            }
        }
        let stillActive = began.count
        for key in Array(began.keys) { close(key, at: window.end) }
        let stops = counts.values.reduce(0, +)
        let robotHours = Double(states.robots.count) * window.hours
        var kpi = KPIResult(
            id: "safety_stops_per_robot_hour", name: "Safety stops", catalogue: "B1.15", unit: "1/robot-h",
            formula: "#{safety_stop began in W (estop, field_violation)} / H (robot-hours in W)", kind: .eventRate,
            estimate: robotHours > 0 ? Double(stops) / robotHours : nil,
            ci: ConfidenceInterval.garwood(stops, exposure: robotHours, level: level), n: stops)
        kpi.exposure = robotHours
        kpi.reason =
            "\(stops) safety stop(s) in \(Format.number(robotHours)) robot-h; time lost \(Format.number(lost)) s, "
            + "longest \(Format.number(longest)) s"
            + (stillActive > 0 ? "; \(stillActive) still active at the end of W" : "")
        if !counts.isEmpty {
            kpi.strata = counts.mapValues { n in
                Stratum(
                    n: n, estimate: robotHours > 0 ? Double(n) / robotHours : nil,
                    ci: ConfidenceInterval.garwood(n, exposure: robotHours, level: level))
            }
        }
        if robotHours <= 0 { kpi.verdict = .insufficientData }
        return [kpi]
    }
}
