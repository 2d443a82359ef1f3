/// An `order` message (2.1 §6.6): a graph of nodes and edges the robot drives, with actions on them.
///
/// Nodes and edges share one sequence: node 0, edge 1, node 2, ... Released elements form the base, the rest the
/// horizon. See ``OrderValidator`` for the rules an order must follow.
public struct Order: VDA5050Message, Hashable {
    /// Always `.order`.
    public static let topic = VDA5050Topic.order

    /// Per-topic message counter.
    public var headerId: UInt32
    /// When fleet control sent the message.
    public var timestamp: VDA5050Timestamp
    /// Protocol version.
    public var version: String
    /// Manufacturer of the robot.
    public var manufacturer: String
    /// Serial number of the robot.
    public var serialNumber: String
    /// Identifies the order; the same for all updates of it.
    public var orderId: String
    /// Identifies an update of the order; starts at 0 and grows with each update.
    public var orderUpdateId: UInt32
    /// Zone set the robot shall use for this order.
    public var zoneSetId: String?
    /// The nodes in traversal order.
    public var nodes: [Node]
    /// The edges in traversal order; edge `n` connects node `n` and node `n + 1`.
    public var edges: [Edge]

    /// Creates an order.
    ///
    /// - Parameters:
    ///   - headerId: Per-topic counter; usually set later by ``HeaderCounters/stamp(_:at:)``.
    ///   - timestamp: Send time; usually set later when stamping.
    ///   - version: Protocol version, by default ``VDA5050Version/current``.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - orderId: The order's identifier.
    ///   - orderUpdateId: The update number, 0 for a new order.
    ///   - zoneSetId: Optional zone set.
    ///   - nodes: The nodes.
    ///   - edges: The edges.
    public init(
        headerId: UInt32 = 0, timestamp: VDA5050Timestamp = VDA5050Timestamp(millisecondsSince1970: 0),
        version: String = VDA5050Version.current, manufacturer: String, serialNumber: String, orderId: String,
        orderUpdateId: UInt32 = 0, zoneSetId: String? = nil, nodes: [Node], edges: [Edge] = []
    ) {
        self.headerId = headerId
        self.timestamp = timestamp
        self.version = version
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.orderId = orderId
        self.orderUpdateId = orderUpdateId
        self.zoneSetId = zoneSetId
        self.nodes = nodes
        self.edges = edges
    }
}

/// A node of an order.
public struct Node: Codable, Sendable, Hashable {
    /// Node identifier; may appear more than once in an order (loops).
    public var nodeId: String
    /// Position in the shared node/edge sequence (nodes are even: 0, 2, 4, ...).
    public var sequenceId: Int
    /// Free-form description.
    public var nodeDescription: String?
    /// Whether the node belongs to the base (true) or the horizon (false).
    public var released: Bool
    /// Where the node is; optional for line-guided robots.
    public var nodePosition: NodePosition?
    /// Actions to run on the node; may be empty.
    public var actions: [Action]

    /// Creates a node.
    public init(
        nodeId: String, sequenceId: Int, nodeDescription: String? = nil, released: Bool = true,
        nodePosition: NodePosition? = nil, actions: [Action] = []
    ) {
        self.nodeId = nodeId
        self.sequenceId = sequenceId
        self.nodeDescription = nodeDescription
        self.released = released
        self.nodePosition = nodePosition
        self.actions = actions
    }
}

/// An edge of an order: the way from one node to the next.
public struct Edge: Codable, Sendable, Hashable {
    /// Edge identifier.
    public var edgeId: String
    /// Position in the shared node/edge sequence (edges are odd: 1, 3, 5, ...).
    public var sequenceId: Int
    /// Free-form description.
    public var edgeDescription: String?
    /// Whether the edge belongs to the base (true) or the horizon (false).
    public var released: Bool
    /// The node the edge starts at (required in 2.x).
    public var startNodeId: String
    /// The node the edge ends at (required in 2.x).
    public var endNodeId: String
    /// Maximum speed on the edge in m/s.
    public var maxSpeed: Double?
    /// Maximum robot height (with load) on the edge in metres.
    public var maxHeight: Double?
    /// Minimum height of the load handling device on the edge in metres.
    public var minHeight: Double?
    /// Orientation of the robot on the edge in radians; see ``orientationType``.
    public var orientation: Double?
    /// How ``orientation`` is interpreted; TANGENTIAL when absent.
    public var orientationType: OrientationType?
    /// Direction at a junction for line-guided robots, e.g. `left`, `right`, `straight`.
    public var direction: String?
    /// Whether the robot may rotate on the edge.
    public var rotationAllowed: Bool?
    /// Maximum rotation speed in rad/s.
    public var maxRotationSpeed: Double?
    /// Length of the edge in metres (for line-guided robots).
    public var length: Double?
    /// The NURBS trajectory the robot follows.
    public var trajectory: Trajectory?
    /// The corridor within which the robot may deviate from the trajectory (2.1).
    public var corridor: Corridor?
    /// Actions to run on the edge; may be empty.
    public var actions: [Action]

    /// Creates an edge.
    public init(
        edgeId: String, sequenceId: Int, edgeDescription: String? = nil, released: Bool = true, startNodeId: String,
        endNodeId: String, maxSpeed: Double? = nil, maxHeight: Double? = nil, minHeight: Double? = nil,
        orientation: Double? = nil, orientationType: OrientationType? = nil, direction: String? = nil,
        rotationAllowed: Bool? = nil, maxRotationSpeed: Double? = nil, length: Double? = nil,
        trajectory: Trajectory? = nil, corridor: Corridor? = nil, actions: [Action] = []
    ) {
        self.edgeId = edgeId
        self.sequenceId = sequenceId
        self.edgeDescription = edgeDescription
        self.released = released
        self.startNodeId = startNodeId
        self.endNodeId = endNodeId
        self.maxSpeed = maxSpeed
        self.maxHeight = maxHeight
        self.minHeight = minHeight
        self.orientation = orientation
        self.orientationType = orientationType
        self.direction = direction
        self.rotationAllowed = rotationAllowed
        self.maxRotationSpeed = maxRotationSpeed
        self.length = length
        self.trajectory = trajectory
        self.corridor = corridor
        self.actions = actions
    }
}

/// How an edge's `orientation` is interpreted (2.1 §6.7.3).
public enum OrientationType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Relative to the global map coordinate system.
    case global = "GLOBAL"
    /// Tangential to the edge: 0 drives forwards, π backwards (the default).
    case tangential = "TANGENTIAL"
}

/// The boundaries within which a robot may leave an edge's trajectory, e.g. to avoid obstacles (2.1).
public struct Corridor: Codable, Sendable, Hashable {
    /// Allowed width to the left of the trajectory, in metres (≥ 0).
    public var leftWidth: Double
    /// Allowed width to the right of the trajectory, in metres (≥ 0).
    public var rightWidth: Double
    /// Which part of the robot must stay inside; the kinematic centre when absent.
    public var corridorRefPoint: CorridorRefPoint?

    /// Creates a corridor.
    public init(leftWidth: Double, rightWidth: Double, corridorRefPoint: CorridorRefPoint? = nil) {
        self.leftWidth = leftWidth
        self.rightWidth = rightWidth
        self.corridorRefPoint = corridorRefPoint
    }
}

/// The reference point of a corridor's boundaries.
public enum CorridorRefPoint: String, Codable, Sendable, Hashable, CaseIterable {
    /// The robot's kinematic centre must stay inside the corridor.
    case kinematicCenter = "KINEMATICCENTER"
    /// The robot's contour (with load) must stay inside the corridor.
    case contour = "CONTOUR"
}
