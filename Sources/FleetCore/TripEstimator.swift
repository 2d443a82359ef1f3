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
        /// The layout index of the first work node (`nil` when it is not on the layout).
        var startIndex: Int?
        /// The capabilities the request needs (empty: no check), and its load in kg (0 without one).
        var capabilities: Set<String>
        var weight: Double
        /// The task's kind and the zones its work nodes lie in (robots may be limited to kinds and zones).
        var kind: TaskKind
        var zones: [Zone]
        /// The travel through the work and the metres on to the nearest charger, per top speed of the capable
        /// robots of the registered fleet (so a batch of checks costs each task once per speed).
        var legs: [SpeedLeg] = []

        init(task: TransportTask, nodes: [NodeID], startIndex: Int?) {
            self.task = task
            self.nodes = nodes
            self.startIndex = startIndex
            capabilities = task.request.requiredCapabilities
            weight = task.request.weightPerRobotKg ?? 0
            kind = task.request.kind
            zones = []
        }

        /// Whether a robot of `profile` has the capabilities and the payload (``RobotProfile/canCarry(_:)``), takes
        /// the task's kind and may enter the zones of its work nodes.
        func fits(_ profile: RobotProfile) -> Bool {
            carries(profile) && profile.permits(kind, in: zones)
        }

        /// Whether a robot of `profile` has the capabilities and the payload, whatever its limits.
        func carries(_ profile: RobotProfile) -> Bool {
            (capabilities.isEmpty || capabilities.isSubset(of: profile.capabilities)) && weight <= profile.maxPayloadKg
        }
    }

    /// The work of a task at one speed: the way through it (`nil` when a leg is unreachable) and the metres on
    /// to the nearest charger (`nil` when none can be reached).
    struct SpeedLeg: Sendable, Hashable {
        var speed: Double
        var through: RouteCost?
        var chargerMetres: Double?

        /// Both, when both exist.
        var leg: Leg? {
            guard let through, let chargerMetres else { return nil }
            return Leg(through: through, chargerMetres: chargerMetres)
        }
    }

    /// Length and time of the way through a task's work at one speed, and the metres on to a charger.
    struct Leg: Sendable, Hashable {
        var through: RouteCost
        var chargerMetres: Double
    }

    /// A feasible trip by travel costs only (the routes are built for assignments: ``estimate(_:from:speed:trip:)``).
    struct Trip: Sendable, Hashable {
        /// To the first work node.
        var toStart: RouteCost
        /// Through the work.
        var through: RouteCost
        /// Estimated battery percentage at the last work node.
        var batteryAfter: Double

        /// Travel seconds, as ``TripEstimate/seconds``.
        var seconds: Double { toStart.time + through.time }
    }

    /// ``Check`` by travel costs only.
    enum Outcome: Sendable, Hashable {
        case feasible(Trip)
        case incapable
        case unreachable
        case lowBattery
        case late

        var trip: Trip? {
            if case .feasible(let trip) = self { return trip }
            return nil
        }
    }

    /// What the checks of one task found, for ``TripEstimator/waitReason(_:)`` without keeping every check.
    struct Refusals {
        var feasible = false
        var late = false
        var lowBattery = false

        mutating func note(_ outcome: Outcome) {
            switch outcome {
            case .feasible: feasible = true
            case .late: late = true
            case .lowBattery: lowBattery = true
            case .incapable, .unreachable: break
            }
        }

        /// The same reason as ``TripEstimator/waitReason(_:)`` gives for the noted checks.
        var reason: AllocationError {
            if feasible { return .noRobotAvailable }
            if late { return .deadlineCannotBeMet }
            if lowBattery { return .noRobotWithEnoughBattery }
            return .noRobotAvailable
        }
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
    /// The distinct profiles of the registered fleet, fastest first (then by type, descending).
    let profiles: [RobotProfile]
    /// Their distinct top speeds, fastest first.
    let speeds: [Double]
    /// Every capability some registered robot has.
    let capabilities: Set<String>
    /// The largest and the smallest payload of a registered robot (`-infinity` and `infinity` without robots).
    let maxPayloadKg: Double
    let minPayloadKg: Double
    /// The layout indices of the chargers' nodes.
    let chargerIndices: [Int?]
    /// Whether no registered robot is limited to task kinds or zones.
    let unlimited: Bool

    /// Creates an estimator; the facts about the fleet that every task needs are gathered here, once.
    public init(context: AllocationContext) {
        self.context = context
        let profiles = Set(context.fleet.values).sorted { ($0.maxSpeed, $0.type) > ($1.maxSpeed, $1.type) }
        self.profiles = profiles
        var speeds: [Double] = []
        var capabilities = Set<String>()
        var maxPayloadKg = -Double.infinity
        var minPayloadKg = Double.infinity
        for profile in profiles {
            if speeds.last != profile.maxSpeed, !speeds.contains(profile.maxSpeed) { speeds.append(profile.maxSpeed) }
            capabilities.formUnion(profile.capabilities)
            if profile.maxPayloadKg > maxPayloadKg { maxPayloadKg = profile.maxPayloadKg }
            if !(profile.maxPayloadKg >= minPayloadKg) { minPayloadKg = profile.maxPayloadKg }
        }
        self.speeds = speeds
        self.capabilities = capabilities
        self.maxPayloadKg = maxPayloadKg
        self.minPayloadKg = minPayloadKg
        chargerIndices = context.router.layout.chargers.map { context.router.index(of: $0.node) }
        unlimited = profiles.allSatisfy { $0.taskKinds == nil && $0.allowedZones == nil }
    }

    /// The work of `task`, or the permanent reason no robot of the registered fleet could ever do it: a missing
    /// capability or payload, a work node off the layout or unreachable, no charger reachable from the end of the
    /// work, or a deadline even a robot standing at the start could not meet. With no robot registered yet,
    /// only the layout is checked.
    public func work(for task: TransportTask) -> Result<Work, AllocationError> {
        let request = task.request
        if !profiles.isEmpty {
            if !request.requiredCapabilities.isSubset(of: capabilities) {
                for capability in request.requiredCapabilities.sorted() where !capabilities.contains(capability) {
                    return .failure(.noCapability(capability))
                }
            }
            if let kg = request.loadWeightKg, !(maxPayloadKg >= kg) { return .failure(.payloadTooHeavy(kg: kg)) }
        }
        guard let nodes = task.workNodes(in: context.router.layout), !nodes.isEmpty else {
            return .failure(.unknownWorkPlace)
        }
        var work = Work(task: task, nodes: nodes, startIndex: context.router.index(of: nodes[0]))
        let layout = context.router.layout
        if !layout.zones.isEmpty { work.zones = layout.zones(of: nodes) }
        if !unlimited, profiles.contains(where: { work.carries($0) }), !profiles.contains(where: { work.fits($0) }) {
            // Robots that could carry it exist, but their own limits (kinds, zones) rule each of them out.
            if !profiles.contains(where: { work.carries($0) && $0.takes(request.kind) }) {
                return .failure(.noRobotAllowed("takes \(request.kind.rawValue) tasks"))
            }
            let names = work.zones.map(\.id).joined(separator: ", ")
            return .failure(.noRobotAllowed("that can do the task may enter zone(s) \(names)"))
        }
        // The distinct top speeds of the capable robots, fastest first.
        let capableSpeeds =
            work.capabilities.isEmpty && work.weight <= minPayloadKg && work.zones.isEmpty && unlimited
            ? speeds
            : profiles.filter { work.fits($0) }.map(\.maxSpeed).reduce(into: [Double]()) { speeds, speed in
                if !speeds.contains(speed) { speeds.append(speed) }
            }
        // Route existence does not depend on speed; the fastest capable robot gives the earliest possible finish.
        let speed = capableSpeeds.first ?? speeds.first ?? 1
        for (from, to) in zip(nodes, nodes.dropFirst())
        where context.router.cost(from: from, to: to, robotMaxSpeed: speed) == nil {
            return .failure(.noPath(from: from, to: to))
        }
        if chargerDistance(from: nodes[nodes.count - 1], speed: speed) == nil {
            return .failure(.noChargerReachable(from: nodes[nodes.count - 1]))
        }
        work.legs = capableSpeeds.map { speed in
            let through = self.through(nodes, speed: speed)
            return SpeedLeg(
                speed: speed, through: through,
                chargerMetres: through == nil ? nil : chargerDistance(from: nodes[nodes.count - 1], speed: speed))
        }
        if let deadline = request.deadline, !capableSpeeds.isEmpty {
            let fastest = work.legs.compactMap { $0.through?.time }.min() ?? 0
            if context.now.adding(seconds: fastest) > deadline { return .failure(.deadlineUnreachable) }
        }
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
        let origin = costs(from: start, speed: profile.maxSpeed)
        switch outcome(work, from: origin, profile: profile, battery: battery, delaySeconds: delaySeconds) {
        case .feasible(let trip): return .feasible(estimate(work, from: start, speed: profile.maxSpeed, trip: trip))
        case .incapable: return .incapable
        case .unreachable: return .unreachable
        case .lowBattery: return .lowBattery
        case .late: return .late
        }
    }

    /// Travel costs from `node` at `speed` for ``outcome(_:from:profile:battery:delaySeconds:)``: look them up once
    /// per robot and allocation run.
    func costs(from node: NodeID, speed: Double) -> RouteCosts? {
        context.router.costs(from: node, robotMaxSpeed: speed)
    }

    /// ``check(_:from:profile:battery:delaySeconds:)`` by travel costs only, from `origin`
    /// (``costs(from:speed:)`` of the robot's start at its top speed).
    func outcome(
        _ work: Work, from origin: RouteCosts?, profile: RobotProfile, battery: Double, delaySeconds: Double = 0
    ) -> Outcome {
        guard work.fits(profile) else { return .incapable }
        guard let index = work.startIndex, let toStart = origin?[index],
            let leg = leg(of: work, speed: profile.maxSpeed)
        else { return .unreachable }
        let after = battery - (toStart.distance + leg.through.distance) * profile.batteryPercentPerMetre
        guard after - leg.chargerMetres * profile.batteryPercentPerMetre >= context.batteryReserve else {
            return .lowBattery
        }
        let trip = Trip(toStart: toStart, through: leg.through, batteryAfter: after)
        if let deadline = work.task.request.deadline,
            context.now.adding(seconds: delaySeconds + trip.seconds) > deadline
        {
            return .late
        }
        return .feasible(trip)
    }

    /// The routes of a feasible `trip` from `start` at `speed`: what an assignment carries.
    func estimate(_ work: Work, from start: NodeID, speed: Double, trip: Trip) -> TripEstimate {
        // Both exist (the trip was costed from the same shortest-path trees); the fallbacks only keep the types.
        let toPick =
            context.router.route(from: start, to: work.nodes[0], robotMaxSpeed: speed)
            ?? Route(
                nodes: [start, work.nodes[0]], edges: [], distance: trip.toStart.distance, time: trip.toStart.time)
        let toDrop =
            route(through: work.nodes, speed: speed)
            ?? Route(nodes: work.nodes, edges: [], distance: trip.through.distance, time: trip.through.time)
        return TripEstimate(toPick: toPick, toDrop: toDrop, batteryAfter: trip.batteryAfter)
    }

    /// The work's leg at `speed`: precomputed for the fleet's speeds, else (a robot not in the registered
    /// fleet) computed now.
    func leg(of work: Work, speed: Double) -> Leg? {
        for leg in work.legs where leg.speed == speed { return leg.leg }
        return leg(work.nodes, speed: speed)
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
        guard let through = through(nodes, speed: speed),
            let metres = chargerDistance(from: nodes[nodes.count - 1], speed: speed)
        else { return nil }
        return Leg(through: through, chargerMetres: metres)
    }

    /// Length and time of ``route(through:speed:)`` without building it (`nil` when a leg is unreachable).
    func through(_ nodes: [NodeID], speed: Double) -> RouteCost? {
        guard !nodes.isEmpty else { return nil }
        var through = RouteCost(distance: 0, time: 0)
        for (from, to) in zip(nodes, nodes.dropFirst()) {
            guard let leg = context.router.cost(from: from, to: to, robotMaxSpeed: speed) else { return nil }
            // Summed in the order ``Route/appending(_:)`` sums, so the figures equal those of the full route.
            through.distance = through.distance + leg.distance
            through.time = through.time + leg.time
        }
        return through
    }

    /// The route from the first of `nodes` through the others in order, or `nil` when a leg is unreachable.
    public func route(through nodes: [NodeID], speed: Double) -> Route? {
        context.router.route(through: nodes, robotMaxSpeed: speed)
    }

    /// Metres from `node` to the nearest charger (along fastest routes): 0 on a site without chargers, `nil`
    /// when the site has chargers but none can be reached.
    public func chargerDistance(from node: NodeID, speed: Double) -> Double? {
        if chargerIndices.isEmpty { return 0 }
        guard let costs = context.router.costs(from: node, robotMaxSpeed: speed) else { return nil }
        var nearest: Double?
        for case let index? in chargerIndices {
            if let metres = costs[index]?.distance, nearest == nil || metres < nearest! { nearest = metres }
        }
        return nearest
    }
}
