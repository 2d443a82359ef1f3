import FleetCore

/// Two or more vehicles on the same node at the same simulated time.
public struct NodeConflict: Sendable, Hashable {
    /// The node.
    public var node: NodeID
    /// The vehicles on it, sorted.
    public var robots: [RobotID]
    /// When the conflict began.
    public var time: FleetTime
}

/// Detects node occupancy conflicts: each episode (a vehicle joining a node another vehicle occupies) is reported
/// once and counted; nothing is resolved (traffic control comes later).
public struct ConflictDetector: Sendable {
    /// Distance in metres within which a vehicle occupies a node.
    public let radius: Double
    /// Conflicts reported so far.
    public private(set) var count = 0
    private var occupied: [NodeID: Set<RobotID>] = [:]

    /// Creates a detector.
    /// - Parameter radius: Distance in metres within which a vehicle occupies a node (0.5 m by default).
    public init(radius: Double = 0.5) {
        self.radius = radius
    }

    /// Updates the occupancy with every vehicle's node (or `nil`) and returns the conflicts that began now.
    public mutating func update(_ vehicles: [(id: RobotID, node: NodeID?)], at time: FleetTime) -> [NodeConflict] {
        var now: [NodeID: Set<RobotID>] = [:]
        for vehicle in vehicles {
            if let node = vehicle.node { now[node, default: []].insert(vehicle.id) }
        }
        var conflicts: [NodeConflict] = []
        for (node, robots) in now where robots.count > 1 {
            if !robots.isSubset(of: occupied[node] ?? []) {
                conflicts.append(NodeConflict(node: node, robots: robots.sorted(), time: time))
            }
        }
        occupied = now.filter { $0.value.count > 1 }
        count += conflicts.count
        return conflicts.sorted { $0.node < $1.node }
    }

    /// Updates the occupancy from the vehicles' positions; see ``update(_:at:)``.
    public mutating func update(_ vehicles: [SimVehicle], at time: FleetTime) -> [NodeConflict] {
        update(vehicles.map { (id: $0.id, node: $0.occupiedNode(radius: radius)) }, at: time)
    }
}
