import FleetAPI
import FleetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization

/// ``FleetOperations`` over a bare coordinator on a tiny site, with a journal kept in memory and fed to the hub:
/// what the router tests run against.
final class FakeFleet: FleetOperations {
    /// `A(0,0) - B(10,0) - C(20,0)`, stations PICK at A and DROP at C; zone CELL (node C, `presence: hold`) and zone
    /// AISLE (a polygon around all three nodes, `presence: slowdown` at 0.3 m/s).
    static let layout: SiteLayout = try! SiteLayout(
        siteId: "test",
        nodes: [
            SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "C", x: 20, y: 0, mapId: "m"),
        ],
        edges: [
            EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true),
            EdgeSpec(id: "BC", from: "B", to: "C", bidirectional: true),
        ],
        stations: [Station(id: "PICK", node: "A", kind: .pick), Station(id: "DROP", node: "C", kind: .drop)],
        zones: [
            Zone(id: "CELL", kind: .humanWork, area: .nodes(["C"]), presence: .hold),
            Zone(
                id: "AISLE", kind: .slow,
                area: .polygon(
                    mapId: "m",
                    vertices: [
                        SitePoint(x: -1, y: -1), SitePoint(x: 21, y: -1), SitePoint(x: 21, y: 1),
                        SitePoint(x: -1, y: 1),
                    ]),
                presence: .slowdown(speed: 0.3)),
        ])
    /// Seen and idle at B.
    static let robot1 = RobotID(manufacturer: "acme", serialNumber: "AMR-1")
    /// Registered, never seen.
    static let robot2 = RobotID(manufacturer: "acme", serialNumber: "AMR-2")

    struct State {
        var coordinator = Coordinator(layout: FakeFleet.layout)
        var now = FleetTime(milliseconds: 1_764_400_000_000)
        var records: [JournalRecord] = []
        var commands: [(robot: RobotID, paused: Bool, actor: String)] = []
        var confirmations: [(task: TaskID, person: String, actor: String)] = []
        var pauses: [(robot: RobotID, paused: Bool)] = []
        var ready = true
    }

    let state = Mutex(State())
    let hub: EventHub

    init(hub: EventHub) {
        self.hub = hub
        let profile = RobotProfile(type: "AMR", capabilities: [], maxPayloadKg: 100, maxSpeed: 1)
        handle(.robotRegistered(Self.robot1, profile))
        handle(.robotRegistered(Self.robot2, profile))
        handle(
            .robotObserved(
                Self.robot1, RobotObservation(position: SitePoint(x: 10, y: 0), mapId: "m", lastNodeId: "B")))
    }

    /// Runs an event through the coordinator, journals its records and publishes them to the hub.
    func handle(_ event: FleetEvent) {
        let lines: [FleetEventLine] = state.withLock { state in
            Self.append(state.coordinator.handle(event, now: state.now), to: &state)
        }
        hub.publish(lines)
    }

    /// Journals the records among `directives`, notes the pauses the coordinator sends, and returns the event lines.
    private static func append(_ directives: [Directive], to state: inout State) -> [FleetEventLine] {
        var lines: [FleetEventLine] = []
        for case .setPaused(let robot, let paused) in directives { state.pauses.append((robot, paused)) }
        for case .journal(let record) in directives {
            state.records.append(record)
            let payload = String(decoding: try! JSONEncoder().encode(record), as: UTF8.self)
            lines.append(
                FleetEventLine(
                    sequence: Int64(state.records.count), time: record.time, kind: record.event.kind,
                    taskID: record.event.task?.rawValue, robotID: nil, payload: payload))
        }
        return lines
    }

    var records: [JournalRecord] { state.withLock { $0.records } }
    var commands: [(robot: RobotID, paused: Bool, actor: String)] { state.withLock { $0.commands } }
    var confirmations: [(task: TaskID, person: String, actor: String)] { state.withLock { $0.confirmations } }

    func snapshot() async throws(OperationError) -> FleetSnapshot {
        state.withLock { FleetSnapshot(coordinator: $0.coordinator, now: $0.now) }
    }

    func submit(_ request: TaskRequest) async throws(OperationError) -> TransportTask? {
        handle(.taskRequested(request))
        return state.withLock { $0.coordinator.tasks[request.id] }
    }

    func cancel(_ id: TaskID, actor: String, reason: String) async throws(OperationError) -> TransportTask {
        guard let task = state.withLock({ $0.coordinator.tasks[id] }) else { throw .notFound("no task '\(id)'") }
        guard !task.state.isTerminal else { throw .conflict("task '\(id)' is already \(task.state.rawValue)") }
        handle(.taskCancelRequested(id, .operatorRequest, detail: "cancelled by '\(actor)': \(reason)"))
        return state.withLock { $0.coordinator.tasks[id]! }
    }

    func confirm(_ id: TaskID, person: String, actor: String) async throws(OperationError) -> TransportTask {
        guard state.withLock({ $0.coordinator.tasks[id] }) != nil else { throw .notFound("no task '\(id)'") }
        handle(.taskConfirmed(id, person: person, actor: actor))
        state.withLock { $0.confirmations.append((id, person, actor)) }
        return state.withLock { $0.coordinator.tasks[id]! }
    }

    func setPaused(_ robot: RobotID, paused: Bool, actor: String) async throws(OperationError) {
        let lines = state.withLock { state in
            state.commands.append((robot, paused, actor))
            let record = JournalRecord(time: state.now, event: .pause(robot: robot, paused: paused, actor: actor))
            return Self.append([.journal(record)], to: &state)
        }
        hub.publish(lines)
    }

    func setMaintenance(_ robot: RobotID, active: Bool, actor: String, reason: String) async throws(OperationError) {
        guard state.withLock({ $0.coordinator.robots[robot] }) != nil else { throw .notFound("no robot '\(robot)'") }
        handle(.robotMaintenance(robot, active: active, actor: actor, reason: reason))
    }

    /// `startPause`/`stopPause` directives the coordinator gave (zone holds and stops).
    var pauses: [(robot: RobotID, paused: Bool)] { state.withLock { $0.pauses } }

    func zoneCommand(_ command: ZoneCommand, actor: String) async throws(OperationError) {
        if let refusal = state.withLock({ $0.coordinator.zoneCommandRefusal(command, actor: actor) }) {
            throw .conflict(refusal)
        }
        handle(.zoneCommand(command, actor: actor))
    }

    var isReady: Bool { state.withLock { $0.ready } }

    var traffic: TrafficCounters {
        var counters = TrafficCounters()
        counters.mqttIn = 7
        counters.mqttInvalid = 2
        return counters
    }
}

/// The tokens every test uses.
enum Tokens {
    static let viewer = APIToken(name: "wall-screen", role: .viewer, secret: "viewer-secret-0123456789")
    static let `operator` = APIToken(name: "shift-lead", role: .operator, secret: "operator-secret-0123456789")
    static let admin = APIToken(name: "site-admin", role: .admin, secret: "admin-secret-0123456789")

    /// `Authorization: Bearer <secret>`.
    static func header(_ token: APIToken?) -> HTTPFields {
        guard let token else { return [:] }
        return [.authorization: "Bearer \(token.secret)"]
    }
}

/// Builds the API over a fresh ``FakeFleet`` and runs `body` with the router test client.
func withAPI(_ body: @Sendable (any TestClientProtocol, FakeFleet) async throws -> Void) async throws {
    let metrics = APIMetrics()
    let hub = EventHub(metrics: metrics)
    let fleet = FakeFleet(hub: hub)
    let api = OperatorAPI(
        configuration: .init(tokens: [Tokens.viewer, Tokens.operator, Tokens.admin]), operations: fleet,
        metrics: metrics, hub: hub)
    try await api.buildApplication(logger: .init(label: "test")).test(.router) { client in
        try await body(client, fleet)
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}
