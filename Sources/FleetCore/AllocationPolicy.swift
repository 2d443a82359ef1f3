/// Why a task cannot be given to a robot (now, or ever).
public enum AllocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No registered robot offers this capability.
    case noCapability(String)
    /// No registered robot can carry this weight.
    case payloadTooHeavy(kg: Double)
    /// Capable robots exist, but none is idle and available right now.
    case noRobotAvailable
    /// Idle capable robots exist, but none would keep its battery reserve after the trip.
    case noRobotWithEnoughBattery
    /// The drop station cannot be reached from the pick station.
    case noRoute(from: StationID, to: StationID)

    /// E.g. `no robot with capability 'lift'`.
    public var description: String {
        switch self {
        case .noCapability(let capability): return "no robot with capability '\(capability)'"
        case .payloadTooHeavy(let kg): return "no robot can carry \(kg) kg"
        case .noRobotAvailable: return "no capable robot is available"
        case .noRobotWithEnoughBattery: return "no robot with enough battery"
        case .noRoute(let from, let to): return "no route from station '\(from)' to station '\(to)'"
        }
    }

    /// Whether waiting cannot help (the fleet as registered can never do the task).
    public var isPermanent: Bool {
        switch self {
        case .noCapability, .payloadTooHeavy, .noRoute: return true
        case .noRobotAvailable, .noRobotWithEnoughBattery: return false
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
    public func canCarry(_ request: TaskRequest) -> Bool {
        request.requiredCapabilities.isSubset(of: profile.capabilities)
            && (request.loadWeightKg ?? 0) <= profile.maxPayloadKg
    }
}

/// The planned trip of an assignment.
public struct TripEstimate: Sendable, Hashable {
    /// From the robot's node to the pick station.
    public var toPick: Route
    /// From the pick station to the drop station.
    public var toDrop: Route
    /// Estimated battery percentage at the drop station.
    public var batteryAfter: Double

    /// Creates an estimate.
    public init(toPick: Route, toDrop: Route, batteryAfter: Double) {
        self.toPick = toPick
        self.toDrop = toDrop
        self.batteryAfter = batteryAfter
    }
}

/// What the policy decided for one queued task.
public enum AllocationDecision: Sendable, Hashable {
    /// Give the task to the robot, along the estimated trip.
    case assign(TaskID, RobotID, TripEstimate)
    /// Leave the task queued for now, with the reason.
    case wait(TaskID, AllocationError)
    /// The task can never be served by this fleet (a permanent ``AllocationError``).
    case reject(TaskID, AllocationError)
}

/// What a policy may look at besides tasks and idle robots.
public struct AllocationContext: Sendable {
    /// Routes on the site.
    public var router: SiteRouter
    /// Every registered robot's profile (to tell "busy" from "impossible").
    public var fleet: [RobotID: RobotProfile]
    /// Minimum battery percentage a robot must keep after a trip.
    public var batteryReserve: Double
    /// The current time.
    public var now: FleetTime

    /// Creates a context.
    public init(router: SiteRouter, fleet: [RobotID: RobotProfile], batteryReserve: Double, now: FleetTime) {
        self.router = router
        self.fleet = fleet
        self.batteryReserve = batteryReserve
        self.now = now
    }
}

/// Decides which idle robot does which queued task. Policies are pure and deterministic, so later ones (batch
/// optimal, market based) slot in behind the same protocol.
public protocol AllocationPolicy: Sendable {
    /// Returns one decision per queued task.
    /// - Parameters:
    ///   - queue: tasks in state `queued`, in any order.
    ///   - idle: idle, available robots without a task.
    ///   - context: routes, the registered fleet, the battery reserve and the time.
    func allocate(queue: [TransportTask], idle: [AllocationCandidate], context: AllocationContext)
        -> [AllocationDecision]
}

extension AllocationPolicy {
    /// `tasks` by priority (highest first), then arrival (first come first served), then id.
    public static func serviceOrder(_ tasks: [TransportTask]) -> [TransportTask] {
        tasks.sorted {
            ($1.request.priority.rank, $0.createdAt, $0.id) < ($0.request.priority.rank, $1.createdAt, $1.id)
        }
    }
}
