/// What a robot does at a node of a dispatch plan; the raw value is the VDA 5050 `actionType`.
public enum PlannedActionKind: String, Sendable, Hashable, Codable {
    /// Pick the load up (VDA 5050 `pick`).
    case pick
    /// Drop the load (VDA 5050 `drop`).
    case drop
    /// Start charging at a charger (VDA 5050 `startCharging`).
    case startCharging
    /// Do the assisting action for a person (custom action type `assist`; the person confirms).
    case assist
    /// Hand an item over to a person (custom action type `handover`; robot and person confirm).
    case handover
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
    /// The person the action is for (assist, handover), if a particular one.
    public var person: String?

    /// Creates an action.
    public init(
        actionId: String, kind: PlannedActionKind, station: StationID, loadType: String? = nil, person: String? = nil
    ) {
        self.actionId = actionId
        self.kind = kind
        self.station = station
        self.loadType = loadType
        self.person = person
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

    /// Builds the plan for `request` along `trip` on `layout`: the route to the first work node, then through the
    /// others (``TaskRequest/workNodes(in:)``), with the kind's actions at its work nodes.
    public init(request: TaskRequest, orderId: String, trip: TripEstimate, layout: SiteLayout) {
        self.init(
            request: request, orderId: orderId, route: trip.toPick.appending(trip.toDrop),
            workNodes: request.workNodes(in: layout) ?? [], layout: layout)
    }

    /// Builds the plan for `request` along `route`, which passes `workNodes` in order (each leg a shortest path, so
    /// each work node is found as the first occurrence after the previous one). Actions by kind: `pick` at the
    /// first and `drop` at the last work node of a load-carrying task, `startCharging` at a charger, `assist` or
    /// `handover` at the meeting point; patrols, coverage and emergencies only drive.
    public init(request: TaskRequest, orderId: String, route: Route, workNodes: [NodeID], layout: SiteLayout) {
        var workIndex: [Int] = []
        var from = 0
        for node in workNodes {
            guard let i = route.nodes[from...].firstIndex(of: node) else { break }
            workIndex.append(i)
            from = i
        }
        let last = route.nodes.count - 1
        var byIndex: [Int: [PlannedAction]] = [:]
        func add(_ kind: PlannedActionKind, at index: Int?, station: StationID?) {
            guard let index, let station else { return }
            byIndex[index, default: []].append(
                PlannedAction(
                    actionId: orderId + "/" + kind.rawValue, kind: kind, station: station, loadType: request.loadType,
                    person: request.person))
        }
        switch request.kind {
        case .transport, .cooperativeCarry:
            add(.pick, at: workIndex.first, station: request.pick)
            add(.drop, at: workIndex.count > 1 ? workIndex.last : last, station: request.drop)
        case .charge:
            add(.startCharging, at: workIndex.first ?? last, station: request.charger)
        case .assist:
            add(.assist, at: workIndex.first ?? last, station: request.stops.first)
        case .handover:
            add(.handover, at: workIndex.first ?? last, station: request.stops.first)
        case .patrol, .coverage, .emergency:
            break
        }
        var nodes: [PlannedNode] = []
        for (i, id) in route.nodes.enumerated() {
            let node = layout.node(id)!
            nodes.append(
                PlannedNode(
                    nodeId: id, sequenceId: 2 * i, position: node.position, mapId: node.mapId, theta: node.theta,
                    actions: byIndex[i] ?? []))
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
