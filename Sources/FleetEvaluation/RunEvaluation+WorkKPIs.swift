import FleetCore

extension RunEvaluation {
    /// The KPI ids of ``workKPIs(_:settings:)`` and their kinds, for target resolution.
    static let workKPIKinds: [String: KPIKind] = [
        "handover_success_rate": .proportion, "handover_duration_p50": .percentile,
        "handover_duration_p95": .percentile, "coalition_formation_time_p50": .percentile,
        "coalition_formation_time_p95": .percentile, "coalition_sync_wait_p50": .percentile,
        "coalition_sync_wait_p95": .percentile, "preemptions_per_hour": .eventRate,
        "interrupted_completion_rate": .proportion, "patrol_revisit_gap_max": .percentile,
        "patrol_revisit_gap_p95": .percentile, "patrol_schedule_adherence": .proportion,
    ]

    /// The KPIs of the task kinds: handover (B2.6), coalitions (B2.8), emergency preemption (B1.10), patrol
    /// revisit gaps and schedule adherence (B3.6). `tasks` is the demand created in W.
    mutating func workKPIs(_ tasks: [TaskTimeline], settings: EvaluationSettings) -> [KPIResult] {
        let level = settings.level
        let end = window.runEnd
        var result: [KPIResult] = []

        // 2.6 Handover: success = handover_end (both confirmed); failures = failed (timeout: no confirmation) or
        // cancelled by the system; duration = handover_start → handover_end.
        let handovers = tasks.filter { $0.kind == .handover }
        let handedOver = handovers.filter { $0.outcome == .completed }
        let handoverFailed = handovers.filter {
            $0.outcome == .failed || $0.outcome == .cancelled && $0.cancelActor == .system
        }
        let timeouts = handoverFailed.filter { $0.failureReason == .timeout }.count
        result.append(
            proportion(
                "handover_success_rate", "Handover success", "B2.6",
                "#{handover completed (handover_end)} / #{handover completed, failed or cancelled by the system}",
                handedOver.count, handedOver.count + handoverFailed.count, level,
                note:
                    "\(timeouts) timed out waiting for the person, \(handoverFailed.count - timeouts) other failures, "
                    + "\(handovers.filter { $0.outcome == .open }.count) open (excluded)"))
        var handoverSample: [DurationSample.Observation] = []
        var handoverDropped = 0
        for task in handovers {
            guard let start = task.phase("handover_start") else { continue }
            if let done = task.phase("handover_end") {
                handoverSample.append(.init(done.seconds(since: start)))
            } else if task.outcome == .open {
                handoverSample.append(.init(end.seconds(since: start), censored: true))
            } else {
                handoverDropped += 1
            }
        }
        result += percentiles(
            "handover_duration", "Handover duration", "B2.6", "HD_i = t_handover_end − t_handover_start",
            DurationSample(handoverSample), level: level,
            note: handoverDropped > 0 ? "\(handoverDropped) started but failed (in the success rate, not here)" : nil)

        // 2.8 Coalitions: formation = created → assigned (all members bound); sync wait = first member arrived at
        // the start → gathered (the last one there).
        let carries = tasks.filter { $0.kind == .cooperativeCarry }
        var formation: [DurationSample.Observation] = []
        for task in carries {
            guard let created = task.created else { continue }
            if let assigned = task.firstAssigned {
                formation.append(.init(assigned.seconds(since: created)))
            } else if task.outcome == .open {
                formation.append(.init(end.seconds(since: created), censored: true))
            }
        }
        result += percentiles(
            "coalition_formation_time", "Coalition formation time", "B2.8",
            "CF_i = t_assigned,first − t_created over cooperative carries (every member bound at assignment)",
            DurationSample(formation), level: level, note: nil)
        var sync: [DurationSample.Observation] = []
        var abandoned = 0
        for task in carries {
            var first: FleetTime?
            for mark in task.phases {
                switch mark.name {
                case "coalition_member":
                    if first != nil { abandoned += 1 }
                    first = nil
                case "arrived": first = first ?? mark.time
                case "gathered":
                    if let from = first { sync.append(.init(mark.time.seconds(since: from))) }
                    first = nil
                default: break
                }
            }
            if let from = first {
                if task.outcome == .open {
                    sync.append(.init(end.seconds(since: from), censored: true))
                } else {
                    abandoned += 1
                }
            }
        }
        result += percentiles(
            "coalition_sync_wait", "Coalition synchronisation wait", "B2.8",
            "SW_i = t_gathered − t_arrived,first (first member at the start until the last one)",
            DurationSample(sync), level: level,
            note: abandoned > 0 ? "\(abandoned) gathering(s) abandoned (coalition lost before all arrived)" : nil)

        // Emergency preemption: requeued(preempted) in W per hour; completion of the interrupted tasks.
        let demand = analysis.orderedTasks.filter { !$0.isCoordinatorOwn }
        let preemptions = demand.reduce(0) { $0 + $1.preemptions.filter(window.contains).count }
        var preemptionRate = KPIResult(
            id: "preemptions_per_hour", name: "Emergency preemptions", catalogue: "B1.10", unit: "1/h",
            formula: "#{requeued, reason preempted, t ∈ W} / |W|", kind: .eventRate,
            estimate: window.hours > 0 ? Double(preemptions) / window.hours : nil,
            ci: ConfidenceInterval.garwood(preemptions, exposure: window.hours, level: level), n: preemptions)
        preemptionRate.exposure = window.hours
        preemptionRate.reason = "\(preemptions) preemption(s) in \(Format.number(window.hours)) h"
        result.append(preemptionRate)
        let interrupted = tasks.filter { !$0.preemptions.isEmpty }
        let interruptedDone = interrupted.filter { $0.outcome == .completed }.count
        let interruptedTerminal = interrupted.filter { $0.outcome != .open }.count
        result.append(
            proportion(
                "interrupted_completion_rate", "Interrupted tasks completed", "B1.10",
                "#{preempted tasks completed ok} / #{preempted tasks finished}", interruptedDone, interruptedTerminal,
                level, note: "\(interrupted.count - interruptedTerminal) interrupted task(s) still open (excluded)"))

        result += patrolKPIs(tasks, settings: settings)
        return result
    }

    /// B3.6: revisit gaps per patrol waypoint from completed rounds and schedule adherence of the rounds.
    func patrolKPIs(_ tasks: [TaskTimeline], settings: EvaluationSettings) -> [KPIResult] {
        let level = settings.level
        let rounds = analysis.orderedTasks.filter { $0.kind == .patrol && !$0.isCoordinatorOwn }
        // A visit is dated when the robot passed the waypoint (phase `visited:<station>`); in journals without
        // such phases, a completed round visited each of its waypoints by its completion and is dated then.
        var visits: [StationID: [FleetTime]] = [:]
        for round in rounds {
            for stop in round.request?.stops ?? [] where visits[stop] == nil { visits[stop] = [] }
            let passed = round.phases.filter { $0.name.hasPrefix("visited:") && $0.time <= window.end }
            if !passed.isEmpty {
                for mark in passed {
                    visits[String(mark.name.dropFirst("visited:".count)), default: []].append(mark.time)
                }
                continue
            }
            guard round.outcome == .completed, let done = round.finished, done <= window.end else { continue }
            for stop in Set(round.request?.stops ?? []) { visits[stop, default: []].append(done) }
        }
        var observations: [DurationSample.Observation] = []
        var strata: [String: Stratum] = [:]
        var openMax: (seconds: Double, waypoint: StationID)?
        var closedMax = 0.0
        for (stop, times) in visits.sorted(by: { $0.key < $1.key }) {
            let sorted = times.sorted()
            var gaps: [Double] = []
            for (a, b) in zip(sorted, sorted.dropFirst()) where window.contains(b) {
                gaps.append(b.seconds(since: a))
            }
            // The gap still open at the end of W (a lower bound: the next visit is later).
            let last = sorted.last.map { max($0, window.start) } ?? window.start
            let trailing = window.end.seconds(since: last)
            observations += gaps.map { .init($0) }
            if trailing > 0 { observations.append(.init(trailing, censored: true)) }
            closedMax = max(closedMax, gaps.max() ?? 0)
            if trailing > 0 && trailing > (openMax?.seconds ?? 0) { openMax = (trailing, stop) }
            strata[stop] = Stratum(n: gaps.count, estimate: max(gaps.max() ?? 0, trailing))
        }
        let sample = DurationSample(observations)
        var maxKPI = KPIResult(
            id: "patrol_revisit_gap_max", name: "Longest patrol revisit gap", catalogue: "B3.6", unit: "s",
            formula: "max over waypoints of t_visit,k+1 − t_visit,k (visit = the robot passing it, or the "
                + "completion of a round through it in journals without visit records); "
                + "the gap still open at the end of W counts as a lower bound",
            kind: .percentile, estimate: nil, ci: nil, n: sample.observations.count)
        maxKPI.censored = sample.censoredCount
        if visits.isEmpty {
            maxKPI.verdict = .insufficientData
            maxKPI.reason = "no patrol rounds in the journal"
        } else {
            let open = openMax.map { $0.seconds > closedMax } ?? false
            let value = max(closedMax, openMax?.seconds ?? 0)
            maxKPI.estimate = value
            maxKPI.ci = ConfidenceInterval(
                level: level, low: value, high: open ? nil : value,
                method: open ? "observed; still open at the end of W (> estimate)" : "observed maximum over W")
            maxKPI.strata = strata
            maxKPI.reason =
                "\(visits.count) waypoint(s), \(sample.exact.count) closed gap(s)"
                + (open ? "; longest gap still open at \(openMax!.waypoint) (unbounded above)" : "")
        }
        maxKPI.decisionBounds = maxKPI.ci
        var out = [maxKPI]
        out.append(
            sample.percentileKPI(
                0.95, id: "patrol_revisit_gap_p95", name: "Patrol revisit gap p95", catalogue: "B3.6",
                formula: "p95 of the revisit gaps of every waypoint (open gaps at the end of W censored)", level: level)
        )
        if visits.isEmpty {
            out[1].verdict = .insufficientData
            out[1].reason = "no patrol rounds in the journal"
        }

        // Schedule adherence: rounds whose `earliest` falls in W started within ± tolerance of it.
        let x = settings.scheduleTolerance
        let scheduled = rounds.filter { $0.request?.earliestStart.map(window.contains) ?? false }
        var onTime = 0
        var decided = 0
        var late = 0
        var early = 0
        for round in scheduled {
            let planned = round.request!.earliestStart!
            if let started = round.firstStarted {
                decided += 1
                let offset = started.seconds(since: planned)
                if abs(offset) <= x { onTime += 1 } else if offset > 0 { late += 1 } else { early += 1 }
            } else if window.runEnd.seconds(since: planned) > x {
                decided += 1
                late += 1
            }
        }
        out.append(
            proportion(
                "patrol_schedule_adherence", "Patrol schedule adherence", "B3.6",
                "#{rounds started within ±\(Format.number(x)) s of earliest} / #{rounds with earliest ∈ W, decided}",
                onTime, decided, level,
                note: "\(late) late (incl. not started), \(early) early, \(scheduled.count - decided) not yet due"))
        return out
    }

    /// The p50 and p95 KPIs of a duration family; with no observation both are INSUFFICIENT_DATA. A sample with
    /// observations is kept in ``samples`` under `key` for its ECDF chart.
    mutating func percentiles(
        _ key: String, _ name: String, _ catalogue: String, _ formula: String, _ sample: DurationSample,
        level: Double, note: String?, quantiles: [(Double, String)] = [(0.5, "p50"), (0.95, "p95")]
    ) -> [KPIResult] {
        if !sample.observations.isEmpty { samples[key] = sample }
        return quantiles.map { p, suffix in
            var kpi = sample.percentileKPI(
                p, id: "\(key)_\(suffix)", name: "\(name) \(suffix)", catalogue: catalogue, formula: formula,
                level: level)
            if let note { kpi.reason += "; " + note }
            if sample.observations.isEmpty { kpi.verdict = .insufficientData }
            return kpi
        }
    }
}
