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
    /// A resident's room (care home): calls, falls, medication and escorts start or end here.
    case room
    /// A nurse station (care home): the nurse on duty and the end of every escalation chain.
    case nurseStation
    /// A medication room or pharmacy (care home), where medication rounds are prepared.
    case pharmacy
    /// A day room, dining room or other common room (care home).
    case commonRoom
    /// A point robots pass on a patrol round (a corridor's end); no work is done there.
    case waypoint
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

/// What the coordinator does while people are in a zone (their presence reports put them at a node inside it).
public enum ZonePresencePolicy: Sendable, Hashable, Codable {
    /// Orders issued or updated while people are in the zone get at most `speed` m/s on every edge with an end
    /// inside it (orders already released keep their speeds: VDA 5050 cannot change a released edge).
    case slowdown(speed: Double)
    /// Robots inside the zone, or whose released route enters it, wait (VDA 5050 `startPause`) until it empties
    /// (`stopPause`); no new order sends a robot into it meanwhile.
    case hold

    /// `slowdown` or `hold`, as in the site file and the journal.
    public var name: String {
        switch self {
        case .slowdown: return "slowdown"
        case .hold: return "hold"
        }
    }
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
    /// What happens while people are in the zone; `nil` when their presence changes nothing.
    public var presence: ZonePresencePolicy?

    /// Creates a zone.
    public init(
        id: String, kind: ZoneKind, area: ZoneArea, speedLimit: Double? = nil, presence: ZonePresencePolicy? = nil
    ) {
        self.id = id
        self.kind = kind
        self.area = area
        self.speedLimit = speedLimit
        self.presence = presence
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
