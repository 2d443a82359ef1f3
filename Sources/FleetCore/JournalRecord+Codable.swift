/// The journal's flat wire format: `t` (milliseconds since the epoch), `kind` (the B0 name), then the event's
/// fields in snake_case. `created` records carry the request's own keys (``TaskRequest``'s coding: `task_id`,
/// `type` (the task kind), `origin`/`destination` for load-carrying kinds, `stops`, `priority`, `due`, ...).
///
/// People's records: `call` (`resident`, `station`), `alert` (`resident`, `station`, `detected` in milliseconds
/// since the epoch), `escalated` (`person`, `level`, `reason`), `human_ack` (`person`; with `level` when it
/// acknowledges a notification, without when it confirms a task), `human_rejected` (`person`, `level`) and
/// `human_arrived` (`person`), each with `task_id`; a `human_ack` confirmation entered through the operator API also
/// has `actor` (the token name).
///
/// Operator records: `maintenance_start` (`robot_id`, `actor`, `reason`), `maintenance_end` (`robot_id`, `actor`),
/// `pause` and `resume` (`robot_id`, `actor`).
///
/// Data quality: `clock_jump` (`seconds`: how far simulated time moved at once).
///
/// Safety: `human_proximity` (`robot_id`, `distance`: metres at the closest, `seconds`, `collaborative`).
///
/// A robot's `factsheet` record: `robot_id`, `series`, `speed_max` (m/s), `max_load_kg`, `actions` (sorted) and
/// `detail` (what changed in its profile, e.g. `maxSpeed 1.5 -> 1.2 m/s`).
///
/// Zones' records: `zone_presence` (`zone`, `present`: the ids inside), `zone_hold`/`zone_release`/`zone_clear`
/// (`zone`, `actor`, `people`: how many are inside, `robots`: paused or resumed), `zone_slowdown` (the same and
/// `speed`), `estop`/`estop_release` (`actor`, `robots`, `zone` unless it is the site's) and
/// `robot_paused`/`robot_resumed` (`robot_id`, `actor`, `zone` unless it is the site's).
extension JournalRecord: Codable {
    enum Key: String, CodingKey {
        case t, kind, type, detail, reason, attempt, plan, phase, outcome, state, mode, code, level, raised, soc
        case charging, x, y, map, node, actor, from, to, person, resident, station, detected, series, actions
        case zone, people, present, robots, speed, active, seconds, distance, collaborative
        case speedMax = "speed_max"
        case maxLoad = "max_load_kg"
        case task = "task_id"
        case robot = "robot_id"
        case orderId = "order_id"
        case eta = "eta_s"
        case age = "age_s"
    }

    /// Decodes a flat record; throws `DecodingError` for an unknown `kind`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        time = FleetTime(milliseconds: try c.decode(Int64.self, forKey: .t))
        let kind = try c.decode(String.self, forKey: .kind)
        func task() throws -> TaskID { try c.decode(TaskID.self, forKey: .task) }
        func robot() throws -> RobotID { try c.decode(RobotID.self, forKey: .robot) }
        func text(_ key: Key) throws -> String { try c.decode(String.self, forKey: key) }
        func person(_ key: Key) throws -> PersonID { try c.decode(PersonID.self, forKey: key) }
        switch kind {
        case "created": event = .created(try TaskRequest(from: decoder))
        case "rejected": event = .rejected(task: try task(), detail: try text(.detail))
        case "waiting": event = .waiting(task: try task(), reason: try text(.reason))
        case "human_ack":
            if let level = try c.decodeIfPresent(Int.self, forKey: .level) {
                event = .acknowledged(task: try task(), person: try person(.person), level: level)
            } else {
                event = .humanAck(
                    task: try task(), person: try text(.person),
                    actor: try c.decodeIfPresent(String.self, forKey: .actor))
            }
        case "call": event = .call(task: try task(), resident: try person(.resident), station: try text(.station))
        case "alert":
            event = .alert(
                task: try task(), resident: try person(.resident), station: try text(.station),
                detectedAt: FleetTime(milliseconds: try c.decode(Int64.self, forKey: .detected)))
        case "escalated":
            event = .escalated(
                task: try task(), person: try person(.person), level: try c.decode(Int.self, forKey: .level),
                reason: try c.decode(EscalationReason.self, forKey: .reason))
        case "human_rejected":
            event = .humanRejected(
                task: try task(), person: try person(.person), level: try c.decode(Int.self, forKey: .level))
        case "human_arrived": event = .humanArrived(task: try task(), person: try person(.person))
        case "assigned":
            event = .assigned(
                task: try task(), robot: try robot(), etaPickSeconds: try c.decode(Double.self, forKey: .eta))
        case "reassigned":
            event = .reassigned(
                task: try task(), from: try c.decode(RobotID.self, forKey: .from),
                to: try c.decode(RobotID.self, forKey: .to), reason: try c.decode(RequeueReason.self, forKey: .reason),
                etaPickSeconds: try c.decode(Double.self, forKey: .eta))
        case "dispatched":
            event = .dispatched(
                task: try task(), robot: try robot(), attempt: try c.decode(Int.self, forKey: .attempt),
                plan: try c.decode(DispatchPlan.self, forKey: .plan))
        case "started": event = .started(task: try task(), robot: try robot(), orderId: try text(.orderId))
        case "phase": event = .phase(task: try task(), robot: try robot(), phase: try text(.phase))
        case "completed": event = .completed(task: try task(), robot: try robot(), outcome: try text(.outcome))
        case "failed":
            event = .failed(
                task: try task(), robot: try c.decodeIfPresent(RobotID.self, forKey: .robot),
                reason: try c.decode(FailureReason.self, forKey: .reason), detail: try text(.detail))
        case "canceled":
            event = .canceled(
                task: try task(), actor: try c.decode(CancellationReason.self, forKey: .actor),
                detail: try text(.detail))
        case "requeued":
            event = .requeued(
                task: try task(), robot: try robot(), reason: try c.decode(RequeueReason.self, forKey: .reason),
                detail: try text(.detail))
        case "connection": event = .connection(robot: try robot(), state: try c.decode(RobotLink.self, forKey: .state))
        case "mode": event = .mode(robot: try robot(), mode: try c.decode(OperatingMode.self, forKey: .mode))
        case "fault":
            event = .fault(
                robot: try robot(), code: try text(.code), level: try c.decode(FaultLevel.self, forKey: .level),
                raised: try c.decode(Bool.self, forKey: .raised), detail: try text(.detail))
        case "battery":
            event = .battery(
                robot: try robot(), soc: try c.decode(Double.self, forKey: .soc),
                charging: try c.decode(Bool.self, forKey: .charging))
        case "position":
            event = .position(
                robot: try robot(), x: try c.decode(Double.self, forKey: .x), y: try c.decode(Double.self, forKey: .y),
                map: try text(.map), node: try c.decodeIfPresent(String.self, forKey: .node),
                age: try c.decodeIfPresent(Double.self, forKey: .age))
        case "factsheet":
            let factsheet = RobotFactsheet(
                series: try text(.series), maxSpeed: try c.decode(Double.self, forKey: .speedMax),
                maxLoadKg: try c.decode(Double.self, forKey: .maxLoad),
                actionTypes: Set(try c.decode([String].self, forKey: .actions)))
            event = .factsheet(robot: try robot(), factsheet: factsheet, changes: try text(.detail))
        case "zone_presence":
            event = .zonePresence(zone: try text(.zone), people: try c.decode([PersonID].self, forKey: .present))
        case "zone_hold", "zone_release", "zone_clear":
            let zone = try text(.zone)
            let actor = try text(.actor)
            let people = try c.decode(Int.self, forKey: .people)
            let robots = try c.decode([RobotID].self, forKey: .robots)
            event =
                kind == "zone_hold"
                ? .zoneHold(zone: zone, actor: actor, people: people, robots: robots)
                : kind == "zone_release"
                    ? .zoneRelease(zone: zone, actor: actor, people: people, robots: robots)
                    : .zoneClear(zone: zone, actor: actor, people: people, robots: robots)
        case "zone_slowdown":
            event = .zoneSlowdown(
                zone: try text(.zone), actor: try text(.actor), people: try c.decode(Int.self, forKey: .people),
                speed: try c.decode(Double.self, forKey: .speed), robots: try c.decode([RobotID].self, forKey: .robots))
        case "estop", "estop_release":
            let zone = try c.decodeIfPresent(String.self, forKey: .zone)
            let actor = try text(.actor)
            let robots = try c.decode([RobotID].self, forKey: .robots)
            event =
                kind == "estop"
                ? .emergencyStop(zone: zone, actor: actor, robots: robots)
                : .emergencyStopRelease(zone: zone, actor: actor, robots: robots)
        case "robot_paused", "robot_resumed":
            event = .robotPause(
                robot: try robot(), paused: kind == "robot_paused",
                zone: try c.decodeIfPresent(String.self, forKey: .zone), actor: try text(.actor))
        case "node_conflict":
            event = .nodeConflict(node: try text(.node), robots: try c.decode([RobotID].self, forKey: .robots))
        case "safety_stop":
            event = .safetyStop(
                robot: try robot(), type: try text(.type), active: try c.decode(Bool.self, forKey: .active))
        case "maintenance_start", "maintenance_end":
            event = .maintenance(
                robot: try robot(), active: kind == "maintenance_start", actor: try text(.actor),
                reason: try c.decodeIfPresent(String.self, forKey: .reason) ?? "")
        case "pause", "resume": event = .pause(robot: try robot(), paused: kind == "pause", actor: try text(.actor))
        case "clock_jump": event = .clockJump(seconds: try c.decode(Double.self, forKey: .seconds))
        case "human_proximity":
            event = .humanProximity(
                robot: try robot(), distance: try c.decode(Double.self, forKey: .distance),
                seconds: try c.decode(Double.self, forKey: .seconds),
                collaborative: try c.decode(Bool.self, forKey: .collaborative))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown journal record kind '\(kind)'")
        }
    }

    /// Encodes as one flat object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(time.milliseconds, forKey: .t)
        try c.encode(event.kind, forKey: .kind)
        if case .created(let request) = event {
            try request.encode(to: encoder)
            return
        }
        try c.encodeIfPresent(event.task, forKey: .task)
        switch event {
        case .created: break
        case .rejected(_, let detail): try c.encode(detail, forKey: .detail)
        case .assigned(_, let robot, let eta):
            try c.encode(robot, forKey: .robot)
            try c.encode(eta, forKey: .eta)
        case .reassigned(_, let from, let to, let reason, let eta):
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(to, forKey: .robot)
            try c.encode(reason, forKey: .reason)
            try c.encode(eta, forKey: .eta)
        case .dispatched(_, let robot, let attempt, let plan):
            try c.encode(robot, forKey: .robot)
            try c.encode(attempt, forKey: .attempt)
            try c.encode(plan, forKey: .plan)
        case .started(_, let robot, let orderId):
            try c.encode(robot, forKey: .robot)
            try c.encode(orderId, forKey: .orderId)
        case .phase(_, let robot, let phase):
            try c.encode(robot, forKey: .robot)
            try c.encode(phase, forKey: .phase)
        case .completed(_, let robot, let outcome):
            try c.encode(robot, forKey: .robot)
            try c.encode(outcome, forKey: .outcome)
        case .failed(_, let robot, let reason, let detail):
            try c.encodeIfPresent(robot, forKey: .robot)
            try c.encode(reason, forKey: .reason)
            try c.encode(detail, forKey: .detail)
        case .canceled(_, let actor, let detail):
            try c.encode(actor, forKey: .actor)
            try c.encode(detail, forKey: .detail)
        case .requeued(_, let robot, let reason, let detail):
            try c.encode(robot, forKey: .robot)
            try c.encode(reason, forKey: .reason)
            try c.encode(detail, forKey: .detail)
        case .humanAck(_, let person, let actor):
            try c.encode(person, forKey: .person)
            try c.encodeIfPresent(actor, forKey: .actor)
        case .waiting(_, let reason):
            try c.encode(reason, forKey: .reason)
        case .call(_, let resident, let station):
            try c.encode(resident, forKey: .resident)
            try c.encode(station, forKey: .station)
        case .alert(_, let resident, let station, let detectedAt):
            try c.encode(resident, forKey: .resident)
            try c.encode(station, forKey: .station)
            try c.encode(detectedAt.milliseconds, forKey: .detected)
        case .escalated(_, let person, let level, let reason):
            try c.encode(person, forKey: .person)
            try c.encode(level, forKey: .level)
            try c.encode(reason, forKey: .reason)
        case .acknowledged(_, let person, let level), .humanRejected(_, let person, let level):
            try c.encode(person, forKey: .person)
            try c.encode(level, forKey: .level)
        case .humanArrived(_, let person):
            try c.encode(person, forKey: .person)
        case .connection(let robot, let state):
            try c.encode(robot, forKey: .robot)
            try c.encode(state, forKey: .state)
        case .mode(let robot, let mode):
            try c.encode(robot, forKey: .robot)
            try c.encode(mode, forKey: .mode)
        case .fault(let robot, let code, let level, let raised, let detail):
            try c.encode(robot, forKey: .robot)
            try c.encode(code, forKey: .code)
            try c.encode(level, forKey: .level)
            try c.encode(raised, forKey: .raised)
            try c.encode(detail, forKey: .detail)
        case .battery(let robot, let soc, let charging):
            try c.encode(robot, forKey: .robot)
            try c.encode(soc, forKey: .soc)
            try c.encode(charging, forKey: .charging)
        case .position(let robot, let x, let y, let map, let node, let age):
            try c.encode(robot, forKey: .robot)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
            try c.encode(map, forKey: .map)
            try c.encodeIfPresent(node, forKey: .node)
            try c.encodeIfPresent(age, forKey: .age)
        case .factsheet(let robot, let factsheet, let changes):
            try c.encode(robot, forKey: .robot)
            try c.encode(factsheet.series, forKey: .series)
            try c.encode(factsheet.maxSpeed, forKey: .speedMax)
            try c.encode(factsheet.maxLoadKg, forKey: .maxLoad)
            try c.encode(factsheet.actionTypes.sorted(), forKey: .actions)
            try c.encode(changes, forKey: .detail)
        case .zonePresence(let zone, let people):
            try c.encode(zone, forKey: .zone)
            try c.encode(people, forKey: .present)
        case .zoneHold(let zone, let actor, let people, let robots),
            .zoneRelease(let zone, let actor, let people, let robots),
            .zoneClear(let zone, let actor, let people, let robots):
            try c.encode(zone, forKey: .zone)
            try c.encode(actor, forKey: .actor)
            try c.encode(people, forKey: .people)
            try c.encode(robots, forKey: .robots)
        case .zoneSlowdown(let zone, let actor, let people, let speed, let robots):
            try c.encode(zone, forKey: .zone)
            try c.encode(actor, forKey: .actor)
            try c.encode(people, forKey: .people)
            try c.encode(speed, forKey: .speed)
            try c.encode(robots, forKey: .robots)
        case .emergencyStop(let zone, let actor, let robots), .emergencyStopRelease(let zone, let actor, let robots):
            try c.encodeIfPresent(zone, forKey: .zone)
            try c.encode(actor, forKey: .actor)
            try c.encode(robots, forKey: .robots)
        case .robotPause(let robot, _, let zone, let actor):
            try c.encode(robot, forKey: .robot)
            try c.encodeIfPresent(zone, forKey: .zone)
            try c.encode(actor, forKey: .actor)
        case .nodeConflict(let node, let robots):
            try c.encode(node, forKey: .node)
            try c.encode(robots, forKey: .robots)
        case .safetyStop(let robot, let type, let active):
            try c.encode(robot, forKey: .robot)
            try c.encode(type, forKey: .type)
            try c.encode(active, forKey: .active)
        case .maintenance(let robot, let active, let actor, let reason):
            try c.encode(robot, forKey: .robot)
            try c.encode(actor, forKey: .actor)
            if active { try c.encode(reason, forKey: .reason) }
        case .pause(let robot, _, let actor):
            try c.encode(robot, forKey: .robot)
            try c.encode(actor, forKey: .actor)
        case .clockJump(let seconds):
            try c.encode(seconds, forKey: .seconds)
        case .humanProximity(let robot, let distance, let seconds, let collaborative):
            try c.encode(robot, forKey: .robot)
            try c.encode(distance, forKey: .distance)
            try c.encode(seconds, forKey: .seconds)
            try c.encode(collaborative, forKey: .collaborative)
        }
    }
}
