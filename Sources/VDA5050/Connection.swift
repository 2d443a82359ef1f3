/// A `connection` message (2.1 §6.14): the robot's connection to the broker, published retained with QoS 1.
///
/// `CONNECTIONBROKEN` is the robot's MQTT last will. This is a connectivity signal only, not a health check.
public struct Connection: VDA5050Message, Hashable {
    /// Always `.connection`.
    public static let topic = VDA5050Topic.connection

    /// Per-topic message counter.
    public var headerId: UInt32
    /// When the message was created (for the last will: at connect time).
    public var timestamp: VDA5050Timestamp
    /// Protocol version.
    public var version: String
    /// Manufacturer of the robot.
    public var manufacturer: String
    /// Serial number of the robot.
    public var serialNumber: String
    /// The connection state.
    public var connectionState: ConnectionState

    /// Creates a connection message.
    ///
    /// - Parameters:
    ///   - headerId: Per-topic counter.
    ///   - timestamp: Creation time.
    ///   - version: Protocol version, by default ``VDA5050Version/current``.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - connectionState: The state to report.
    public init(
        headerId: UInt32 = 0, timestamp: VDA5050Timestamp = VDA5050Timestamp(millisecondsSince1970: 0),
        version: String = VDA5050Version.current, manufacturer: String, serialNumber: String,
        connectionState: ConnectionState
    ) {
        self.headerId = headerId
        self.timestamp = timestamp
        self.version = version
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.connectionState = connectionState
    }
}

/// The state of a robot's broker connection (2.x spelling: `CONNECTIONBROKEN`).
public enum ConnectionState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Connected.
    case online = "ONLINE"
    /// Disconnected in a coordinated way.
    case offline = "OFFLINE"
    /// The connection ended unexpectedly (the last will).
    case connectionBroken = "CONNECTIONBROKEN"
}
