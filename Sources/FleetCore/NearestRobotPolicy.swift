/// The greedy policy (the default): each queued task, by priority then arrival, gets the idle robot that reaches the
/// start of its work soonest on the graph, among robots that can do it (``TripEstimator``: capabilities, payload,
/// battery for the trip and the way on to a charger, deadline). Ties go to the smaller robot id.
///
/// Cheap and predictable, and it runs after every event; it can send a robot to a task that another robot, already
/// taken by an earlier task, would have served much better (see ``OptimalBatchPolicy``).
public struct NearestRobotPolicy: AllocationPolicy {
    /// Creates the policy.
    public init() {}

    /// See ``AllocationPolicy/allocate(queue:idle:context:)``.
    public func allocate(
        queue: [TransportTask], idle: [AllocationCandidate], context: AllocationContext
    ) -> [AllocationDecision] {
        let estimator = TripEstimator(context: context)
        var free = idle.sorted { $0.robot < $1.robot }
        var decisions: [AllocationDecision] = []
        for task in Self.serviceOrder(queue) {
            let work: TripEstimator.Work
            switch estimator.work(for: task) {
            case .failure(let impossible):
                decisions.append(.reject(task.id, impossible))
                continue
            case .success(let w):
                work = w
            }
            var best: (index: Int, estimate: TripEstimate)?
            var checks: [TripEstimator.Check] = []
            for (index, candidate) in free.enumerated() {
                let check = estimator.check(
                    work, from: candidate.startNode, profile: candidate.profile, battery: candidate.batteryPercent)
                checks.append(check)
                // `free` is sorted by robot id, so a strict `<` keeps the smaller id on equal times.
                if let estimate = check.estimate, best == nil || estimate.toPick.time < best!.estimate.toPick.time {
                    best = (index, estimate)
                }
            }
            if let best {
                decisions.append(.assign(task.id, free[best.index].robot, best.estimate))
                free.remove(at: best.index)
            } else {
                decisions.append(.wait(task.id, TripEstimator.waitReason(checks)))
            }
        }
        return decisions
    }
}
