import FleetCore

/// One resident call or fall alert as the journal tells it: when it came in, who was notified and when, who
/// acknowledged, arrived, and when the robot's task ended.
struct PeopleCase: Sendable, Hashable {
    /// Call or fall.
    var alert: AlertKind
    /// When the call came in or the alert was raised (its record).
    var raised: FleetTime
    /// When the fall was detected (fall alerts).
    var detected: FleetTime?
    /// The first escalation to a person.
    var firstEscalation: FleetTime?
    /// Escalation steps journaled.
    var escalations = 0
    /// The first acknowledgement of a notification.
    var acknowledged: FleetTime?
    /// The first person on scene.
    var arrived: FleetTime?
    /// The first confirmation of the robot's task by a person.
    var confirmed: FleetTime?
    /// When the robot's task completed.
    var completed: FleetTime?
    /// Withdrawn by the resident or an operator.
    var withdrawn = false

    /// Resolution (B3.1 resolve): the first of the task's completion, a person's confirmation and a person's arrival
    /// (the coordinator's rule for calls); a fall alert only by a person's arrival.
    var resolved: FleetTime? {
        alert == .fall ? arrived : [completed, confirmed, arrived].compactMap { $0 }.min()
    }

    /// The start of the clock: detection for falls (B3.2), the call's record for calls.
    var origin: FleetTime { detected ?? raised }
}

extension RunEvaluation {
    /// The KPI ids of ``peopleKPIs(records:settings:)`` and their kinds.
    static let peopleKPIKinds: [String: KPIKind] = {
        var kinds: [String: KPIKind] = [
            "escalation_rate": .proportion, "escalation_latency_p50": .percentile,
            "escalation_latency_p95": .percentile, "long_lie_ge_60min": .count,
            "fall_escalation_compliance": .proportion,
            "fall_human_on_scene_p50": .percentile, "fall_human_on_scene_p95": .percentile,
            "fall_alert_latency_p95": .percentile,
        ]
        for family in ["call_ack", "call_arrive", "call_resolve"] {
            for suffix in ["p50", "p90", "p95"] { kinds["\(family)_\(suffix)"] = .percentile }
        }
        return kinds
    }()

    /// The people's cases (calls and fall alerts raised in W) rebuilt from the records.
    func peopleCases(_ records: [JournalRecord]) -> [TaskID: PeopleCase] {
        var cases: [TaskID: PeopleCase] = [:]
        for record in records {
            let t = record.time
            switch record.event {
            case .call(let task, _, _): cases[task] = cases[task] ?? PeopleCase(alert: .call, raised: t)
            case .alert(let task, _, _, let detectedAt):
                cases[task] = cases[task] ?? PeopleCase(alert: .fall, raised: t, detected: detectedAt)
            case .escalated(let task, _, _, _) where cases[task] != nil:
                cases[task]!.escalations += 1
                cases[task]!.firstEscalation = cases[task]!.firstEscalation ?? t
            case .acknowledged(let task, _, _) where cases[task] != nil:
                cases[task]!.acknowledged = cases[task]!.acknowledged ?? t
            case .humanArrived(let task, _) where cases[task] != nil:
                cases[task]!.arrived = cases[task]!.arrived ?? t
            case .humanAck(let task, _, _) where cases[task] != nil:
                cases[task]!.confirmed = cases[task]!.confirmed ?? t
            case .completed(let task, _, _) where cases[task] != nil:
                cases[task]!.completed = cases[task]!.completed ?? t
            case .canceled(let task, let actor, _) where cases[task] != nil && actor != .system:
                cases[task]!.withdrawn = true
            default: break
            }
        }
        return cases.filter { window.contains($0.value.raised) }
    }

    /// Eldercare KPIs: call response (B3.1), fall-alert chain with the long-lie gate (B3.2), escalation (B3.4).
    mutating func peopleKPIs(records: [JournalRecord], settings: EvaluationSettings) -> [KPIResult] {
        let level = settings.level
        let end = window.runEnd
        let all = peopleCases(records).sorted { $0.key < $1.key }.map(\.value)
        let calls = all.filter { $0.alert == .call }
        let falls = all.filter { $0.alert == .fall }
        var result: [KPIResult] = []

        /// Durations from the origin to `to`; open cases censored at T1; cases settled without it are left out.
        func sample(_ cases: [PeopleCase], _ to: (PeopleCase) -> FleetTime?, from: (PeopleCase) -> FleetTime)
            -> (DurationSample, settled: Int)
        {
            var observations: [DurationSample.Observation] = []
            var settled = 0
            for c in cases {
                if let t = to(c) {
                    observations.append(.init(t.seconds(since: from(c))))
                } else if c.resolved == nil && !c.withdrawn {
                    observations.append(.init(end.seconds(since: from(c)), censored: true))
                } else {
                    settled += 1
                }
            }
            return (DurationSample(observations), settled)
        }
        let p3 = [(0.5, "p50"), (0.9, "p90"), (0.95, "p95")]
        // 3.1 Call response.
        let ack = sample(calls, { $0.acknowledged }, from: \.raised)
        result += percentiles(
            "call_ack", "Call acknowledged by a person", "B3.1",
            "ack_i = t_human_ack (a notification acknowledged) − t_call; calls resolved before anyone acknowledged are "
                + "left out, open ones censored at T1",
            ack.0, level: level, note: "\(ack.settled) call(s) settled without an acknowledgement", quantiles: p3)
        let arrive = sample(calls, { $0.arrived }, from: \.raised)
        result += percentiles(
            "call_arrive", "Call: person on scene", "B3.1",
            "arrive_i = t_human_arrived − t_call; calls resolved by the robot are left out, open ones censored at T1",
            arrive.0, level: level, note: "\(arrive.settled) call(s) settled without a person on scene",
            quantiles: p3)
        let resolve = sample(calls, { $0.resolved }, from: \.raised)
        result += percentiles(
            "call_resolve", "Call resolved", "B3.1",
            "resolve_i = min(t_completed, t_confirmed, t_human_arrived) − t_call; open calls censored at T1; "
                + "withdrawn calls left out",
            resolve.0, level: level, note: "\(resolve.settled) call(s) withdrawn", quantiles: p3)

        // 3.2 Fall-alert chain.
        var latency: [DurationSample.Observation] = []
        for fall in falls { latency.append(.init(fall.raised.seconds(since: fall.origin))) }
        var alertLatency = DurationSample(latency).percentileKPI(
            0.95, id: "fall_alert_latency_p95", name: "Fall alert latency p95", catalogue: "B3.2",
            formula: "alert_latency_i = t_alert − t_detected", level: level)
        if latency.isEmpty { alertLatency.verdict = .insufficientData }
        result.append(alertLatency)
        let onScene = sample(falls, { $0.arrived }, from: \.origin)
        result += percentiles(
            "fall_human_on_scene", "Fall: person on scene", "B3.2",
            "human_on_scene_i = t_human_arrived − t_detected (time-on-floor proxy); open alerts censored at T1",
            onScene.0, level: level, note: nil)
        let gate = 3600.0
        let decided = falls.filter { $0.arrived != nil || end.seconds(since: $0.origin) >= gate }
        let longLies = decided.filter { ($0.arrived ?? end).seconds(since: $0.origin) >= gate }
        var longLie = KPIResult(
            id: "long_lie_ge_60min", name: "Fall alerts with a long lie ≥ 60 min", catalogue: "B3.2", unit: "count",
            formula:
                "#{fall alerts with t_human_arrived − t_detected ≥ 60 min, or nobody there 60 min after detection}",
            kind: .count, estimate: decided.isEmpty ? nil : Double(longLies.count), ci: nil, n: decided.count)
        longLie.reason =
            decided.isEmpty
            ? "no fall alert in W was decided (arrived, or 60 min elapsed)"
            : "\(longLies.count) long lie(s) in \(decided.count) fall alert(s); "
                + "\(falls.count - decided.count) still open under 60 min (excluded)"
        if decided.isEmpty { longLie.verdict = .insufficientData }
        result.append(longLie)
        let y = settings.fallEscalationSeconds
        let due = falls.filter { $0.firstEscalation != nil || end.seconds(since: $0.origin) > y }
        let compliant = due.filter { fall in fall.firstEscalation.map { $0.seconds(since: fall.origin) <= y } ?? false }
        result.append(
            proportion(
                "fall_escalation_compliance", "Fall alerts escalated in time", "B3.2",
                "#{fall alerts escalated to a person within \(Format.number(y)) s of detection} / #{fall alerts due}",
                compliant.count, due.count, level, note: "\(falls.count - due.count) not yet due"))

        // 3.4 Escalation.
        let escalated = all.filter { $0.firstEscalation != nil }
        result.append(
            proportion(
                "escalation_rate", "Escalation rate", "B1.9/B3.4",
                "#{calls and fall alerts escalated to a person} / #{calls and fall alerts raised in W}",
                escalated.count, all.count, level,
                note: "\(calls.filter { $0.firstEscalation != nil }.count) of \(calls.count) calls, "
                    + "\(falls.filter { $0.firstEscalation != nil }.count) of \(falls.count) falls"))
        let escalationLatency = DurationSample(
            escalated.map { .init($0.firstEscalation!.seconds(since: $0.raised)) })
        result += percentiles(
            "escalation_latency", "Escalation latency", "B3.4",
            "t_escalated,first − t_call (or t_alert), over escalated calls and alerts", escalationLatency, level: level,
            note: nil)
        return result
    }
}
