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
        // Each robot's travel costs are looked up once per run; a pair is then costed without building routes.
        var origins = free.map { estimator.costs(from: $0.startNode, profile: $0.profile) }
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
            var best: (index: Int, trip: TripEstimator.Trip)?
            var refusals = TripEstimator.Refusals()
            for index in free.indices {
                let outcome = estimator.outcome(
                    work, from: origins[index], profile: free[index].profile, battery: free[index].batteryPercent)
                refusals.note(outcome, type: free[index].profile.type)
                // `free` is sorted by robot id, so a strict `<` keeps the smaller id on equal times.
                if let trip = outcome.trip, best == nil || trip.toStart.time < best!.trip.toStart.time {
                    best = (index, trip)
                }
            }
            if let best {
                let robot = free[best.index]
                let estimate = estimator.estimate(
                    work, from: robot.startNode, profile: robot.profile, trip: best.trip)
                decisions.append(.assign(task.id, robot.robot, estimate))
                free.remove(at: best.index)
                origins.remove(at: best.index)
            } else {
                decisions.append(.wait(task.id, refusals.reason(for: work)))
            }
        }
        return decisions
    }
}
