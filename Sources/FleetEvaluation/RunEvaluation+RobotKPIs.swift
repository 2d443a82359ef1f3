import FleetCore

extension RunEvaluation {
    /// The robot KPIs of catalogue B1 (1.9, 1.11–1.15) from the derived state timeline.
    func robotKPIs(_ tasks: [TaskTimeline], records: [JournalRecord], level: Double) -> [KPIResult] {
        let robots = states.robots
        let w = window.seconds
        let perRobot = robots.map { states.seconds($0) }
        func share(_ pick: ([RobotState: Double]) -> Double) -> [Double] {
            perRobot.map { w > 0 ? pick($0) / w : 0 }
        }
        func timeShare(_ id: String, _ name: String, _ catalogue: String, _ formula: String, _ values: [Double])
            -> KPIResult
        {
            var kpi = KPIResult(
                id: id, name: name, catalogue: catalogue, unit: "ratio", formula: formula, kind: .mean,
                estimate: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count),
                ci: ConfidenceInterval.t(values, level: level, method: "t over robots")?.clamped(to: 0...1),
                n: values.count)
            kpi.reason = "\(values.count) robots over \(Format.number(window.hours)) h; planned off-time 0"
            return kpi
        }
        var result: [KPIResult] = []
        result.append(
            timeShare(
                "utilisation", "Fleet utilisation", "B1.11",
                "U = Σ (T^BUSY_EXEC + T^BUSY_TO_START) / Σ |W| (charging is not busy)",
                share { ($0[.busyExec] ?? 0) + ($0[.busyToStart] ?? 0) }))
        result.append(
            timeShare("idle_share", "Idle share", "B1.11", "Σ T^IDLE_AVAILABLE / Σ |W|", share { $0[.idle] ?? 0 }))
        result.append(
            timeShare(
                "availability", "Technical availability", "B1.12", "A = 1 − Σ (T^FAULT_DOWN + T^OFFLINE) / Σ |W|",
                share { w - ($0[.faultDown] ?? 0) - ($0[.offline] ?? 0) }))
        var charging = timeShare(
            "charging_overhead", "Charging overhead", "B1.14",
            "CO = Σ (T^CHARGING + T^CHARGE_TRIP) / H: charging plus trips to a charger (charge tasks)",
            share { ($0[.charging] ?? 0) + ($0[.chargeTrip] ?? 0) })
        let onCharger = perRobot.reduce(0) { $0 + ($1[.charging] ?? 0) }
        let onTrip = perRobot.reduce(0) { $0 + ($1[.chargeTrip] ?? 0) }
        charging.reason +=
            "; \(Format.number(onCharger / 3600)) robot-h charging, \(Format.number(onTrip / 3600)) robot-h on charge trips"
        result.append(charging)
        let chargeTrips = analysis.orderedTasks.filter {
            $0.kind == .charge && ($0.created.map(window.contains) ?? false)
        }
        let robotHours = Double(robots.count) * window.hours
        var charges = KPIResult(
            id: "charges_per_robot_hour", name: "Charge trips per robot-hour", catalogue: "B1.14", unit: "1/robot-h",
            formula: "#{charge tasks created in W} / H", kind: .eventRate,
            estimate: robotHours > 0 ? Double(chargeTrips.count) / robotHours : nil,
            ci: ConfidenceInterval.garwood(chargeTrips.count, exposure: robotHours, level: level), n: chargeTrips.count)
        charges.exposure = robotHours
        let done = chargeTrips.filter { $0.outcome == .completed }.count
        charges.reason =
            "\(chargeTrips.count) charge task(s) in \(Format.number(robotHours)) robot-h, \(done) reached the charger"
        result.append(charges)

        // 1.13 failures: fatal faults raised in W, plus task failures for a fault with no fatal fault on that robot
        // in the 60 s before.
        let fatal = states.faults.filter { $0.level == .fatal && window.contains($0.raised) }
        let taskFaults = tasks.filter { task in
            guard task.outcome == .failed, task.failureReason == .fault, let at = task.finished else { return false }
            return !fatal.contains { $0.raised <= at && at.seconds(since: $0.raised) <= 60 }
        }
        let failures = fatal.count + taskFaults.count
        let uptime = perRobot.reduce(0) { $0 + (w - ($1[.faultDown] ?? 0) - ($1[.offline] ?? 0)) } / 3600
        var rate = KPIResult(
            id: "failure_rate", name: "Failure rate", catalogue: "B1.13", unit: "1/robot-h",
            formula: "λ = N_failures / uptime; failure = fatal fault raised, or a task failed for a fault",
            kind: .eventRate, estimate: uptime > 0 ? Double(failures) / uptime : nil,
            ci: ConfidenceInterval.garwood(failures, exposure: uptime, level: level), n: failures)
        rate.exposure = uptime
        rate.reason = "\(failures) failure(s) in \(Format.number(uptime)) robot-h of uptime"
        result.append(rate)
        var mtbf = KPIResult(
            id: "mtbf", name: "MTBF", catalogue: "B1.13", unit: "h", formula: "MTBF = Σ uptime / N_failures",
            kind: .mean, estimate: failures > 0 ? uptime / Double(failures) : nil,
            ci: rate.ci.map {
                ConfidenceInterval(
                    level: level, low: $0.high.map { 1 / $0 }, high: $0.low.flatMap { $0 > 0 ? 1 / $0 : nil },
                    method: "garwood, inverted")
            }, n: failures)
        mtbf.reason = failures == 0 ? "no failures: MTBF > \(Format.number(mtbf.ci?.low)) h" : rate.reason
        result.append(mtbf)
        let repairs = fatal.compactMap { episode in episode.cleared.map { $0.seconds(since: episode.raised) } }
        var mttr = KPIResult(
            id: "mttr", name: "MTTR", catalogue: "B1.13", unit: "s", formula: "MTTR = Σ (t_cleared − t_raised) / N",
            kind: .mean, estimate: repairs.isEmpty ? nil : repairs.reduce(0, +) / Double(repairs.count),
            ci: ConfidenceInterval.t(repairs, level: level)?.clamped(to: 0...Double.greatestFiniteMagnitude),
            n: repairs.count)
        mttr.censored = fatal.count - repairs.count
        mttr.reason =
            repairs.isEmpty
            ? "no fatal fault was raised and cleared in W" : "\(fatal.count - repairs.count) not cleared"
        if repairs.isEmpty { mttr.verdict = .insufficientData }
        result.append(mttr)

        // 1.15 (zero tolerance proxy): tasks failed for safety.
        let terminal = tasks.filter { $0.outcome != .open }
        let safety = terminal.filter { $0.outcome == .failed && $0.failureReason == .safety }
        var safetyKPI = KPIResult(
            id: "safety_task_failures", name: "Tasks failed for safety", catalogue: "B1.15",
            unit: "count", formula: "#{failed, reason = safety} over terminal tasks created in W", kind: .count,
            estimate: Double(safety.count), ci: nil, n: terminal.count)
        safetyKPI.reason = "\(safety.count) in \(terminal.count) terminal tasks"
        result.append(safetyKPI)

        // 1.9 human interventions: operator cancellations and entries into manual/service mode.
        let hours = Double(robots.count) * window.hours
        let cancels = tasks.filter { $0.outcome == .cancelled && $0.cancelActor == .operatorRequest }.count
        let manual = states.manualEntries.filter { window.contains($0.time) }.count
        var interventions = KPIResult(
            id: "intervention_rate", name: "Human interventions", catalogue: "B1.9", unit: "1/robot-h",
            formula: "(operator cancellations + entries into manual/service mode) / H", kind: .eventRate,
            estimate: hours > 0 ? Double(cancels + manual) / hours : nil,
            ci: ConfidenceInterval.garwood(cancels + manual, exposure: hours, level: level), n: cancels + manual)
        interventions.exposure = hours
        interventions.reason =
            "\(cancels) operator cancellations, \(manual) manual/service entries in \(Format.number(hours)) robot-h; "
            + "escalations to people are reported under escalation_rate"
        result.append(interventions)
        return result
    }
}
