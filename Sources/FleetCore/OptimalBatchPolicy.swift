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
        var origins = free.map { estimator.costs(from: $0.startNode, profile: $0.profile) }
        for works in classes {
            // Pairs are costed by travel times only; routes are built for the assignments made.
            var refusals = [TripEstimator.Refusals](repeating: TripEstimator.Refusals(), count: works.count)
            let trips = works.indices.map { column in
                free.indices.map { row -> TripEstimator.Trip? in
                    let outcome = estimator.outcome(
                        works[column], from: origins[row], profile: free[row].profile,
                        battery: free[row].batteryPercent)
                    refusals[column].note(outcome, type: free[row].profile.type)
                    return outcome.trip
                }
            }
            let pairs = Self.solve(trips, robots: free.count)
            var taken = Set<Int>()
            for (column, work) in works.enumerated() {
                if let row = pairs[column], let trip = trips[column][row] {
                    let robot = free[row]
                    let estimate = estimator.estimate(
                        work, from: robot.startNode, profile: robot.profile, trip: trip)
                    decided[work.task.id] = .assign(work.task.id, robot.robot, estimate)
                    taken.insert(row)
                } else {
                    decided[work.task.id] = .wait(work.task.id, refusals[column].reason(for: work))
                }
            }
            let kept = free.indices.filter { !taken.contains($0) }
            free = kept.map { free[$0] }
            origins = kept.map { origins[$0] }
        }
        return ordered.compactMap { decided[$0.id] }
    }

    /// The robot (row) of each task (column) in a minimum-cost assignment that serves as many tasks as
    /// feasibility allows. Infeasible pairs cost more than any set of feasible ones (so they are chosen only where
    /// nothing else fits, and then discarded); rows and columns without a feasible pair are left out first.
    /// - Parameters:
    ///   - trips: `trips[task][robot]`, `nil` where the robot cannot do the task.
    ///   - robots: the number of robots.
    /// - Returns: for each task, the index of its robot or `nil`.
    static func solve(_ trips: [[TripEstimator.Trip?]], robots: Int) -> [Int?] {
        var result = [Int?](repeating: nil, count: trips.count)
        let columns = trips.indices.filter { c in trips[c].contains { $0 != nil } }
        var feasibleRow = [Bool](repeating: false, count: robots)
        for c in columns {
            for r in 0..<robots where trips[c][r] != nil { feasibleRow[r] = true }
        }
        let rows = (0..<robots).filter { feasibleRow[$0] }
        guard !rows.isEmpty, !columns.isEmpty else { return result }
        var largest = 0.0
        for c in columns {
            for r in rows { if let seconds = trips[c][r]?.seconds { largest = max(largest, seconds) } }
        }
        // Any assignment has at most min(rows, columns) pairs of at most `largest` each, so one padded pair costs
        // more than all feasible pairs together: the solver first maximises the number of feasible pairs.
        let padding = (largest + 1) * Double(min(rows.count, columns.count) + 1)
        var matrix = CostMatrix(rows: rows.count, columns: columns.count, repeating: padding)
        for (j, c) in columns.enumerated() {
            for (i, r) in rows.enumerated() {
                if let seconds = trips[c][r]?.seconds { matrix[i, j] = seconds }
            }
        }
        guard let solution = try? LinearAssignment.solve(matrix) else { return result }
        for (i, j) in solution.pairs where trips[columns[j]][rows[i]] != nil {
            result[columns[j]] = rows[i]
        }
        return result
    }
}
