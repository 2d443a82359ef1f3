/// The optimal batch policy: a minimum-cost assignment of idle robots to queued tasks (``LinearAssignment``), the
/// cost of a pair being its travel time (to the start of the work, then through it) under the same feasibility
/// rules as the greedy policy (``TripEstimator``).
///
/// Priority classes are solved from the highest down; each class gets as many robots as feasibility allows, and
/// the least total travel time among those assignments; lower classes share the robots left over. So a
/// lower-priority task never takes a robot that a higher-priority task could have had. The coordinator runs the
/// policy at most once per ``CoordinatorConfiguration/allocationMinimumInterval`` so that a burst of events is
/// solved as one batch.
public struct OptimalBatchPolicy: AllocationPolicy {
    /// Creates the policy.
    public init() {}

    /// Rate limited: one solve per interval.
    public var isRateLimited: Bool { true }

    /// See ``AllocationPolicy/allocate(queue:idle:context:)``.
    public func allocate(
        queue: [TransportTask], idle: [AllocationCandidate], context: AllocationContext
    ) -> [AllocationDecision] {
        let estimator = TripEstimator(context: context)
        var free = idle.sorted { $0.robot < $1.robot }
        var decided: [TaskID: AllocationDecision] = [:]
        let ordered = Self.serviceOrder(queue)
        var classes: [[TripEstimator.Work]] = []
        var lastRank: Int?
        for task in ordered {
            switch estimator.work(for: task) {
            case .failure(let impossible):
                decided[task.id] = .reject(task.id, impossible)
            case .success(let work):
                if lastRank != task.request.priority.rank { classes.append([]) }
                lastRank = task.request.priority.rank
                classes[classes.count - 1].append(work)
            }
        }
        for works in classes {
            let checks = works.map { work in
                free.map { estimator.check(work, from: $0.startNode, profile: $0.profile, battery: $0.batteryPercent) }
            }
            let pairs = Self.solve(checks, robots: free.count)
            var taken = Set<Int>()
            for (column, work) in works.enumerated() {
                if let row = pairs[column], let estimate = checks[column][row].estimate {
                    decided[work.task.id] = .assign(work.task.id, free[row].robot, estimate)
                    taken.insert(row)
                } else {
                    decided[work.task.id] = .wait(work.task.id, TripEstimator.waitReason(checks[column]))
                }
            }
            free = free.enumerated().filter { !taken.contains($0.offset) }.map(\.element)
        }
        return ordered.compactMap { decided[$0.id] }
    }

    /// The robot (row) of each task (column) in a minimum-cost assignment that serves as many tasks as
    /// feasibility allows. Infeasible pairs cost more than any set of feasible ones (so they are chosen only where
    /// nothing else fits, and then discarded); rows and columns without a feasible pair are left out first.
    /// - Parameters:
    ///   - checks: `checks[task][robot]`.
    ///   - robots: the number of robots.
    /// - Returns: for each task, the index of its robot or `nil`.
    static func solve(_ checks: [[TripEstimator.Check]], robots: Int) -> [Int?] {
        var result = [Int?](repeating: nil, count: checks.count)
        let columns = checks.indices.filter { c in checks[c].contains { $0.estimate != nil } }
        let rows = (0..<robots).filter { r in columns.contains { checks[$0][r].estimate != nil } }
        guard !rows.isEmpty, !columns.isEmpty else { return result }
        var largest = 0.0
        for c in columns {
            for r in rows { if let seconds = checks[c][r].estimate?.seconds { largest = max(largest, seconds) } }
        }
        // Any assignment has at most min(rows, columns) pairs of at most `largest` each, so one padded pair costs
        // more than all feasible pairs together: the solver first maximises the number of feasible pairs.
        let padding = (largest + 1) * Double(min(rows.count, columns.count) + 1)
        var matrix = CostMatrix(rows: rows.count, columns: columns.count, repeating: padding)
        for (j, c) in columns.enumerated() {
            for (i, r) in rows.enumerated() {
                if let seconds = checks[c][r].estimate?.seconds { matrix[i, j] = seconds }
            }
        }
        guard let solution = try? LinearAssignment.solve(matrix) else { return result }
        for (i, j) in solution.pairs where checks[columns[j]][rows[i]].estimate != nil {
            result[columns[j]] = rows[i]
        }
        return result
    }
}
