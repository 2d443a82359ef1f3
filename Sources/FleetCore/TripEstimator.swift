/// The feasibility rules and trip costs every allocation policy shares, for every task kind.
///
/// A task's work is the node sequence of ``TransportTask/workNodes(in:)``. A robot can do it when it has the
/// capabilities and payload, can reach the first work node, would still hold the battery reserve after the trip
/// *and* the way from the last work node to the nearest charger, and (when the request has a deadline) would
/// finish the trip by it. Permanent problems (see ``AllocationError/isPermanent``) are found once per task by
/// ``work(for:)``.
public struct TripEstimator: Sendable {
    /// A task that some robot of the fleet could do, with its work nodes.
    public struct Work: Sendable, Hashable {
        /// The task.
        public var task: TransportTask
        /// Its work nodes, at least one: the first is where the work starts.
        public var nodes: [NodeID]
        /// The route through the work and the metres on to the nearest charger, by robot top speed (for the
        /// speeds of the registered fleet, so a batch of checks routes each task once per speed).
        var legs: [Double: Leg] = [:]
    }

    /// The work route of a task at one speed, and the way on to a charger.
    struct Leg: Sendable, Hashable {
        var through: Route
        var chargerMetres: Double
    }

    /// The outcome of costing one robot for one task.
    public enum Check: Sendable, Hashable {
        /// The robot can do it along this trip.
        case feasible(TripEstimate)
        /// The robot lacks a capability or the payload.
        case incapable
        /// The robot cannot reach the start of the work from where it is.
        case unreachable
        /// The robot would end below the battery reserve (after the work and the way to a charger).
        case lowBattery
        /// The robot would finish after the deadline.
        case late

        /// The trip, when feasible.
        public var estimate: TripEstimate? {
            if case .feasible(let estimate) = self { return estimate }
            return nil
        }
    }

    /// Routes, fleet, reserve and time.
    public let context: AllocationContext

    /// Creates an estimator.
    public init(context: AllocationContext) {
        self.context = context
    }

    /// The work of `task`, or the permanent reason no robot of the registered fleet could ever do it: a missing
    /// capability or payload, a work node off the layout or unreachable, no charger reachable from the end of the
    /// work, or a deadline even a robot standing at the start could not meet. With no robot registered yet,
    /// only the layout is checked.
    public func work(for task: TransportTask) -> Result<Work, AllocationError> {
        let request = task.request
        let profiles = context.fleet.values.sorted { ($0.maxSpeed, $0.type) > ($1.maxSpeed, $1.type) }
        if !profiles.isEmpty {
            for capability in request.requiredCapabilities.sorted()
            where !profiles.contains(where: { $0.capabilities.contains(capability) }) {
                return .failure(.noCapability(capability))
            }
            if let kg = request.loadWeightKg, !profiles.contains(where: { $0.maxPayloadKg >= kg }) {
                return .failure(.payloadTooHeavy(kg: kg))
            }
        }
        guard let nodes = task.workNodes(in: context.router.layout), !nodes.isEmpty else {
            return .failure(.unknownWorkPlace)
        }
        let capable = profiles.filter { $0.canCarry(request) }
        // Route existence does not depend on speed; the fastest capable robot gives the earliest possible finish.
        let speed = capable.first?.maxSpeed ?? profiles.first?.maxSpeed ?? 1
        for (from, to) in zip(nodes, nodes.dropFirst())
        where context.router.travelTime(from: from, to: to, robotMaxSpeed: speed) == nil {
            return .failure(.noPath(from: from, to: to))
        }
        if chargerDistance(from: nodes[nodes.count - 1], speed: speed) == nil {
            return .failure(.noChargerReachable(from: nodes[nodes.count - 1]))
        }
        if let deadline = request.deadline, !capable.isEmpty {
            let fastest = capable.compactMap { route(through: nodes, speed: $0.maxSpeed)?.time }.min() ?? 0
            if context.now.adding(seconds: fastest) > deadline { return .failure(.deadlineUnreachable) }
        }
        var work = Work(task: task, nodes: nodes)
        for speed in Set(capable.map(\.maxSpeed)) { work.legs[speed] = leg(nodes, speed: speed) }
        return .success(work)
    }

    /// Costs a robot for `work`.
    /// - Parameters:
    ///   - work: the task's work (from ``work(for:)``).
    ///   - start: where the robot starts from.
    ///   - profile: the robot's profile.
    ///   - battery: its state of charge at `start`.
    ///   - delaySeconds: seconds before it can set off (a busy robot's remaining work).
    /// - Returns: the trip when the robot can do the work, else why not.
    public func check(
        _ work: Work, from start: NodeID, profile: RobotProfile, battery: Double, delaySeconds: Double = 0
    ) -> Check {
        let request = work.task.request
        guard profile.canCarry(request) else { return .incapable }
        let speed = profile.maxSpeed
        guard let toStart = context.router.route(from: start, to: work.nodes[0], robotMaxSpeed: speed),
            let leg = work.legs[speed] ?? leg(work.nodes, speed: speed)
        else { return .unreachable }
        let after = battery - (toStart.distance + leg.through.distance) * profile.batteryPercentPerMetre
        guard after - leg.chargerMetres * profile.batteryPercentPerMetre >= context.batteryReserve else {
            return .lowBattery
        }
        let estimate = TripEstimate(toPick: toStart, toDrop: leg.through, batteryAfter: after)
        if let deadline = request.deadline, context.now.adding(seconds: delaySeconds + estimate.seconds) > deadline {
            return .late
        }
        return .feasible(estimate)
    }

    /// Why a task stays queued, given the checks of the robots that were free for it: all capable robots taken
    /// (or none free), every feasible one late for the deadline, or short of battery.
    public static func waitReason(_ checks: [Check]) -> AllocationError {
        if checks.contains(where: { $0.estimate != nil }) { return .noRobotAvailable }
        if checks.contains(.late) { return .deadlineCannotBeMet }
        if checks.contains(.lowBattery) { return .noRobotWithEnoughBattery }
        return .noRobotAvailable
    }

    func leg(_ nodes: [NodeID], speed: Double) -> Leg? {
        guard let through = route(through: nodes, speed: speed),
            let metres = chargerDistance(from: nodes[nodes.count - 1], speed: speed)
        else { return nil }
        return Leg(through: through, chargerMetres: metres)
    }

    /// The route from the first of `nodes` through the others in order, or `nil` when a leg is unreachable.
    public func route(through nodes: [NodeID], speed: Double) -> Route? {
        guard let first = nodes.first else { return nil }
        var total = Route(nodes: [first], edges: [], distance: 0, time: 0)
        for (from, to) in zip(nodes, nodes.dropFirst()) {
            guard let leg = context.router.route(from: from, to: to, robotMaxSpeed: speed) else { return nil }
            total = total.appending(leg)
        }
        return total
    }

    /// Metres from `node` to the nearest charger (along fastest routes): 0 on a site without chargers, `nil`
    /// when the site has chargers but none can be reached.
    public func chargerDistance(from node: NodeID, speed: Double) -> Double? {
        let chargers = context.router.layout.chargers
        if chargers.isEmpty { return 0 }
        return chargers.compactMap { context.router.route(from: node, to: $0.node, robotMaxSpeed: speed)?.distance }
            .min()
    }
}
