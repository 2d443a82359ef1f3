import FleetConfig
import FleetCore
import Foundation

/// Every simulated person of a scenario (``SimPerson``, one per person of `scenario.people`), in the order of the
/// scenario's groups, with the routing of what fleetd sends them.
public struct SimPeople: Sendable {
    /// The people.
    public private(set) var people: [SimPerson]
    private let index: [PersonID: Int]
    /// Notifications for people fleet-sim does not simulate, or that were no notification, counted.
    public private(set) var strayNotifications = 0
    /// Calls and alerts raised and not yet seen resolved (a person arrived, or for a call its task completed or was
    /// cancelled) or refused, by id, with whether it is a call.
    public private(set) var open: [String: Bool] = [:]

    /// Creates the people of `scenario`.
    /// - Parameters:
    ///   - scenario: The scenario (its `people`, site and start).
    ///   - seed: The seed (the scenario's, or `--seed`).
    ///   - duration: Seconds of demand: residents make no calls and have no falls after it.
    public init(scenario: Scenario, seed: UInt64, duration: Double) {
        let map = SimWalkingMap(layout: scenario.site)
        var people: [SimPerson] = []
        for group in scenario.people {
            for i in 0..<max(0, group.count) {
                people.append(
                    SimPerson(group: group, index: i, seed: seed, start: scenario.start, until: duration, map: map))
            }
        }
        self.people = people
        var index: [PersonID: Int] = [:]
        for (i, person) in people.enumerated() where index[person.id] == nil { index[person.id] = i }
        self.index = index
    }

    /// Who assists and handovers of the demand can be for (``DemandGenerator``).
    public static func directory(of scenario: Scenario) -> [SimPersonEntry] {
        scenario.people.flatMap { group in
            group.personIDs.enumerated().map { i, id in
                SimPersonEntry(
                    id: id, role: group.role, home: group.homeStation(i), stations: group.stations,
                    shifts: group.shifts)
            }
        }
    }

    /// The person `id`, if simulated.
    public func person(_ id: PersonID) -> SimPerson? { index[id].map { people[$0] } }

    /// Whether no person owes fleetd an answer, an arrival or a confirmation, and every call and alert raised was
    /// seen resolved.
    public var isIdle: Bool { open.isEmpty && people.allSatisfy(\.isIdle) }

    /// Calls made so far.
    public var calls: Int { people.map(\.calls).reduce(0, +) }
    /// Falls so far.
    public var falls: Int { people.map(\.falls).reduce(0, +) }

    /// Everything due at or before `offset`, in time order (people in scenario order at equal times).
    public mutating func advance(to offset: Double) -> [SimPersonMessage] {
        var out: [SimPersonMessage] = []
        for i in people.indices { out += people[i].advance(to: offset) }
        for message in out {
            switch message.kind {
            case "call", "alert":
                if let id = Self.field(message, "id") { open[id] = message.kind == "call" }
            case "arrived":
                if let task = Self.field(message, "task") { open[task] = nil }
            default:
                break
            }
        }
        return out.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(
            \.element)
    }

    private static func field(_ message: SimPersonMessage, _ key: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(message.json.utf8)) as? [String: Any]
        return object?[key] as? String
    }

    /// Where the people on shift are at `offset` (see ``SimPerson/position(at:)``).
    public func positions(at offset: Double) -> [SitePoint] {
        people.compactMap { $0.position(at: offset) }
    }

    /// A message on `people/{id}/notify` for `person` at `offset`.
    public mutating func notify(_ person: String, payload: [UInt8], at offset: Double) {
        guard let i = index[PersonID(person)], people[i].notified(payload, at: offset) else {
            strayNotifications += 1
            return
        }
    }

    /// A robot finished its `assist` or `handover` action of `task` for `person` at `offset`.
    public mutating func robotWaiting(task: String, person: String, at offset: Double) {
        guard let i = index[PersonID(person)] else { return }
        people[i].robotWaiting(task: task, at: offset)
    }

    /// Task `task` is in `state` (from its status topic): a completed call is resolved, so nobody walks to it any
    /// more; a completed or cancelled call, or a refused call or alert, is no longer open.
    public mutating func taskStatus(_ task: String, state: String) {
        if let isCall = open[task], state == "rejected" || (isCall && (state == "completed" || state == "cancelled")) {
            open[task] = nil
        }
        guard state == "completed" else { return }
        for i in people.indices { people[i].taskEnded(task) }
    }
}
