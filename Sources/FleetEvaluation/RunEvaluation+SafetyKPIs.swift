import FleetCore

extension RunEvaluation {
    /// The KPI ids of ``safetyKPIs(records:level:)`` and their kinds, for target resolution.
    static let safetyKPIKinds: [String: KPIKind] = [
        "safety_stops_per_robot_hour": .eventRate, "presence_pauses_per_robot_hour": .eventRate,
        "presence_slowdowns_per_hour": .eventRate, "node_conflicts_per_hour": .eventRate,
        "stranded_robots": .count, "human_proximity_violations": .eventRate,
    ]

    /// Stop episodes of robots, by type, from the robots' own safety state and the coordinator's pauses.
    struct StopEpisodes {
        /// Episodes that began in W, by type.
        var counts: [String: Int] = [:]
        /// Seconds of the episodes inside W, by type.
        var lost: [String: Double] = [:]
        /// The longest episode, by type.
        var longest: [String: Double] = [:]
        /// Episodes still running at the end of W, by type.
        var open: [String: Int] = [:]

        /// The totals over `types`.
        func total(_ types: Set<String>) -> (count: Int, lost: Double, longest: Double, open: Int) {
            (
                counts.filter { types.contains($0.key) }.values.reduce(0, +),
                lost.filter { types.contains($0.key) }.values.reduce(0, +),
                longest.filter { types.contains($0.key) }.values.max() ?? 0,
                open.filter { types.contains($0.key) }.values.reduce(0, +)
            )
        }
    }

    /// Rebuilds stop episodes per robot: `safety_stop` records (types `estop`, `field_violation`); pauses the
    /// coordinator sent for an operator's emergency stop (`estop_operator`), for people in a `hold` zone
    /// (`presence`) and for an operator's zone hold (`operator_hold`), each from the record that paused the robot
    /// (`estop`, `zone_hold`, `robot_paused`) to the one that resumed it (`estop_release`, `zone_release`,
    /// `robot_resumed`).
    func stopEpisodes(_ records: [JournalRecord]) -> StopEpisodes {
        struct Key: Hashable {
            var robot: RobotID
            var type: String
        }
        var result = StopEpisodes()
        var began: [Key: FleetTime] = [:]
        var pauses: [RobotID: String] = [:]
        var stops: Set<String> = []  // zones under an emergency stop; "" is the site
        func start(_ key: Key, at time: FleetTime) {
            guard began[key] == nil else { return }
            began[key] = time
            if window.contains(time) { result.counts[key.type, default: 0] += 1 }
        }
        func end(_ key: Key, at time: FleetTime) {
            guard let from = began.removeValue(forKey: key) else { return }
            let a = max(from, window.start)
            let b = min(time, window.end)
            if b > a { result.lost[key.type, default: 0] += b.seconds(since: a) }
            result.longest[key.type] = max(result.longest[key.type] ?? 0, time.seconds(since: from))
        }
        func pause(_ robot: RobotID, _ type: String, at time: FleetTime) {
            if let current = pauses[robot] {
                guard current != type else { return }
                end(Key(robot: robot, type: current), at: time)
            }
            pauses[robot] = type
            start(Key(robot: robot, type: type), at: time)
        }
        func resume(_ robot: RobotID, at time: FleetTime) {
            guard let current = pauses.removeValue(forKey: robot) else { return }
            end(Key(robot: robot, type: current), at: time)
        }
        for record in records {
            let t = record.time
            switch record.event {
            case .safetyStop(let robot, let type, let active):
                if active {
                    start(Key(robot: robot, type: type), at: t)
                } else {
                    end(Key(robot: robot, type: type), at: t)
                }
            case .emergencyStop(let zone, _, let robots):
                stops.insert(zone ?? "")
                for robot in robots { pause(robot, "estop_operator", at: t) }
            case .emergencyStopRelease(let zone, _, let robots):
                stops.remove(zone ?? "")
                for robot in robots { resume(robot, at: t) }
            case .zoneHold(_, let actor, _, let robots):
                for robot in robots { pause(robot, actor == "presence" ? "presence" : "operator_hold", at: t) }
            case .zoneRelease(_, _, _, let robots):
                for robot in robots { resume(robot, at: t) }
            case .robotPause(let robot, let paused, let zone, let actor):
                if !paused {
                    resume(robot, at: t)
                } else if stops.contains("") || zone.map(stops.contains) == true {
                    pause(robot, "estop_operator", at: t)
                } else {
                    pause(robot, actor == "presence" ? "presence" : "operator_hold", at: t)
                }
            default:
                break
            }
        }
        for key in Array(began.keys) {
            result.open[key.type, default: 0] += 1
            end(key, at: window.end)
        }
        return result
    }

    /// 1.15 Safety stops per robot-hour (Garwood): the robots' emergency stops and protective field violations and
    /// the operators' emergency stops that began in W; 2.7 shared zones: robot pauses because people were in a
    /// `hold` zone, per robot-hour, and `slowdown` zones slowed by people, per hour. Time lost (episodes clipped to
    /// W, a stop still running at the end counted up to it) and the longest episode are in the reasons, the types
    /// in the strata.
    func safetyKPIs(records: [JournalRecord], level: Double, separation: Double = 0.5) -> [KPIResult] {
        let episodes = stopEpisodes(records)
        let robotHours = Double(states.robots.count) * window.hours
        func rate(_ id: String, _ name: String, _ catalogue: String, _ formula: String, types: Set<String>)
            -> KPIResult
        {
            let (count, lost, longest, open) = episodes.total(types)
            var kpi = KPIResult(
                id: id, name: name, catalogue: catalogue, unit: "1/robot-h", formula: formula, kind: .eventRate,
                estimate: robotHours > 0 ? Double(count) / robotHours : nil,
                ci: ConfidenceInterval.garwood(count, exposure: robotHours, level: level), n: count)
            kpi.exposure = robotHours
            kpi.reason =
                "\(count) in \(Format.number(robotHours)) robot-h; time lost \(Format.number(lost)) s, "
                + "longest \(Format.number(longest)) s" + (open > 0 ? "; \(open) still running at the end of W" : "")
            let strata = episodes.counts.filter { types.contains($0.key) }
            if !strata.isEmpty {
                kpi.strata = strata.mapValues { n in
                    Stratum(
                        n: n, estimate: robotHours > 0 ? Double(n) / robotHours : nil,
                        ci: ConfidenceInterval.garwood(n, exposure: robotHours, level: level))
                }
            }
            if robotHours <= 0 { kpi.verdict = .insufficientData }
            return kpi
        }
        var result = [
            rate(
                "safety_stops_per_robot_hour", "Safety stops", "B1.15",
                "#{safety stops began in W: robot estop, field_violation, operator estop_operator} / H (robot-h)",
                types: ["estop", "field_violation", "estop_operator"]),
            rate(
                "presence_pauses_per_robot_hour", "Pauses for people in hold zones", "B2.7",
                "#{robot paused (startPause) because people entered a hold zone, in W} / H (robot-h)",
                types: ["presence"]),
        ]
        let slowdowns = records.filter {
            guard case .zoneSlowdown(_, let actor, _, _, _) = $0.event else { return false }
            return actor == "presence" && window.contains($0.time)
        }
        var slow = perHourOfW(
            "presence_slowdowns_per_hour", "Zone slowdowns for people", "B2.7",
            formula: "#{zone_slowdown by presence in W} / |W|", count: slowdowns.count, level: level)
        let affected = slowdowns.reduce(0) {
            guard case .zoneSlowdown(_, _, _, _, let robots) = $1.event else { return $0 }
            return $0 + robots.count
        }
        slow.reason =
            "\(slowdowns.count) slowdown(s) in \(Format.number(window.hours)) h, \(affected) robot(s) heading into the "
            + "zone when they began"
        result.append(slow)

        // 1.18 Node conflicts: the coordinator's node_conflict records in W (a robot standing on a node another
        // robot stands on), per hour.
        var nodes: [NodeID: Int] = [:]
        for record in records where window.contains(record.time) {
            if case .nodeConflict(let node, _) = record.event { nodes[node, default: 0] += 1 }
        }
        let conflicts = nodes.values.reduce(0, +)
        var conflict = perHourOfW(
            "node_conflicts_per_hour", "Node conflicts", "B1.18",
            formula: "#{node_conflict in W: a robot came to stand on a node another robot stood on} / |W|",
            count: conflicts, level: level)
        let top = nodes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
        conflict.reason =
            "\(conflicts) conflict(s) in \(Format.number(window.hours)) h"
            + (top.isEmpty ? "" : "; most at " + top.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        result.append(conflict)
        result.append(strandedRobots(records))
        result.append(proximityViolations(records, level: level, separation: separation))
        return result
    }

    /// B1.16 Human proximity: `human_proximity` episodes (a robot reported a person closer than fleetd's warning
    /// distance) that ended in W, not at the robot's assist or handover meeting point (there the person is the one
    /// it works with), whose closest distance was under S_p, per hour of W (Garwood). Exposure (seconds inside
    /// the warning distance per robot-hour) and the closest distance are in the reason. Without a single
    /// `human_proximity` record in the journal the robots may not report people at all: INSUFFICIENT_DATA.
    func proximityViolations(_ records: [JournalRecord], level: Double, separation: Double) -> KPIResult {
        var reported = false
        var episodes: [(distance: Double, seconds: Double)] = []
        var collaborative = 0
        for record in records {
            guard case .humanProximity(_, let distance, let seconds, let together) = record.event else { continue }
            reported = true
            guard window.contains(record.time) else { continue }
            if together { collaborative += 1 } else { episodes.append((distance, seconds)) }
        }
        let violations = episodes.filter { $0.distance < separation }.count
        var kpi = perHourOfW(
            "human_proximity_violations", "Human proximity violations", "B1.16",
            formula: "#{human_proximity episodes ended in W, not at the robot's meeting point, closest < S_p} / |W|",
            count: violations, level: level)
        let robotHours = Double(states.robots.count) * window.hours
        let exposure = episodes.reduce(0) { $0 + $1.seconds }
        let closest = episodes.map(\.distance).min()
        var reason = "\(violations) violation(s) under S_p \(Format.number(separation)) m"
        reason += " in \(Format.number(window.hours)) h; \(episodes.count) episode(s) inside the warning distance"
        if let closest { reason += ", closest \(Format.number(closest)) m" }
        if robotHours > 0 { reason += ", exposure \(Format.number(exposure / robotHours)) s per robot-h" }
        reason += "; \(collaborative) at meeting points not counted"
        kpi.reason = reason
        if !reported {
            kpi.estimate = nil
            kpi.ci = nil
            kpi.verdict = Verdict.insufficientData
            kpi.reason =
                "no human_proximity record: either nobody came within the warning distance or the robots do not "
                + "report people (VDA 5050 information HUMAN_PROXIMITY)"
        }
        return kpi
    }

    /// An event-rate KPI of `count` events per hour of W with its Garwood interval (INSUFFICIENT_DATA for an empty
    /// window); the caller adds the reason.
    func perHourOfW(_ id: String, _ name: String, _ catalogue: String, formula: String, count: Int, level: Double)
        -> KPIResult
    {
        var kpi = KPIResult(
            id: id, name: name, catalogue: catalogue, unit: "1/h", formula: formula, kind: .eventRate,
            estimate: window.hours > 0 ? Double(count) / window.hours : nil,
            ci: ConfidenceInterval.garwood(count, exposure: window.hours, level: level), n: count)
        kpi.exposure = window.hours
        if window.hours <= 0 { kpi.verdict = .insufficientData }
        return kpi
    }

    /// B1.14 battery: robots whose state of charge fell below 5 % at any `battery` record of the run (the
    /// coordinator journals every threshold crossing and every start and end of charging, so a robot's lowest
    /// charge before it charges is on record), with the fleet's lowest charge in the reason; a count for a
    /// `zero_tolerance` gate ("no robot stranded with an empty battery").
    func strandedRobots(_ records: [JournalRecord]) -> KPIResult {
        let limit = 5.0
        var lowest: [RobotID: Double] = [:]
        for record in records {
            guard case .battery(let robot, let soc, _) = record.event else { continue }
            lowest[robot] = min(lowest[robot] ?? soc, soc)
        }
        let stranded = lowest.filter { $0.value < limit }.keys.sorted()
        var kpi = KPIResult(
            id: "stranded_robots", name: "Robots run flat", catalogue: "B1.14", unit: "count",
            formula: "#{robots with a battery record below \(Format.number(limit)) % in the run}", kind: .count,
            estimate: lowest.isEmpty ? nil : Double(stranded.count), ci: nil, n: lowest.count)
        if let (robot, soc) = lowest.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            kpi.reason =
                "\(stranded.count) of \(lowest.count) robots below \(Format.number(limit)) %"
                + (stranded.isEmpty ? "" : " (\(stranded.map(\.description).joined(separator: ", ")))")
                + "; lowest charge \(Format.number(soc)) % (\(robot))"
        } else {
            kpi.reason = "no battery records"
            kpi.verdict = .insufficientData
        }
        return kpi
    }
}
