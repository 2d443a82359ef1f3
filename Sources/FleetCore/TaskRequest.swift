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
    /// Before everything else that is not an emergency (e.g. a line about to stop).
    case urgent
    /// Life or safety (a fall alert, an emergency stop at a line): may interrupt another task's robot.
    case emergency

    /// 0 (low) to 4 (emergency).
    public var rank: Int {
        switch self {
        case .low: return 0
        case .normal: return 1
        case .high: return 2
        case .urgent: return 3
        case .emergency: return 4
        }
    }

    /// Orders by rank.
    public static func < (lhs: TaskPriority, rhs: TaskPriority) -> Bool { lhs.rank < rhs.rank }

    /// `low, normal, high, urgent or emergency`, for error messages.
    public static var choices: String {
        allCases.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + allCases.last!.rawValue
    }
}

/// What a task asks robots to do. README "Task kinds" gives the VDA 5050 order each kind becomes.
public enum TaskKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Carry a load from `stops[0]` (pick) to `stops[1]` (drop).
    case transport
    /// Visit `stops` in order, optionally again every `repeatEvery` seconds.
    case patrol
    /// Go to `stops[0]` and do an action there that a person (`person`) confirms.
    case assist
    /// Meet a person at `stops[0]`; robot and person both confirm the handover.
    case handover
    /// `robots` robots carry one load from `stops[0]` to `stops[1]` together.
    case cooperativeCarry = "cooperative_carry"
    /// Cover every node of zone `zone`, split among `robots` robots.
    case coverage
    /// Go to a charger and charge (created by the coordinator; `charger` names it).
    case charge
    /// Go to `stops[0]` now: emergency priority, may interrupt another task.
    case emergency

    /// Whether the kind moves a load (pick and drop actions).
    public var carriesLoad: Bool { self == .transport || self == .cooperativeCarry }

    /// Whether a person must confirm before the task completes.
    public var needsConfirmation: Bool { self == .assist || self == .handover }

    /// The VDA 5050 action types an order of this kind carries (see ``DispatchPlan``): `pick` and `drop` for a
    /// load, `startCharging`, the custom `assist` and `handover`; none for patrols, coverage and emergencies.
    public var actionTypes: Set<String> {
        switch self {
        case .transport, .cooperativeCarry: return [PlannedActionKind.pick.rawValue, PlannedActionKind.drop.rawValue]
        case .charge: return [PlannedActionKind.startCharging.rawValue]
        case .assist: return [PlannedActionKind.assist.rawValue]
        case .handover: return [PlannedActionKind.handover.rawValue]
        case .patrol, .coverage, .emergency: return []
        }
    }

    /// `transport, patrol, ...`, for error messages.
    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A request for work: what to do (``kind``), where (``stops``, ``zone``), with how many robots, how urgently,
/// and under which constraints (capabilities, payload, earliest start, deadline, dependencies).
public struct TaskRequest: Sendable, Hashable {
    /// Task id.
    public var id: TaskID
    /// What kind of work.
    public var kind: TaskKind
    /// Stations in visiting order: pick and drop (transport, cooperative carry), waypoints (patrol), the meeting
    /// point (assist, handover, emergency); empty for coverage and charge.
    public var stops: [StationID]
    /// The zone to cover (coverage).
    public var zone: String?
    /// The charger to use (charge); `nil` lets the coordinator choose.
    public var charger: String?
    /// How many robots the task needs at once (cooperative carry ≥ 2, coverage ≥ 1, others 1).
    public var robots: Int
    /// The person who confirms (assist, handover), if a particular one must.
    public var person: String?
    /// Kind of load (VDA 5050 `loadType`), if known.
    public var loadType: String?
    /// Weight of the load in kilograms, if known (a cooperative carry splits it among its robots).
    public var loadWeightKg: Double?
    /// Capabilities each robot needs, e.g. `["lift"]`.
    public var requiredCapabilities: Set<String>
    /// Priority.
    public var priority: TaskPriority
    /// When the work must be done, if there is a deadline (B0 `due`).
    public var deadline: FleetTime?
    /// Not before this time (a time window's start, a scheduled round).
    public var earliestStart: FleetTime?
    /// Tasks that must complete before this one may start.
    public var after: [TaskID]
    /// A patrol that recurs: the next round is created this many seconds after this one starts.
    public var repeatEvery: Double?
    /// Who asked (operator, call button, MES, scenario).
    public var requester: String

    /// Creates a request of any kind.
    public init(
        id: TaskID, kind: TaskKind, stops: [StationID] = [], zone: String? = nil, charger: String? = nil,
        robots: Int = 1, person: String? = nil, loadType: String? = nil, loadWeightKg: Double? = nil,
        requiredCapabilities: Set<String> = [], priority: TaskPriority = .normal, deadline: FleetTime? = nil,
        earliestStart: FleetTime? = nil, after: [TaskID] = [], repeatEvery: Double? = nil, requester: String = "unknown"
    ) {
        self.id = id
        self.kind = kind
        self.stops = stops
        self.zone = zone
        self.charger = charger
        self.robots = robots
        self.person = person
        self.loadType = loadType
        self.loadWeightKg = loadWeightKg
        self.requiredCapabilities = requiredCapabilities
        self.priority = priority
        self.deadline = deadline
        self.earliestStart = earliestStart
        self.after = after
        self.repeatEvery = repeatEvery
        self.requester = requester
    }

    /// Creates a transport request.
    public init(
        id: TaskID, pick: StationID, drop: StationID, loadType: String? = nil, loadWeightKg: Double? = nil,
        requiredCapabilities: Set<String> = [], priority: TaskPriority = .normal, deadline: FleetTime? = nil,
        requester: String = "unknown"
    ) {
        self.init(
            id: id, kind: .transport, stops: [pick, drop], loadType: loadType, loadWeightKg: loadWeightKg,
            requiredCapabilities: requiredCapabilities, priority: priority, deadline: deadline, requester: requester)
    }

    /// The pick station of a load-carrying task (the first stop), else `nil`.
    public var pick: StationID? { kind.carriesLoad ? stops.first : nil }

    /// The drop station of a load-carrying task (the last stop), else `nil`.
    public var drop: StationID? { kind.carriesLoad && stops.count > 1 ? stops.last : nil }

    /// The payload each robot carries: the load split evenly among a cooperative carry's robots.
    public var weightPerRobotKg: Double? { loadWeightKg.map { $0 / Double(max(robots, 1)) } }

    /// Checks the request against `layout`; returns a reason a requester can act on, or `nil` when valid.
    public func problem(in layout: SiteLayout) -> String? {
        if id.rawValue.isEmpty { return "task id is empty" }
        for (i, stop) in stops.enumerated() where layout.station(stop) == nil {
            let role = kind.carriesLoad ? (i == 0 ? "pick " : "drop ") : ""
            return "unknown \(role)station '\(stop)'"
        }
        switch kind {
        case .transport, .cooperativeCarry:
            guard stops.count == 2 else { return "a \(kind.rawValue) task needs a pick and a drop station" }
            if stops[0] == stops[1] { return "pick and drop station are the same ('\(stops[0])')" }
        case .patrol:
            if stops.isEmpty { return "a patrol needs at least one waypoint station" }
        case .assist, .handover, .emergency:
            guard stops.count == 1 else { return "a \(kind.rawValue) task needs exactly one station (where to go)" }
        case .coverage:
            guard let zone else { return "a coverage task needs a zone" }
            guard let area = layout.zones.first(where: { $0.id == zone }) else { return "unknown zone '\(zone)'" }
            if !layout.nodes.contains(where: { area.contains($0) }) { return "zone '\(zone)' contains no node" }
        case .charge:
            if let charger, !layout.chargers.contains(where: { $0.id == charger }) {
                return "unknown charger '\(charger)'"
            }
        }
        switch kind {
        case .cooperativeCarry where robots < 2: return "a cooperative carry needs at least 2 robots, not \(robots)"
        case .coverage where robots < 1: return "a coverage task needs at least 1 robot, not \(robots)"
        case .cooperativeCarry, .coverage: break
        default:
            if robots != 1 { return "a \(kind.rawValue) task takes exactly 1 robot, not \(robots)" }
        }
        if let weight = loadWeightKg, !(weight.isFinite && weight >= 0) { return "invalid load weight \(weight)" }
        if let every = repeatEvery {
            guard kind == .patrol else { return "only a patrol can repeat" }
            if !(every.isFinite && every > 0) { return "repeat interval must be a positive number of seconds" }
        }
        if let start = earliestStart, let deadline, deadline <= start {
            return "deadline \(deadline) is not after the earliest start \(start)"
        }
        if after.contains(id) { return "task '\(id)' cannot wait for itself" }
        if kind == .emergency && priority != .emergency { return "an emergency task has priority emergency" }
        return nil
    }
}
