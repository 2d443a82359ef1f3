import FleetCore

/// The data-quality figures of a journal (catalogue B1.20), reported before the KPIs, and the validity gate.
public struct DataQuality: Sendable, Hashable, Codable {
    /// Records decoded.
    public var events: Int
    /// Entries that could not be decoded.
    public var undecodable: Int
    /// Records whose time is earlier than the record before (journal order).
    public var outOfOrder: Int
    /// Tasks seen without a `created` record.
    public var tasksWithoutCreated: Int
    /// Terminal records beyond a task's first.
    public var duplicateTerminals: Int
    /// Lifecycle records after a task's terminal one.
    public var recordsAfterFinish: Int
    /// Link changes to offline, connectionBroken or stale within the window.
    public var linkLosses: Int
    /// Records before T0 or after T1 (e.g. the shutdown's offline records); not evaluated.
    public var recordsOutsideRun: Int
    /// Longest silence of the whole journal in seconds (no record at all).
    public var longestGapSeconds: Double
    /// Share of `[T0, T1]` between the first and the last record.
    public var coverage: Double
    /// Tasks created in the window that are still open at T1 (right-censored).
    public var openTasks: Int
    /// Little's law check: mean queue length over `λ · E[QW]` (1 in a consistent log); `nil` without data.
    public var littlesLawRatio: Double?
    /// `clock_jump` records in `[T0, T1]`: simulated time moved at least half of fleetd's state timeout at once
    /// (the simulator or fleetd did not keep up with the time scale).
    public var clockJumps: Int
    /// The largest of those jumps in simulated seconds (0 without any).
    public var longestClockJumpSeconds: Double
    /// Position samples in `[T0, T1]` that carry the robot report's age (fleetd's clock on arrival minus the
    /// robot's own timestamp: transport and queueing plus the offset between the clocks).
    public var reportAgeSamples: Int
    /// Median of those ages in seconds (`nil` without samples); negative when robots' clocks run ahead.
    public var reportAgeP50Seconds: Double?
    /// 95th percentile of the ages' magnitudes in seconds (`nil` without samples): the catalogue's clock offset
    /// figure (B1.20).
    public var reportAgeP95Seconds: Double?

    /// Computes the figures.
    /// - Parameters:
    ///   - records: The records in journal order.
    ///   - undecodable: Undecodable entries.
    ///   - analysis: The rebuilt run.
    ///   - window: The window.
    public init(records: [JournalRecord], undecodable: Int, analysis: RunAnalysis, window: EvaluationWindow) {
        events = records.count
        self.undecodable = undecodable
        var outOfOrder = 0
        var gap = 0.0
        var links = 0
        for (previous, record) in zip(records, records.dropFirst()) {
            if record.time < previous.time { outOfOrder += 1 }
            gap = max(gap, record.time.seconds(since: previous.time))
            if case .connection(_, let state) = record.event, state != .online, window.contains(record.time) {
                links += 1
            }
        }
        self.outOfOrder = outOfOrder
        var jumps: [Double] = []
        for record in records where window.runStart <= record.time && record.time <= window.runEnd {
            if case .clockJump(let seconds) = record.event { jumps.append(seconds) }
        }
        clockJumps = jumps.count
        longestClockJumpSeconds = jumps.max() ?? 0
        var ages: [Double] = []
        for record in records where window.runStart <= record.time && record.time <= window.runEnd {
            if case .position(_, _, _, _, _, let age?) = record.event { ages.append(age) }
        }
        reportAgeSamples = ages.count
        reportAgeP50Seconds = Quantile.of(ages, 0.5)
        reportAgeP95Seconds = Quantile.of(ages.map(\.magnitude), 0.95)
        recordsOutsideRun = records.filter { $0.time < window.runStart || $0.time > window.runEnd }.count
        longestGapSeconds = gap
        linkLosses = links
        tasksWithoutCreated = analysis.tasksWithoutCreated.count
        let tasks = analysis.orderedTasks
        duplicateTerminals = tasks.reduce(0) { $0 + $1.extraTerminalRecords }
        recordsAfterFinish = tasks.reduce(0) { $0 + $1.recordsAfterFinish }
        let run = window.runEnd.seconds(since: window.runStart)
        if let first = analysis.firstTime, let last = analysis.lastTime, run > 0 {
            coverage = min(1, max(0, min(last, window.runEnd).seconds(since: max(first, window.runStart)) / run))
        } else {
            coverage = 0
        }
        let population = tasks.filter { $0.created.map(window.contains) ?? false }
        openTasks = population.filter { !$0.isFinished }.count
        let waits = population.compactMap(\.waitTime)
        littlesLawRatio = nil
        if window.seconds > 0, !waits.isEmpty {
            // Time-average of #(created ∧ ¬started) over W, from each task's waiting interval clipped to W.
            // Over the tasks whose wait is known (started), so censoring does not break the identity.
            let area = population.reduce(0.0) { sum, task in
                guard let created = task.created, let leaves = task.firstStarted else { return sum }
                let from = max(created, window.start)
                let to = min(leaves, window.end)
                return to > from ? sum + to.seconds(since: from) : sum
            }
            let lambda = Double(population.count) / window.seconds
            let meanWait = waits.reduce(0, +) / Double(waits.count)
            if lambda * meanWait > 0 { littlesLawRatio = (area / window.seconds) / (lambda * meanWait) }
        }
    }

    /// The data-validity gate: no undecodable entries beyond 0.1 %, no impossible sequences, journal order in
    /// time, at least 95 % of the run covered by records, and simulated time that never jumped (a host that did
    /// not keep up with the time scale makes robots time out: the figures then measure the machine, not the
    /// coordinator).
    public var gate: GateResult {
        var problems: [String] = []
        if Double(undecodable) > 0.001 * Double(max(1, events + undecodable)) {
            problems.append("\(undecodable) undecodable entries")
        }
        if tasksWithoutCreated > 0 { problems.append("\(tasksWithoutCreated) tasks without created") }
        if duplicateTerminals > 0 { problems.append("\(duplicateTerminals) duplicate terminal records") }
        if outOfOrder > 0 { problems.append("\(outOfOrder) records out of time order") }
        if coverage < 0.95 { problems.append("records cover \(Format.number(coverage * 100)) % of the run") }
        if events == 0 { problems.append("no records") }
        if clockJumps > 0 {
            problems.append(
                "simulated time jumped \(clockJumps) time(s), up to \(Format.number(longestClockJumpSeconds)) s at once: "
                    + "the machine did not keep up with the time scale (run again with a lower timeScale or on a "
                    + "quieter machine)")
        }
        return GateResult(
            id: "data_validity", observed: Double(problems.count), n: Double(events), nRequired: nil,
            verdict: problems.isEmpty ? .pass : .fail,
            reason: problems.isEmpty
                ? "decodable, consistent sequences, in time order, \(Format.number(coverage * 100)) % covered"
                : problems.joined(separator: "; "))
    }
}
