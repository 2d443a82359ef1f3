/// The `agvGeometry` part of a factsheet: wheels and envelopes; every part is optional.
public struct AGVGeometry: Codable, Sendable, Hashable {
    /// The wheels.
    public var wheelDefinitions: [WheelDefinition]?
    /// 2D envelopes (polygons).
    public var envelopes2d: [Envelope2D]?
    /// 3D envelopes.
    public var envelopes3d: [Envelope3D]?

    /// Creates a geometry.
    public init(
        wheelDefinitions: [WheelDefinition]? = nil, envelopes2d: [Envelope2D]? = nil,
        envelopes3d: [Envelope3D]? = nil
    ) {
        self.wheelDefinitions = wheelDefinitions
        self.envelopes2d = envelopes2d
        self.envelopes3d = envelopes3d
    }
}

/// One wheel of a robot.
public struct WheelDefinition: Codable, Sendable, Hashable {
    /// Wheel type.
    public var type: WheelType
    /// Whether the wheel is driven.
    public var isActiveDriven: Bool
    /// Whether the wheel is steered.
    public var isActiveSteered: Bool
    /// Position in the robot's frame.
    public var position: WheelPosition
    /// Diameter in metres.
    public var diameter: Double
    /// Width in metres.
    public var width: Double
    /// Displacement between the centre of rotation and the wheel centre, in metres (casters).
    public var centerDisplacement: Double?
    /// Free-form constraints.
    public var constraints: String?

    /// Creates a wheel definition.
    public init(
        type: WheelType, isActiveDriven: Bool, isActiveSteered: Bool, position: WheelPosition, diameter: Double,
        width: Double, centerDisplacement: Double? = nil, constraints: String? = nil
    ) {
        self.type = type
        self.isActiveDriven = isActiveDriven
        self.isActiveSteered = isActiveSteered
        self.position = position
        self.diameter = diameter
        self.width = width
        self.centerDisplacement = centerDisplacement
        self.constraints = constraints
    }
}

/// Wheel type.
public enum WheelType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Drive wheel.
    case drive = "DRIVE"
    /// Caster.
    case caster = "CASTER"
    /// Fixed, undriven wheel.
    case fixed = "FIXED"
    /// Mecanum wheel.
    case mecanum = "MECANUM"
}

/// The position of a wheel in the robot's frame.
public struct WheelPosition: Codable, Sendable, Hashable {
    /// X in metres.
    public var x: Double
    /// Y in metres.
    public var y: Double
    /// Orientation in radians (steered wheels).
    public var theta: Double?

    /// Creates a wheel position.
    public init(x: Double, y: Double, theta: Double? = nil) {
        self.x = x
        self.y = y
        self.theta = theta
    }
}

/// A 2D envelope: a polygon in the robot's frame.
public struct Envelope2D: Codable, Sendable, Hashable {
    /// Name of the envelope set.
    public var set: String
    /// The polygon's points.
    public var polygonPoints: [PolygonPoint]
    /// Description.
    public var description: String?

    /// Creates a 2D envelope.
    public init(set: String, polygonPoints: [PolygonPoint], description: String? = nil) {
        self.set = set
        self.polygonPoints = polygonPoints
        self.description = description
    }
}

/// A point of an envelope polygon, in metres.
public struct PolygonPoint: Codable, Sendable, Hashable {
    /// X in metres.
    public var x: Double
    /// Y in metres.
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A 3D envelope, given inline (`data`) or by reference (`url`).
///
/// The 2.1 schema types `description` as an integer (2.0: number), the spec text as a string; decoding accepts a
/// string or a number (kept as its text). Leave it nil in messages that must pass the 2.1 schema.
public struct Envelope3D: Codable, Sendable, Hashable {
    /// Name of the envelope set.
    public var set: String
    /// Data format, e.g. `DXF`.
    public var format: String
    /// The envelope data.
    public var data: [String: JSONValue]?
    /// Where to download the envelope data.
    public var url: String?
    /// Description.
    public var description: String?

    /// Creates a 3D envelope.
    public init(
        set: String, format: String, data: [String: JSONValue]? = nil, url: String? = nil, description: String? = nil
    ) {
        self.set = set
        self.format = format
        self.data = data
        self.url = url
        self.description = description
    }

    private enum CodingKeys: String, CodingKey {
        case set, format, data, url, description
    }

    /// Decodes an envelope, accepting a string or a number as `description`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        set = try c.decode(String.self, forKey: .set)
        format = try c.decode(String.self, forKey: .format)
        data = try c.decodeIfPresent([String: JSONValue].self, forKey: .data)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        switch try c.decodeIfPresent(JSONValue.self, forKey: .description) {
        case .none: description = nil
        case .string(let s): description = s
        case .number(let n): description = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .some:
            throw DecodingError.dataCorruptedError(
                forKey: .description, in: c, debugDescription: "expected a string or a number")
        }
    }
}

/// The `loadSpecification` part of a factsheet.
public struct LoadSpecification: Codable, Sendable, Hashable {
    /// Load positions / load handling devices, as used in `state.loads[].loadPosition`.
    public var loadPositions: [String]?
    /// The load sets the robot can handle.
    public var loadSets: [LoadSet]?

    /// Creates a load specification.
    public init(loadPositions: [String]? = nil, loadSets: [LoadSet]? = nil) {
        self.loadPositions = loadPositions
        self.loadSets = loadSets
    }
}

/// A kind of load the robot can handle, with its limits.
///
/// Decoding also accepts `maxWeigth`, the misspelling in the 2.0 factsheet schema.
public struct LoadSet: Codable, Sendable, Hashable {
    /// Unique name of the set.
    public var setName: String
    /// Load type, e.g. `EPAL`.
    public var loadType: String
    /// Load positions this set may use.
    public var loadPositions: [String]?
    /// Reference point of the bounding box.
    public var boundingBoxReference: BoundingBoxReference?
    /// Dimensions of the load.
    public var loadDimensions: LoadDimensions?
    /// Maximum weight in kg.
    public var maxWeight: Double?
    /// Minimum handling height in metres.
    public var minLoadhandlingHeight: Double?
    /// Maximum handling height in metres.
    public var maxLoadhandlingHeight: Double?
    /// Minimum handling depth in metres.
    public var minLoadhandlingDepth: Double?
    /// Maximum handling depth in metres.
    public var maxLoadhandlingDepth: Double?
    /// Minimum handling tilt in radians.
    public var minLoadhandlingTilt: Double?
    /// Maximum handling tilt in radians.
    public var maxLoadhandlingTilt: Double?
    /// Maximum speed with this load in m/s.
    public var agvSpeedLimit: Double?
    /// Maximum acceleration with this load in m/s².
    public var agvAccelerationLimit: Double?
    /// Maximum deceleration with this load in m/s².
    public var agvDecelerationLimit: Double?
    /// Approximate time to pick up the load, in seconds.
    public var pickTime: Double?
    /// Approximate time to drop the load, in seconds.
    public var dropTime: Double?
    /// Description.
    public var description: String?

    /// Creates a load set.
    public init(
        setName: String, loadType: String, loadPositions: [String]? = nil,
        boundingBoxReference: BoundingBoxReference? = nil, loadDimensions: LoadDimensions? = nil,
        maxWeight: Double? = nil, minLoadhandlingHeight: Double? = nil, maxLoadhandlingHeight: Double? = nil,
        minLoadhandlingDepth: Double? = nil, maxLoadhandlingDepth: Double? = nil, minLoadhandlingTilt: Double? = nil,
        maxLoadhandlingTilt: Double? = nil, agvSpeedLimit: Double? = nil, agvAccelerationLimit: Double? = nil,
        agvDecelerationLimit: Double? = nil, pickTime: Double? = nil, dropTime: Double? = nil,
        description: String? = nil
    ) {
        self.setName = setName
        self.loadType = loadType
        self.loadPositions = loadPositions
        self.boundingBoxReference = boundingBoxReference
        self.loadDimensions = loadDimensions
        self.maxWeight = maxWeight
        self.minLoadhandlingHeight = minLoadhandlingHeight
        self.maxLoadhandlingHeight = maxLoadhandlingHeight
        self.minLoadhandlingDepth = minLoadhandlingDepth
        self.maxLoadhandlingDepth = maxLoadhandlingDepth
        self.minLoadhandlingTilt = minLoadhandlingTilt
        self.maxLoadhandlingTilt = maxLoadhandlingTilt
        self.agvSpeedLimit = agvSpeedLimit
        self.agvAccelerationLimit = agvAccelerationLimit
        self.agvDecelerationLimit = agvDecelerationLimit
        self.pickTime = pickTime
        self.dropTime = dropTime
        self.description = description
    }

    private enum CodingKeys: String, CodingKey {
        case setName, loadType, loadPositions, boundingBoxReference, loadDimensions, maxWeight
        case minLoadhandlingHeight, maxLoadhandlingHeight, minLoadhandlingDepth, maxLoadhandlingDepth
        case minLoadhandlingTilt, maxLoadhandlingTilt, agvSpeedLimit, agvAccelerationLimit, agvDecelerationLimit
        case pickTime, dropTime, description
        case maxWeigth  // the 2.0 schema's spelling; read, never written
    }

    /// Decodes a load set, accepting the 2.0 spelling `maxWeigth`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        setName = try c.decode(String.self, forKey: .setName)
        loadType = try c.decode(String.self, forKey: .loadType)
        loadPositions = try c.decodeIfPresent([String].self, forKey: .loadPositions)
        boundingBoxReference = try c.decodeIfPresent(BoundingBoxReference.self, forKey: .boundingBoxReference)
        loadDimensions = try c.decodeIfPresent(LoadDimensions.self, forKey: .loadDimensions)
        maxWeight =
            try c.decodeIfPresent(Double.self, forKey: .maxWeight)
            ?? c.decodeIfPresent(Double.self, forKey: .maxWeigth)
        minLoadhandlingHeight = try c.decodeIfPresent(Double.self, forKey: .minLoadhandlingHeight)
        maxLoadhandlingHeight = try c.decodeIfPresent(Double.self, forKey: .maxLoadhandlingHeight)
        minLoadhandlingDepth = try c.decodeIfPresent(Double.self, forKey: .minLoadhandlingDepth)
        maxLoadhandlingDepth = try c.decodeIfPresent(Double.self, forKey: .maxLoadhandlingDepth)
        minLoadhandlingTilt = try c.decodeIfPresent(Double.self, forKey: .minLoadhandlingTilt)
        maxLoadhandlingTilt = try c.decodeIfPresent(Double.self, forKey: .maxLoadhandlingTilt)
        agvSpeedLimit = try c.decodeIfPresent(Double.self, forKey: .agvSpeedLimit)
        agvAccelerationLimit = try c.decodeIfPresent(Double.self, forKey: .agvAccelerationLimit)
        agvDecelerationLimit = try c.decodeIfPresent(Double.self, forKey: .agvDecelerationLimit)
        pickTime = try c.decodeIfPresent(Double.self, forKey: .pickTime)
        dropTime = try c.decodeIfPresent(Double.self, forKey: .dropTime)
        description = try c.decodeIfPresent(String.self, forKey: .description)
    }

    /// Encodes the load set with the 2.1 field names.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(setName, forKey: .setName)
        try c.encode(loadType, forKey: .loadType)
        try c.encodeIfPresent(loadPositions, forKey: .loadPositions)
        try c.encodeIfPresent(boundingBoxReference, forKey: .boundingBoxReference)
        try c.encodeIfPresent(loadDimensions, forKey: .loadDimensions)
        try c.encodeIfPresent(maxWeight, forKey: .maxWeight)
        try c.encodeIfPresent(minLoadhandlingHeight, forKey: .minLoadhandlingHeight)
        try c.encodeIfPresent(maxLoadhandlingHeight, forKey: .maxLoadhandlingHeight)
        try c.encodeIfPresent(minLoadhandlingDepth, forKey: .minLoadhandlingDepth)
        try c.encodeIfPresent(maxLoadhandlingDepth, forKey: .maxLoadhandlingDepth)
        try c.encodeIfPresent(minLoadhandlingTilt, forKey: .minLoadhandlingTilt)
        try c.encodeIfPresent(maxLoadhandlingTilt, forKey: .maxLoadhandlingTilt)
        try c.encodeIfPresent(agvSpeedLimit, forKey: .agvSpeedLimit)
        try c.encodeIfPresent(agvAccelerationLimit, forKey: .agvAccelerationLimit)
        try c.encodeIfPresent(agvDecelerationLimit, forKey: .agvDecelerationLimit)
        try c.encodeIfPresent(pickTime, forKey: .pickTime)
        try c.encodeIfPresent(dropTime, forKey: .dropTime)
        try c.encodeIfPresent(description, forKey: .description)
    }
}

/// The `vehicleConfig` part of a factsheet (2.1): software/hardware versions and network settings.
public struct VehicleConfig: Codable, Sendable, Hashable {
    /// Versions of software and hardware components.
    public var versions: [VersionInfo]?
    /// Network settings.
    public var network: NetworkConfig?

    /// Creates a vehicle configuration.
    public init(versions: [VersionInfo]? = nil, network: NetworkConfig? = nil) {
        self.versions = versions
        self.network = network
    }
}

/// A key/value version entry, e.g. `softwareVersion` = `v1.03.2`.
public struct VersionInfo: Codable, Sendable, Hashable {
    /// The component.
    public var key: String
    /// Its version.
    public var value: String

    /// Creates a version entry.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A robot's network settings.
public struct NetworkConfig: Codable, Sendable, Hashable {
    /// DNS servers.
    public var dnsServers: [String]?
    /// The robot's IP address.
    public var localIpAddress: String?
    /// NTP servers.
    public var ntpServers: [String]?
    /// Network mask.
    public var netmask: String?
    /// Default gateway.
    public var defaultGateway: String?

    /// Creates network settings.
    public init(
        dnsServers: [String]? = nil, localIpAddress: String? = nil, ntpServers: [String]? = nil,
        netmask: String? = nil, defaultGateway: String? = nil
    ) {
        self.dnsServers = dnsServers
        self.localIpAddress = localIpAddress
        self.ntpServers = ntpServers
        self.netmask = netmask
        self.defaultGateway = defaultGateway
    }
}
