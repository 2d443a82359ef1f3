/// The feasibility rules and trip costs every allocation policy shares, for every task kind.
///
/// A task's work is the node sequence of ``TransportTask/workNodes(in:)``. A robot can do it when it has the
/// capabilities and payload, can reach the first work node, would still hold the battery reserve after the trip
/// *and* the way from the last work node to the nearest charger, and (when the request has a deadline) would
/// finish the trip by it. Every route is planned for the robot's ``Mobility``: its top speed and the zones it may not
/// enter (``RobotProfile/mobility(in:)``), so no trip passes a node of a zone the robot may not enter. Permanent
/// problems (see ``AllocationError/isPermanent``) are found once per task by ``work(for:)``.
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
        /// The travel through the work and the metres on to the nearest charger, per mobility of the capable
        /// robots of the registered fleet (so a batch of checks costs each task once per mobility).
        var legs: [MobilityLeg] = []

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

    /// The work of a task for one mobility: the way through it (`nil` when a leg is unreachable) and the metres on
    /// to the nearest charger (`nil` when none can be reached).
    struct MobilityLeg: Sendable, Hashable {
        var mobility: Mobility
        /// Whether ``mobility`` forbids no zone.
        var unrestricted: Bool
        var through: RouteCost?
        var chargerMetres: Double?

        /// Both, when both exist.
        var leg: Leg? {
            guard let through, let chargerMetres else { return nil }
            return Leg(through: through, chargerMetres: chargerMetres)
        }
    }

    /// Length and time of the way through a task's work for one mobility, and the metres on to a charger.
    struct Leg: Sendable, Hashable {
        var through: RouteCost
        var chargerMetres: Double
    }

    /// A feasible trip by travel costs only (the routes are built for assignments: ``estimate(_:from:profile:trip:)``).
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
        /// The start of the work cannot be reached without entering a zone the robot may not enter. (No payload, so
        /// that the outcome of every robot-task pair stays a trivially copied value.)
        case noPermittedRoute
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
        /// The types of the robots kept from the start of the work by their zones.
        var unpermitted: Set<String> = []

        /// Notes one robot's outcome; `type` (the robot's type) is read only when its zones kept it out.
        mutating func note(_ outcome: Outcome, type: @autoclosure () -> String) {
            switch outcome {
            case .feasible: feasible = true
            case .late: late = true
            case .lowBattery: lowBattery = true
            case .noPermittedRoute: unpermitted.insert(type())
            case .incapable, .unreachable: break
            }
        }

        /// The same reason as ``TripEstimator/waitReason(_:)`` gives for the noted checks of `work`.
        func reason(for work: Work) -> AllocationError {
            if feasible { return .noRobotAvailable }
            if late { return .deadlineCannotBeMet }
            if lowBattery { return .noRobotWithEnoughBattery }
            if !unpermitted.isEmpty { return .noPermittedRoute(to: work.nodes[0], robotTypes: unpermitted.sorted()) }
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
        /// The robot cannot reach the start of the work (the node) from where it is without entering a zone it may
        /// not enter.
        case noPermittedRoute(to: NodeID, robotType: String)
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
    /// Their mobilities on the site (same order).
    let mobilities: [Mobility]
    /// Whether the site has a `restricted` zone (else a profile without a zone list moves unrestricted).
    let hasRestrictedZone: Bool
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
        mobilities = profiles.map { $0.mobility(in: context.router.layout) }
        hasRestrictedZone = context.router.layout.zones.contains { $0.kind == .restricted }
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
        unlimited = profiles.allSatisfy { $0.taskKinds == nil && $0.allowedZones == nil && $0.actionTypes == nil }
    }

    /// How a robot of `profile` moves on the site (looked up for the registered fleet's profiles).
    public func mobility(of profile: RobotProfile) -> Mobility {
        if profile.allowedZones == nil, !hasRestrictedZone { return Mobility(maxSpeed: profile.maxSpeed) }
        if let index = profiles.firstIndex(of: profile) { return mobilities[index] }
        return profile.mobility(in: context.router.layout)
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
            // Robots that could carry it exist, but their own limits (kinds, actions, zones) rule each of them out.
            if !profiles.contains(where: { work.carries($0) && $0.taskKinds?.contains(request.kind) ?? true }) {
                return .failure(.noRobotAllowed("takes \(request.kind.rawValue) tasks"))
            }
            if !profiles.contains(where: { work.carries($0) && $0.takes(request.kind) }) {
                let actions = request.kind.actionTypes.sorted().joined(separator: ", ")
                return .failure(.noRobotAllowed("that can do the task announces the action(s) \(actions)"))
            }
            let names = work.zones.map(\.id).joined(separator: ", ")
            return .failure(.noRobotAllowed("that can do the task may enter zone(s) \(names)"))
        }
        // The distinct mobilities of the capable robots, fastest first.
        var capable: [Mobility] = []
        for (profile, mobility) in zip(profiles, mobilities) where work.fits(profile) && !capable.contains(mobility) {
            capable.append(mobility)
        }
        let last = nodes[nodes.count - 1]
        work.legs = capable.map { mobility in
            let through = self.through(nodes, mobility: mobility)
            return MobilityLeg(
                mobility: mobility, unrestricted: mobility.forbiddenZones.isEmpty, through: through,
                chargerMetres: through == nil ? nil : chargerDistance(from: last, mobility: mobility))
        }
        if !work.legs.contains(where: { $0.leg != nil }) {
            // No capable robot can do the work: say why, on the layout itself first (route existence does not
            // depend on speed), then for the zones the capable robots may not enter.
            let free = Mobility(maxSpeed: speeds.first ?? 1)
            for (from, to) in zip(nodes, nodes.dropFirst())
            where context.router.cost(from: from, to: to, for: free) == nil {
                return .failure(.noPath(from: from, to: to))
            }
            if chargerDistance(from: last, mobility: free) == nil { return .failure(.noChargerReachable(from: last)) }
            if let mobility = capable.first {
                let robotTypes = Set(profiles.filter { work.fits($0) }.map(\.type)).sorted()
                for (from, to) in zip(nodes, nodes.dropFirst())
                where context.router.cost(from: from, to: to, for: mobility) == nil {
                    return .failure(.noPermittedPath(from: from, to: to, robotTypes: robotTypes))
                }
                return .failure(.noPermittedCharger(from: last, robotTypes: robotTypes))
            }
        }
        if let deadline = request.deadline, !capable.isEmpty {
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
        let origin = costs(from: start, profile: profile)
        switch outcome(work, from: origin, profile: profile, battery: battery, delaySeconds: delaySeconds) {
        case .feasible(let trip): return .feasible(estimate(work, from: start, profile: profile, trip: trip))
        case .incapable: return .incapable
        case .unreachable: return .unreachable
        case .noPermittedRoute: return .noPermittedRoute(to: work.nodes[0], robotType: profile.type)
        case .lowBattery: return .lowBattery
        case .late: return .late
        }
    }

    /// Travel costs from `node` for a robot of `profile` (at its ``Mobility``), for
    /// ``outcome(_:from:profile:battery:delaySeconds:)``: look them up once per robot and allocation run.
    func costs(from node: NodeID, profile: RobotProfile) -> RouteCosts? {
        context.router.costs(from: node, for: mobility(of: profile))
    }

    /// ``check(_:from:profile:battery:delaySeconds:)`` by travel costs only, from `origin`
    /// (``costs(from:profile:)`` of the robot's start).
    func outcome(
        _ work: Work, from origin: RouteCosts?, profile: RobotProfile, battery: Double, delaySeconds: Double = 0
    ) -> Outcome {
        guard work.fits(profile) else { return .incapable }
        guard let index = work.startIndex, let origin else { return .unreachable }
        guard let toStart = origin[index] else {
            return origin.mobility.forbiddenZones.isEmpty ? .unreachable : .noPermittedRoute
        }
        guard let leg = leg(of: work, from: origin) else { return .unreachable }
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

    /// The routes of a feasible `trip` from `start` for a robot of `profile`: what an assignment carries.
    func estimate(_ work: Work, from start: NodeID, profile: RobotProfile, trip: Trip) -> TripEstimate {
        let mobility = self.mobility(of: profile)
        // Both exist (the trip was costed from the same shortest-path trees); the fallbacks only keep the types.
        let toPick =
            context.router.route(from: start, to: work.nodes[0], for: mobility)
            ?? Route(
                nodes: [start, work.nodes[0]], edges: [], distance: trip.toStart.distance, time: trip.toStart.time)
        let toDrop =
            route(through: work.nodes, mobility: mobility)
            ?? Route(nodes: work.nodes, edges: [], distance: trip.through.distance, time: trip.through.time)
        return TripEstimate(toPick: toPick, toDrop: toDrop, batteryAfter: trip.batteryAfter)
    }

    /// The work's leg for the mobility of `origin`, as ``leg(of:mobility:)``; an unrestricted mobility is matched by
    /// its speed alone (plain values: no reference counting per robot-task pair).
    func leg(of work: Work, from origin: RouteCosts) -> Leg? {
        if origin.unrestricted {
            for leg in work.legs where leg.unrestricted && leg.mobility.maxSpeed == origin.speed { return leg.leg }
        }
        return leg(of: work, mobility: origin.mobility)
    }

    /// The work's leg for `mobility`: precomputed for the fleet's mobilities, else (a robot not in the registered
    /// fleet) computed now.
    func leg(of work: Work, mobility: Mobility) -> Leg? {
        for leg in work.legs where leg.mobility == mobility { return leg.leg }
        return leg(work.nodes, mobility: mobility)
    }

    /// Why a task stays queued, given the checks of the robots that were free for it: all capable robots taken
    /// (or none free), every feasible one late for the deadline, or short of battery, or every one kept from the
    /// start of the work by zones it may not enter.
    public static func waitReason(_ checks: [Check]) -> AllocationError {
        if checks.contains(where: { $0.estimate != nil }) { return .noRobotAvailable }
        if checks.contains(.late) { return .deadlineCannotBeMet }
        if checks.contains(.lowBattery) { return .noRobotWithEnoughBattery }
        var unpermitted: (to: NodeID, types: Set<String>)?
        for case .noPermittedRoute(let node, let type) in checks {
            if unpermitted == nil { unpermitted = (node, []) }
            unpermitted!.types.insert(type)
        }
        if let unpermitted { return .noPermittedRoute(to: unpermitted.to, robotTypes: unpermitted.types.sorted()) }
        return .noRobotAvailable
    }

    func leg(_ nodes: [NodeID], mobility: Mobility) -> Leg? {
        guard let through = through(nodes, mobility: mobility),
            let metres = chargerDistance(from: nodes[nodes.count - 1], mobility: mobility)
        else { return nil }
        return Leg(through: through, chargerMetres: metres)
    }

    /// Length and time of ``route(through:mobility:)`` without building it (`nil` when a leg is unreachable).
    func through(_ nodes: [NodeID], mobility: Mobility) -> RouteCost? {
        guard !nodes.isEmpty else { return nil }
        var through = RouteCost(distance: 0, time: 0)
        for (from, to) in zip(nodes, nodes.dropFirst()) {
            guard let leg = context.router.cost(from: from, to: to, for: mobility) else { return nil }
            // Summed in the order ``Route/appending(_:)`` sums, so the figures equal those of the full route.
            through.distance = through.distance + leg.distance
            through.time = through.time + leg.time
        }
        return through
    }

    /// The route from the first of `nodes` through the others in order for a robot of `mobility`, or `nil` when a
    /// leg is unreachable that way.
    public func route(through nodes: [NodeID], mobility: Mobility) -> Route? {
        context.router.route(through: nodes, for: mobility)
    }

    /// Metres from `node` to the nearest charger a robot of `mobility` may use (along its fastest routes): 0 when
    /// it has none (a site without chargers, or every charger in a zone the robot may not enter: such a robot is
    /// charged by hand), `nil` when it has chargers but none can be reached from `node`.
    public func chargerDistance(from node: NodeID, mobility: Mobility) -> Double? {
        if chargerIndices.isEmpty { return 0 }
        var chargers = chargerIndices
        if let blocked = context.router.blockedNodes(for: mobility) {
            chargers = chargers.filter { $0.map { !blocked[$0] } ?? true }
            if chargers.isEmpty { return 0 }
        }
        guard let costs = context.router.costs(from: node, for: mobility) else { return nil }
        var nearest: Double?
        for case let index? in chargers {
            if let metres = costs[index]?.distance, nearest == nil || metres < nearest! { nearest = metres }
        }
        return nearest
    }
}
