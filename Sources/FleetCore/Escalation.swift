/// What started an escalation chain.
public enum AlertKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A resident pressed a call button: a robot checks first, people follow if it is not resolved.
    case call
    /// A sensor detected a fall: an emergency robot task and a person notified at once.
    case fall
}

/// Why a call or alert was escalated to a person (the `reason` of the `escalated` journal record).
public enum EscalationReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// A fall alert always needs a person.
    case fallAlert = "fall_alert"
    /// The call was not resolved within ``CoordinatorConfiguration/callResolutionTimeout``.
    case notResolved = "not_resolved"
    /// The robot reported it needs a person (its assist action failed).
    case needsPerson = "needs_person"
    /// No robot is available to check (every capable robot is offline, stale, faulted or too low).
    case noRobot = "no_robot"
    /// The robot's task ended without resolving the call (failed, timed out or cancelled by the system).
    case robotFailed = "robot_failed"
    /// The person notified did not acknowledge within ``CoordinatorConfiguration/acknowledgementTimeout``.
    case noAcknowledgement = "no_ack"
    /// The person notified declined.
    case rejected
    /// The person who acknowledged did not arrive within ``CoordinatorConfiguration/arrivalTimeout``.
    case notArrived = "not_arrived"
}

/// What a person's device is told when a call or alert is escalated to them (``Directive/notifyPerson(_:_:)``).
public struct PersonNotification: Sendable, Hashable, Codable {
    /// The task of the call or alert; acknowledgements, rejections and arrivals name it.
    public var task: TaskID
    /// A resident's call or a fall alert.
    public var alert: AlertKind
    /// The resident who called or fell.
    public var resident: PersonID
    /// Where: the call's or alert's station.
    public var station: StationID
    /// The step of the chain: 1 for the first person notified, then 2, 3...
    public var level: Int
    /// Why it came to this person.
    public var reason: EscalationReason

    /// Creates a notification.
    public init(
        task: TaskID, alert: AlertKind, resident: PersonID, station: StationID, level: Int, reason: EscalationReason
    ) {
        self.task = task
        self.alert = alert
        self.resident = resident
        self.station = station
        self.level = level
        self.reason = reason
    }
}

/// A resident's call or a fall alert and where its escalation chain stands.
///
/// A call is resolved when its task completes (the robot's assist, confirmed by a person), when a person confirms
/// the task, or when a person arrives on scene; a fall alert only when a person arrives (`human_arrived`). Until
/// then the chain moves on: to the nearest reachable caregiver, the next one, then the nurses, then
/// ``CoordinatorConfiguration/nurseStation``, and round again; there is always a timer pending.
public struct Escalation: Sendable, Hashable {
    /// The task of the call or alert.
    public let task: TaskID
    /// A call or a fall.
    public let alert: AlertKind
    /// The resident.
    public let resident: PersonID
    /// Where.
    public let station: StationID
    /// When the call came in or the alert was raised.
    public let raisedAt: FleetTime
    /// When the fall was detected (fall alerts), as the sensor reported it.
    public let detectedAt: FleetTime?
    /// The current step: 0 before any person was notified.
    public internal(set) var level: Int = 0
    /// Everyone notified, in order (a person appears again when the chain goes round).
    public internal(set) var notified: [PersonID] = []
    /// When the current step began (the call, or the latest notification).
    public internal(set) var stepStartedAt: FleetTime
    /// The person who acknowledged the current step, if anyone.
    public internal(set) var acknowledgedBy: PersonID?
    /// When they acknowledged.
    public internal(set) var acknowledgedAt: FleetTime?
    /// People who declined (skipped for the rest of the chain).
    public internal(set) var declined: Set<PersonID> = []
    /// The first person who arrived on scene.
    public internal(set) var arrived: PersonID?
    /// When the call or alert was resolved; `nil` while it is open.
    public internal(set) var resolvedAt: FleetTime?

    /// Creates an open escalation at level 0.
    public init(
        task: TaskID, alert: AlertKind, resident: PersonID, station: StationID, raisedAt: FleetTime,
        detectedAt: FleetTime? = nil
    ) {
        self.task = task
        self.alert = alert
        self.resident = resident
        self.station = station
        self.raisedAt = raisedAt
        self.detectedAt = detectedAt
        self.stepStartedAt = raisedAt
    }

    /// Whether the call or alert is resolved.
    public var isResolved: Bool { resolvedAt != nil }

    /// Whether a person was notified or acknowledged: the call is in people's hands.
    public var reachedPerson: Bool { level > 0 || acknowledgedBy != nil }

    /// The person notified last, if any.
    public var current: PersonID? { notified.last }
}
