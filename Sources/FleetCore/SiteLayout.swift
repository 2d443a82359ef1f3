/// The validated graph of a site: nodes and directed edges, stations, chargers, parking spots and zones.
///
/// Created only through ``init(siteId:nodes:edges:stations:chargers:parkingSpots:zones:)``, which validates
/// everything and reports every problem at once, so a `SiteLayout` value is always consistent.
public struct SiteLayout: Sendable {
    /// The site's id (used in topics and reports).
    public let siteId: String
    /// Nodes in input order.
    public let nodes: [SiteNode]
    /// Directed edges (bidirectional specifications expanded), in input order.
    public let edges: [SiteEdge]
    /// Stations in input order.
    public let stations: [Station]
    /// Chargers in input order.
    public let chargers: [Charger]
    /// Parking spots in input order.
    public let parkingSpots: [ParkingSpot]
    /// Zones in input order.
    public let zones: [Zone]

    let nodeIndex: [NodeID: Int]
    let edgeIndex: [EdgeID: Int]
    let stationIndex: [StationID: Int]
    /// Outgoing directed edge indices per node index.
    let outgoing: [[Int]]

    /// Validates and creates a layout.
    /// - Parameters:
    ///   - siteId: the site's id.
    ///   - nodes: the graph's nodes.
    ///   - edges: edge specifications; lengths default to the straight-line distance, bidirectional edges
    ///     become two directed edges (`id` and `id~rev`).
    ///   - stations: stations, each at a node.
    ///   - chargers: chargers, each at a node.
    ///   - parkingSpots: parking spots, each at a node.
    ///   - zones: zones; a zone's speed limit applies to every edge with an end inside it.
    /// - Throws: ``SiteLayoutError`` listing every problem (unknown nodes, duplicate ids, non-finite
    ///   coordinates, negative lengths, unreachable stations, ...).
    public init(
        siteId: String, nodes: [SiteNode], edges: [EdgeSpec], stations: [Station] = [], chargers: [Charger] = [],
        parkingSpots: [ParkingSpot] = [], zones: [Zone] = []
    ) throws(SiteLayoutError) {
        var problems: [SiteLayoutProblem] = []
        let nodeIndex = Self.index(nodes.map(\.id), kind: .node, problems: &problems)
        if nodes.isEmpty { problems.append(.empty) }
        for node in nodes where !(node.position.x.isFinite && node.position.y.isFinite && node.theta?.isFinite ?? true)
        {
            problems.append(.nonFiniteCoordinate(node: node.id))
        }
        Self.checkZones(zones, nodeIndex: nodeIndex, problems: &problems)
        let expanded = Self.expand(edges, nodes: nodes, nodeIndex: nodeIndex, zones: zones, problems: &problems)
        let edgeIndex = Self.index(expanded.map(\.id), kind: .edge, problems: &problems)
        let stationIndex = Self.index(stations.map(\.id), kind: .station, problems: &problems)
        _ = Self.index(chargers.map(\.id), kind: .charger, problems: &problems)
        _ = Self.index(parkingSpots.map(\.id), kind: .parkingSpot, problems: &problems)
        var places: [(SiteItemKind, String, NodeID)] = stations.map { (.station, $0.id, $0.node) }
        places += chargers.map { (.charger, $0.id, $0.node) }
        places += parkingSpots.map { (.parkingSpot, $0.id, $0.node) }
        for (kind, id, node) in places where nodeIndex[node] == nil {
            problems.append(.unknownNode(kind, id, node: node))
        }
        for charger in chargers where charger.capacity < 1 {
            problems.append(.invalidCapacity(charger: charger.id, capacity: charger.capacity))
        }
        var outgoing = Array(repeating: [Int](), count: nodes.count)
        for (i, edge) in expanded.enumerated() {
            if let from = nodeIndex[edge.from], nodeIndex[edge.to] != nil { outgoing[from].append(i) }
        }
        if problems.isEmpty, let reference = stations.first {
            Self.checkReachability(
                places, reference: reference, nodeIndex: nodeIndex, edges: expanded, outgoing: outgoing,
                problems: &problems)
        }
        guard problems.isEmpty else { throw SiteLayoutError(problems: problems) }
        self.siteId = siteId
        self.nodes = nodes
        self.edges = expanded
        self.stations = stations
        self.chargers = chargers
        self.parkingSpots = parkingSpots
        self.zones = zones
        self.nodeIndex = nodeIndex
        self.edgeIndex = edgeIndex
        self.stationIndex = stationIndex
        self.outgoing = outgoing
    }

    /// The node with id `id`, if any.
    public func node(_ id: NodeID) -> SiteNode? { nodeIndex[id].map { nodes[$0] } }

    /// The directed edge with id `id`, if any.
    public func edge(_ id: EdgeID) -> SiteEdge? { edgeIndex[id].map { edges[$0] } }

    /// The station with id `id`, if any.
    public func station(_ id: StationID) -> Station? { stationIndex[id].map { stations[$0] } }

    /// The node on `mapId` closest to `point` (ties broken by input order), or `nil` if the map has no nodes.
    public func nearestNode(to point: SitePoint, mapId: String) -> SiteNode? {
        var best: (SiteNode, Double)?
        for node in nodes where node.mapId == mapId {
            let d = node.position.distance(to: point)
            if best == nil || d < best!.1 { best = (node, d) }
        }
        return best?.0
    }

    /// The map ids used by the layout's nodes, sorted.
    public var mapIds: [String] { Array(Set(nodes.map(\.mapId))).sorted() }
}
