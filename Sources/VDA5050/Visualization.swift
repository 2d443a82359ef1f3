/// A `visualization` message (2.1 §6.12): high-rate pose and velocity for visualisation systems only.
///
/// The 2.1 schema makes every field optional, the header included. Decoding therefore fills a missing header field
/// with a neutral value (`headerId` 0, timestamp at the epoch, empty strings); encoding always writes the header.
public struct Visualization: VDA5050Message, Hashable {
    /// Always `.visualization`.
    public static let topic = VDA5050Topic.visualization

    /// Per-topic message counter (0 when the sender omitted it).
    public var headerId: UInt32
    /// When the robot sent the message (the epoch when the sender omitted it).
    public var timestamp: VDA5050Timestamp
    /// Protocol version (empty when the sender omitted it).
    public var version: String
    /// Manufacturer of the robot (empty when the sender omitted it).
    public var manufacturer: String
    /// Serial number of the robot (empty when the sender omitted it).
    public var serialNumber: String
    /// Current pose.
    public var agvPosition: AGVPosition?
    /// Current velocity.
    public var velocity: Velocity?

    /// Creates a visualization message.
    ///
    /// - Parameters:
    ///   - headerId: Per-topic counter.
    ///   - timestamp: Send time.
    ///   - version: Protocol version, by default ``VDA5050Version/current``.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - agvPosition: The pose.
    ///   - velocity: The velocity.
    public init(
        headerId: UInt32 = 0, timestamp: VDA5050Timestamp = VDA5050Timestamp(millisecondsSince1970: 0),
        version: String = VDA5050Version.current, manufacturer: String, serialNumber: String,
        agvPosition: AGVPosition? = nil, velocity: Velocity? = nil
    ) {
        self.headerId = headerId
        self.timestamp = timestamp
        self.version = version
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.agvPosition = agvPosition
        self.velocity = velocity
    }

    private enum CodingKeys: String, CodingKey {
        case headerId, timestamp, version, manufacturer, serialNumber, agvPosition, velocity
    }

    /// Decodes a visualization message; every field is optional, as in the 2.1 schema.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        headerId = try c.decodeIfPresent(UInt32.self, forKey: .headerId) ?? 0
        timestamp =
            try c.decodeIfPresent(VDA5050Timestamp.self, forKey: .timestamp)
            ?? VDA5050Timestamp(millisecondsSince1970: 0)
        version = try c.decodeIfPresent(String.self, forKey: .version) ?? ""
        manufacturer = try c.decodeIfPresent(String.self, forKey: .manufacturer) ?? ""
        serialNumber = try c.decodeIfPresent(String.self, forKey: .serialNumber) ?? ""
        agvPosition = try c.decodeIfPresent(AGVPosition.self, forKey: .agvPosition)
        velocity = try c.decodeIfPresent(Velocity.self, forKey: .velocity)
    }
}
