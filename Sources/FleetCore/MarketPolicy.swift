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

    /// Reads the busy robots of the context (``AllocationContext/busy``): they bid too.
    public var considersBusyRobots: Bool { true }

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
        /// Travel costs from ``node`` for its mobility, looked up once per run and again after each win.
        var origin: RouteCosts?
    }

    /// See ``AllocationPolicy/allocate(queue:idle:context:)``.
    ///
    /// Bids are costed by travel times only (routes are built for the assignments made), and bidders are asked
    /// in order of ``Bidder/freeIn``: once a bidder is free only after the best bid so far, neither it nor any
    /// later one can win, so the rest of the round is skipped. The winner is the same as asking every bidder in
    /// id order: the least (bid, time until free, id).
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
        for index in bidders.indices {
            bidders[index].origin = estimator.costs(from: bidders[index].node, profile: bidders[index].profile)
        }
        // With every bidder's profile in the registered fleet, a capable bidder needs at least the least time through
        // the work of the fleet's capable mobilities after it is free (one from outside the fleet might be faster).
        let fleetProfiles = Set(context.fleet.values)
        let boundedByFleet = bidders.allSatisfy { fleetProfiles.contains($0.profile) }
        // Bidder indices (id order) by (freeIn, index).
        var order = bidders.indices.sorted { (bidders[$0].freeIn, $0) < (bidders[$1].freeIn, $1) }
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
            var best: (index: Int, bid: Double, freeIn: Double, trip: TripEstimator.Trip)?
            var refusals = TripEstimator.Refusals()
            var through = 0.0
            if boundedByFleet {
                through = .infinity
                for leg in work.legs { if let time = leg.through?.time, time < through { through = time } }
            }
            for index in order {
                let freeIn = bidders[index].freeIn
                // Travel times are never negative, so this bidder's bid is at least `freeIn + through`, and so is
                // every later one's: none can beat the best (an equal bound is still asked, for the tie on the id).
                if let best, freeIn + through > best.bid { break }
                let outcome = estimator.outcome(
                    work, from: bidders[index].origin, profile: bidders[index].profile,
                    battery: bidders[index].battery, delaySeconds: freeIn)
                refusals.note(outcome, type: bidders[index].profile.type)
                guard let trip = outcome.trip else { continue }
                let bid = freeIn + trip.seconds
                if best == nil || (bid, freeIn, index) < (best!.bid, best!.freeIn, best!.index) {
                    best = (index, bid, freeIn, trip)
                }
            }
            guard let best else {
                decisions.append(.wait(task.id, refusals.reason(for: work)))
                continue
            }
            let winner = bidders[best.index]
            if winner.idle {
                let estimate = estimator.estimate(
                    work, from: winner.node, profile: winner.profile, trip: best.trip)
                decisions.append(.assign(task.id, winner.robot, estimate))
            } else {
                decisions.append(.wait(task.id, .reservedFor(winner.robot, freeInSeconds: winner.freeIn)))
            }
            let end = work.nodes[work.nodes.count - 1]
            bidders[best.index].node = end
            bidders[best.index].origin = estimator.costs(from: end, profile: winner.profile)
            bidders[best.index].freeIn = best.bid
            bidders[best.index].battery = best.trip.batteryAfter
            bidders[best.index].idle = false
            // The winner is free later now: move it to its new place in the order.
            if let at = order.firstIndex(of: best.index) { order.remove(at: at) }
            let key = (best.bid, best.index)
            var low = 0
            var high = order.count
            while low < high {
                let mid = (low + high) / 2
                if (bidders[order[mid]].freeIn, order[mid]) < key { low = mid + 1 } else { high = mid }
            }
            order.insert(best.index, at: low)
        }
        return decisions
    }
}
