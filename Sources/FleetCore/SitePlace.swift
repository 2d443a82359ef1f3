/// What a station is used for.
public enum StationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Goods are picked up here.
    case pick
    /// Goods are dropped off here.
    case drop
    /// A station beside a production line (both pick and drop).
    case lineSide
    /// A kitting station where parts are assembled into kits.
    case kitting
    /// A goods-in / goods-out dock.
    case dock
    /// A storage location (rack, supermarket).
    case storage
}

/// A station: a node where robots pick up or drop off loads.
public struct Station: Sendable, Hashable, Codable {
    /// Unique station id.
    public var id: StationID
    /// The node the robot stops at.
    public var node: NodeID
    /// What the station is for.
    public var kind: StationKind

    /// Creates a station.
    public init(id: StationID, node: NodeID, kind: StationKind) {
        self.id = id
        self.node = node
        self.kind = kind
    }
}

/// A charger at a node; `capacity` robots can charge there at once.
public struct Charger: Sendable, Hashable, Codable {
    /// Unique charger id.
    public var id: String
    /// The node the robot docks at.
    public var node: NodeID
    /// How many robots can charge at once (at least 1).
    public var capacity: Int

    /// Creates a charger.
    public init(id: String, node: NodeID, capacity: Int = 1) {
        self.id = id
        self.node = node
        self.capacity = capacity
    }
}

/// A parking spot where an idle robot can wait out of the way.
public struct ParkingSpot: Sendable, Hashable, Codable {
    /// Unique parking spot id.
    public var id: String
    /// The node of the spot.
    public var node: NodeID

    /// Creates a parking spot.
    public init(id: String, node: NodeID) {
        self.id = id
        self.node = node
    }
}

/// What a zone means for robots driving through it.
public enum ZoneKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// People work here; robots slow down and may be paused.
    case humanWork
    /// Robots must not enter.
    case restricted
    /// A speed-limited zone without people by design.
    case slow
    /// A zone used only to group nodes (e.g. for reports).
    case logical
}

/// The area a zone covers: a polygon on a map, or an explicit set of nodes.
public enum ZoneArea: Sendable, Hashable, Codable {
    /// A simple polygon (vertices in order) on the map `mapId`.
    case polygon(mapId: String, vertices: [SitePoint])
    /// The listed nodes.
    case nodes(Set<NodeID>)
}

/// A zone of the site, e.g. a human-work zone with a speed limit.
public struct Zone: Sendable, Hashable, Codable {
    /// Unique zone id.
    public var id: String
    /// What the zone means.
    public var kind: ZoneKind
    /// The area covered.
    public var area: ZoneArea
    /// Speed limit in m/s for edges touching the zone; `nil` when none.
    public var speedLimit: Double?

    /// Creates a zone.
    public init(id: String, kind: ZoneKind, area: ZoneArea, speedLimit: Double? = nil) {
        self.id = id
        self.kind = kind
        self.area = area
        self.speedLimit = speedLimit
    }

    /// Whether `node` lies in this zone (on the polygon's map and inside it, or listed).
    public func contains(_ node: SiteNode) -> Bool {
        switch area {
        case .nodes(let ids):
            return ids.contains(node.id)
        case .polygon(let mapId, let vertices):
            return mapId == node.mapId && Self.polygon(vertices, contains: node.position)
        }
    }

    // Even-odd ray casting; points exactly on the border may fall either way, which is fine for speed limits.
    static func polygon(_ vertices: [SitePoint], contains p: SitePoint) -> Bool {
        guard vertices.count >= 3 else { return false }
        var inside = false
        var j = vertices.count - 1
        for i in 0..<vertices.count {
            let a = vertices[i]
            let b = vertices[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
