/// The market-based policy: a sequential single-item auction over the queue in service order (priority, then
/// arrival). Every robot that can do the task bids the time at which it would finish it if the task were added to
/// the end of its queue: an idle robot bids the trip (to the start of the work, then through it); a busy robot (see
/// ``AllocationContext/busy``) bids the time until it is free, plus the trip from where its current work ends. A
/// robot that wins a task bids for later tasks from the end of that one.
///
/// The lowest bid wins (ties: the robot free sooner, then the smaller id). An idle winner is assigned at once. A
/// busy winner (or an idle robot that already won an earlier task in this round) gets a reservation: the task
/// stays queued with the reason `reserved for robot X, free in ~N s`, and no other robot takes it in this round.
/// Every allocation runs a new auction, so reservations move when the situation changes. The coordinator runs the
/// policy at most once per ``CoordinatorConfiguration/allocationMinimumInterval``.
public struct MarketPolicy: AllocationPolicy {
    /// Creates the policy.
    public init() {}

    /// Rate limited: one auction per interval.
    public var isRateLimited: Bool { true }

    /// A bidder's queue as the auction goes on.
    struct Bidder {
        var robot: RobotID
        var profile: RobotProfile
        /// Where its queue ends.
        var node: NodeID
        /// Seconds until its queue is done.
        var freeIn: Double
        /// Battery at the end of its queue.
        var battery: Double
        /// Whether it has nothing to do now (an idle robot that has not won yet).
        var idle: Bool
    }

    /// See ``AllocationPolicy/allocate(queue:idle:context:)``.
    public func allocate(
        queue: [TransportTask], idle: [AllocationCandidate], context: AllocationContext
    ) -> [AllocationDecision] {
        let estimator = TripEstimator(context: context)
        let idleIDs = Set(idle.map(\.robot))
        var bidders =
            idle.map {
                Bidder(
                    robot: $0.robot, profile: $0.profile, node: $0.startNode, freeIn: 0, battery: $0.batteryPercent,
                    idle: true)
            }
            + context.busy.filter { !idleIDs.contains($0.robot) }.map {
                Bidder(
                    robot: $0.robot, profile: $0.profile, node: $0.endNode, freeIn: max(0, $0.secondsUntilFree),
                    battery: $0.batteryPercent, idle: false)
            }
        bidders.sort { $0.robot < $1.robot }
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
            var best: (index: Int, bid: Double, estimate: TripEstimate)?
            var checks: [TripEstimator.Check] = []
            for (index, bidder) in bidders.enumerated() {
                let check = estimator.check(
                    work, from: bidder.node, profile: bidder.profile, battery: bidder.battery,
                    delaySeconds: bidder.freeIn)
                checks.append(check)
                guard let estimate = check.estimate else { continue }
                let bid = bidder.freeIn + estimate.seconds
                // Bidders are sorted by id, so strict comparisons keep the smaller id on a full tie.
                if best == nil || (bid, bidder.freeIn) < (best!.bid, bidders[best!.index].freeIn) {
                    best = (index, bid, estimate)
                }
            }
            guard let best else {
                decisions.append(.wait(task.id, TripEstimator.waitReason(checks)))
                continue
            }
            let winner = bidders[best.index]
            if winner.idle {
                decisions.append(.assign(task.id, winner.robot, best.estimate))
            } else {
                decisions.append(.wait(task.id, .reservedFor(winner.robot, freeInSeconds: winner.freeIn)))
            }
            bidders[best.index].node = work.nodes[work.nodes.count - 1]
            bidders[best.index].freeIn = best.bid
            bidders[best.index].battery = best.estimate.batteryAfter
            bidders[best.index].idle = false
        }
        return decisions
    }
}
