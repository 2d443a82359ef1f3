/// The kind of layout item a validation problem is about; used to point at the offending entry.
public enum SiteItemKind: String, Sendable, Hashable, Codable {
    /// A node.
    case node
    /// An edge.
    case edge
    /// A station.
    case station
    /// A charger.
    case charger
    /// A parking spot.
    case parkingSpot = "parking spot"
    /// A zone.
    case zone
    /// The layout as a whole.
    case layout
}

/// One thing wrong with a site layout. Each case names the item so a person can find and fix it.
public enum SiteLayoutProblem: Sendable, Hashable, CustomStringConvertible {
    /// Two items of the same kind share an id (for edges: after bidirectional expansion).
    case duplicateID(SiteItemKind, String)
    /// An item refers to a node the layout does not define.
    case unknownNode(SiteItemKind, String, node: NodeID)
    /// A node coordinate or orientation is NaN or infinite.
    case nonFiniteCoordinate(node: NodeID)
    /// An edge length is negative or not finite.
    case invalidLength(edge: EdgeID, length: Double)
    /// A speed limit is zero, negative or not finite.
    case invalidSpeed(SiteItemKind, String, speed: Double)
    /// A zone's `slowdown` presence speed is zero, negative or not finite.
    case invalidPresenceSpeed(zone: String, speed: Double)
    /// A charger capacity below 1.
    case invalidCapacity(charger: String, capacity: Int)
    /// A polygon zone with fewer than three vertices or non-finite vertices.
    case degenerateZone(zone: String)
    /// A station, charger or parking spot cannot be reached from, or cannot reach, the reference station.
    case unreachable(SiteItemKind, String, node: NodeID, reference: String)
    /// The layout has no nodes.
    case empty

    /// The item the problem is about (kind and id), used by loaders to find the line.
    public var subject: (kind: SiteItemKind, id: String) {
        switch self {
        case .duplicateID(let kind, let id), .unknownNode(let kind, let id, _), .invalidSpeed(let kind, let id, _),
            .unreachable(let kind, let id, _, _):
            return (kind, id)
        case .nonFiniteCoordinate(let node): return (.node, node)
        case .invalidLength(let edge, _): return (.edge, edge)
        case .invalidCapacity(let charger, _): return (.charger, charger)
        case .degenerateZone(let zone), .invalidPresenceSpeed(let zone, _): return (.zone, zone)
        case .empty: return (.layout, "")
        }
    }

    /// A message naming the item, e.g. `edge 'E7' references unknown node 'N99'`.
    public var description: String {
        switch self {
        case .duplicateID(let kind, let id):
            return "\(kind.rawValue) id '\(id)' is used more than once"
        case .unknownNode(let kind, let id, let node):
            return "\(kind.rawValue) '\(id)' references unknown node '\(node)'"
        case .nonFiniteCoordinate(let node):
            return "node '\(node)' has a coordinate that is not a finite number"
        case .invalidLength(let edge, let length):
            return "edge '\(edge)' has invalid length \(length) (must be a finite number >= 0)"
        case .invalidSpeed(let kind, let id, let speed):
            return "\(kind.rawValue) '\(id)' has invalid speed limit \(speed) (must be a finite number > 0)"
        case .invalidPresenceSpeed(let zone, let speed):
            return "zone '\(zone)' has invalid presence speed \(speed) (must be a finite number > 0)"
        case .invalidCapacity(let charger, let capacity):
            return "charger '\(charger)' has capacity \(capacity) (must be at least 1)"
        case .degenerateZone(let zone):
            return "zone '\(zone)' needs a polygon of at least 3 finite vertices"
        case .unreachable(let kind, let id, let node, let reference):
            return "\(kind.rawValue) '\(id)' at node '\(node)' is not reachable both ways from station '\(reference)'"
        case .empty:
            return "the layout defines no nodes"
        }
    }

    /// Problems compare by their message.
    public static func == (lhs: SiteLayoutProblem, rhs: SiteLayoutProblem) -> Bool {
        lhs.description == rhs.description
    }

    /// Hashes the message.
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

/// A site layout failed validation; `problems` lists every problem found, in input order.
public struct SiteLayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem found.
    public var problems: [SiteLayoutProblem]

    /// Creates the error.
    public init(problems: [SiteLayoutProblem]) {
        self.problems = problems
    }

    /// All problems, one per line.
    public var description: String {
        "invalid site layout:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
