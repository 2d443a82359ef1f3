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
