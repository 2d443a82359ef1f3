/// What a robot does at a node of a dispatch plan.
public enum PlannedActionKind: String, Sendable, Hashable, Codable {
    /// Pick the load up (VDA 5050 `pick`).
    case pick
    /// Drop the load (VDA 5050 `drop`).
    case drop
}

/// An action attached to a node of the plan.
public struct PlannedAction: Sendable, Hashable, Codable {
    /// Unique action id (tracked through ``ActionProgress``).
    public var actionId: String
    /// Pick or drop.
    public var kind: PlannedActionKind
    /// The station it happens at.
    public var station: StationID
    /// The load type, if known.
    public var loadType: String?

    /// Creates an action.
    public init(actionId: String, kind: PlannedActionKind, station: StationID, loadType: String? = nil) {
        self.actionId = actionId
        self.kind = kind
        self.station = station
        self.loadType = loadType
    }
}

/// A node of the plan with its position (so the runtime needs no layout to build the order).
public struct PlannedNode: Sendable, Hashable, Codable {
    /// Node id.
    public var nodeId: NodeID
    /// Sequence id (even: 0, 2, 4, ...).
    public var sequenceId: Int
    /// Position.
    public var position: SitePoint
    /// Map.
    public var mapId: String
    /// Orientation, if the layout gives one.
    public var theta: Double?
    /// Actions at this node.
    public var actions: [PlannedAction]

    /// Creates a planned node.
    public init(
        nodeId: NodeID, sequenceId: Int, position: SitePoint, mapId: String, theta: Double?,
        actions: [PlannedAction]
    ) {
        self.nodeId = nodeId
        self.sequenceId = sequenceId
        self.position = position
        self.mapId = mapId
        self.theta = theta
        self.actions = actions
    }
}

/// An edge of the plan.
public struct PlannedEdge: Sendable, Hashable, Codable {
    /// Edge id.
    public var edgeId: EdgeID
    /// Sequence id (odd: 1, 3, 5, ...).
    public var sequenceId: Int
    /// Start node.
    public var startNodeId: NodeID
    /// End node.
    public var endNodeId: NodeID
    /// Speed limit in m/s, if any.
    public var maxSpeed: Double?
    /// Length in metres.
    public var length: Double

    /// Creates a planned edge.
    public init(
        edgeId: EdgeID, sequenceId: Int, startNodeId: NodeID, endNodeId: NodeID, maxSpeed: Double?, length: Double
    ) {
        self.edgeId = edgeId
        self.sequenceId = sequenceId
        self.startNodeId = startNodeId
        self.endNodeId = endNodeId
        self.maxSpeed = maxSpeed
        self.length = length
    }
}

/// Everything the runtime needs to send one order: the path with positions and speeds, and pick/drop actions.
public struct DispatchPlan: Sendable, Hashable, Codable {
    /// The task this order serves.
    public var taskId: TaskID
    /// Order id (`<taskId>#<assignment>`), stable across re-sends of the same assignment.
    public var orderId: String
    /// Order update id.
    public var orderUpdateId: Int
    /// Nodes in driving order; the pick action sits on the pick node, the drop action on the last node.
    public var nodes: [PlannedNode]
    /// Edges between consecutive nodes.
    public var edges: [PlannedEdge]

    /// Creates a plan.
    public init(taskId: TaskID, orderId: String, orderUpdateId: Int, nodes: [PlannedNode], edges: [PlannedEdge]) {
        self.taskId = taskId
        self.orderId = orderId
        self.orderUpdateId = orderUpdateId
        self.nodes = nodes
        self.edges = edges
    }

    /// Builds the plan for `request` along `trip` on `layout`.
    public init(request: TaskRequest, orderId: String, trip: TripEstimate, layout: SiteLayout) {
        let route = trip.toPick.appending(trip.toDrop)
        let pickIndex = trip.toPick.nodes.count - 1
        let pick = PlannedAction(
            actionId: orderId + "/pick", kind: .pick, station: request.pick, loadType: request.loadType)
        let drop = PlannedAction(
            actionId: orderId + "/drop", kind: .drop, station: request.drop, loadType: request.loadType)
        var nodes: [PlannedNode] = []
        for (i, id) in route.nodes.enumerated() {
            let node = layout.node(id)!
            var actions: [PlannedAction] = []
            if i == pickIndex { actions.append(pick) }
            if i == route.nodes.count - 1 { actions.append(drop) }
            nodes.append(
                PlannedNode(
                    nodeId: id, sequenceId: 2 * i, position: node.position, mapId: node.mapId, theta: node.theta,
                    actions: actions))
        }
        let edges = route.edges.enumerated().map { i, id in
            let edge = layout.edge(id)!
            return PlannedEdge(
                edgeId: id, sequenceId: 2 * i + 1, startNodeId: edge.from, endNodeId: edge.to,
                maxSpeed: edge.maxSpeed, length: edge.length)
        }
        self.init(taskId: request.id, orderId: orderId, orderUpdateId: 0, nodes: nodes, edges: edges)
    }

    /// Every action of the plan, in driving order.
    public var actions: [PlannedAction] { nodes.flatMap(\.actions) }
}
