/// A robot's link as journaled: the protocol's connection states plus `stale` (silent past the state timeout).
public enum RobotLink: String, Sendable, Hashable, Codable {
    /// Connected.
    case online
    /// Disconnected on purpose.
    case offline
    /// Disconnected unexpectedly.
    case connectionBroken
    /// Connected, as far as we know, but silent for longer than the state timeout.
    case stale
}

/// What happened, in the vocabulary of the evaluation event model (B0). The `kind` names match B0.
public enum JournalEvent: Sendable, Hashable {
    /// A task was accepted (B0 `created`); carries the whole request.
    case created(TaskRequest)
    /// A request was refused before it became a task (invalid or duplicate).
    case rejected(task: TaskID, detail: String)
    /// First assignment of a task (B0 `assigned`); `etaPickSeconds` is the estimated time to the pick station.
    case assigned(task: TaskID, robot: RobotID, etaPickSeconds: Double)
    /// A later assignment (B0 `reassigned`): `from` lost the task for `reason`, `to` gets it.
    case reassigned(task: TaskID, from: RobotID, to: RobotID, reason: RequeueReason, etaPickSeconds: Double)
    /// The order was sent (first send or a re-send); carries the plan so a restart knows the order in flight.
    case dispatched(task: TaskID, robot: RobotID, attempt: Int, plan: DispatchPlan)
    /// The robot accepted the order and began executing (B0 `started`).
    case started(task: TaskID, robot: RobotID, orderId: String)
    /// A phase inside execution (B0 `phase`), e.g. `picked`.
    case phase(task: TaskID, robot: RobotID, phase: String)
    /// The task is done (B0 `completed`, outcome `ok`).
    case completed(task: TaskID, robot: RobotID, outcome: String)
    /// The task failed for good (B0 `failed`).
    case failed(task: TaskID, robot: RobotID?, reason: FailureReason, detail: String)
    /// The task was cancelled (B0 `canceled`, with `actor`).
    case canceled(task: TaskID, actor: CancellationReason, detail: String)
    /// The task went back to the queue after its robot was lost.
    case requeued(task: TaskID, robot: RobotID, reason: RequeueReason, detail: String)
    /// A queued task waits, and why (`no capable robot is available`, `waits for task 'T1' to complete`, ...);
    /// recorded when the kind of reason changes.
    case waiting(task: TaskID, reason: String)
    /// A person confirmed the task (B0 extra `human_ack`): an assist done, an item taken at a handover. `actor` is
    /// the operator (token name) who entered the confirmation through the API, `nil` when the person's device sent it.
    case humanAck(task: TaskID, person: String, actor: String? = nil)
    /// A resident's call came in (before its `created` record): the call id is the task id.
    case call(task: TaskID, resident: PersonID, station: StationID)
    /// A fall alert came in (before its `created` record); `detectedAt` is when the sensor detected the fall.
    case alert(task: TaskID, resident: PersonID, station: StationID, detectedAt: FleetTime)
    /// A call or alert was escalated to a person (B0 extra `escalated`), step `level` of the chain (1, 2, ...).
    case escalated(task: TaskID, person: PersonID, level: Int, reason: EscalationReason)
    /// A person acknowledged the notification of step `level` of a call or alert (B0 extra `human_ack`, told
    /// apart from a confirmation by its `level` field).
    case acknowledged(task: TaskID, person: PersonID, level: Int)
    /// A person declined the notification of step `level` of a call or alert.
    case humanRejected(task: TaskID, person: PersonID, level: Int)
    /// A person arrived on scene (B0 extra `human_arrived`; the human-on-scene time of a fall alert).
    case humanArrived(task: TaskID, person: PersonID)
    /// A robot's link changed (B0 `heartbeat` / offline handling).
    case connection(robot: RobotID, state: RobotLink)
    /// A robot's operating mode changed (B0 `mode`).
    case mode(robot: RobotID, mode: OperatingMode)
    /// A robot error was raised or cleared (B0 `fault`).
    case fault(robot: RobotID, code: String, level: FaultLevel, raised: Bool, detail: String)
    /// A robot's battery crossed a configured threshold or started/stopped charging (B0 `battery`).
    case battery(robot: RobotID, soc: Double, charging: Bool)
    /// A position sample (B0 `position`), at most one per configured interval per robot.
    case position(robot: RobotID, x: Double, y: Double, map: String, node: NodeID?, age: Double? = nil)
    /// A robot published a factsheet that differs from its last one: what the coordinator took from it, and what
    /// that changed in the robot's profile (``RobotProfile/changes(from:)``).
    case factsheet(robot: RobotID, factsheet: RobotFactsheet, changes: String)
    /// The people inside a zone with a presence policy changed (`zone_presence`, the ids sorted); replay restores
    /// the zone's occupancy from it.
    case zonePresence(zone: String, people: [PersonID])
    /// A zone is held from now on (`zone_hold`) by `actor` (`presence`, or an operator's name) with `people`
    /// inside; `robots` are the robots paused (`startPause`) by it.
    case zoneHold(zone: String, actor: String, people: Int, robots: [RobotID])
    /// `actor`'s hold of a zone ended (`zone_release`); `robots` are the robots resumed (`stopPause`) by it.
    case zoneRelease(zone: String, actor: String, people: Int, robots: [RobotID])
    /// People entered a `slowdown` zone (`zone_slowdown`): orders issued from now on get at most `speed` m/s there;
    /// `robots` are the robots inside the zone or with a released route into it (their orders keep their speeds).
    case zoneSlowdown(zone: String, actor: String, people: Int, speed: Double, robots: [RobotID])
    /// The last person left a `slowdown` zone (`zone_clear`): new orders drive at the normal limits again.
    case zoneClear(zone: String, actor: String, people: Int, robots: [RobotID])
    /// An emergency stop (`estop`) of one zone or, with `zone` `nil`, of the site, by `actor`; `robots` were paused.
    case emergencyStop(zone: String?, actor: String, robots: [RobotID])
    /// An emergency stop was released (`estop_release`) by `actor`; `robots` were resumed.
    case emergencyStopRelease(zone: String?, actor: String, robots: [RobotID])
    /// The coordinator paused (`robot_paused`) or resumed (`robot_resumed`) one robot outside a zone transition,
    /// e.g. a robot that drove into a held zone's route later, or whose order into it ended; `zone` `nil`: the site.
    case robotPause(robot: RobotID, paused: Bool, zone: String?, actor: String)
    /// A robot's safety stop began (`active`) or ended (B0 `safety_stop`): `type` is `estop` (VDA 5050
    /// `safetyState.eStop` other than `NONE`) or `field_violation` (a protective field was entered).
    case safetyStop(robot: RobotID, type: String, active: Bool)
    /// A robot came to stand on a node other robots already stood on (B0 `node_conflict`, B1.18): `robots` are all
    /// of them, sorted. Nodes where several robots may stand (a charger of capacity above 1) are left out.
    case nodeConflict(node: NodeID, robots: [RobotID])
    /// An operator took a robot out of service (`maintenance_start`, with `reason`) or put it back
    /// (`maintenance_end`); `actor` is the operator's token name.
    case maintenance(robot: RobotID, active: Bool, actor: String, reason: String)
    /// An operator sent a robot `startPause` (`pause`) or `stopPause` (`resume`); `actor` is the token name. The
    /// robot confirms by reporting `paused` in its state; the coordinator's state does not change.
    case pause(robot: RobotID, paused: Bool, actor: String)
    /// Simulated time moved `seconds` at once (`clock_jump`, data quality): with `--clock sim`, the simulator's
    /// largest single step (its clock topic's `maxStepMs`) reached half of fleetd's state timeout, so the simulator
    /// did not keep up with the time scale and robots' freshness around it is not to be trusted. At most one a
    /// simulated minute.
    case clockJump(seconds: Double)
    /// A robot reported a person closer than the warning distance for `seconds` (`human_proximity`, B1.16),
    /// `distance` metres at the closest; `collaborative` when it stood at its assist's or handover's meeting point
    /// meanwhile (the person it works with). Journaled when the episode ends.
    case humanProximity(robot: RobotID, distance: Double, seconds: Double, collaborative: Bool)

    /// The B0 event name, e.g. `created`, `requeued`, `battery`.
    public var kind: String {
        switch self {
        case .created: return "created"
        case .rejected: return "rejected"
        case .assigned: return "assigned"
        case .reassigned: return "reassigned"
        case .dispatched: return "dispatched"
        case .started: return "started"
        case .phase: return "phase"
        case .completed: return "completed"
        case .failed: return "failed"
        case .canceled: return "canceled"
        case .requeued: return "requeued"
        case .humanAck, .acknowledged: return "human_ack"
        case .waiting: return "waiting"
        case .call: return "call"
        case .alert: return "alert"
        case .escalated: return "escalated"
        case .humanRejected: return "human_rejected"
        case .humanArrived: return "human_arrived"
        case .connection: return "connection"
        case .mode: return "mode"
        case .fault: return "fault"
        case .battery: return "battery"
        case .position: return "position"
        case .factsheet: return "factsheet"
        case .zonePresence: return "zone_presence"
        case .zoneHold: return "zone_hold"
        case .zoneRelease: return "zone_release"
        case .zoneSlowdown: return "zone_slowdown"
        case .zoneClear: return "zone_clear"
        case .emergencyStop: return "estop"
        case .emergencyStopRelease: return "estop_release"
        case .robotPause(_, let paused, _, _): return paused ? "robot_paused" : "robot_resumed"
        case .safetyStop: return "safety_stop"
        case .nodeConflict: return "node_conflict"
        case .maintenance(_, let active, _, _): return active ? "maintenance_start" : "maintenance_end"
        case .pause(_, let paused, _): return paused ? "pause" : "resume"
        case .clockJump: return "clock_jump"
        case .humanProximity: return "human_proximity"
        }
    }

    /// The task the event is about, if it is a task event.
    public var task: TaskID? {
        switch self {
        case .created(let request): return request.id
        case .rejected(let task, _), .assigned(let task, _, _), .reassigned(let task, _, _, _, _),
            .dispatched(let task, _, _, _), .started(let task, _, _), .phase(let task, _, _),
            .completed(let task, _, _), .failed(let task, _, _, _), .canceled(let task, _, _),
            .requeued(let task, _, _, _), .humanAck(let task, _, _), .call(let task, _, _), .alert(let task, _, _, _),
            .escalated(let task, _, _, _), .acknowledged(let task, _, _), .humanRejected(let task, _, _),
            .humanArrived(let task, _), .waiting(let task, _):
            return task
        case .connection, .mode, .fault, .battery, .position, .factsheet, .zonePresence, .zoneHold, .zoneRelease,
            .zoneSlowdown, .zoneClear, .emergencyStop, .emergencyStopRelease, .robotPause, .safetyStop, .maintenance,
            .pause, .nodeConflict, .clockJump, .humanProximity:
            return nil
        }
    }

    /// The robots the event names: the robot of a robot or task event, both robots of a reassignment (the new one
    /// last), none for requests, cancellations, confirmations, people's and zones' records (a zone record lists the
    /// robots it paused or resumed in its own `robots` field); the robot of a `robot_paused`/`robot_resumed`.
    public var robots: [RobotID] {
        switch self {
        case .assigned(_, let robot, _), .dispatched(_, let robot, _, _), .started(_, let robot, _),
            .phase(_, let robot, _), .completed(_, let robot, _), .requeued(_, let robot, _, _),
            .connection(let robot, _), .mode(let robot, _), .fault(let robot, _, _, _, _), .battery(let robot, _, _),
            .position(let robot, _, _, _, _, _), .factsheet(let robot, _, _), .robotPause(let robot, _, _, _),
            .safetyStop(let robot, _, _), .maintenance(let robot, _, _, _), .pause(let robot, _, _),
            .humanProximity(let robot, _, _, _):
            return [robot]
        case .reassigned(_, let from, let to, _, _): return [from, to]
        case .nodeConflict(_, let robots): return robots
        case .failed(_, let robot, _, _): return robot.map { [$0] } ?? []
        case .created, .rejected, .canceled, .humanAck, .call, .alert, .escalated, .acknowledged, .humanRejected,
            .humanArrived, .waiting, .zonePresence, .zoneHold, .zoneRelease, .zoneSlowdown, .zoneClear, .emergencyStop,
            .emergencyStopRelease, .clockJump:
            return []
        }
    }
}

/// One durable journal entry: a time and an event. Encodes as one flat JSON object, e.g.
/// `{"t":1764424987120,"kind":"assigned","task_id":"T1","robot_id":"acme/AMR-07","eta_s":42.5}`.
public struct JournalRecord: Sendable, Hashable {
    /// When it happened (the `now` of the event that caused it).
    public var time: FleetTime
    /// What happened.
    public var event: JournalEvent

    /// Creates a record.
    public init(time: FleetTime, event: JournalEvent) {
        self.time = time
        self.event = event
    }
}
