import FleetCore
import Foundation
import Hummingbird

/// `/v1/people` (list with `role` / `present` filters and paging, get one) and `/v1/alerts` (residents' calls and
/// fall alerts not yet resolved, with where their escalation stands), all for viewers.
public struct PeopleController: Sendable {
    /// The most people one page returns.
    public static let maximumPageSize = 500
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
        table.on(.get, "/v1/people", role: .viewer) { request, _ in
            let query = request.uri.queryParameters
            var role: PersonRole?
            if let text = query["role"], !text.isEmpty {
                guard let chosen = PersonRole(rawValue: String(text)) else {
                    throw OperationError.invalid(
                        "query 'role': '\(text)' is not one of "
                            + PersonRole.allCases.map(\.rawValue).joined(separator: ", "))
                }
                role = chosen
            }
            var present: Bool?
            if let text = query["present"], !text.isEmpty {
                switch text {
                case "true": present = true
                case "false": present = false
                default: throw OperationError.invalid("query 'present': '\(text)' is not true or false")
                }
            }
            let limit = try TasksController.integer(
                query["limit"].map(String.init), name: "limit", default: 100, range: 1...Self.maximumPageSize)
            let offset = try TasksController.integer(
                query["offset"].map(String.init), name: "offset", default: 0, range: 0...Int.max)
            let snapshot = try await operations.snapshot()
            let people = snapshot.coordinator.people.values
                .filter { person in
                    (role.map { person.profile.role == $0 } ?? true) && (present.map { person.present == $0 } ?? true)
                }
                .sorted { $0.id < $1.id }
            let page = people.dropFirst(offset).prefix(limit).map { PersonView($0, in: snapshot) }
            return try .json(PersonPage(items: Array(page), total: people.count, offset: offset, limit: limit))
        }
        table.on(.get, "/v1/people/{id}", role: .viewer) { _, context in
            let id = PersonID(try context.parameter("id"))
            let snapshot = try await operations.snapshot()
            guard let person = snapshot.coordinator.people[id] else {
                throw OperationError.notFound(
                    "no person '\(id)' on the roster; GET /v1/people lists the people registered by the scenario "
                        + "or by a presence message with a 'role'")
            }
            return try .json(PersonView(person, in: snapshot))
        }
        table.on(.get, "/v1/alerts", role: .viewer) { _, _ in
            let snapshot = try await operations.snapshot()
            let open = snapshot.coordinator.escalations.values.filter { !$0.isResolved }
                .sorted { ($0.raisedAt, $0.task) < ($1.raisedAt, $1.task) }
            return try .json(open.map { AlertView($0, in: snapshot) })
        }
    }
}

/// A person as the API shows them (`GET /v1/people/{id}`).
public struct PersonView: ResponseCodable, Sendable, Hashable {
    /// A shift, ISO 8601 times.
    public struct Shift: Codable, Sendable, Hashable {
        /// When the shift begins.
        public var start: String
        /// When it ends (exclusive).
        public var end: String
    }

    /// A call or alert escalated to this person that is still open.
    public struct Notification: Codable, Sendable, Hashable {
        /// The task of the call or alert.
        public var task: String
        /// `call` or `fall`.
        public var alert: String
        /// The resident.
        public var resident: String
        /// Where.
        public var station: String
        /// The step of the chain this person was notified at.
        public var level: Int
        /// Whether this person acknowledged it (is on the way).
        public var acknowledged: Bool
    }

    /// Person id.
    public var id: String
    /// Role (`line_worker`, `team_lead`, `caregiver`, `nurse`, `resident`).
    public var role: String
    /// Skills, sorted.
    public var skills: [String]
    /// Shifts; empty means always on shift.
    public var shifts: [Shift]
    /// Whether the person is at the site and reachable.
    public var present: Bool
    /// Whether the person is on shift now (`nil` before the coordinator's clock started).
    public var onShift: Bool?
    /// The node of the last reported location, if known.
    public var node: String?
    /// The station of the last reported location, if it was a station.
    public var station: String?
    /// The position of that node on the site, if known (for the map).
    public var x: Double?
    /// The position of that node on the site, if known (for the map).
    public var y: Double?
    /// The map of that node, if known.
    public var map: String?
    /// When presence or location was last reported (ISO 8601, coordinator clock).
    public var lastSeen: String?
    /// Open calls and alerts this person was notified of last (waiting for their acknowledgement or arrival).
    public var notifications: [Notification]
    /// Unfinished assist and handover tasks that wait for this person's confirmation.
    public var confirmations: [String]

    /// The view of a person.
    /// - Parameters:
    ///   - person: the coordinator's person.
    ///   - snapshot: the snapshot it comes from.
    public init(_ person: PersonState, in snapshot: FleetSnapshot) {
        let coordinator = snapshot.coordinator
        id = person.id.rawValue
        role = person.profile.role.rawValue
        skills = person.profile.skills.sorted()
        shifts = person.profile.shifts.map { Shift(start: TaskView.iso8601($0.start), end: TaskView.iso8601($0.end)) }
        present = person.present
        onShift = snapshot.now.map { person.profile.isOnShift(at: $0) }
        let nodeID = person.location?.node(in: coordinator.layout)
        node = nodeID
        if case .station(let id) = person.location { station = id }
        let site = nodeID.flatMap { coordinator.layout.node($0) }
        x = site?.position.x
        y = site?.position.y
        map = site?.mapId
        lastSeen = person.lastSeen.map(TaskView.iso8601)
        notifications = coordinator.escalations.values
            .filter { !$0.isResolved && $0.current == person.id }
            .sorted { ($0.raisedAt, $0.task) < ($1.raisedAt, $1.task) }
            .map { escalation in
                Notification(
                    task: escalation.task.rawValue, alert: escalation.alert.rawValue,
                    resident: escalation.resident.rawValue, station: escalation.station, level: escalation.level,
                    acknowledged: escalation.acknowledgedBy == person.id)
            }
        confirmations = coordinator.tasks.values
            .filter { task in
                !task.state.isTerminal && task.request.kind.needsConfirmation
                    && task.request.person == person.id.rawValue
            }
            .map(\.id.rawValue).sorted()
    }
}

/// One page of people (`GET /v1/people`).
public struct PersonPage: ResponseCodable, Sendable, Hashable {
    /// The people on this page, by id.
    public var items: [PersonView]
    /// How many people match the filter in total.
    public var total: Int
    /// The offset of the first item.
    public var offset: Int
    /// The page size asked for.
    public var limit: Int
}

/// A resident's call or fall alert that is not resolved yet (`GET /v1/alerts`).
public struct AlertView: ResponseCodable, Sendable, Hashable {
    /// The task of the call or alert.
    public var task: String
    /// `call` or `fall`.
    public var alert: String
    /// The resident.
    public var resident: String
    /// Where.
    public var station: String
    /// When it came in (ISO 8601, coordinator clock).
    public var raisedAt: String
    /// When the fall was detected (fall alerts).
    public var detectedAt: String?
    /// The escalation step: 0 while only a robot is on it, then 1, 2, ... for each person notified.
    public var level: Int
    /// Everyone notified so far, in order.
    public var notified: [String]
    /// The person notified last (who is expected to answer now).
    public var current: String?
    /// Who acknowledged the current step, if anyone.
    public var acknowledgedBy: String?
    /// When they acknowledged (ISO 8601).
    public var acknowledgedAt: String?
    /// People who declined.
    public var declined: [String]
    /// The state of the robot's task for the call or alert, if it has one.
    public var taskState: String?
    /// The robot bound to that task, if any.
    public var robot: String?

    /// The view of an escalation.
    /// - Parameters:
    ///   - escalation: the coordinator's escalation.
    ///   - snapshot: the snapshot it comes from.
    public init(_ escalation: Escalation, in snapshot: FleetSnapshot) {
        let task = snapshot.coordinator.tasks[escalation.task]
        self.task = escalation.task.rawValue
        alert = escalation.alert.rawValue
        resident = escalation.resident.rawValue
        station = escalation.station
        raisedAt = TaskView.iso8601(escalation.raisedAt)
        detectedAt = escalation.detectedAt.map(TaskView.iso8601)
        level = escalation.level
        notified = escalation.notified.map(\.rawValue)
        current = escalation.current?.rawValue
        acknowledgedBy = escalation.acknowledgedBy?.rawValue
        acknowledgedAt = escalation.acknowledgedAt.map(TaskView.iso8601)
        declined = escalation.declined.map(\.rawValue).sorted()
        taskState = task?.state.rawValue
        robot = task?.robot?.description
    }
}
