import FleetCore

/// What the operator API needs from the daemon: read-only snapshots, the operator commands and the journal's
/// event feed. `fleetd` implements it over its coordinator shell; tests implement it over a bare
/// ``FleetCore/Coordinator``.
public protocol FleetOperations: Sendable {
    /// A consistent copy of the coordinator's state and the coordinator's current time.
    /// - Throws: ``OperationError/notReady(_:)`` while the daemon is still starting.
    func snapshot() async throws(OperationError) -> FleetSnapshot

    /// Hands a task request of any kind to the coordinator (journaled as `created` with its `requester`).
    /// - Parameter request: the request, already checked against the site layout.
    /// - Returns: the task as accepted, or `nil` when the coordinator holds inputs until its clock starts.
    /// - Throws: ``OperationError`` when the request cannot be handed over or is refused.
    func submit(_ request: TaskRequest) async throws(OperationError) -> TransportTask?

    /// Cancels a task (journaled as `canceled` with actor `operator` and a detail naming `actor`).
    /// - Parameters:
    ///   - id: the task.
    ///   - actor: the token name of the caller.
    ///   - reason: why, free text (may be empty).
    /// - Returns: the task after cancellation.
    /// - Throws: ``OperationError/notFound(_:)``, ``OperationError/conflict(_:)`` for a finished task.
    func cancel(_ id: TaskID, actor: String, reason: String) async throws(OperationError) -> TransportTask

    /// Hands a person's confirmation of an assist or handover to the coordinator (journaled as `human_ack` with the
    /// person; the task completes once its robot also finished its part).
    /// - Parameters:
    ///   - id: the task, already checked to exist, to await a confirmation and to accept this person.
    ///   - person: who confirms.
    ///   - actor: the token name of the caller.
    /// - Returns: the task after the confirmation.
    /// - Throws: ``OperationError/notFound(_:)`` when the task is gone, ``OperationError/conflict(_:)`` when the
    ///   coordinator refused the confirmation.
    func confirm(_ id: TaskID, person: String, actor: String) async throws(OperationError) -> TransportTask

    /// Sends the robot the VDA 5050 instant action `startPause` (`paused`) or `stopPause`.
    /// - Parameters:
    ///   - robot: the robot.
    ///   - paused: `true` pauses, `false` resumes.
    ///   - actor: the token name of the caller.
    /// - Throws: ``OperationError/notFound(_:)`` for an unknown robot, ``OperationError/failed(_:)`` if the
    ///   broker refused the message.
    func setPaused(_ robot: RobotID, paused: Bool, actor: String) async throws(OperationError)

    /// Hands an operator's zone command to the coordinator: hold or release a zone, stop or release a zone or the
    /// site. The coordinator journals it with `actor` and pauses or resumes the robots concerned at once.
    /// - Parameters:
    ///   - command: the command; its zone, if any, already checked to exist.
    ///   - actor: the token name of the caller.
    /// - Throws: ``OperationError/conflict(_:)`` with the coordinator's reason when it refused the command (already
    ///   held, nothing to release, ...), ``OperationError/notReady(_:)`` while the daemon is starting.
    func zoneCommand(_ command: ZoneCommand, actor: String) async throws(OperationError)

    /// Takes a robot out of service or puts it back (journaled as `maintenance_start` / `maintenance_end` with the
    /// actor). Taking it out re-queues its task with its progress and cancels its order on the robot; until the
    /// maintenance ends the robot gets no task.
    /// - Parameters:
    ///   - robot: the robot, already checked to exist and not to be in the asked state already.
    ///   - active: `true` starts the maintenance, `false` ends it.
    ///   - actor: the token name of the caller.
    ///   - reason: why, free text (may be empty).
    /// - Throws: ``OperationError/notFound(_:)`` for an unknown robot, ``OperationError/failed(_:)`` when the
    ///   daemon could not record the command.
    func setMaintenance(_ robot: RobotID, active: Bool, actor: String, reason: String) async throws(OperationError)

    /// Whether the daemon is connected, subscribed and serving.
    var isReady: Bool { get }

    /// MQTT traffic and journal counters since start, for `/metrics`.
    var traffic: TrafficCounters { get }
}

/// A copy of the coordinator and its clock.
public struct FleetSnapshot: Sendable {
    /// The coordinator's state (tasks, robots, in-flight orders, site layout).
    public var coordinator: Coordinator
    /// The coordinator's time, `nil` before its clock started (simulated clock without a sample yet).
    public var now: FleetTime?

    /// Creates a snapshot.
    /// - Parameters:
    ///   - coordinator: the coordinator's state.
    ///   - now: the coordinator's time.
    public init(coordinator: Coordinator, now: FleetTime?) {
        self.coordinator = coordinator
        self.now = now
    }
}

/// Cumulative counters the daemon keeps (`RuntimeCounters` in FleetRuntime), exported as Prometheus counters.
public struct TrafficCounters: Sendable, Hashable {
    /// MQTT messages received and handed on (states, connections, factsheets, requests, cancels, clock).
    public var mqttIn = 0
    /// MQTT messages published (orders, instant actions, task status).
    public var mqttOut = 0
    /// MQTT messages dropped (oversized, unknown robot, bad topic, publish failures).
    public var mqttDropped = 0
    /// MQTT messages that were not valid (bad JSON, invalid message, malformed request).
    public var mqttInvalid = 0
    /// Journal records appended.
    public var journalRecords = 0
    /// Journal appends that failed.
    public var journalFailures = 0

    /// Creates zeroed counters.
    public init() {}
}

/// Why an operation could not be done; each becomes a problem-details response.
public enum OperationError: Error, Sendable, Hashable {
    /// The daemon is not ready yet (HTTP 503).
    case notReady(String)
    /// No such task or robot (HTTP 404).
    case notFound(String)
    /// The request conflicts with the current state, e.g. a duplicate task id or a finished task (HTTP 409).
    case conflict(String)
    /// The request is invalid, e.g. an unknown station (HTTP 422).
    case invalid(String)
    /// The daemon tried and failed, e.g. the broker refused a publication (HTTP 502).
    case failed(String)
}
