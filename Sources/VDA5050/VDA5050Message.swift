/// The VDA 5050 protocol versions this package reads and writes.
public enum VDA5050Version {
    /// The protocol version written into the header of every message this package encodes.
    public static let current = "2.1.0"
    /// The major version used in topic names (`uagv/v2/...`).
    public static let majorTopicLevel = "v2"
}

/// The fields every VDA 5050 message carries at its top level (the protocol header, 2.1 §6.4).
public protocol VDA5050Message: Codable, Sendable, Equatable {
    /// The topic (last topic level) this message is published on.
    static var topic: VDA5050Topic { get }
    /// Per-topic message counter of the sender; incremented by one for each sent message.
    var headerId: UInt32 { get set }
    /// When the message was sent (UTC).
    var timestamp: VDA5050Timestamp { get set }
    /// Protocol version `Major.Minor.Patch`.
    var version: String { get set }
    /// The robot's manufacturer, also when fleet control is the sender.
    var manufacturer: String { get set }
    /// The robot's serial number, also when fleet control is the sender.
    var serialNumber: String { get set }
}

/// The last level of a VDA 5050 topic: which message travels on it.
public enum VDA5050Topic: String, Sendable, CaseIterable, Codable {
    /// Orders, fleet control to robot (QoS 0).
    case order
    /// Instant actions, fleet control to robot (QoS 0).
    case instantActions
    /// Robot state, robot to fleet control (QoS 0).
    case state
    /// Position and velocity for visualisation, robot to visualisation systems (QoS 0).
    case visualization
    /// Connection state, retained, QoS 1; also the robot's last will.
    case connection
    /// The robot's factsheet, retained.
    case factsheet

    /// The MQTT QoS level the specification prescribes for this topic (0 everywhere but `connection`).
    public var qos: Int { self == .connection ? 1 : 0 }

    /// Whether messages on this topic are published with the MQTT retain flag.
    public var retained: Bool { self == .connection || self == .factsheet }
}
