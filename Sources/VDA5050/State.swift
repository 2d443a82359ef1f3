/// A robot's `state` message (2.1 §6.10): its order progress, pose, battery, errors and safety.
public struct State: VDA5050Message, Hashable {
    /// Always `.state`.
    public static let topic = VDA5050Topic.state

    /// Per-topic message counter.
    public var headerId: UInt32
    /// When the robot sent the message.
    public var timestamp: VDA5050Timestamp
    /// Protocol version.
    public var version: String
    /// Manufacturer of the robot.
    public var manufacturer: String
    /// Serial number of the robot.
    public var serialNumber: String
    /// Maps stored on the robot (2.1).
    public var maps: [MapInfo]?
    /// Current or last finished order; empty if none.
    public var orderId: String
    /// Last accepted order update of `orderId`.
    public var orderUpdateId: UInt32
    /// Zone set in use.
    public var zoneSetId: String?
    /// Last reached node; empty if none.
    public var lastNodeId: String
    /// Sequence id of `lastNodeId`.
    public var lastNodeSequenceId: Int
    /// Whether the robot is driving or rotating.
    public var driving: Bool
    /// Whether the robot is paused (by the pause button or `startPause`).
    public var paused: Bool?
    /// The robot is near the end of its base and asks for more.
    public var newBaseRequest: Bool?
    /// Distance driven past `lastNodeId`, in metres.
    public var distanceSinceLastNode: Double?
    /// Who is in control of the robot.
    public var operatingMode: OperatingMode
    /// Nodes still to traverse; empty when idle.
    public var nodeStates: [NodeState]
    /// Edges still to traverse; empty when idle.
    public var edgeStates: [EdgeState]
    /// Current pose.
    public var agvPosition: AGVPosition?
    /// Current velocity.
    public var velocity: Velocity?
    /// Loads carried.
    public var loads: [Load]?
    /// States of the order's and of instant actions.
    public var actionStates: [ActionState]
    /// Battery.
    public var batteryState: BatteryState
    /// Active errors.
    public var errors: [VDA5050Error]
    /// Informational messages.
    public var information: [Information]?
    /// Emergency stop and protective field state.
    public var safetyState: SafetyState

    /// Creates a state message.
    public init(
        headerId: UInt32, timestamp: VDA5050Timestamp, version: String = VDA5050Version.current,
        manufacturer: String, serialNumber: String, maps: [MapInfo]? = nil, orderId: String = "",
        orderUpdateId: UInt32 = 0, zoneSetId: String? = nil, lastNodeId: String = "", lastNodeSequenceId: Int = 0,
        driving: Bool = false, paused: Bool? = nil, newBaseRequest: Bool? = nil, distanceSinceLastNode: Double? = nil,
        operatingMode: OperatingMode = .automatic, nodeStates: [NodeState] = [], edgeStates: [EdgeState] = [],
        agvPosition: AGVPosition? = nil, velocity: Velocity? = nil, loads: [Load]? = nil,
        actionStates: [ActionState] = [], batteryState: BatteryState, errors: [VDA5050Error] = [],
        information: [Information]? = nil, safetyState: SafetyState = SafetyState(eStop: .none, fieldViolation: false)
    ) {
        self.headerId = headerId
        self.timestamp = timestamp
        self.version = version
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.maps = maps
        self.orderId = orderId
        self.orderUpdateId = orderUpdateId
        self.zoneSetId = zoneSetId
        self.lastNodeId = lastNodeId
        self.lastNodeSequenceId = lastNodeSequenceId
        self.driving = driving
        self.paused = paused
        self.newBaseRequest = newBaseRequest
        self.distanceSinceLastNode = distanceSinceLastNode
        self.operatingMode = operatingMode
        self.nodeStates = nodeStates
        self.edgeStates = edgeStates
        self.agvPosition = agvPosition
        self.velocity = velocity
        self.loads = loads
        self.actionStates = actionStates
        self.batteryState = batteryState
        self.errors = errors
        self.information = information
        self.safetyState = safetyState
    }
}

/// A map stored on the robot (2.1).
public struct MapInfo: Codable, Sendable, Hashable {
    /// Map identifier.
    public var mapId: String
    /// Map version.
    public var mapVersion: String
    /// Description.
    public var mapDescription: String?
    /// Whether this version is in use.
    public var mapStatus: MapStatus

    /// Creates a map entry.
    public init(mapId: String, mapVersion: String, mapDescription: String? = nil, mapStatus: MapStatus) {
        self.mapId = mapId
        self.mapVersion = mapVersion
        self.mapDescription = mapDescription
        self.mapStatus = mapStatus
    }
}

/// Whether a stored map version is active.
public enum MapStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// In use.
    case enabled = "ENABLED"
    /// Stored, not in use.
    case disabled = "DISABLED"
}

/// Who controls the robot (2.x spelling: `TEACHIN`).
public enum OperatingMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// Fleet control is in full control.
    case automatic = "AUTOMATIC"
    /// Fleet control is in control, speed is set by a person.
    case semiautomatic = "SEMIAUTOMATIC"
    /// A person drives the robot.
    case manual = "MANUAL"
    /// Maintenance.
    case service = "SERVICE"
    /// Being taught.
    case teachIn = "TEACHIN"

    /// Whether fleet control may send orders in this mode.
    public var acceptsOrders: Bool { self == .automatic || self == .semiautomatic }
}

/// A node the robot still has to traverse.
public struct NodeState: Codable, Sendable, Hashable {
    /// Node identifier.
    public var nodeId: String
    /// Sequence id within the order.
    public var sequenceId: Int
    /// Description.
    public var nodeDescription: String?
    /// Whether the node belongs to the base.
    public var released: Bool
    /// Position of the node.
    public var nodePosition: NodePosition?

    /// Creates a node state.
    public init(
        nodeId: String, sequenceId: Int, nodeDescription: String? = nil, released: Bool,
        nodePosition: NodePosition? = nil
    ) {
        self.nodeId = nodeId
        self.sequenceId = sequenceId
        self.nodeDescription = nodeDescription
        self.released = released
        self.nodePosition = nodePosition
    }
}

/// An edge the robot still has to traverse.
public struct EdgeState: Codable, Sendable, Hashable {
    /// Edge identifier.
    public var edgeId: String
    /// Sequence id within the order.
    public var sequenceId: Int
    /// Description.
    public var edgeDescription: String?
    /// Whether the edge belongs to the base.
    public var released: Bool
    /// The trajectory the robot will follow.
    public var trajectory: Trajectory?

    /// Creates an edge state.
    public init(
        edgeId: String, sequenceId: Int, edgeDescription: String? = nil, released: Bool,
        trajectory: Trajectory? = nil
    ) {
        self.edgeId = edgeId
        self.sequenceId = sequenceId
        self.edgeDescription = edgeDescription
        self.released = released
        self.trajectory = trajectory
    }
}

/// A load the robot carries.
public struct Load: Codable, Sendable, Hashable {
    /// Load identifier (e.g. a barcode).
    public var loadId: String?
    /// Type of load.
    public var loadType: String?
    /// Which load handling device holds it.
    public var loadPosition: String?
    /// Reference point of the bounding box.
    public var boundingBoxReference: BoundingBoxReference?
    /// Dimensions.
    public var loadDimensions: LoadDimensions?
    /// Weight in kg.
    public var weight: Double?

    /// Creates a load.
    public init(
        loadId: String? = nil, loadType: String? = nil, loadPosition: String? = nil,
        boundingBoxReference: BoundingBoxReference? = nil, loadDimensions: LoadDimensions? = nil,
        weight: Double? = nil
    ) {
        self.loadId = loadId
        self.loadType = loadType
        self.loadPosition = loadPosition
        self.boundingBoxReference = boundingBoxReference
        self.loadDimensions = loadDimensions
        self.weight = weight
    }
}

/// The reference point of a load's bounding box, in the robot's frame.
public struct BoundingBoxReference: Codable, Sendable, Hashable {
    /// X in metres.
    public var x: Double
    /// Y in metres.
    public var y: Double
    /// Z in metres.
    public var z: Double
    /// Orientation in radians.
    public var theta: Double?

    /// Creates a reference point.
    public init(x: Double, y: Double, z: Double, theta: Double? = nil) {
        self.x = x
        self.y = y
        self.z = z
        self.theta = theta
    }
}

/// A load's dimensions in metres.
public struct LoadDimensions: Codable, Sendable, Hashable {
    /// Length.
    public var length: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double?

    /// Creates dimensions.
    public init(length: Double, width: Double, height: Double? = nil) {
        self.length = length
        self.width = width
        self.height = height
    }
}

/// Battery state.
public struct BatteryState: Codable, Sendable, Hashable {
    /// State of charge in percent.
    public var batteryCharge: Double
    /// Voltage.
    public var batteryVoltage: Double?
    /// State of health in percent.
    public var batteryHealth: Double?
    /// Whether the robot is charging.
    public var charging: Bool
    /// Estimated reach in metres.
    public var reach: Double?

    /// Creates a battery state.
    public init(
        batteryCharge: Double, batteryVoltage: Double? = nil, batteryHealth: Double? = nil, charging: Bool,
        reach: Double? = nil
    ) {
        self.batteryCharge = batteryCharge
        self.batteryVoltage = batteryVoltage
        self.batteryHealth = batteryHealth
        self.charging = charging
        self.reach = reach
    }
}

/// An error the robot reports.
public struct VDA5050Error: Codable, Sendable, Hashable {
    /// Type of error, e.g. `orderError`, `validationError`, `noOrderToCancel`.
    public var errorType: String
    /// What the error refers to (headerId, orderId, actionId, ...).
    public var errorReferences: [Reference]?
    /// Description.
    public var errorDescription: String?
    /// Hint on how to resolve it.
    public var errorHint: String?
    /// Severity.
    public var errorLevel: ErrorLevel

    /// Creates an error.
    public init(
        errorType: String, errorReferences: [Reference]? = nil, errorDescription: String? = nil,
        errorHint: String? = nil, errorLevel: ErrorLevel
    ) {
        self.errorType = errorType
        self.errorReferences = errorReferences
        self.errorDescription = errorDescription
        self.errorHint = errorHint
        self.errorLevel = errorLevel
    }
}

/// Severity of a robot error.
public enum ErrorLevel: String, Codable, Sendable, Hashable, CaseIterable {
    /// The robot can go on.
    case warning = "WARNING"
    /// The robot needs help.
    case fatal = "FATAL"
}

/// A key/value reference attached to an error or information.
public struct Reference: Codable, Sendable, Hashable {
    /// Key, e.g. `orderId`.
    public var referenceKey: String
    /// Value.
    public var referenceValue: String

    /// Creates a reference.
    public init(referenceKey: String, referenceValue: String) {
        self.referenceKey = referenceKey
        self.referenceValue = referenceValue
    }
}

/// Informational message from the robot.
public struct Information: Codable, Sendable, Hashable {
    /// Type of information.
    public var infoType: String
    /// References.
    public var infoReferences: [Reference]?
    /// Description.
    public var infoDescription: String?
    /// Level.
    public var infoLevel: InfoLevel

    /// Creates an information entry.
    public init(
        infoType: String, infoReferences: [Reference]? = nil, infoDescription: String? = nil, infoLevel: InfoLevel
    ) {
        self.infoType = infoType
        self.infoReferences = infoReferences
        self.infoDescription = infoDescription
        self.infoLevel = infoLevel
    }
}

/// Level of an information entry.
public enum InfoLevel: String, Codable, Sendable, Hashable, CaseIterable {
    /// Informational.
    case info = "INFO"
    /// For debugging.
    case debug = "DEBUG"
}

/// Emergency stop and protective field state.
public struct SafetyState: Codable, Sendable, Hashable {
    /// Which emergency stop is active.
    public var eStop: EStop
    /// Whether a protective field is violated.
    public var fieldViolation: Bool

    /// Creates a safety state.
    public init(eStop: EStop, fieldViolation: Bool) {
        self.eStop = eStop
        self.fieldViolation = fieldViolation
    }
}

/// Emergency stop kind.
public enum EStop: String, Codable, Sendable, Hashable, CaseIterable {
    /// Auto-acknowledgeable stop (e.g. a bumper).
    case autoAck = "AUTOACK"
    /// Needs a person at the robot.
    case manual = "MANUAL"
    /// Remote stop, acknowledged remotely.
    case remote = "REMOTE"
    /// No stop active.
    case none = "NONE"
}
