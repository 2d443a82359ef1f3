import FleetCore
import Foundation
import Yams

/// Loads a site layout from YAML, with errors that name the file, the line and the field.
///
/// Format (all lengths in metres, speeds in m/s, angles in radians):
///
/// ```yaml
/// site: factory-hall          # required: the site id
/// mapId: hall-1               # required: default map of every node
/// nodes:                      # required, at least one
///   - {id: N01, x: 0, y: 0}   # optional: mapId (overrides the default), theta
/// edges:
///   - {id: E01, from: N01, to: N02, bidirectional: true}   # optional: length (default: straight line),
///                                                           # maxSpeed, bidirectional (default false)
/// stations:                   # kind: pick | drop | lineSide | kitting | dock | storage | room | nurseStation |
///                             #   pharmacy | commonRoom | waypoint
///   - {id: LS01, node: N05, kind: lineSide}
/// chargers:
///   - {id: CH1, node: N40, capacity: 1}                     # capacity defaults to 1
/// parking:
///   - {id: P1, node: N41}
/// zones:                      # kind: humanWork | restricted | slow | logical; speedLimit optional
///   - {id: Z1, kind: humanWork, speedLimit: 0.5, polygon: [[0, 0], [10, 0], [10, 5]]}  # on mapId (or the default)
///   - {id: Z3, kind: humanWork, presence: slowdown, presenceSpeed: 0.3, nodes: [N05]}  # or presence: hold | none
///   - {id: Z2, kind: logical, nodes: [N01, N02]}
/// ```
///
/// Unknown keys are errors (typos should not pass silently). After parsing, the layout is validated by
/// ``SiteLayout`` (unknown node references, duplicate ids, unreachable stations, ...); those problems are
/// reported at the line of the offending entry. The same format is described in `Configs/sites/README.md`.
public struct SiteLayoutLoader: Sendable {
    /// Creates a loader.
    public init() {}

    /// Loads and validates the layout in the file at `path`.
    /// - Throws: ``ConfigError`` naming the file, and the line and field where known.
    public func load(path: String) throws(ConfigError) -> SiteLayout {
        let text = try ConfigFile.read(path)
        return try load(yaml: text, file: path)
    }

    /// Loads and validates a layout from YAML text; `file` is the name used in errors.
    /// - Throws: ``ConfigError`` naming the file, and the line and field where known.
    public func load(yaml: String, file: String) throws(ConfigError) -> SiteLayout {
        let r = YAMLNodeReader(file: file)
        let root = try r.compose(yaml)
        let top = try r.mapping(
            root, "", allowed: ["site", "mapId", "nodes", "edges", "stations", "chargers", "parking", "zones"])
        let siteId = try r.string(top, "site", "", at: root)
        let defaultMap = try r.string(top, "mapId", "", at: root)
        var lines = ItemLines()
        let nodeItems = try r.sequence(top, "nodes", "nodes")
        if nodeItems.isEmpty {
            throw r.invalid(YAMLNodeReader.lookup(top, "nodes") ?? root, "nodes", "at least one node is required")
        }
        var nodes: [SiteNode] = []
        for (i, item) in nodeItems.enumerated() {
            let f = "nodes[\(i)]"
            let m = try r.mapping(item, f, allowed: ["id", "x", "y", "mapId", "theta"])
            let node = SiteNode(
                id: try r.string(m, "id", f, at: item), x: try r.double(m, "x", f, at: item),
                y: try r.double(m, "y", f, at: item), mapId: try r.optionalString(m, "mapId", f) ?? defaultMap,
                theta: try r.optionalDouble(m, "theta", f))
            if let theta = node.theta, !(-Double.pi...Double.pi).contains(theta) {
                // VDA 5050 allows [-π, π]; an order carrying another angle is refused by the order validator.
                throw r.invalid(
                    YAMLNodeReader.lookup(m, "theta"), "\(f).theta", "\(theta) is not an angle in [-π, π] radians")
            }
            lines.note(.node, node.id, item, f, m, refs: [])
            nodes.append(node)
        }
        var edges: [EdgeSpec] = []
        for (i, item) in try r.sequence(top, "edges", "edges").enumerated() {
            let f = "edges[\(i)]"
            let m = try r.mapping(item, f, allowed: ["id", "from", "to", "length", "maxSpeed", "bidirectional"])
            let edge = EdgeSpec(
                id: try r.string(m, "id", f, at: item), from: try r.string(m, "from", f, at: item),
                to: try r.string(m, "to", f, at: item), length: try r.optionalDouble(m, "length", f),
                maxSpeed: try r.optionalDouble(m, "maxSpeed", f),
                bidirectional: try r.optionalBool(m, "bidirectional", f) ?? false)
            lines.note(.edge, edge.id, item, f, m, refs: ["from", "to"])
            if edge.bidirectional { lines.note(.edge, edge.id + "~rev", item, f, m, refs: ["from", "to"]) }
            edges.append(edge)
        }
        var stations: [Station] = []
        for (i, item) in try r.sequence(top, "stations", "stations").enumerated() {
            let f = "stations[\(i)]"
            let m = try r.mapping(item, f, allowed: ["id", "node", "kind"])
            let station = Station(
                id: try r.string(m, "id", f, at: item), node: try r.string(m, "node", f, at: item),
                kind: try r.choice(m, "kind", f, at: item))
            lines.note(.station, station.id, item, f, m, refs: ["node"])
            stations.append(station)
        }
        var chargers: [Charger] = []
        for (i, item) in try r.sequence(top, "chargers", "chargers").enumerated() {
            let f = "chargers[\(i)]"
            let m = try r.mapping(item, f, allowed: ["id", "node", "capacity"])
            let charger = Charger(
                id: try r.string(m, "id", f, at: item), node: try r.string(m, "node", f, at: item),
                capacity: try r.optionalInt(m, "capacity", f) ?? 1)
            lines.note(.charger, charger.id, item, f, m, refs: ["node"])
            chargers.append(charger)
        }
        var parking: [ParkingSpot] = []
        for (i, item) in try r.sequence(top, "parking", "parking").enumerated() {
            let f = "parking[\(i)]"
            let m = try r.mapping(item, f, allowed: ["id", "node"])
            let spot = ParkingSpot(id: try r.string(m, "id", f, at: item), node: try r.string(m, "node", f, at: item))
            lines.note(.parkingSpot, spot.id, item, f, m, refs: ["node"])
            parking.append(spot)
        }
        var zones: [Zone] = []
        for (i, item) in try r.sequence(top, "zones", "zones").enumerated() {
            let zone = try zone(item, field: "zones[\(i)]", defaultMap: defaultMap, reader: r, lines: &lines)
            zones.append(zone)
        }
        do {
            return try SiteLayout(
                siteId: siteId, nodes: nodes, edges: edges, stations: stations, chargers: chargers,
                parkingSpots: parking, zones: zones)
        } catch {
            throw lines.configError(for: error, file: file)
        }
    }

    private func zone(
        _ item: Node, field f: String, defaultMap: String, reader r: YAMLNodeReader, lines: inout ItemLines
    ) throws(ConfigError) -> Zone {
        let m = try r.mapping(
            item, f, allowed: ["id", "kind", "speedLimit", "polygon", "nodes", "mapId", "presence", "presenceSpeed"])
        let id = try r.string(m, "id", f, at: item)
        let kind: ZoneKind = try r.choice(m, "kind", f, at: item)
        let presence = try presencePolicy(m, field: f, at: item, reader: r)
        let area: ZoneArea
        switch (YAMLNodeReader.lookup(m, "polygon"), YAMLNodeReader.lookup(m, "nodes")) {
        case (_?, nil):
            var vertices: [SitePoint] = []
            for (j, vertex) in try r.sequence(m, "polygon", "\(f).polygon").enumerated() {
                let vf = "\(f).polygon[\(j)]"
                guard let pair = vertex.sequence, pair.count == 2 else {
                    throw r.invalid(vertex, vf, "expected a point [x, y], got \(r.kind(of: vertex))")
                }
                vertices.append(SitePoint(x: try r.double(pair[0], vf + "[0]"), y: try r.double(pair[1], vf + "[1]")))
            }
            area = .polygon(mapId: try r.optionalString(m, "mapId", f) ?? defaultMap, vertices: vertices)
        case (nil, _?):
            var ids: Set<NodeID> = []
            for (j, node) in try r.sequence(m, "nodes", "\(f).nodes").enumerated() {
                ids.insert(try r.string(node, "\(f).nodes[\(j)]"))
            }
            area = .nodes(ids)
        default:
            throw r.invalid(item, f, "a zone needs exactly one of 'polygon' or 'nodes'")
        }
        lines.note(.zone, id, item, f, m, refs: ["nodes"])
        return Zone(
            id: id, kind: kind, area: area, speedLimit: try r.optionalDouble(m, "speedLimit", f), presence: presence)
    }

    /// `presence: slowdown` (which needs `presenceSpeed`), `presence: hold`, `presence: none` or no key.
    private func presencePolicy(
        _ m: Node.Mapping, field f: String, at item: Node, reader r: YAMLNodeReader
    ) throws(ConfigError) -> ZonePresencePolicy? {
        let speed = try r.optionalDouble(m, "presenceSpeed", f)
        let choice: PresenceChoice =
            YAMLNodeReader.lookup(m, "presence") == nil ? .none : try r.choice(m, "presence", f, at: item)
        switch choice {
        case .slowdown:
            guard let speed else {
                throw r.invalid(
                    YAMLNodeReader.lookup(m, "presence"), "\(f).presenceSpeed",
                    "presence 'slowdown' needs presenceSpeed (m/s, > 0)")
            }
            return .slowdown(speed: speed)
        case .hold, .none:
            if speed != nil {
                throw r.invalid(
                    YAMLNodeReader.lookup(m, "presenceSpeed"), "\(f).presenceSpeed",
                    "presenceSpeed applies only to presence 'slowdown', not '\(choice.rawValue)'")
            }
            return choice == .hold ? .hold : nil
        }
    }
}

/// The values of a zone's `presence` key.
private enum PresenceChoice: String, CaseIterable {
    case slowdown, hold, none
}
