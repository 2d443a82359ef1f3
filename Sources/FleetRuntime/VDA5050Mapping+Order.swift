import FleetCore
import VDA5050

extension VDA5050Mapping {
    /// Builds the VDA 5050 2.1 order for a dispatch plan (header left for the caller to stamp).
    ///
    /// Ids are put in their wire form (``wireOrderId(_:)``, ``wireActionId(_:)``, ``wireEdgeId(_:)``). Every node
    /// and edge is released (no horizon: the coordinator plans the whole trip at once); sequence ids
    /// come from the plan; edges carry `startNodeId`/`endNodeId`, `maxSpeed` and `length`; nodes carry their
    /// position with `mapId`; the node actions (``action(_:)``) are `HARD` blocking. Pass an update through
    /// ``stitched(_:after:)`` first.
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
                edgeId: wireEdgeId(edge.edgeId), sequenceId: edge.sequenceId, released: true,
                startNodeId: edge.startNodeId,
                endNodeId: edge.endNodeId, maxSpeed: edge.maxSpeed, length: edge.length, actions: [])
        }
        return Order(
            manufacturer: robot.manufacturer, serialNumber: robot.serialNumber, orderId: wireOrderId(plan.orderId),
            orderUpdateId: UInt32(clamping: plan.orderUpdateId), nodes: nodes, edges: edges)
    }

    /// The VDA 5050 action of a planned node action, `HARD` blocking: `pick` and `drop` with `stationId` and (if
    /// known) `loadType`; `startCharging` with `stationId` (the charger); the custom actions `assist` and
    /// `handover` with `stationId` and (if the request names one) `person`.
    /// - Parameter planned: the planned action.
    /// - Returns: the action.
    public static func action(_ planned: PlannedAction) -> Action {
        var parameters = [ActionParameter(key: "stationId", value: .string(planned.station))]
        switch planned.kind {
        case .pick, .drop:
            if let loadType = planned.loadType {
                parameters.append(ActionParameter(key: "loadType", value: .string(loadType)))
            }
        case .assist, .handover:
            if let person = planned.person {
                parameters.append(ActionParameter(key: "person", value: .string(person)))
            }
        case .startCharging:
            break
        }
        return Action(
            actionType: planned.kind.rawValue, actionId: wireActionId(planned.actionId), blockingType: .hard,
            actionParameters: parameters)
    }

    /// The plan as it goes on the wire after `previous`, the last plan sent to the same robot. An update of the
    /// same order (higher `orderUpdateId`) must resend its stitching node exactly as the previous message had it
    /// (VDA 5050 2.1 §6.6.2: same node and sequence id, unchanged contents), actions included: the coordinator plans
    /// a cooperative carry's drop leg without the pick action it already ran, so that node is taken from `previous`
    /// (the robot does not run the actions of a stitching node again). A re-send of that update goes out as it
    /// went the first time (the robot ignores an identical duplicate but rejects a changed one). Anything else
    /// passes unchanged.
    /// - Parameters:
    ///   - plan: the plan from ``FleetCore/Directive/dispatch(_:_:)``.
    ///   - previous: the last plan sent to the robot (as it went on the wire), if any.
    /// - Returns: the plan to map with ``order(for:robot:)``.
    public static func stitched(_ plan: DispatchPlan, after previous: DispatchPlan?) -> DispatchPlan {
        guard let previous, previous.orderId == plan.orderId, let first = plan.nodes.first else { return plan }
        if plan.orderUpdateId == previous.orderUpdateId {
            let resent =
                previous.edges == plan.edges && previous.nodes.dropFirst() == plan.nodes.dropFirst()
                && previous.nodes.first?.nodeId == first.nodeId
                && previous.nodes.first?.sequenceId == first.sequenceId
            return resent ? previous : plan
        }
        guard plan.orderUpdateId > previous.orderUpdateId, let stitch = previous.nodes.last,
            stitch.nodeId == first.nodeId, stitch.sequenceId == first.sequenceId
        else { return plan }
        var wire = plan
        wire.nodes[0] = stitch
        return wire
    }

    /// The instant action that cancels a robot's order (`cancelOrder`, blocking `HARD`: the robot stops before anything else runs).
    /// - Parameters:
    ///   - robot: the robot.
    ///   - orderId: the order to cancel (used for the action id, which must be unique).
    ///   - sequence: a number that makes the action id unique among cancels of the same order.
    /// - Returns: the instant-actions message (header left for the caller to stamp).
    public static func cancelOrder(robot: RobotID, orderId: String, sequence: Int) -> InstantActions {
        let action = Action(
            actionType: "cancelOrder", actionId: "cancel-\(wireOrderId(orderId))-\(sequence)", blockingType: .hard)
        return InstantActions(manufacturer: robot.manufacturer, serialNumber: robot.serialNumber, actions: [action])
    }

    /// The instant action that pauses (`startPause`) or resumes (`stopPause`) a robot, blocking `HARD`, without
    /// parameters (VDA 5050 2.1 §6.8.1); the robot confirms by reporting `paused` in its state.
    /// - Parameters:
    ///   - robot: the robot.
    ///   - paused: `true` for `startPause`, `false` for `stopPause`.
    ///   - actionId: a unique action id (letters, digits, `_ - . :`).
    /// - Returns: the instant-actions message (header left for the caller to stamp).
    public static func pause(robot: RobotID, paused: Bool, actionId: String) -> InstantActions {
        let action = Action(
            actionType: paused ? "startPause" : "stopPause", actionId: actionId, blockingType: .hard)
        return InstantActions(manufacturer: robot.manufacturer, serialNumber: robot.serialNumber, actions: [action])
    }

    /// The wire form of a coordinator order id: `T-0001#2` becomes `T-0001.2` (VDA 5050 ids allow only
    /// `A-Z a-z 0-9 _ - . :`). Reversed by ``coordinatorOrderId(_:)``.
    /// - Parameter orderId: the coordinator's order id (`<taskId>#<assignment>`).
    /// - Returns: the order id sent to the robot.
    public static func wireOrderId(_ orderId: String) -> String {
        guard let hash = orderId.lastIndex(of: "#") else { return orderId }
        return orderId[..<hash] + "." + orderId[orderId.index(after: hash)...]
    }

    /// The coordinator order id of a wire order id (`T-0001.2` → `T-0001#2`); ids of another form pass unchanged.
    /// - Parameter wire: the order id as the robot reports it.
    /// - Returns: the coordinator's order id.
    public static func coordinatorOrderId(_ wire: String) -> String {
        guard let dot = wire.lastIndex(of: ".") else { return wire }
        let suffix = wire[wire.index(after: dot)...]
        guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return wire }
        return wire[..<dot] + "#" + suffix
    }

    /// The wire form of a coordinator action id: `T-0001#2/pick` becomes `T-0001.2:pick`.
    /// - Parameter actionId: the coordinator's action id (`<orderId>/<kind>`).
    /// - Returns: the action id sent to the robot.
    public static func wireActionId(_ actionId: String) -> String {
        guard let slash = actionId.lastIndex(of: "/") else { return wireOrderId(actionId) }
        return wireOrderId(String(actionId[..<slash])) + ":" + actionId[actionId.index(after: slash)...]
    }

    /// The coordinator action id of a wire action id (`T-0001.2:pick` → `T-0001#2/pick`).
    /// - Parameter wire: the action id as the robot reports it.
    /// - Returns: the coordinator's action id.
    public static func coordinatorActionId(_ wire: String) -> String {
        guard let colon = wire.lastIndex(of: ":") else { return wire }
        return coordinatorOrderId(String(wire[..<colon])) + "/" + wire[wire.index(after: colon)...]
    }

    /// The wire form of an edge id: characters VDA 5050 does not permit become `-` (`A21~rev` → `A21-rev`).
    /// Robots never report edge ids back to the coordinator, so this need not be reversible.
    /// - Parameter edgeId: the layout's edge id.
    /// - Returns: the edge id sent to the robot.
    public static func wireEdgeId(_ edgeId: String) -> String {
        String(edgeId.map { VDA5050TopicName.isPermittedIDCharacter($0) ? $0 : "-" })
    }

    /// Whether `id` consists only of characters VDA 5050 permits in ids (`A-Z a-z 0-9 _ - . :`).
    /// - Parameter id: the id.
    /// - Returns: `true` if permitted.
    public static func isPermittedID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy(VDA5050TopicName.isPermittedIDCharacter)
    }
}
