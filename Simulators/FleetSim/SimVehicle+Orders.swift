import FleetCore
import VDA5050

/// Why the vehicle refused an order (2.x error types, level WARNING).
public enum OrderRejection: String, Sendable, Hashable {
    /// The message is malformed (JSON, schema, sequence ids, ...).
    case validationError
    /// Valid, but the vehicle cannot take it (busy, start node out of range, unknown node, unsupported action).
    case orderError
    /// A bad update of the current order (outdated, not stitched, after a cancel, same id other content).
    case orderUpdateError
}

extension SimVehicle {
    /// Handles an `order` payload as received from the broker; malformed JSON is rejected with `validationError`.
    /// - Returns: The rejection, or `nil` when accepted or ignored as a duplicate.
    @discardableResult
    public mutating func receiveOrder(payload: [UInt8], now: FleetTime) -> OrderRejection? {
        do {
            let order = try VDA5050Codec().decode(Order.self, from: payload)
            return receiveOrder(order, now: now)
        } catch {
            return reject(.validationError, "cannot decode the order: \(error)", order: nil)
        }
    }

    /// Runs the order acceptance flow (2.1 §6.6.2): validity, new order or update, idle, start node in range,
    /// stitching. A refused order leaves the current one untouched and is reported in `errors`.
    /// - Returns: The rejection, or `nil` when accepted or ignored as a duplicate.
    @discardableResult
    public mutating func receiveOrder(_ order: Order, now: FleetTime) -> OrderRejection? {
        outbox.state = true
        if order.manufacturer != id.manufacturer || order.serialNumber != id.serialNumber {
            return reject(
                .validationError, "the order is addressed to \(order.manufacturer)/\(order.serialNumber)", order: order)
        }
        let validator = OrderValidator()
        let kind = validator.classify(order, previous: acceptedOrder)
        let problems = validator.validate(order, previous: acceptedOrder)
        if kind == .duplicate { return nil }
        if !problems.isEmpty {
            let text = problems.map(\.description).joined(separator: "; ")
            let isUpdateProblem = kind == .outdated || kind == .conflictingDuplicate || kind == .update
            return reject(isUpdateProblem ? .orderUpdateError : .validationError, text, order: order)
        }
        if let action = (order.nodes.flatMap(\.actions) + order.edges.flatMap(\.actions)).first(where: {
            !spec.supports($0.actionType)
        }) {
            return reject(
                .orderError, "action type '\(action.actionType)' (\(action.actionId)) is not supported", order: order)
        }
        if let node = order.nodes.first(where: { nodePosition($0) == nil }) {
            return reject(
                .orderError, "node '\(node.nodeId)' has no position and the site does not know it", order: order)
        }
        guard operatingMode.acceptsOrders else {
            return reject(.orderError, "operating mode \(operatingMode.rawValue) takes no orders", order: order)
        }
        if kind == .update {
            return acceptUpdate(order)
        }
        guard isIdle else {
            return reject(
                .orderError, "order '\(orderId)' is still active; a new order needs an idle vehicle", order: order)
        }
        let first = order.nodes[0]
        let start = nodePosition(first)!
        let allowed =
            max(first.nodePosition?.allowedDeviationXY ?? 0, 0) > 0
            ? first.nodePosition!.allowedDeviationXY! : spec.positionTolerance
        let distance = start.distance(to: position)
        guard distance <= allowed else {
            let text = "start node '\(first.nodeId)' is \(Int(distance.rounded())) m away (allowed \(allowed) m)"
            return reject(.orderError, text, order: order)
        }
        acceptNew(order)
        return nil
    }

    private mutating func acceptNew(_ order: Order) {
        acceptedOrder = order
        orderId = order.orderId
        orderUpdateId = order.orderUpdateId
        cancelledOrderId = nil
        errors.removeAll()
        charging = false
        actionStates = []
        loadTrackedActions(order.nodes, order.edges)
        nodes = Array(order.nodes.dropFirst())
        edges = order.edges
        edgeProgress = 0
        // The first node is where the vehicle stands: reached at once, its actions start.
        reach(order.nodes[0])
        outbox.notes.append("accepted order \(order.orderId)/\(order.orderUpdateId)")
    }

    private mutating func acceptUpdate(_ order: Order) -> OrderRejection? {
        if cancelledOrderId == order.orderId {
            return reject(.orderUpdateError, "order '\(order.orderId)' was cancelled; no further updates", order: order)
        }
        acceptedOrder = order
        orderUpdateId = order.orderUpdateId
        errors.removeAll()
        // Drop the old horizon; the stitching node (the first) is already in `nodes` or already reached.
        nodes.removeAll { !$0.released }
        edges.removeAll { !$0.released }
        let newNodes = Array(order.nodes.dropFirst())
        loadTrackedActions(newNodes, order.edges)
        nodes += newNodes
        edges += order.edges
        charging = false
        outbox.notes.append("accepted update \(order.orderId)/\(order.orderUpdateId)")
        return nil
    }

    private mutating func loadTrackedActions(_ nodes: [VDA5050.Node], _ edges: [Edge]) {
        for action in nodes.flatMap(\.actions) + edges.flatMap(\.actions) {
            actionStates.append(
                ActionState(
                    actionId: action.actionId, actionType: action.actionType,
                    actionDescription: action.actionDescription, actionStatus: .waiting))
        }
    }

    /// Records a node as reached: `lastNodeId`, position, and its actions queued.
    mutating func reach(_ node: VDA5050.Node) {
        lastNodeId = node.nodeId
        lastNodeSequenceId = node.sequenceId
        if let p = nodePosition(node) {
            position = p
            lastNodePosition = p
        }
        actionQueue += node.actions
        outbox.state = true
    }

    private mutating func reject(_ type: OrderRejection, _ description: String, order: Order?) -> OrderRejection {
        rejectedOrders += 1
        var references: [(String, String)] = []
        if let order {
            references = [
                ("headerId", "\(order.headerId)"), ("topic", "order"), ("orderId", order.orderId),
                ("orderUpdateId", "\(order.orderUpdateId)"),
            ]
        } else {
            references = [("topic", "order")]
        }
        report(type.rawValue, description, references: references)
        outbox.notes.append("rejected order: \(type.rawValue): \(description)")
        return type
    }
}
