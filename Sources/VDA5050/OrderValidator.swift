/// Checks orders against the VDA 5050 order rules (vda5050.md §4; 2.1 §6.6) before they are sent or accepted.
///
/// ``validate(_:previous:)`` returns every violation at once, not just the first. Pass the last accepted order as
/// `previous` to also check the update rules; ``classify(_:previous:)`` says whether an order is new, an update or
/// a duplicate (a duplicate is not an error: the robot ignores it).
public struct OrderValidator: Sendable {
    /// The largest sequence id the protocol allows (sequence ids are unsigned 32-bit integers).
    public static let maximumSequenceId = Int(UInt32.max)

    /// How an order relates to the previously accepted one.
    public enum Kind: Sendable, Hashable {
        /// A new orderId (or no previous order).
        case newOrder
        /// Same orderId, higher orderUpdateId.
        case update
        /// Same orderId and orderUpdateId with identical content (header fields aside): ignored by the robot.
        case duplicate
        /// Same orderId and orderUpdateId with different content: rejected.
        case conflictingDuplicate
        /// Same orderId, lower orderUpdateId: rejected as outdated.
        case outdated
    }

    /// Whether to check number ranges from the schema (theta in [-π, π], widths ≥ 0, knots in [0, 1]...).
    public var checksRanges: Bool

    /// Creates a validator.
    ///
    /// - Parameter checksRanges: Whether to check schema number ranges too (default true).
    public init(checksRanges: Bool = true) {
        self.checksRanges = checksRanges
    }

    /// Says how `order` relates to `previous`.
    ///
    /// - Parameters:
    ///   - order: The order to classify.
    ///   - previous: The last accepted order, if any.
    /// - Returns: The kind.
    public func classify(_ order: Order, previous: Order?) -> Kind {
        guard let previous, previous.orderId == order.orderId else { return .newOrder }
        if order.orderUpdateId < previous.orderUpdateId { return .outdated }
        if order.orderUpdateId > previous.orderUpdateId { return .update }
        return Self.sameContent(order, previous) ? .duplicate : .conflictingDuplicate
    }

    /// Returns every rule the order breaks; empty means valid. A duplicate is valid (see ``classify(_:previous:)``).
    ///
    /// - Parameters:
    ///   - order: The order to check.
    ///   - previous: The last accepted order, to check the update rules against; nil for none.
    /// - Returns: The violations, in field order.
    public func validate(_ order: Order, previous: Order? = nil) -> [OrderValidationError] {
        var errors: [OrderValidationError] = []
        let kind = classify(order, previous: previous)
        checkIdentifier(order.orderId, field: "orderId", into: &errors)
        checkGraph(order, isNew: kind == .newOrder, into: &errors)
        checkActions(order, into: &errors)
        checkNumbers(order, into: &errors)
        switch kind {
        case .newOrder:
            if order.orderUpdateId != 0 {
                errors.append(.newOrderWithNonZeroUpdateId(orderId: order.orderId, orderUpdateId: order.orderUpdateId))
            }
        case .outdated:
            errors.append(
                .outdatedUpdate(
                    orderId: order.orderId, orderUpdateId: order.orderUpdateId,
                    currentOrderUpdateId: previous?.orderUpdateId ?? 0))
        case .conflictingDuplicate:
            errors.append(.sameUpdateIdDifferentContent(orderId: order.orderId, orderUpdateId: order.orderUpdateId))
        case .duplicate:
            break
        case .update:
            if let previous { checkStitching(order, previous: previous, into: &errors) }
        }
        return errors
    }

    private func checkGraph(_ order: Order, isNew: Bool, into errors: inout [OrderValidationError]) {
        let nodes = order.nodes
        let edges = order.edges
        guard let first = nodes.first else {
            errors.append(.noNodes)
            if !edges.isEmpty { errors.append(.edgeCountMismatch(nodes: 0, edges: edges.count)) }
            return
        }
        if edges.count != nodes.count - 1 { errors.append(.edgeCountMismatch(nodes: nodes.count, edges: edges.count)) }
        if !first.released { errors.append(.firstNodeNotReleased) }
        // Sequence ids are unsigned 32-bit on the wire; anything outside is refused, and the arithmetic below works
        // on a value in range (0 when the first id is out of range) so a hostile id (e.g. Int.max) cannot overflow.
        let start = (0...Self.maximumSequenceId).contains(first.sequenceId) ? first.sequenceId : 0
        for (i, node) in nodes.enumerated() where !(0...Self.maximumSequenceId).contains(node.sequenceId) {
            errors.append(
                .invalidSequenceId(field: "nodes[\(i)].sequenceId", expected: start + 2 * i, found: node.sequenceId))
        }
        for (i, edge) in edges.enumerated() where !(0...Self.maximumSequenceId).contains(edge.sequenceId) {
            errors.append(
                .invalidSequenceId(field: "edges[\(i)].sequenceId", expected: start + 2 * i + 1, found: edge.sequenceId)
            )
        }
        if isNew, start != 0 {
            errors.append(.newOrderMustStartAtZero(field: "nodes[0].sequenceId", found: start))
        } else if start % 2 != 0 || start < 0 {
            errors.append(.invalidSequenceId(field: "nodes[0].sequenceId", expected: max(0, start + 1), found: start))
        }
        // Interleave node 0, edge 0, node 1, ...: sequenceIds +1 each step; released must be a prefix.
        var seenUnreleased = false
        for step in 0..<(nodes.count + edges.count) {
            let index = step / 2
            let isNode = step % 2 == 0
            let field = isNode ? "nodes[\(index)]" : "edges[\(index)]"
            guard isNode ? index < nodes.count : index < edges.count else { continue }
            let sequenceId = isNode ? nodes[index].sequenceId : edges[index].sequenceId
            let released = isNode ? nodes[index].released : edges[index].released
            if step > 0, sequenceId != start + step {
                errors.append(
                    .invalidSequenceId(field: "\(field).sequenceId", expected: start + step, found: sequenceId))
            }
            if released, seenUnreleased { errors.append(.releasedAfterHorizon(field: "\(field).released")) }
            if !released { seenUnreleased = true }
        }
        for (i, node) in nodes.enumerated() {
            checkIdentifier(node.nodeId, field: "nodes[\(i)].nodeId", into: &errors)
        }
        for (i, edge) in edges.enumerated() {
            checkIdentifier(edge.edgeId, field: "edges[\(i)].edgeId", into: &errors)
            if i < nodes.count, edge.startNodeId != nodes[i].nodeId {
                errors.append(
                    .edgeEndpointMismatch(
                        field: "edges[\(i)].startNodeId", expected: nodes[i].nodeId, found: edge.startNodeId))
            }
            if i + 1 < nodes.count, edge.endNodeId != nodes[i + 1].nodeId {
                errors.append(
                    .edgeEndpointMismatch(
                        field: "edges[\(i)].endNodeId", expected: nodes[i + 1].nodeId, found: edge.endNodeId))
            }
            if edge.released, i + 1 < nodes.count, !nodes[i].released || !nodes[i + 1].released {
                errors.append(.edgeReleasedWithoutNodes(field: "edges[\(i)].released"))
            }
        }
    }

    private func checkIdentifier(_ value: String, field: String, into errors: inout [OrderValidationError]) {
        if value.isEmpty {
            errors.append(.emptyIdentifier(field: field))
        } else if !value.allSatisfy(VDA5050TopicName.isPermittedIDCharacter) {
            errors.append(.invalidIdentifierCharacters(field: field, value: value))
        }
    }

    private func checkActions(_ order: Order, into errors: inout [OrderValidationError]) {
        var firstUse: [String: String] = [:]
        func check(_ actions: [Action], owner: String) {
            for (j, action) in actions.enumerated() {
                let field = "\(owner).actions[\(j)].actionId"
                checkIdentifier(action.actionId, field: field, into: &errors)
                if action.actionType.isEmpty {
                    errors.append(.emptyIdentifier(field: "\(owner).actions[\(j)].actionType"))
                }
                if let first = firstUse[action.actionId] {
                    errors.append(.duplicateActionId(field: field, actionId: action.actionId, firstUse: first))
                } else {
                    firstUse[action.actionId] = field
                }
            }
        }
        // Check in traversal order so "first use" is the earlier one along the path.
        for i in 0..<max(order.nodes.count, order.edges.count) {
            if i < order.nodes.count { check(order.nodes[i].actions, owner: "nodes[\(i)]") }
            if i < order.edges.count { check(order.edges[i].actions, owner: "edges[\(i)]") }
        }
    }

    private func checkNumbers(_ order: Order, into errors: inout [OrderValidationError]) {
        let pi = 3.14159265359
        func number(_ value: Double?, _ field: String, _ range: ClosedRange<Double>? = nil, _ allowed: String = "") {
            guard let value else { return }
            if !value.isFinite {
                errors.append(.nonFiniteNumber(field: field))
            } else if checksRanges, let range, !range.contains(value) {
                errors.append(.valueOutOfRange(field: field, value: value, allowed: allowed))
            }
        }
        func parameters(_ actions: [Action], _ owner: String) {
            for (j, action) in actions.enumerated() {
                for (k, parameter) in (action.actionParameters ?? []).enumerated() {
                    json(parameter.value, "\(owner).actions[\(j)].actionParameters[\(k)].value")
                }
            }
        }
        func json(_ value: JSONValue, _ field: String) {
            switch value {
            case .number(let d): number(d, field)
            case .array(let a): for (i, v) in a.enumerated() { json(v, "\(field)[\(i)]") }
            case .object(let o): for (k, v) in o.sorted(by: { $0.key < $1.key }) { json(v, "\(field).\(k)") }
            case .string, .bool: break
            }
        }
        let angle = -pi...pi
        let angleText = "[-π, π]"
        let nonNegative = 0...Double.greatestFiniteMagnitude
        for (i, node) in order.nodes.enumerated() {
            let f = "nodes[\(i)]"
            if let p = node.nodePosition {
                number(p.x, "\(f).nodePosition.x")
                number(p.y, "\(f).nodePosition.y")
                number(p.theta, "\(f).nodePosition.theta", angle, angleText)
                number(p.allowedDeviationXY, "\(f).nodePosition.allowedDeviationXY", nonNegative, "≥ 0")
                number(p.allowedDeviationTheta, "\(f).nodePosition.allowedDeviationTheta", angle, angleText)
            }
            parameters(node.actions, f)
        }
        for (i, edge) in order.edges.enumerated() {
            let f = "edges[\(i)]"
            number(edge.maxSpeed, "\(f).maxSpeed")
            number(edge.maxHeight, "\(f).maxHeight")
            number(edge.minHeight, "\(f).minHeight")
            number(edge.orientation, "\(f).orientation", angle, angleText)
            number(edge.maxRotationSpeed, "\(f).maxRotationSpeed")
            number(edge.length, "\(f).length")
            if let t = edge.trajectory {
                if checksRanges, t.degree < 1 {
                    errors.append(
                        .valueOutOfRange(field: "\(f).trajectory.degree", value: Double(t.degree), allowed: "≥ 1"))
                }
                for (k, knot) in t.knotVector.enumerated() {
                    number(knot, "\(f).trajectory.knotVector[\(k)]", 0...1, "[0, 1]")
                }
                for (k, point) in t.controlPoints.enumerated() {
                    number(point.x, "\(f).trajectory.controlPoints[\(k)].x")
                    number(point.y, "\(f).trajectory.controlPoints[\(k)].y")
                    number(point.weight, "\(f).trajectory.controlPoints[\(k)].weight", nonNegative, "≥ 0")
                }
            }
            if let c = edge.corridor {
                number(c.leftWidth, "\(f).corridor.leftWidth", nonNegative, "≥ 0")
                number(c.rightWidth, "\(f).corridor.rightWidth", nonNegative, "≥ 0")
            }
            parameters(edge.actions, f)
        }
    }

    private func checkStitching(_ order: Order, previous: Order, into errors: inout [OrderValidationError]) {
        guard let first = order.nodes.first else { return }
        // The stitching node is the last released node of the previous message (its decision point).
        guard let stitch = previous.nodes.last(where: \.released) else { return }
        if first.nodeId != stitch.nodeId || first.sequenceId != stitch.sequenceId {
            errors.append(
                .stitchingNodeMismatch(
                    field: "nodes[0]", expectedNodeId: stitch.nodeId, expectedSequenceId: stitch.sequenceId,
                    foundNodeId: first.nodeId, foundSequenceId: first.sequenceId))
        } else if first != stitch {
            errors.append(.stitchingNodeChanged(field: "nodes[0]"))
        }
    }

    /// Whether two orders carry the same content, ignoring the header (headerId, timestamp, version).
    static func sameContent(_ a: Order, _ b: Order) -> Bool {
        a.orderId == b.orderId && a.orderUpdateId == b.orderUpdateId && a.zoneSetId == b.zoneSetId
            && a.nodes == b.nodes && a.edges == b.edges && a.manufacturer == b.manufacturer
            && a.serialNumber == b.serialNumber
    }
}
