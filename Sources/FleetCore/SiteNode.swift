/// Identifier of a node in the site graph (the VDA 5050 `nodeId`).
public typealias NodeID = String
/// Identifier of a directed edge in the site graph (the VDA 5050 `edgeId`).
public typealias EdgeID = String
/// Identifier of a station (pick, drop, line side, kitting, ...).
public typealias StationID = String

/// A point in a map's coordinate frame, in metres.
public struct SitePoint: Sendable, Hashable, Codable {
    /// East coordinate in metres.
    public var x: Double
    /// North coordinate in metres.
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Euclidean distance to `other`, in metres.
    public func distance(to other: SitePoint) -> Double {
        let dx = other.x - x
        let dy = other.y - y
        return (dx * dx + dy * dy).squareRoot()
    }
}

/// A node of the site graph: a place a robot can stop at, with its position on a map.
public struct SiteNode: Sendable, Hashable, Codable {
    /// Unique node id.
    public var id: NodeID
    /// Position on the map, in metres.
    public var position: SitePoint
    /// The map the coordinates refer to (VDA 5050 `mapId`).
    public var mapId: String
    /// Optional orientation the robot should have at this node, in radians.
    public var theta: Double?

    /// Creates a node.
    /// - Parameters:
    ///   - id: unique node id.
    ///   - x: east coordinate in metres.
    ///   - y: north coordinate in metres.
    ///   - mapId: the map the coordinates refer to.
    ///   - theta: optional orientation in radians.
    public init(id: NodeID, x: Double, y: Double, mapId: String, theta: Double? = nil) {
        self.id = id
        self.position = SitePoint(x: x, y: y)
        self.mapId = mapId
        self.theta = theta
    }
}

/// An edge as written in a layout file: possibly bidirectional, possibly without a length.
public struct EdgeSpec: Sendable, Hashable, Codable {
    /// Edge id; the reverse direction of a bidirectional edge gets `id + "~rev"`.
    public var id: EdgeID
    /// Start node.
    public var from: NodeID
    /// End node.
    public var to: NodeID
    /// Length in metres; computed from the node coordinates when `nil`.
    public var length: Double?
    /// Speed limit on this edge in m/s; `nil` means no limit beyond the robot's own.
    public var maxSpeed: Double?
    /// Whether the edge may be driven in both directions (expands to two directed edges).
    public var bidirectional: Bool

    /// Creates an edge specification.
    public init(
        id: EdgeID, from: NodeID, to: NodeID, length: Double? = nil, maxSpeed: Double? = nil,
        bidirectional: Bool = false
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.length = length
        self.maxSpeed = maxSpeed
        self.bidirectional = bidirectional
    }
}

/// A directed edge of the validated site graph.
public struct SiteEdge: Sendable, Hashable, Codable {
    /// Edge id (unique among directed edges).
    public var id: EdgeID
    /// Start node.
    public var from: NodeID
    /// End node.
    public var to: NodeID
    /// Length in metres.
    public var length: Double
    /// Effective speed limit in m/s (edge limit and zone limits combined); `nil` when unlimited.
    public var maxSpeed: Double?

    /// Creates a directed edge.
    public init(id: EdgeID, from: NodeID, to: NodeID, length: Double, maxSpeed: Double?) {
        self.id = id
        self.from = from
        self.to = to
        self.length = length
        self.maxSpeed = maxSpeed
    }

    /// Seconds needed to drive this edge for a robot whose top speed is `robotMaxSpeed` (m/s).
    public func travelTime(robotMaxSpeed: Double) -> Double {
        let speed = min(maxSpeed ?? robotMaxSpeed, robotMaxSpeed)
        return speed > 0 ? length / speed : .infinity
    }
}
