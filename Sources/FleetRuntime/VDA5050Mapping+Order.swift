import FleetCore
import VDA5050

extension VDA5050Mapping {
    /// Builds the VDA 5050 2.1 order for a dispatch plan (header left for the caller to stamp).
    ///
    /// Ids are put in their wire form (``wireOrderId(_:)``, ``wireActionId(_:)``, ``wireEdgeId(_:)``). Every node
    /// and edge is released (no horizon: the coordinator plans the whole trip at once); sequence ids
    /// come from the plan; edges carry `startNodeId`/`endNodeId`, `maxSpeed` and `length`; nodes carry their
    /// position with `mapId`; pick and drop are `HARD` blocking actions with `stationId` and `loadType`
    /// parameters.
    /// - Parameters:
    ///   - plan: the plan from ``FleetCore/Directive/dispatch(_:_:)``.
    ///   - robot: the robot it is for (its ids go into the header).
    /// - Returns: the order.
    public static func order(for plan: DispatchPlan, robot: RobotID) -> Order {
        let nodes = plan.nodes.map { node in
            Node(
                nodeId: node.nodeId, sequenceId: node.sequenceId, released: true,
                nodePosition: NodePosition(
                    x: node.position.x, y: node.position.y, theta: node.theta, mapId: node.mapId),
                actions: node.actions.map(action))
        }
        let edges = plan.edges.map { edge in
            Edge(
                edgeId: wireEdgeId(edge.edgeId), sequenceId: edge.sequenceId, released: true, startNodeId: edge.startNodeId,
                endNodeId: edge.endNodeId, maxSpeed: edge.maxSpeed, length: edge.length, actions: [])
        }
        return Order(
            manufacturer: robot.manufacturer, serialNumber: robot.serialNumber, orderId: wireOrderId(plan.orderId),
            orderUpdateId: UInt32(clamping: plan.orderUpdateId), nodes: nodes, edges: edges)
    }

    /// The VDA 5050 action of a planned pick or drop: `HARD` blocking, with `stationId` and (if known) `loadType`.
    /// - Parameter planned: the planned action.
    /// - Returns: the action.
    public static func action(_ planned: PlannedAction) -> Action {
        var parameters = [ActionParameter(key: "stationId", value: .string(planned.station))]
        if let loadType = planned.loadType { parameters.append(ActionParameter(key: "loadType", value: .string(loadType))) }
        return Action(
            actionType: planned.kind.rawValue, actionId: wireActionId(planned.actionId), blockingType: .hard,
            actionParameters: parameters)
    }

    /// The instant action that cancels a robot's order (`cancelOrder`, blocking `HARD`: the robot stops before anything else runs).
    /// - Parameters:
    ///   - robot: the robot.
    ///   - orderId: the order to cancel (used for the action id, which must be unique).
    ///   - sequence: a number that makes the action id unique among cancels of the same order.
    /// - Returns: the instant-actions message (header left for the caller to stamp).
    public static func cancelOrder(robot: RobotID, orderId: String, sequence: Int) -> InstantActions {
        let action = Action(actionType: "cancelOrder", actionId: "cancel-\(wireOrderId(orderId))-\(sequence)", blockingType: .hard)
        return InstantActions(manufacturer: robot.manufacturer, serialNumber: robot.serialNumber, actions: [action])
    }
}
