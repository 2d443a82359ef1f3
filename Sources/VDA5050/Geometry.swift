/// The position of a node on a map, as used in orders and node states.
public struct NodePosition: Codable, Sendable, Hashable {
    /// X coordinate on the map, in metres.
    public var x: Double
    /// Y coordinate on the map, in metres.
    public var y: Double
    /// Absolute orientation in radians, in [-π, π].
    public var theta: Double?
    /// Allowed deviation radius in metres (0: the robot's normal tolerance). Order only.
    public var allowedDeviationXY: Double?
    /// Allowed deviation of theta in radians. Order only.
    public var allowedDeviationTheta: Double?
    /// The map the coordinates refer to.
    public var mapId: String
    /// Description of the map.
    public var mapDescription: String?

    /// Creates a node position.
    public init(
        x: Double, y: Double, theta: Double? = nil, allowedDeviationXY: Double? = nil,
        allowedDeviationTheta: Double? = nil, mapId: String, mapDescription: String? = nil
    ) {
        self.x = x
        self.y = y
        self.theta = theta
        self.allowedDeviationXY = allowedDeviationXY
        self.allowedDeviationTheta = allowedDeviationTheta
        self.mapId = mapId
        self.mapDescription = mapDescription
    }
}

/// The robot's pose as it reports it (`agvPosition`).
public struct AGVPosition: Codable, Sendable, Hashable {
    /// X coordinate in metres.
    public var x: Double
    /// Y coordinate in metres.
    public var y: Double
    /// Orientation in radians.
    public var theta: Double
    /// The map the pose refers to.
    public var mapId: String
    /// Description of the map.
    public var mapDescription: String?
    /// Whether the robot is localised.
    public var positionInitialized: Bool
    /// Localisation quality between 0 and 1.
    public var localizationScore: Double?
    /// Position deviation range in metres.
    public var deviationRange: Double?

    /// Creates a pose.
    public init(
        x: Double, y: Double, theta: Double, mapId: String, mapDescription: String? = nil,
        positionInitialized: Bool, localizationScore: Double? = nil, deviationRange: Double? = nil
    ) {
        self.x = x
        self.y = y
        self.theta = theta
        self.mapId = mapId
        self.mapDescription = mapDescription
        self.positionInitialized = positionInitialized
        self.localizationScore = localizationScore
        self.deviationRange = deviationRange
    }
}

/// The robot's velocity in its own frame.
public struct Velocity: Codable, Sendable, Hashable {
    /// Velocity along x in m/s.
    public var vx: Double?
    /// Velocity along y in m/s.
    public var vy: Double?
    /// Angular velocity in rad/s.
    public var omega: Double?

    /// Creates a velocity.
    public init(vx: Double? = nil, vy: Double? = nil, omega: Double? = nil) {
        self.vx = vx
        self.vy = vy
        self.omega = omega
    }
}

/// A NURBS trajectory of an edge.
public struct Trajectory: Codable, Sendable, Hashable {
    /// Degree of the NURBS curve.
    public var degree: Int
    /// Knot vector, values in [0, 1].
    public var knotVector: [Double]
    /// Control points.
    public var controlPoints: [ControlPoint]

    /// Creates a trajectory.
    public init(degree: Int, knotVector: [Double], controlPoints: [ControlPoint]) {
        self.degree = degree
        self.knotVector = knotVector
        self.controlPoints = controlPoints
    }
}

/// A control point of a NURBS trajectory.
public struct ControlPoint: Codable, Sendable, Hashable {
    /// X coordinate in metres.
    public var x: Double
    /// Y coordinate in metres.
    public var y: Double
    /// Weight of the point (default 1).
    public var weight: Double?

    /// Creates a control point.
    public init(x: Double, y: Double, weight: Double? = nil) {
        self.x = x
        self.y = y
        self.weight = weight
    }
}
