/// A task's id, chosen by the requester (or the ingress) and unique per site.
public struct TaskID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id text.
    public var rawValue: String

    /// Creates an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Creates an id from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The id text.
    public var description: String { rawValue }

    /// Orders ids lexicographically.
    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decodes from a plain string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a plain string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// How urgent a task is. Higher priorities are allocated first; within a priority, first come first served.
public enum TaskPriority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Whenever convenient.
    case low
    /// The default.
    case normal
    /// Before normal work.
    case high
    /// Before everything else (e.g. a line about to stop).
    case urgent

    /// 0 (low) to 3 (urgent).
    public var rank: Int {
        switch self {
        case .low: return 0
        case .normal: return 1
        case .high: return 2
        case .urgent: return 3
        }
    }

    /// Orders by rank.
    public static func < (lhs: TaskPriority, rhs: TaskPriority) -> Bool { lhs.rank < rhs.rank }
}

/// A request to move a load from one station to another.
public struct TaskRequest: Sendable, Hashable, Codable {
    /// Task id.
    public var id: TaskID
    /// Station to pick the load up at.
    public var pick: StationID
    /// Station to drop the load at.
    public var drop: StationID
    /// Kind of load (VDA 5050 `loadType`), if known.
    public var loadType: String?
    /// Weight of the load in kilograms, if known.
    public var loadWeightKg: Double?
    /// Capabilities the robot needs, e.g. `["lift"]`.
    public var requiredCapabilities: Set<String>
    /// Priority.
    public var priority: TaskPriority
    /// When the load must arrive, if there is a deadline (B0 `due`).
    public var deadline: FleetTime?
    /// Who asked (operator, call button, MES, scenario).
    public var requester: String

    /// Creates a transport request.
    public init(
        id: TaskID, pick: StationID, drop: StationID, loadType: String? = nil, loadWeightKg: Double? = nil,
        requiredCapabilities: Set<String> = [], priority: TaskPriority = .normal, deadline: FleetTime? = nil,
        requester: String = "unknown"
    ) {
        self.id = id
        self.pick = pick
        self.drop = drop
        self.loadType = loadType
        self.loadWeightKg = loadWeightKg
        self.requiredCapabilities = requiredCapabilities
        self.priority = priority
        self.deadline = deadline
        self.requester = requester
    }

    enum CodingKeys: String, CodingKey {
        case id = "task_id"
        case pick = "origin"
        case drop = "destination"
        case loadType = "load_type"
        case loadWeightKg = "load_kg"
        case requiredCapabilities = "capabilities"
        case priority, requester
        case deadline = "due"
    }

    /// Checks the request against `layout`; returns a reason a requester can act on, or `nil` when valid.
    public func problem(in layout: SiteLayout) -> String? {
        if id.rawValue.isEmpty { return "task id is empty" }
        if layout.station(pick) == nil { return "unknown pick station '\(pick)'" }
        if layout.station(drop) == nil { return "unknown drop station '\(drop)'" }
        if pick == drop { return "pick and drop station are the same ('\(pick)')" }
        if let weight = loadWeightKg, !(weight.isFinite && weight >= 0) { return "invalid load weight \(weight)" }
        return nil
    }
}
