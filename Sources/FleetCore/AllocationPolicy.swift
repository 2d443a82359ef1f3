/// Why a task cannot be given to a robot (now, or ever).
public enum AllocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No registered robot offers this capability.
    case noCapability(String)
    /// No registered robot can carry this weight.
    case payloadTooHeavy(kg: Double)
    /// Capable robots exist, but none is idle and available right now.
    case noRobotAvailable
    /// Idle capable robots exist, but none would keep its battery reserve after the task and the way from its
    /// last work node to the nearest charger.
    case noRobotWithEnoughBattery
    /// The drop station cannot be reached from the pick station.
    case noRoute(from: StationID, to: StationID)
    /// A work node of the task cannot be reached from the one before it.
    case noPath(from: NodeID, to: NodeID)
    /// The site has chargers, but none can be reached from the node where the task's work ends.
    case noChargerReachable(from: NodeID)
    /// A place of the task is not on the site layout.
    case unknownWorkPlace
    /// Every robot that could otherwise do the task is limited by its profile: the kinds it takes or the zones it
    /// may enter (the text says which).
    case noRobotAllowed(String)
    /// Capable robots with enough battery are idle, but each would finish after the task's deadline.
    case deadlineCannotBeMet
    /// Even a robot already standing at the start of the work could not finish it by the deadline.
    case deadlineUnreachable
    /// The task waits for a busy robot that bid the earliest completion (market policy).
    case reservedFor(RobotID, freeInSeconds: Double)
    /// The robots free for the task (of the listed types) cannot reach the start of its work, the node, without
    /// entering a zone they may not enter.
    case noPermittedRoute(to: NodeID, robotTypes: [String])
    /// Every robot that could otherwise do the task (of the listed types) is kept from driving between two of its
    /// work nodes by zones it may not enter.
    case noPermittedPath(from: NodeID, to: NodeID, robotTypes: [String])
    /// Every robot that could otherwise do the task (of the listed types) is kept from every charger after the
    /// end of its work, the node, by zones it may not enter.
    case noPermittedCharger(from: NodeID, robotTypes: [String])

    /// E.g. `no robot with capability 'lift'`.
    public var description: String {
        switch self {
        case .noCapability(let capability): return "no robot with capability '\(capability)'"
        case .payloadTooHeavy(let kg): return "no robot can carry \(kg) kg"
        case .noRobotAvailable: return "no capable robot is available"
        case .noRobotWithEnoughBattery: return "no robot with enough battery"
        case .noRoute(let from, let to): return "no route from station '\(from)' to station '\(to)'"
        case .noPath(let from, let to): return "no route from node '\(from)' to node '\(to)'"
        case .noChargerReachable(let node): return "no charger can be reached from node '\(node)' where the work ends"
        case .unknownWorkPlace: return "a place of the task is not on the site layout"
        case .noRobotAllowed(let what): return "no robot \(what)"
        case .deadlineCannotBeMet: return "deadline cannot be met by any available robot"
        case .deadlineUnreachable: return "deadline cannot be met: no robot of the fleet could finish in time"
        case .reservedFor(let robot, let seconds):
            return "reserved for robot \(robot), free in ~\(Int(seconds.rounded(.up))) s"
        case .noPermittedRoute(let node, let types):
            return "no permitted route to node '\(node)' for robots of type \(types.joined(separator: ", "))"
        case .noPermittedPath(let from, let to, let types):
            return
                "no permitted route from node '\(from)' to node '\(to)' for robots of type \(types.joined(separator: ", "))"
        case .noPermittedCharger(let node, let types):
            return
                "no permitted route from node '\(node)' to a charger for robots of type \(types.joined(separator: ", "))"
        }
    }

    /// Whether waiting cannot help (the fleet as registered can never do the task).
    public var isPermanent: Bool {
        switch self {
        case .noCapability, .payloadTooHeavy, .noRoute, .noPath, .noChargerReachable, .unknownWorkPlace,
            .noRobotAllowed, .noPermittedPath, .noPermittedCharger, .deadlineUnreachable:
            return true
        case .noRobotAvailable, .noRobotWithEnoughBattery, .deadlineCannotBeMet, .reservedFor, .noPermittedRoute:
            return false
        }
    }
}

/// An idle, available robot the policy may use.
public struct AllocationCandidate: Sendable, Hashable {
    /// The robot.
    public var robot: RobotID
    /// Its type and capabilities.
    public var profile: RobotProfile
    /// Where it starts from.
    public var startNode: NodeID
    /// Its state of charge, 0...100.
    public var batteryPercent: Double

    /// Creates a candidate.
    public init(robot: RobotID, profile: RobotProfile, startNode: NodeID, batteryPercent: Double) {
        self.robot = robot
        self.profile = profile
        self.startNode = startNode
        self.batteryPercent = batteryPercent
    }

    /// Whether the robot has every capability and the payload the request needs.
    public func canCarry(_ request: TaskRequest) -> Bool { profile.canCarry(request) }
}

/// A robot bound to a task that will be free later: what a market policy needs to let it bid for queued work.
public struct BusyRobot: Sendable, Hashable {
    /// The robot.
    public var robot: RobotID
    /// Its type and capabilities.
    public var profile: RobotProfile
    /// Where its current work ends (the last node of its order).
    public var endNode: NodeID
    /// Estimated seconds until it reaches ``endNode`` and is free (remaining route time of its order).
    public var secondsUntilFree: Double
    /// Estimated state of charge at ``endNode``, 0...100.
    public var batteryPercent: Double

    /// Creates a busy robot.
    public init(
        robot: RobotID, profile: RobotProfile, endNode: NodeID, secondsUntilFree: Double, batteryPercent: Double
    ) {
        self.robot = robot
        self.profile = profile
        self.endNode = endNode
        self.secondsUntilFree = secondsUntilFree
        self.batteryPercent = batteryPercent
    }
}

extension RobotProfile {
    /// Whether a robot of this profile has every capability and the payload `request` needs.
    public func canCarry(_ request: TaskRequest) -> Bool {
        request.requiredCapabilities.isSubset(of: capabilities) && (request.weightPerRobotKg ?? 0) <= maxPayloadKg
    }
}

/// The planned trip of an assignment, for every task kind: the way to where the work starts, then the work.
public struct TripEstimate: Sendable, Hashable {
    /// From the robot's node to the first work node of the task (the pick station of a transport).
    public var toPick: Route
    /// From the first work node through the rest, in order (to the drop station of a transport).
    public var toDrop: Route
    /// Estimated battery percentage at the last work node.
    public var batteryAfter: Double

    /// Creates an estimate.
    public init(toPick: Route, toDrop: Route, batteryAfter: Double) {
        self.toPick = toPick
        self.toDrop = toDrop
        self.batteryAfter = batteryAfter
    }

    /// Travel seconds of the whole trip: to the start of the work, then through it. The cost every policy
    /// minimises.
    public var seconds: Double { toPick.time + toDrop.time }
}

/// What the policy decided for one queued task.
public enum AllocationDecision: Sendable, Hashable {
    /// Give the task to the robot, along the estimated trip.
    case assign(TaskID, RobotID, TripEstimate)
    /// Leave the task queued for now, with the reason.
    case wait(TaskID, AllocationError)
    /// The task can never be served by this fleet (a permanent ``AllocationError``).
    case reject(TaskID, AllocationError)

    /// The task the decision is about.
    public var task: TaskID {
        switch self {
        case .assign(let id, _, _), .wait(let id, _), .reject(let id, _): return id
        }
    }
}

/// What a policy may look at besides tasks and idle robots.
public struct AllocationContext: Sendable {
    /// Routes on the site (and, through ``SiteRouter/layout``, its chargers).
    public var router: SiteRouter
    /// Every registered robot's profile (to tell "busy" from "impossible").
    public var fleet: [RobotID: RobotProfile]
    /// Minimum battery percentage a robot must keep after a trip and the way on to the nearest charger.
    public var batteryReserve: Double
    /// The current time: the `now` passed to ``Coordinator/handle(_:now:)`` (the core never reads a clock).
    public var now: FleetTime
    /// Available robots bound to a task, with when and where they will be free (used by ``MarketPolicy``; the
    /// coordinator fills it only for a policy whose ``AllocationPolicy/considersBusyRobots`` is `true`).
    public var busy: [BusyRobot]

    /// Creates a context.
    public init(
        router: SiteRouter, fleet: [RobotID: RobotProfile], batteryReserve: Double, now: FleetTime,
        busy: [BusyRobot] = []
    ) {
        self.router = router
        self.fleet = fleet
        self.batteryReserve = batteryReserve
        self.now = now
        self.busy = busy
    }
}

/// Decides which idle robot does which queued task. Policies are pure and deterministic; ``NearestRobotPolicy``
/// (greedy), ``OptimalBatchPolicy`` and ``MarketPolicy`` share the feasibility rules of ``TripEstimator``.
public protocol AllocationPolicy: Sendable {
    /// Returns one decision per queued task.
    /// - Parameters:
    ///   - queue: tasks in state `queued`, in any order.
    ///   - idle: idle, available robots without a task.
    ///   - context: routes, the registered fleet, the battery reserve, the time and the busy robots.
    func allocate(queue: [TransportTask], idle: [AllocationCandidate], context: AllocationContext)
        -> [AllocationDecision]

    /// Whether the coordinator runs the policy at most once per
    /// ``CoordinatorConfiguration/allocationMinimumInterval``, batching the events in between (default `false`:
    /// after every event that may change the allocation).
    var isRateLimited: Bool { get }

    /// Whether the policy reads ``AllocationContext/busy`` (default `false`: the coordinator then leaves it empty
    /// and saves estimating when and where every busy robot will be free).
    var considersBusyRobots: Bool { get }
}

extension AllocationPolicy {
    /// Not rate limited: the policy runs after every event that may change the allocation.
    public var isRateLimited: Bool { false }

    /// Busy robots are not considered.
    public var considersBusyRobots: Bool { false }

    /// `tasks` by priority (highest first), then arrival (first come first served), then id.
    public static func serviceOrder(_ tasks: [TransportTask]) -> [TransportTask] {
        tasks.sorted {
            ($1.request.priority.rank, $0.createdAt, $0.id) < ($0.request.priority.rank, $1.createdAt, $1.id)
        }
    }
}
