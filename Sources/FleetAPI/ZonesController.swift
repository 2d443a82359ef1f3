import FleetCore
import Hummingbird

/// `/v1/zones` and `/v1/estop`: zones with their people, holds, slowdowns and emergency stops (viewer); hold and
/// release a zone, stop and release a zone or the whole site (operator). Every command is journaled by the
/// coordinator with the token's name as actor (`zone_hold`, `zone_release`, `estop`, `estop_release`).
public struct ZonesController: Sendable {
    let operations: any FleetOperations

    /// Creates the controller.
    /// - Parameter operations: the daemon.
    public init(operations: any FleetOperations) {
        self.operations = operations
    }

    /// Adds the routes.
    /// - Parameter table: the route table.
    public func register(on table: APIRouteTable) {
        let operations = operations
        table.on(.get, "/v1/zones", role: .viewer) { _, _ in
            try .json(ZonesView(try await operations.snapshot().coordinator))
        }
        table.on(.get, "/v1/zones/{id}", role: .viewer) { _, context in
            let snapshot = try await operations.snapshot()
            return try .json(try Self.zone(try context.parameter("id"), in: snapshot.coordinator))
        }
        let commands: [(String, @Sendable (String) -> ZoneCommand)] = [
            ("hold", { .hold(zone: $0) }), ("release", { .release(zone: $0) }),
            ("estop", { .emergencyStop(zone: $0) }), ("estop/release", { .releaseEmergencyStop(zone: $0) }),
        ]
        for (verb, command) in commands {
            table.on(.post, "/v1/zones/{id}/\(verb)", role: .operator) { _, context in
                let caller = try context.require(.operator)
                let id = try context.parameter("id")
                _ = try Self.zone(id, in: try await operations.snapshot().coordinator)
                try await operations.zoneCommand(command(id), actor: caller.name)
                return try .json(try Self.zone(id, in: try await operations.snapshot().coordinator))
            }
        }
        let siteCommands: [(String, ZoneCommand)] = [
            ("", .emergencyStop(zone: nil)), ("/release", .releaseEmergencyStop(zone: nil)),
        ]
        for (verb, command) in siteCommands {
            table.on(.post, "/v1/estop\(verb)", role: .operator) { _, context in
                let caller = try context.require(.operator)
                try await operations.zoneCommand(command, actor: caller.name)
                return try .json(ZonesView(try await operations.snapshot().coordinator))
            }
        }
    }

    /// The view of zone `id`.
    /// - Throws: ``OperationError/notFound(_:)`` naming the site's zones when there is no such zone.
    static func zone(_ id: String, in coordinator: Coordinator) throws(OperationError) -> ZoneView {
        let statuses = coordinator.zoneStatuses
        guard let status = statuses.first(where: { $0.zone.id == id }) else {
            let known = statuses.map(\.zone.id).joined(separator: ", ")
            throw .notFound(
                "no zone '\(id)' at site \(coordinator.layout.siteId) (zones: \(known.isEmpty ? "none" : known)); "
                    + "GET /v1/zones lists them")
        }
        return ZoneView(status, layout: coordinator.layout)
    }
}

/// `GET /v1/zones`: the site's emergency stop and every zone.
public struct ZonesView: ResponseCodable, Sendable, Hashable {
    /// The operator who stopped the whole site, `null` when it is not stopped.
    public var siteEmergencyStop: String?
    /// The zones, in site-layout order.
    public var zones: [ZoneView]

    /// The view of the coordinator's zones.
    /// - Parameter coordinator: the coordinator.
    public init(_ coordinator: Coordinator) {
        siteEmergencyStop = coordinator.siteEmergencyStop
        zones = coordinator.zoneStatuses.map { ZoneView($0, layout: coordinator.layout) }
    }
}

/// One zone as the API shows it (`GET /v1/zones/{id}`).
public struct ZoneView: ResponseCodable, Sendable, Hashable {
    /// Zone id.
    public var id: String
    /// `humanWork`, `restricted`, `slow` or `logical`.
    public var kind: String
    /// `clear`, `slowed` (people in a `slowdown` zone), `held` (by people or an operator) or `stopped` (emergency
    /// stop of the zone).
    public var state: String
    /// The zone's presence policy: `slowdown`, `hold`, or `null`.
    public var presencePolicy: String?
    /// The speed of a `slowdown` policy (m/s).
    public var presenceSpeed: Double?
    /// The zone's static speed limit (m/s), if any.
    public var speedLimit: Double?
    /// People inside the zone.
    public var people: [String]
    /// Who holds the zone: the stopping operator, else the holding operator, else `presence`; `null` when not held.
    public var heldBy: String?
    /// The operator holding the zone, if any.
    public var operatorHold: String?
    /// The operator who stopped the zone, if any.
    public var emergencyStop: String?
    /// The speed new orders get in the zone while it is slowed (m/s), else `null`.
    public var slowdownSpeed: Double?
    /// Robots the coordinator paused for this zone.
    public var pausedRobots: [String]
    /// The nodes inside the zone.
    public var nodes: [String]
    /// The polygon (`[[x, y], ...]` on `mapId`) of a polygon zone.
    public var polygon: [[Double]]?
    /// The map of a polygon zone.
    public var mapId: String?

    /// The view of a zone's status.
    /// - Parameters:
    ///   - status: the coordinator's zone status.
    ///   - layout: the site layout (for the zone's nodes).
    public init(_ status: ZoneStatus, layout: SiteLayout) {
        let zone = status.zone
        id = zone.id
        kind = zone.kind.rawValue
        state =
            status.emergencyStop != nil
            ? "stopped" : status.isHeld ? "held" : status.slowdownSpeed != nil ? "slowed" : "clear"
        presencePolicy = zone.presence?.name
        if case .slowdown(let speed) = zone.presence { presenceSpeed = speed }
        speedLimit = zone.speedLimit
        people = status.people.map(\.rawValue)
        heldBy = status.heldBy
        operatorHold = status.operatorHold
        emergencyStop = status.emergencyStop
        slowdownSpeed = status.slowdownSpeed
        pausedRobots = status.pausedRobots.map(\.description)
        nodes = layout.nodes.filter(zone.contains).map(\.id)
        if case .polygon(let map, let vertices) = zone.area {
            polygon = vertices.map { [$0.x, $0.y] }
            mapId = map
        }
    }
}
