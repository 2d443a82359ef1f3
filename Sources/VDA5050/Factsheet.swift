/// A `factsheet` message (2.1 §6.15): what a robot type is and which parts of the protocol it supports.
///
/// Published retained; fleet control can ask for it with the instant action `factsheetRequest`. The 2.1 schema makes
/// `headerId` and `timestamp` optional: decoding fills them with 0 and the epoch when absent. 2.0 factsheets decode
/// too (they lack `vehicleConfig` and `blockingTypes`, and spell some names differently; see the parts).
public struct Factsheet: VDA5050Message, Hashable {
    /// Always `.factsheet`.
    public static let topic = VDA5050Topic.factsheet

    /// Per-topic message counter (0 when the sender omitted it).
    public var headerId: UInt32
    /// When the robot sent the message (the epoch when the sender omitted it).
    public var timestamp: VDA5050Timestamp
    /// Protocol version.
    public var version: String
    /// Manufacturer of the robot.
    public var manufacturer: String
    /// Serial number of the robot.
    public var serialNumber: String
    /// Series, kinematics, class, load capacity, localisation and navigation.
    public var typeSpecification: TypeSpecification
    /// Speeds, accelerations and dimensions.
    public var physicalParameters: PhysicalParameters
    /// Maximum string and array lengths and timing limits.
    public var protocolLimits: ProtocolLimits
    /// Supported optional parameters and actions.
    public var protocolFeatures: ProtocolFeatures
    /// Wheels and envelopes.
    public var agvGeometry: AGVGeometry
    /// Load positions and load sets.
    public var loadSpecification: LoadSpecification
    /// Software and hardware versions and network settings (2.1).
    public var vehicleConfig: VehicleConfig?

    /// Creates a factsheet.
    ///
    /// - Parameters:
    ///   - headerId: Per-topic counter.
    ///   - timestamp: Send time.
    ///   - version: Protocol version, by default ``VDA5050Version/current``.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - typeSpecification: The type specification.
    ///   - physicalParameters: The physical parameters.
    ///   - protocolLimits: The protocol limits.
    ///   - protocolFeatures: The protocol features.
    ///   - agvGeometry: The geometry (may be empty).
    ///   - loadSpecification: The load specification (may be empty).
    ///   - vehicleConfig: The vehicle configuration (2.1).
    public init(
        headerId: UInt32 = 0, timestamp: VDA5050Timestamp = VDA5050Timestamp(millisecondsSince1970: 0),
        version: String = VDA5050Version.current, manufacturer: String, serialNumber: String,
        typeSpecification: TypeSpecification, physicalParameters: PhysicalParameters,
        protocolLimits: ProtocolLimits, protocolFeatures: ProtocolFeatures,
        agvGeometry: AGVGeometry = AGVGeometry(), loadSpecification: LoadSpecification = LoadSpecification(),
        vehicleConfig: VehicleConfig? = nil
    ) {
        self.headerId = headerId
        self.timestamp = timestamp
        self.version = version
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.typeSpecification = typeSpecification
        self.physicalParameters = physicalParameters
        self.protocolLimits = protocolLimits
        self.protocolFeatures = protocolFeatures
        self.agvGeometry = agvGeometry
        self.loadSpecification = loadSpecification
        self.vehicleConfig = vehicleConfig
    }

    private enum CodingKeys: String, CodingKey {
        case headerId, timestamp, version, manufacturer, serialNumber, typeSpecification, physicalParameters
        case protocolLimits, protocolFeatures, agvGeometry, loadSpecification, vehicleConfig
    }

    /// Decodes a 2.0 or 2.1 factsheet; `headerId` and `timestamp` may be absent, as the schemas allow.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        headerId = try c.decodeIfPresent(UInt32.self, forKey: .headerId) ?? 0
        timestamp =
            try c.decodeIfPresent(VDA5050Timestamp.self, forKey: .timestamp)
            ?? VDA5050Timestamp(millisecondsSince1970: 0)
        version = try c.decode(String.self, forKey: .version)
        manufacturer = try c.decode(String.self, forKey: .manufacturer)
        serialNumber = try c.decode(String.self, forKey: .serialNumber)
        typeSpecification = try c.decode(TypeSpecification.self, forKey: .typeSpecification)
        physicalParameters = try c.decode(PhysicalParameters.self, forKey: .physicalParameters)
        protocolLimits = try c.decode(ProtocolLimits.self, forKey: .protocolLimits)
        protocolFeatures = try c.decode(ProtocolFeatures.self, forKey: .protocolFeatures)
        agvGeometry = try c.decode(AGVGeometry.self, forKey: .agvGeometry)
        loadSpecification = try c.decode(LoadSpecification.self, forKey: .loadSpecification)
        vehicleConfig = try c.decodeIfPresent(VehicleConfig.self, forKey: .vehicleConfig)
    }
}
