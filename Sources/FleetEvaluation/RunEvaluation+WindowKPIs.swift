import FleetCore

extension RunEvaluation {
    /// The KPI ids of ``windowKPIs(_:settings:)`` and their kinds, for target resolution.
    static let windowKPIKinds: [String: KPIKind] = [
        "jit_window_adherence": .proportion, "medication_window_adherence": .proportion,
        "right_resident_rate": .proportion, "medication_missed_doses": .count, "patrol_coverage": .proportion,
        "picker_wait_p50": .percentile, "picker_wait_p95": .percentile, "robot_wait_p50": .percentile,
        "robot_wait_p95": .percentile,
    ]

    /// Whether `task` is a medication delivery: a handover whose load type is one of the settings' medication load
    /// types, or whose person is one of the scenario's residents.
    static func isMedication(_ task: TaskTimeline, settings: EvaluationSettings) -> Bool {
        guard task.kind == .handover, let request = task.request else { return false }
        if let load = request.loadType, settings.medicationLoadTypes.contains(load) { return true }
        if let person = request.person, settings.residents.contains(person) { return true }
        return false
    }

    /// The KPIs measured against a time window or an interval grid: JIT delivery windows (B2.1), medication
    /// windows, right-resident handovers and missed doses (B3.5), and night patrol coverage of every
    /// (room, interval) pair (B3.6). `tasks` is the demand created in W.
    mutating func windowKPIs(_ tasks: [TaskTimeline], settings: EvaluationSettings) -> [KPIResult] {
        let level = settings.level
        let end = window.runEnd
        var result: [KPIResult] = []

        // 2.1 JIT: a delivery with a deadline `due` is in its window when it completes in [due − e, due + l]; only
        // when the scenario defines the window (`early:` on the target), since a deadline alone is a latest time.
        if let e = settings.jitEarly {
            let l = settings.jitLate
            var inWindow = 0
            var early = 0
            var late = 0
            var pending = 0
            for task in tasks where task.kind == .transport || task.kind == .cooperativeCarry {
                guard let due = task.due else { continue }
                if task.outcome == .completed, let done = task.finished {
                    let offset = done.seconds(since: due)
                    if offset < -e { early += 1 } else if offset > l { late += 1 } else { inWindow += 1 }
                } else if task.outcome == .open && end.seconds(since: due) <= l {
                    pending += 1
                } else {
                    late += 1
                }
            }
            result.append(
                proportion(
                    "jit_window_adherence", "JIT window adherence", "B2.1",
                    "#{deliveries completed in [due − \(Format.number(e)) s, due + \(Format.number(l)) s]} / "
                        + "#{deliveries with a due time, decided}",
                    inWindow, inWindow + early + late, level,
                    note:
                        "\(early) early, \(late) late or never delivered, \(pending) open with the window still ahead "
                        + "(excluded)"))
        } else {
            var jit = proportion(
                "jit_window_adherence", "JIT window adherence", "B2.1",
                "#{deliveries completed in [due − e, due + l]} / #{deliveries with a due time, decided}", 0, 0, level,
                note: "")
            jit.reason =
                "no delivery window: give `early:` (and `late:`) on a jit_window_adherence target; a deadline alone "
                + "is a latest time"
            result.append(jit)
        }

        // 3.5 Medication: a handover to a resident (or of a medication load) meets its window when the resident's
        // confirmation ends the handover in [earliestStart (or created), deadline].
        let medication = tasks.filter { Self.isMedication($0, settings: settings) }
        var onTime = 0
        var missed = 0
        var decided = 0
        var rightPerson = 0
        var handedOver = 0
        var refused = 0
        for task in medication {
            let request = task.request!
            let opens = request.earliestStart ?? task.created ?? window.start
            let closes = request.deadline
            refused += task.refusedConfirmations
            if task.outcome == .completed, let done = task.phase("handover_end") ?? task.finished {
                decided += 1
                handedOver += 1
                if done >= opens && (closes.map { done <= $0 } ?? true) { onTime += 1 }
                if let expected = request.person, task.confirmedBy == expected { rightPerson += 1 }
            } else if task.outcome == .open && (closes.map { end < $0 } ?? true) {
                continue
            } else {
                decided += 1
                missed += 1
            }
        }
        result.append(
            proportion(
                "medication_window_adherence", "Medication window adherence", "B3.5",
                "#{medication handovers ended in [earliest start, deadline]} / #{medication deliveries decided}",
                onTime, decided, level,
                note: "\(medication.count) medication deliveries, \(missed) not delivered (failed, cancelled or "
                    + "past the deadline)"))
        result.append(
            proportion(
                "right_resident_rate", "Right-resident handover rate", "B3.5",
                "#{medication handovers confirmed by the resident they were for} / #{medication handovers}",
                rightPerson, handedOver, level,
                note: "\(refused) confirmation(s) by someone else refused by the coordinator (identity check)"))
        var doses = KPIResult(
            id: "medication_missed_doses", name: "Missed doses", catalogue: "B3.5", unit: "count",
            formula: "#{medication deliveries failed, cancelled, or open past their deadline}", kind: .count,
            estimate: decided == 0 ? nil : Double(missed), ci: nil, n: decided)
        doses.reason =
            decided == 0
            ? "no medication delivery in W was decided"
            : "\(missed) missed in \(decided) decided medication deliveries"
        if decided == 0 { doses.verdict = .insufficientData }
        result.append(doses)

        result.append(patrolCoverage(settings: settings))
        result += handoverWaits(tasks, level: level)
        return result
    }

    /// 2.4 Picker and robot wait at handovers: the robot arrives at `handover_start`, the person is ready when
    /// they confirm (`human_ack`). A person who confirmed before the robot arrived waited `t_arrived − t_ready`
    /// (picker wait); a robot that arrived first waited `t_ready − t_arrived` (robot wait), until the timeout when
    /// nobody confirmed, censored at the end of the run while it still waits. The other side's wait is 0.
    mutating func handoverWaits(_ tasks: [TaskTimeline], level: Double) -> [KPIResult] {
        var picker: [DurationSample.Observation] = []
        var robot: [DurationSample.Observation] = []
        for task in tasks where task.kind == .handover {
            guard let arrived = task.phase("handover_start") else { continue }
            if let ready = task.confirmed {
                picker.append(.init(max(0, arrived.seconds(since: ready))))
                robot.append(.init(max(0, ready.seconds(since: arrived))))
            } else if task.outcome == .open {
                robot.append(.init(window.runEnd.seconds(since: arrived), censored: true))
            } else if let ended = task.finished {
                robot.append(.init(ended.seconds(since: arrived)))
            }
        }
        let note = "\(picker.count) handover(s) with both sides there"
        return percentiles(
            "picker_wait", "Picker wait at handovers", "B2.4",
            "H_wait = max(0, t_handover_start − t_human_ack) per handover (the person ready before the robot)",
            DurationSample(picker), level: level, note: note)
            + percentiles(
                "robot_wait", "Robot wait at handovers", "B2.4",
                "R_wait = max(0, t_human_ack − t_handover_start); until the failure when nobody confirmed, censored "
                    + "at the end of the run while waiting",
                DurationSample(robot), level: level, note: note)
    }

    /// 3.6 Coverage: rooms R (every stop of the patrols created in the run), intervals of Δ seconds cut from the
    /// start of W (whole intervals only); a (room, interval) pair is covered when a robot passed the room
    /// (phase `visited:<room>`) in that interval.
    func patrolCoverage(settings: EvaluationSettings) -> KPIResult {
        let rounds = analysis.orderedTasks.filter { $0.kind == .patrol && !$0.isCoordinatorOwn }
        var rooms: Set<StationID> = []
        var visits: [StationID: [FleetTime]] = [:]
        var periods: [Double] = []
        for round in rounds {
            rooms.formUnion(round.request?.stops ?? [])
            if let every = round.request?.repeatEvery { periods.append(every) }
            for mark in round.phases where mark.name.hasPrefix("visited:") {
                visits[String(mark.name.dropFirst("visited:".count)), default: []].append(mark.time)
            }
        }
        let delta = settings.patrolInterval ?? periods.min() ?? 3600
        let intervals = delta > 0 ? Int((window.seconds / delta).rounded(.down)) : 0
        var covered = 0
        var strata: [String: Stratum] = [:]
        for room in rooms.sorted() {
            var hit = 0
            for k in 0..<intervals {
                let from = window.start.adding(seconds: Double(k) * delta)
                let to = from.adding(seconds: delta)
                if visits[room]?.contains(where: { $0 >= from && $0 < to }) == true { hit += 1 }
            }
            covered += hit
            strata[room] = Stratum(n: intervals, estimate: intervals > 0 ? Double(hit) / Double(intervals) : 0)
        }
        var kpi = proportion(
            "patrol_coverage", "Night patrol coverage", "B3.6",
            "#{(room, interval) pairs with a visit} / (|R| · #intervals), Δ = \(Format.number(delta)) s",
            covered, rooms.count * intervals, settings.level,
            note: "\(rooms.count) room(s), \(intervals) whole interval(s) of \(Format.number(delta)) s in W; "
                + "pairs of one room are not independent, so the Wilson interval is optimistic")
        if rooms.isEmpty {
            kpi.reason = "no patrol rounds in the journal"
        } else if visits.isEmpty {
            kpi.reason += "; no visit records (phase visited:<room>): journals before visits were journaled"
        }
        if !rooms.isEmpty { kpi.strata = strata }
        return kpi
    }
}
