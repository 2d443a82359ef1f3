/// A robot's identity: manufacturer and serial number, as in VDA 5050 topics. Printed as `acme/AMR-07`.
public struct RobotID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Manufacturer name.
    public var manufacturer: String
    /// Serial number, unique per manufacturer.
    public var serialNumber: String

    /// Creates an identity.
    public init(manufacturer: String, serialNumber: String) {
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
    }

    /// Parses `manufacturer/serialNumber` (split at the last `/`; VDA 5050 serial numbers contain none).
    public init?(_ text: String) {
        guard let slash = text.lastIndex(of: "/") else { return nil }
        let manufacturer = String(text[..<slash])
        let serial = String(text[text.index(after: slash)...])
        guard !manufacturer.isEmpty, !serial.isEmpty else { return nil }
        self.init(manufacturer: manufacturer, serialNumber: serial)
    }

    /// `manufacturer/serialNumber`.
    public var description: String { "\(manufacturer)/\(serialNumber)" }

    /// Orders by manufacturer, then serial number (the deterministic tie-breaker of allocation).
    public static func < (lhs: RobotID, rhs: RobotID) -> Bool {
        (lhs.manufacturer, lhs.serialNumber) < (rhs.manufacturer, rhs.serialNumber)
    }

    /// Decodes from the string form `manufacturer/serialNumber`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = RobotID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "robot id '\(text)' is not of the form manufacturer/serialNumber")
        }
        self = id
    }

    /// Encodes as the string `manufacturer/serialNumber`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What a robot is and can do; comes from configuration or the robot's factsheet.
public struct RobotProfile: Sendable, Hashable, Codable {
    /// Robot type, e.g. `AMR`, `forklift`, `mobile-manipulator`.
    public var type: String
    /// Capabilities the robot offers, e.g. `tow`, `lift`, `conveyor`.
    public var capabilities: Set<String>
    /// Heaviest load it can carry, in kilograms.
    public var maxPayloadKg: Double
    /// Top speed in m/s.
    public var maxSpeed: Double
    /// Battery consumption in percentage points per metre driven (simple model used for allocation).
    public var batteryPercentPerMetre: Double
    /// The zones the robot may enter, or `nil` for every zone that is not `restricted`. A robot with a list is
    /// confined to the listed zones (and the parts of the site outside every zone); a `restricted` zone admits
    /// only robots that list it.
    public var allowedZones: Set<String>?
    /// The task kinds the robot takes, or `nil` for every kind (a per-robot limit, e.g. a cleaning robot that
    /// only patrols and covers zones).
    public var taskKinds: Set<TaskKind>?
    /// The VDA 5050 action types the robot can run at a node (from its factsheet's `protocolFeatures.agvActions`),
    /// or `nil` when unknown (no factsheet yet: every action is assumed). A robot never gets a task whose kind needs
    /// an action it lacks (``TaskKind/actionTypes``).
    public var actionTypes: Set<String>?

    /// Creates a profile.
    public init(
        type: String, capabilities: Set<String> = [], maxPayloadKg: Double, maxSpeed: Double,
        batteryPercentPerMetre: Double = 0.01, allowedZones: Set<String>? = nil, taskKinds: Set<TaskKind>? = nil,
        actionTypes: Set<String>? = nil
    ) {
        self.type = type
        self.capabilities = capabilities
        self.maxPayloadKg = maxPayloadKg
        self.maxSpeed = maxSpeed
        self.batteryPercentPerMetre = batteryPercentPerMetre
        self.allowedZones = allowedZones
        self.taskKinds = taskKinds
        self.actionTypes = actionTypes
    }

    /// Whether the robot may enter `zone`.
    public func mayEnter(_ zone: Zone) -> Bool {
        if let allowedZones { return allowedZones.contains(zone.id) }
        return zone.kind != .restricted
    }

    /// Whether the robot takes tasks of `kind`: the kind is among ``taskKinds`` (when limited) and the robot can run
    /// the actions the kind needs (``actionTypes``, when known).
    public func takes(_ kind: TaskKind) -> Bool {
        (taskKinds?.contains(kind) ?? true) && canRun(kind)
    }

    /// Whether the robot can run the actions a task of `kind` needs (always, while ``actionTypes`` is unknown).
    public func canRun(_ kind: TaskKind) -> Bool {
        actionTypes.map { kind.actionTypes.isSubset(of: $0) } ?? true
    }

    /// Whether the robot's own limits allow a task of `kind` whose work lies in `zones`.
    public func permits(_ kind: TaskKind, in zones: [Zone]) -> Bool {
        takes(kind) && zones.allSatisfy { mayEnter($0) }
    }

    /// The ids of the zones of `layout` the robot may not enter, sorted (empty for most robots).
    public func forbiddenZones(in layout: SiteLayout) -> [String] {
        layout.zones.filter { !mayEnter($0) }.map(\.id).sorted()
    }
}
