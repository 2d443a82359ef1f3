/// An `instantActions` message (2.1 §6.8): actions the robot runs now, outside any order.
public struct InstantActions: VDA5050Message, Hashable {
    /// Always `.instantActions`.
    public static let topic = VDA5050Topic.instantActions

    /// Per-topic message counter.
    public var headerId: UInt32
    /// When fleet control sent the message.
    public var timestamp: VDA5050Timestamp
    /// Protocol version.
    public var version: String
    /// Manufacturer of the robot.
    public var manufacturer: String
    /// Serial number of the robot.
    public var serialNumber: String
    /// The actions to run, e.g. `startPause`, `cancelOrder`, `factsheetRequest`.
    public var actions: [Action]

    /// Creates an instant actions message.
    ///
    /// - Parameters:
    ///   - headerId: Per-topic counter; usually set later when stamping.
    ///   - timestamp: Send time; usually set later when stamping.
    ///   - version: Protocol version, by default ``VDA5050Version/current``.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - actions: The actions.
    public init(
        headerId: UInt32 = 0, timestamp: VDA5050Timestamp = VDA5050Timestamp(millisecondsSince1970: 0),
        version: String = VDA5050Version.current, manufacturer: String, serialNumber: String, actions: [Action]
    ) {
        self.headerId = headerId
        self.timestamp = timestamp
        self.version = version
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.actions = actions
    }
}
