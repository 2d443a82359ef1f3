/// A person's identity at a site (a badge, a device, a scenario id), e.g. `carer-2`.
public struct PersonID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id text.
    public var rawValue: String

    /// Creates an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Creates an id from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The id text.
    public var description: String { rawValue }

    /// Orders ids lexicographically (the deterministic tie-breaker of escalation).
    public static func < (lhs: PersonID, rhs: PersonID) -> Bool { lhs.rawValue < rhs.rawValue }

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

/// What a person does at the site; decides who is notified when a call or alert escalates.
public enum PersonRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// A picker or line worker (factory).
    case lineWorker = "line_worker"
    /// A team lead (factory).
    case teamLead = "team_lead"
    /// A caregiver: first in an escalation chain.
    case caregiver
    /// A nurse: the nurse station, after the caregivers.
    case nurse
    /// A resident (eldercare): calls for help, is never notified.
    case resident
}

/// A shift: the person is on shift from `start` (inclusive) to `end` (exclusive).
public struct ShiftWindow: Sendable, Hashable, Codable {
    /// When the shift begins.
    public var start: FleetTime
    /// When the shift ends.
    public var end: FleetTime

    /// Creates a shift.
    public init(start: FleetTime, end: FleetTime) {
        self.start = start
        self.end = end
    }

    /// Whether `time` lies in the shift.
    public func contains(_ time: FleetTime) -> Bool { start <= time && time < end }
}

/// Where a person is: at a node of the site graph, or at a station.
public enum PersonLocation: Sendable, Hashable, Codable {
    /// At a node.
    case node(NodeID)
    /// At a station (its node counts).
    case station(StationID)

    /// The node of the location in `layout`, or `nil` when the layout does not know it.
    public func node(in layout: SiteLayout) -> NodeID? {
        switch self {
        case .node(let id): return layout.node(id)?.id
        case .station(let id): return layout.station(id)?.node
        }
    }
}

/// Who a person is: role, skills and shift calendar. Comes from the scenario or the site's roster.
public struct PersonProfile: Sendable, Hashable, Codable {
    /// The person's role.
    public var role: PersonRole
    /// Skills, e.g. `lift-assist`, `medication`.
    public var skills: Set<String>
    /// Shifts; an empty list means always on shift.
    public var shifts: [ShiftWindow]

    /// Creates a profile.
    public init(role: PersonRole, skills: Set<String> = [], shifts: [ShiftWindow] = []) {
        self.role = role
        self.skills = skills
        self.shifts = shifts
    }

    /// Whether the person is on shift at `time` (always, without a shift calendar).
    public func isOnShift(at time: FleetTime) -> Bool {
        shifts.isEmpty || shifts.contains { $0.contains(time) }
    }
}

/// The coordinator's live picture of one person.
public struct PersonState: Sendable, Hashable {
    /// Identity.
    public let id: PersonID
    /// Role, skills, shifts.
    public var profile: PersonProfile
    /// Whether the person is at the site and reachable (present until a presence report says otherwise).
    public var present: Bool
    /// Where the person was last reported, if known.
    public var location: PersonLocation?
    /// When presence or location was last reported.
    public var lastSeen: FleetTime?

    /// Creates the picture of a freshly registered person: present, location unknown.
    public init(id: PersonID, profile: PersonProfile, present: Bool = true, location: PersonLocation? = nil) {
        self.id = id
        self.profile = profile
        self.present = present
        self.location = location
    }

    /// Whether the person can be notified at `time`: present and on shift.
    public func isReachable(at time: FleetTime) -> Bool { present && profile.isOnShift(at: time) }
}
