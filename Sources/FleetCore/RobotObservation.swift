/// How the robot may be driven (VDA 5050 `operatingMode`).
public enum OperatingMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fully controlled by the coordinator.
    case automatic
    /// Coordinator-controlled, with a person confirming some steps.
    case semiautomatic
    /// Driven by a person.
    case manual
    /// Under maintenance.
    case service
    /// Being taught a route.
    case teachIn
}

/// How bad a robot error is.
public enum FaultLevel: String, Sendable, Hashable, Codable {
    /// The robot can go on.
    case warning
    /// The robot cannot go on without help.
    case fatal
}

/// An error the robot reports.
public struct RobotFault: Sendable, Hashable, Codable {
    /// Error type (VDA 5050 `errorType`), e.g. `orderError`, `noRouteError`.
    public var type: String
    /// Severity.
    public var level: FaultLevel
    /// Free text from the robot.
    public var description: String
    /// The order the error is about, when the robot says so (VDA 5050 error reference `orderId`).
    public var orderId: String?

    /// Creates a fault.
    public init(type: String, level: FaultLevel, description: String = "", orderId: String? = nil) {
        self.type = type
        self.level = level
        self.description = description
        self.orderId = orderId
    }
}

/// Safety state as reported by the robot.
public struct SafetyState: Sendable, Hashable, Codable {
    /// Whether an emergency stop is active.
    public var eStop: Bool
    /// Whether a protective field is violated.
    public var fieldViolation: Bool

    /// Creates a safety state.
    public init(eStop: Bool = false, fieldViolation: Bool = false) {
        self.eStop = eStop
        self.fieldViolation = fieldViolation
    }
}

/// Where an action of an order stands.
public enum ActionStatus: String, Sendable, Hashable, Codable {
    /// Not started yet.
    case waiting
    /// Running (VDA 5050 `INITIALIZING`, `RUNNING` and `PAUSED` map here).
    case running
    /// Done.
    case finished
    /// Failed.
    case failed
}

/// One action's state inside an observation.
public struct ActionProgress: Sendable, Hashable, Codable {
    /// Where the action stands.
    public var status: ActionStatus
    /// The robot's result text, if any.
    public var resultDescription: String?

    /// Creates an action state.
    public init(_ status: ActionStatus, resultDescription: String? = nil) {
        self.status = status
        self.resultDescription = resultDescription
    }
}

/// The robot's view of its current order.
public struct OrderProgress: Sendable, Hashable, Codable {
    /// The order the robot is working on (empty when none was ever received).
    public var orderId: String
    /// The update of that order.
    public var orderUpdateId: Int
    /// Sequence id of the last node reached.
    public var lastNodeSequenceId: Int
    /// Nodes of the order not yet reached.
    public var remainingNodeCount: Int
    /// Action states by action id.
    public var actions: [String: ActionProgress]

    /// Creates order progress.
    public init(
        orderId: String, orderUpdateId: Int = 0, lastNodeSequenceId: Int = 0, remainingNodeCount: Int = 0,
        actions: [String: ActionProgress] = [:]
    ) {
        self.orderId = orderId
        self.orderUpdateId = orderUpdateId
        self.lastNodeSequenceId = lastNodeSequenceId
        self.remainingNodeCount = remainingNodeCount
        self.actions = actions
    }

    /// Whether the robot has nothing left to do for this order.
    public var isFinished: Bool {
        remainingNodeCount == 0 && actions.values.allSatisfy { $0.status == .finished || $0.status == .failed }
    }
}

/// A protocol-neutral snapshot of a robot, built by the runtime from a VDA 5050 state message.
public struct RobotObservation: Sendable, Hashable, Codable {
    /// Position on the map, if localised.
    public var position: SitePoint?
    /// Map of the position.
    public var mapId: String?
    /// The last node the robot reached (empty or `nil` when unknown).
    public var lastNodeId: NodeID?
    /// State of charge, 0...100.
    public var batteryPercent: Double
    /// Whether the robot is charging.
    public var charging: Bool
    /// Whether the robot is moving.
    public var driving: Bool
    /// Whether the robot is paused.
    public var paused: Bool
    /// Operating mode.
    public var mode: OperatingMode
    /// Active errors.
    public var faults: [RobotFault]
    /// Safety state.
    public var safety: SafetyState
    /// Current order, if the robot reports one.
    public var order: OrderProgress?
    /// When the robot says it made the report (the VDA 5050 header `timestamp`), on the robot's clock.
    public var reportedAt: FleetTime?
    /// Metres to the nearest person the robot's sensors see, if it reports one (`information` of type
    /// `HUMAN_PROXIMITY` with a `distance` reference).
    public var humanDistance: Double?

    /// Creates an observation.
    public init(
        position: SitePoint? = nil, mapId: String? = nil, lastNodeId: NodeID? = nil, batteryPercent: Double = 100,
        charging: Bool = false, driving: Bool = false, paused: Bool = false, mode: OperatingMode = .automatic,
        faults: [RobotFault] = [], safety: SafetyState = SafetyState(), order: OrderProgress? = nil,
        reportedAt: FleetTime? = nil, humanDistance: Double? = nil
    ) {
        self.reportedAt = reportedAt
        self.humanDistance = humanDistance
        self.position = position
        self.mapId = mapId
        self.lastNodeId = lastNodeId
        self.batteryPercent = batteryPercent
        self.charging = charging
        self.driving = driving
        self.paused = paused
        self.mode = mode
        self.faults = faults
        self.safety = safety
        self.order = order
    }

    /// Whether any fatal error is active.
    public var hasFatalFault: Bool { faults.contains { $0.level == .fatal } }
}
