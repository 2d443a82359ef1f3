/// An operator's command about zones, handed to the coordinator as ``FleetEvent/zoneCommand(_:actor:)``.
public enum ZoneCommand: Sendable, Hashable {
    /// Hold the zone: robots inside it or whose released route enters it pause, no new order sends a robot in.
    case hold(zone: String)
    /// End the operator's hold of the zone and declare it clear of people: the people reported inside count as gone
    /// (a hold or slowdown by their presence ends; a person who reports a place inside again starts it again).
    case release(zone: String)
    /// Emergency stop of one zone (`zone` given) or of the whole site (`nil`): every affected robot gets
    /// `startPause` at once and stays paused until the stop is released; a site stop also halts assignment.
    case emergencyStop(zone: String?)
    /// Ends the emergency stop of one zone or of the site; its robots get `stopPause`.
    case releaseEmergencyStop(zone: String?)

    /// The zone the command is about, `nil` for the site.
    public var zone: String? {
        switch self {
        case .hold(let zone), .release(let zone): return zone
        case .emergencyStop(let zone), .releaseEmergencyStop(let zone): return zone
        }
    }
}

/// Why the coordinator paused a robot: a held or stopped zone, or the site's emergency stop.
public enum PauseCause: Sendable, Hashable {
    /// The zone with this id is held or under an emergency stop.
    case zone(String)
    /// The whole site is under an emergency stop.
    case site

    /// The zone id, `nil` for the site.
    public var zone: String? {
        if case .zone(let id) = self { return id }
        return nil
    }
}

/// The live state of one zone, as the operator API shows it.
public struct ZoneStatus: Sendable, Hashable {
    /// The zone as the site layout defines it (with its presence policy).
    public var zone: Zone
    /// People whose reported location is inside the zone (present people only), sorted.
    public var people: [PersonID]
    /// Whether the zone's presence policy is in effect (people are inside a `slowdown` or `hold` zone).
    public var presenceActive: Bool
    /// The operator holding the zone, if any.
    public var operatorHold: String?
    /// Who stopped the zone (emergency stop), if anyone.
    public var emergencyStop: String?
    /// Robots the coordinator paused because of this zone, sorted.
    public var pausedRobots: [RobotID]

    /// Creates a status.
    public init(
        zone: Zone, people: [PersonID], presenceActive: Bool, operatorHold: String?, emergencyStop: String?,
        pausedRobots: [RobotID]
    ) {
        self.zone = zone
        self.people = people
        self.presenceActive = presenceActive
        self.operatorHold = operatorHold
        self.emergencyStop = emergencyStop
        self.pausedRobots = pausedRobots
    }

    /// Whether robots must not drive in the zone: stopped, held by an operator, or a `hold` zone with people in it.
    public var isHeld: Bool { heldBy != nil }

    /// Who holds the zone: the stopping operator, else the holding operator, else `presence`; `nil` when not held.
    public var heldBy: String? {
        if let emergencyStop { return emergencyStop }
        if let operatorHold { return operatorHold }
        if presenceActive, zone.presence == .hold { return ZoneControl.presenceActor }
        return nil
    }

    /// The lower speed orders get in the zone while people are in a `slowdown` zone, else `nil`.
    public var slowdownSpeed: Double? {
        if presenceActive, case .slowdown(let speed) = zone.presence { return speed }
        return nil
    }
}

/// The coordinator's zone bookkeeping: who is where, which holds and stops are in force, which robots it paused.
struct ZoneControl: Sendable {
    /// The actor of what people's presence does.
    static let presenceActor = "presence"
    /// The actor of what the coordinator does on its own (resuming a robot whose route left a held zone).
    static let coordinatorActor = "coordinator"

    /// People inside each zone that has a presence policy (zones without anyone inside have no entry); the policy
    /// is in effect exactly while its zone has an entry.
    var occupants: [String: Set<PersonID>] = [:]
    /// Zone → the operator holding it.
    var operatorHolds: [String: String] = [:]
    /// Zone → the operator who stopped it.
    var stops: [String: String] = [:]
    /// The operator who stopped the whole site.
    var siteStop: String?
    /// Robots the coordinator paused, and why.
    var paused: [RobotID: PauseCause] = [:]
    /// When each paused robot was last sent `startPause` (to repeat it if the robot ignores it).
    var pauseSent: [RobotID: FleetTime] = [:]

    /// Whether nothing is held, stopped or paused (robot events then need no zone review).
    var isQuiet: Bool {
        occupants.isEmpty && operatorHolds.isEmpty && stops.isEmpty && siteStop == nil && paused.isEmpty
    }
}
