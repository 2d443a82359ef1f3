/// FleetPilot's own MQTT topics for one site, under `fleetpilot/v1/{site}/...`.
///
/// VDA 5050 topics (robots) are built by `VDA5050TopicName`; these are the coordinator's topics for
/// requesters, people's devices, the simulation clock and the event stream.
public struct FleetTopics: Sendable, Hashable {
    /// The site id, one topic level (no `/`, `+`, `#`).
    public let site: String

    /// Creates the topic set of `site`.
    public init(site: String) {
        self.site = site
    }

    /// `fleetpilot/v1/{site}`.
    public var root: String { "fleetpilot/v1/\(site)" }
    /// Task requests arrive here.
    public var taskRequest: String { "\(root)/tasks/request" }
    /// Task cancellations arrive here.
    public var taskCancel: String { "\(root)/tasks/cancel" }
    /// Every journal event is published here.
    public var events: String { "\(root)/events" }
    /// The simulation clock (published by fleet-sim, followed by `fleetd --clock sim`).
    public var clock: String { "\(root)/clock" }
    /// Simulator events (node conflicts, run progress).
    public var simEvents: String { "\(root)/sim/events" }
    /// The status topic of one task.
    public func taskStatus(_ taskId: String) -> String { "\(root)/tasks/\(taskId)/status" }
    /// A filter matching every task's status topic.
    public var taskStatusFilter: String { "\(root)/tasks/+/status" }
    /// Where a person confirms task `taskId` (assist, handover): `{"person":"carer-2"}`.
    public func taskConfirm(_ taskId: String) -> String { "\(root)/tasks/\(taskId)/confirm" }
    /// A filter matching every task's confirm topic.
    public var taskConfirmFilter: String { "\(root)/tasks/+/confirm" }

    /// The root of person `personId`'s topics: `fleetpilot/v1/{site}/people/{id}`.
    public func person(_ personId: String) -> String { "\(root)/people/\(personId)" }
    /// A topic where person `personId`'s device reports, e.g. `fleetpilot/v1/{site}/people/carer-2/ack`.
    public func person(_ personId: String, _ message: PersonMessageKind) -> String {
        "\(person(personId))/\(message.rawValue)"
    }
    /// Where fleetd tells person `personId` about a call or alert escalated to them (QoS 1, not retained).
    public func personNotify(_ personId: String) -> String { "\(person(personId))/notify" }
    /// The filters fleetd subscribes to for people's devices, one per message kind (`people/+/presence`, ...);
    /// not `people/#`, so fleetd does not hear its own `notify` publications.
    public var peopleFilters: [String] { PersonMessageKind.allCases.map { "\(root)/people/+/\($0.rawValue)" } }

    /// The person id and message kind of a person topic (`fleetpilot/v1/{site}/people/{id}/{kind}`), or `nil` for
    /// a topic outside `people/`.
    /// - Parameter topic: a topic name.
    /// - Returns: `nil` when the topic is not under `people/`; otherwise the person id (which may be empty or a
    ///   wildcard, for the decoder to refuse) and the kind, `nil` when the last level is no ``PersonMessageKind``.
    public func personMessage(_ topic: String) -> (person: String, kind: PersonMessageKind?)? {
        let prefix = "\(root)/people/"
        guard topic.hasPrefix(prefix) else { return nil }
        let levels = topic.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard levels.count == 2 else { return (String(levels.first ?? ""), nil) }
        return (String(levels[0]), PersonMessageKind(rawValue: String(levels[1])))
    }

    /// The task id of a confirm topic (`fleetpilot/v1/{site}/tasks/{id}/confirm`), or `nil` for any other topic.
    /// - Parameter topic: a topic name.
    /// - Returns: the task id.
    public func confirmedTask(_ topic: String) -> String? {
        let prefix = "\(root)/tasks/"
        let suffix = "/confirm"
        guard topic.hasPrefix(prefix), topic.hasSuffix(suffix), topic.count > prefix.count + suffix.count else {
            return nil
        }
        let id = topic.dropFirst(prefix.count).dropLast(suffix.count)
        return id.contains("/") ? nil : String(id)
    }
}

/// What a person's device reports, the last level of `fleetpilot/v1/{site}/people/{id}/{kind}`.
public enum PersonMessageKind: String, Sendable, Hashable, CaseIterable {
    /// Presence and location, and (with a `role`) registration: `{"present":true,"station":"ROOM-12"}`.
    case presence
    /// The person acknowledges a call or alert notified to them: `{"task":"CALL-7"}`.
    case ack
    /// The person declines a call or alert notified to them: `{"task":"CALL-7"}`.
    case reject
    /// The person arrived on scene of a task: `{"task":"CALL-7"}`.
    case arrived
    /// The person confirms a task (assist, handover): `{"task":"T-1"}`.
    case confirm
    /// A resident's call button (the topic's person is the resident): `{"id":"CALL-7","station":"ROOM-12"}`.
    case call
    /// A fall sensor's alert for the topic's person: `{"id":"FALL-3","station":"ROOM-12","detected":"..."}`.
    case alert
}
