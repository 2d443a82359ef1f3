import FleetCore
import Foundation
import VDA5050

/// The FleetPilot topics fleet-sim uses, under `fleetpilot/v1/{site}/` (README, "FleetPilot topics").
public struct SimTopics: Sendable, Hashable {
    /// The site id (one topic level).
    public let site: String

    /// Creates the topics of `site`.
    public init(site: String) {
        self.site = site
    }

    /// `fleetpilot/v1/{site}`.
    public var root: String { "fleetpilot/v1/\(site)" }
    /// Task requests (QoS 1).
    public var taskRequest: String { "\(root)/tasks/request" }
    /// Filter of every task's status topic.
    public var taskStatusFilter: String { "\(root)/tasks/+/status" }
    /// The simulation clock (retained, QoS 0).
    public var clock: String { "\(root)/clock" }
    /// Simulator events (QoS 1).
    public var simEvents: String { "\(root)/sim/events" }

    /// Filter of every person's notifications (from fleetd, QoS 1).
    public var peopleNotifyFilter: String { "\(root)/people/+/notify" }

    /// The person of a `people/{id}/notify` topic of this site, else `nil`.
    public func notifiedPerson(_ topic: String) -> String? {
        let prefix = "\(root)/people/"
        guard topic.hasPrefix(prefix), topic.hasSuffix("/notify") else { return nil }
        let person = topic.dropFirst(prefix.count).dropLast("/notify".count)
        return person.isEmpty || person.contains("/") ? nil : String(person)
    }

    /// The VDA 5050 topic of one vehicle.
    public static func vehicle(_ id: RobotID, _ topic: VDA5050Topic) -> String {
        VDA5050TopicName(manufacturer: id.manufacturer, serialNumber: id.serialNumber, topic: topic).string
    }

    /// The clock payload: `{"simTimeMs":...,"timeScale":240.0,"running":true}`.
    ///
    /// `maxStepMs` is the largest single step of simulated time since the previous sample: one tick of the
    /// simulation moves every robot and person that far at once, so a step near fleetd's state timeout means the
    /// machine did not keep up with the time scale (fleetd journals it as `clock_jump`).
    public static func clockPayload(_ time: FleetTime, timeScale: Double, running: Bool, maxStepMs: Int64? = nil)
        -> [UInt8]
    {
        let step = maxStepMs.map { ",\"maxStepMs\":\($0)" } ?? ""
        return Array(
            "{\"simTimeMs\":\(time.milliseconds),\"timeScale\":\(timeScale),\"running\":\(running)\(step)}".utf8)
    }
}

/// A simulator event on `fleetpilot/v1/{site}/sim/events`: `node_conflict`, `demand_done` or `finished`.
public struct SimEvent: Sendable, Hashable, Codable {
    /// `node_conflict`, `demand_done` or `finished`.
    public var kind: String
    /// Simulated time, ISO 8601 UTC with milliseconds.
    public var t: String
    /// The node of a conflict.
    public var node: String?
    /// The vehicles of a conflict (`manufacturer/serialNumber`).
    public var robots: [String]?
    /// Tasks requested (demand_done, finished).
    public var requested: Int?
    /// Tasks completed (finished).
    public var completed: Int?
    /// Tasks failed (finished).
    public var failed: Int?
    /// Tasks cancelled (finished).
    public var cancelled: Int?
    /// Tasks rejected (finished).
    public var rejected: Int?
    /// Tasks without a terminal status (finished).
    public var open: Int?
    /// Node conflicts counted (finished).
    public var conflicts: Int?

    /// Creates an event of `kind` at `time`.
    public init(kind: String, at time: FleetTime) {
        self.kind = kind
        t = VDA5050Timestamp(millisecondsSince1970: time.milliseconds).iso8601
    }

    /// A `node_conflict` event.
    public init(conflict: NodeConflict) {
        self.init(kind: "node_conflict", at: conflict.time)
        node = conflict.node
        robots = conflict.robots.map(\.description)
    }

    /// The JSON payload.
    public var payload: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(self))) ?? []
    }
}
