import FleetCore

extension RunEvaluation {
    /// The task KPIs of catalogue B1 (1.1–1.8, 1.10) over the tasks created in the window.
    mutating func taskKPIs(_ tasks: [TaskTimeline], level: Double, batchSeconds: Double) -> [KPIResult] {
        let end = window.runEnd
        let ok = tasks.filter { $0.outcome == .completed }
        let failed = tasks.filter { $0.outcome == .failed }
        let cancelledBySystem = tasks.filter { $0.outcome == .cancelled && $0.cancelActor == .system }
        let open = tasks.filter { $0.outcome == .open }
        var result: [KPIResult] = []

        // 1.1 Throughput: completions in W per hour, batch means.
        let batches = window.batches(of: batchSeconds)
        let allOK = analysis.orderedTasks.filter { $0.outcome == .completed && !$0.isCoordinatorOwn }
        batchCompletions = batches.enumerated().map { index, batch in
            let last = index == batches.count - 1
            let count = allOK.filter {
                $0.finished! >= batch.lowerBound
                    && ($0.finished! < batch.upperBound || last && $0.finished! == batch.upperBound)
            }.count
            return (batch.lowerBound, batch.upperBound, count)
        }
        let rates = zip(batches, batchCompletions).map {
            Double($1.completed) / ($0.upperBound.seconds(since: $0.lowerBound) / 3600)
        }
        let completedInW = allOK.filter { window.contains($0.finished!) }.count
        var throughput = KPIResult(
            id: "throughput", name: "Throughput", catalogue: "B1.1", unit: "tasks/h",
            formula: "TH = #{completed ok, t_completed ∈ W} / |W|", kind: .mean,
            estimate: window.hours > 0 ? Double(completedInW) / window.hours : nil,
            ci: ConfidenceInterval.t(
                rates, level: level, method: "batch means (\(rates.count) × \(Format.number(batchSeconds / 60)) min), t"
            )?.clamped(to: 0...Double.greatestFiniteMagnitude),
            n: rates.count)
        throughput.reason =
            "\(completedInW) completions in \(Format.number(window.hours)) h (the coordinator's charge trips excluded)"
        throughput.strata = kindStrata(allOK.filter { window.contains($0.finished!) }) { done in
            Stratum(
                n: done.count, estimate: window.hours > 0 ? Double(done.count) / window.hours : nil,
                ci: ConfidenceInterval.garwood(done.count, exposure: window.hours, level: level))
        }
        result.append(throughput)

        // 1.2 Success rate, 1.3 demand coverage.
        let decided = ok.count + failed.count + cancelledBySystem.count
        result.append(
            proportion(
                "success_rate", "Task success rate", "B1.2",
                "SR = N_ok / (N_ok + N_fail + N_cancel_sys), tasks created in W",
                ok.count, decided, level,
                note:
                    "\(failed.count) failed, \(cancelledBySystem.count) cancelled by the system, \(open.count) open (excluded)"
            ))
        result[result.count - 1].strata = kindStrata(tasks) { group in
            let k = group.filter { $0.outcome == .completed }.count
            let n =
                group.filter { $0.outcome == .completed || $0.outcome == .failed }.count
                + group.filter { $0.outcome == .cancelled && $0.cancelActor == .system }.count
            return Stratum(
                n: n, estimate: n > 0 ? Double(k) / Double(n) : nil, ci: ConfidenceInterval.wilson(k, n, level: level))
        }
        result.append(
            proportion(
                "demand_coverage", "Demand coverage", "B1.3",
                "DC = N_ok / N_created (open, failed, cancelled count against)",
                ok.count, tasks.count, level, note: "\(open.count) still open at the end of the run"))

        // 1.4–1.6 durations, censored at T1 for open tasks.
        func sample(_ key: String, _ to: (TaskTimeline) -> FleetTime?) -> DurationSample {
            var observations: [DurationSample.Observation] = []
            for task in tasks {
                guard let created = task.created else { continue }
                if let t = to(task) {
                    observations.append(.init(t.seconds(since: created)))
                } else if task.outcome == .open {
                    observations.append(.init(end.seconds(since: created), censored: true))
                }
            }
            let value = DurationSample(observations)
            samples[key] = value
            return value
        }
        let families: [(String, String, String, String, DurationSample)] = [
            (
                "time_to_assign", "Time to assign", "B1.4", "TTA_i = t_assigned,first − t_created",
                sample("time_to_assign") { $0.firstAssigned }
            ),
            (
                "queue_wait", "Queue wait", "B1.5", "QW_i = t_started,first − t_created",
                sample("queue_wait") { $0.firstStarted }
            ),
            (
                "lead_time", "Lead time", "B1.6", "LT_i = t_completed − t_created",
                sample("lead_time") { $0.outcome == .completed ? $0.finished : nil }
            ),
        ]
        for (key, name, catalogue, formula, values) in families {
            for (p, suffix) in [(0.5, "p50"), (0.95, "p95")] {
                result.append(
                    values.percentileKPI(
                        p, id: "\(key)_\(suffix)", name: "\(name) \(suffix)", catalogue: catalogue,
                        formula: formula + " (tasks created in W; open tasks censored at T1)", level: level))
            }
        }

        // 1.8 On-time rate.
        let due = analysis.orderedTasks.filter { !$0.isCoordinatorOwn && ($0.due.map(window.contains) ?? false) }
        let onTime = due.filter { $0.outcome == .completed && $0.finished! <= $0.due! }
        result.append(
            proportion(
                "on_time_rate", "On-time rate", "B1.8",
                "OTR = #{ok ∧ t_completed ≤ due} / #{due ∈ W} (failed and open past due count as late)",
                onTime.count, due.count, level, note: "\(due.count - onTime.count) late"))

        // 1.10 Reassignment.
        let assigned = tasks.filter { $0.firstAssigned != nil }
        let moved = assigned.filter { $0.reassignments + $0.requeues > 0 }
        let moves = assigned.reduce(0) { $0 + $1.reassignments + $1.requeues }
        result.append(
            proportion(
                "reassignment_rate", "Reassignment rate", "B1.10",
                "share of assigned tasks with ≥ 1 reassignment or re-queue", moved.count, assigned.count, level,
                note: "RA = N_reassigned / N_assigned = \(moves)/\(assigned.count)"))
        queueLength = queueSeries(analysis.orderedTasks.filter { !$0.isCoordinatorOwn })
        return result
    }

    /// One stratum per task kind present in `tasks`, keyed by the kind's raw value.
    func kindStrata(_ tasks: [TaskTimeline], _ make: ([TaskTimeline]) -> Stratum) -> [String: Stratum]? {
        let groups = Dictionary(grouping: tasks, by: \.kind)
        guard !groups.isEmpty else { return nil }
        return Dictionary(uniqueKeysWithValues: groups.map { ($0.key.rawValue, make($0.value)) })
    }

    func proportion(
        _ id: String, _ name: String, _ catalogue: String, _ formula: String, _ k: Int, _ n: Int, _ level: Double,
        note: String
    ) -> KPIResult {
        var kpi = KPIResult(
            id: id, name: name, catalogue: catalogue, unit: "ratio", formula: formula, kind: .proportion,
            estimate: n > 0 ? Double(k) / Double(n) : nil, ci: ConfidenceInterval.wilson(k, n, level: level), n: n)
        kpi.reason = "\(k)/\(n); " + note
        if n == 0 {
            kpi.verdict = .insufficientData
            kpi.reason = "no events of this kind in the window; " + note
        }
        return kpi
    }

    func queueSeries(_ tasks: [TaskTimeline]) -> [(time: FleetTime, length: Int)] {
        guard window.seconds > 0 else { return [] }
        var series: [(time: FleetTime, length: Int)] = []
        var time = window.start
        while time <= window.end {
            let length = tasks.filter { task in
                guard let created = task.created, created <= time else { return false }
                let left = [task.firstStarted, task.finished].compactMap { $0 }.min()
                return left.map { $0 > time } ?? true
            }.count
            series.append((time, length))
            time = time.adding(seconds: 300)
        }
        return series
    }
}
