/// A rule an order breaks (vda5050.md §4; 2.1 §6.6). Every case names the offending field, e.g.
/// `edges[1].sequenceId`, so a rejection can be logged and fixed as it is.
public enum OrderValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The order has no node; at least one is required.
    case noNodes
    /// The number of edges is not the number of nodes minus one.
    case edgeCountMismatch(nodes: Int, edges: Int)
    /// A sequenceId is not the one continuity demands (nodes even, edges odd, +1 each step).
    case invalidSequenceId(field: String, expected: Int, found: Int)
    /// A new order's first node does not have sequenceId 0.
    case newOrderMustStartAtZero(field: String, found: Int)
    /// An edge's `startNodeId` or `endNodeId` is not the nodeId of the neighbouring node.
    case edgeEndpointMismatch(field: String, expected: String, found: String)
    /// A released element follows an unreleased one (the base must precede the horizon).
    case releasedAfterHorizon(field: String)
    /// A released edge has an unreleased start or end node.
    case edgeReleasedWithoutNodes(field: String)
    /// The first node is not released.
    case firstNodeNotReleased
    /// An identifier is empty.
    case emptyIdentifier(field: String)
    /// An identifier contains characters outside `A-Z a-z 0-9 _ - . :`.
    case invalidIdentifierCharacters(field: String, value: String)
    /// An actionId is used twice in the order.
    case duplicateActionId(field: String, actionId: String, firstUse: String)
    /// A number is NaN or infinite.
    case nonFiniteNumber(field: String)
    /// A number is outside the range the schema allows.
    case valueOutOfRange(field: String, value: Double, allowed: String)
    /// An update of the current order has a lower orderUpdateId than the accepted one (deprecated update).
    case outdatedUpdate(orderId: String, orderUpdateId: UInt32, currentOrderUpdateId: UInt32)
    /// An update reuses the accepted orderUpdateId with different content.
    case sameUpdateIdDifferentContent(orderId: String, orderUpdateId: UInt32)
    /// An update's first node is not the previous order's last base node (same nodeId and sequenceId).
    case stitchingNodeMismatch(
        field: String, expectedNodeId: String, expectedSequenceId: Int, foundNodeId: String, foundSequenceId: Int)
    /// An update's stitching node has the right nodeId and sequenceId but different content (actions, position...).
    case stitchingNodeChanged(field: String)
    /// A new order (new orderId) has an orderUpdateId other than 0.
    case newOrderWithNonZeroUpdateId(orderId: String, orderUpdateId: UInt32)

    /// The field the violation is about, e.g. `edges[1].sequenceId` (`nodes` or `orderUpdateId` for whole-order
    /// rules).
    public var field: String {
        switch self {
        case .noNodes: return "nodes"
        case .edgeCountMismatch: return "edges"
        case .firstNodeNotReleased: return "nodes[0].released"
        case .invalidSequenceId(let field, _, _), .newOrderMustStartAtZero(let field, _),
            .edgeEndpointMismatch(let field, _, _), .releasedAfterHorizon(let field),
            .edgeReleasedWithoutNodes(let field), .emptyIdentifier(let field),
            .invalidIdentifierCharacters(let field, _), .duplicateActionId(let field, _, _),
            .nonFiniteNumber(let field), .valueOutOfRange(let field, _, _),
            .stitchingNodeMismatch(let field, _, _, _, _), .stitchingNodeChanged(let field):
            return field
        case .outdatedUpdate, .sameUpdateIdDifferentContent, .newOrderWithNonZeroUpdateId:
            return "orderUpdateId"
        }
    }

    /// A message naming the field and the rule.
    public var description: String {
        switch self {
        case .noNodes:
            return "nodes: an order needs at least one node"
        case .edgeCountMismatch(let nodes, let edges):
            return "edges: \(edges) edges for \(nodes) nodes; an order needs exactly \(max(nodes - 1, 0))"
        case .invalidSequenceId(let field, let expected, let found):
            return "\(field) is \(found); expected \(expected) (sequenceIds run node, edge, node... without gaps)"
        case .newOrderMustStartAtZero(let field, let found):
            return "\(field) is \(found); the first node of a new order has sequenceId 0"
        case .edgeEndpointMismatch(let field, let expected, let found):
            return "\(field) is '\(found)'; expected '\(expected)', the nodeId of the neighbouring node"
        case .releasedAfterHorizon(let field):
            return "\(field) is true after an unreleased element; the base must come before the horizon"
        case .edgeReleasedWithoutNodes(let field):
            return "\(field) is true but a node of the edge is not released"
        case .firstNodeNotReleased:
            return "nodes[0].released is false; the first node of an order is always released"
        case .emptyIdentifier(let field):
            return "\(field) is empty"
        case .invalidIdentifierCharacters(let field, let value):
            return "\(field) '\(value)' contains characters outside A-Z a-z 0-9 _ - . :"
        case .duplicateActionId(let field, let actionId, let firstUse):
            return "\(field) '\(actionId)' is already used by \(firstUse); actionIds are unique within an order"
        case .nonFiniteNumber(let field):
            return "\(field) is not a finite number (NaN and Infinity are not allowed)"
        case .valueOutOfRange(let field, let value, let allowed):
            return "\(field) is \(value); allowed: \(allowed)"
        case .outdatedUpdate(let orderId, let orderUpdateId, let current):
            return "orderUpdateId \(orderUpdateId) of order '\(orderId)' is lower than the accepted \(current) "
                + "(outdated update)"
        case .sameUpdateIdDifferentContent(let orderId, let orderUpdateId):
            return "orderUpdateId \(orderUpdateId) of order '\(orderId)' was already accepted with different content"
        case .stitchingNodeMismatch(
            let field, let expectedNodeId, let expectedSequenceId, let foundNodeId,
            let foundSequenceId):
            return "\(field) is '\(foundNodeId)' with sequenceId \(foundSequenceId); an update must start at the "
                + "last base node '\(expectedNodeId)' with sequenceId \(expectedSequenceId)"
        case .stitchingNodeChanged(let field):
            return "\(field) is the stitching node but its content differs from the previous order's; "
                + "it must be resent unchanged"
        case .newOrderWithNonZeroUpdateId(let orderId, let orderUpdateId):
            return "orderUpdateId is \(orderUpdateId) for the new order '\(orderId)'; a new order starts at 0"
        }
    }
}
