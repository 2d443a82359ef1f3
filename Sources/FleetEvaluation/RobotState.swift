import FleetCore

/// A robot's derived state (catalogue B0), in precedence order: the first that applies wins.
public enum RobotState: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The link is offline, broken or stale (silent past the daemon's state timeout), or nothing heard yet.
    case offline = "OFFLINE"
    /// A fatal fault is open.
    case faultDown = "FAULT_DOWN"
    /// A safety stop is active (not journaled yet: never derived).
    case safetyStopped = "SAFETY_STOPPED"
    /// Manual, service or teach-in mode.
    case manual = "MANUAL_SERVICE"
    /// Charging.
    case charging = "CHARGING"
    /// Bound only to charge tasks (the coordinator's trips to a charger): charging overhead, not utilisation.
    case chargeTrip = "CHARGE_TRIP"
    /// Executing a task: from `started` to the task's end.
    case busyExec = "BUSY_EXEC"
    /// Bound to a task but not started: from `assigned` to `started`.
    case busyToStart = "BUSY_TO_START"
    /// Available.
    case idle = "IDLE_AVAILABLE"

    /// The precedence rule as text, for the report.
    public static let precedence =
        "OFFLINE (link offline/connectionBroken/stale as journaled, or before the robot's first record) > "
        + "FAULT_DOWN (fatal fault open) > SAFETY_STOPPED (no journal event yet) > MANUAL/SERVICE (mode manual, "
        + "service, teachIn) > CHARGING (battery charging) > CHARGE_TRIP (bound only to charge tasks) > "
        + "BUSY_EXEC [started, end) > BUSY_TO_START "
        + "[assigned, started) > IDLE_AVAILABLE"

    /// Precedence order: earlier cases win.
    public static func < (lhs: RobotState, rhs: RobotState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Whether the robot is working on a task.
    public var isBusy: Bool { self == .busyExec || self == .busyToStart }
}

/// The flags of one robot that decide its state, updated record by record.
struct RobotFlags: Hashable {
    var heard = false
    var link: RobotLink = .online
    var openFaults: Set<String> = []
    var mode: OperatingMode = .automatic
    var charging = false
    /// Tasks bound to the robot, with whether they started.
    var tasks: [TaskID: Bool] = [:]
    /// The bound tasks that are charge trips.
    var chargeTasks: Set<TaskID> = []

    var state: RobotState {
        if !heard || link != .online { return .offline }
        if !openFaults.isEmpty { return .faultDown }
        if mode == .manual || mode == .service || mode == .teachIn { return .manual }
        if charging { return .charging }
        if !tasks.isEmpty && tasks.keys.allSatisfy(chargeTasks.contains) { return .chargeTrip }
        if tasks.values.contains(true) { return .busyExec }
        if !tasks.isEmpty { return .busyToStart }
        return .idle
    }

    /// Applies a record that names this robot (or a task bound to it). A cooperative carry binds every member
    /// (`coalition_member` phase); its end, named with the leader only, frees them all.
    mutating func apply(_ event: JournalEvent, robot: RobotID, chargeTask: Bool = false) {
        if chargeTask, let task = event.task { chargeTasks.insert(task) }
        heard = true
        switch event {
        case .connection(_, let state): link = state
        case .fault(_, let code, let level, let raised, _):
            guard level == .fatal else { return }
            if raised { openFaults.insert(code) } else { openFaults.remove(code) }
        case .mode(_, let mode): self.mode = mode
        case .battery(_, _, let charging): self.charging = charging
        case .assigned(let task, let to, _) where to == robot: tasks[task] = false
        case .reassigned(let task, let from, let to, _, _):
            if from == robot { tasks[task] = nil }
            if to == robot { tasks[task] = false }
        case .phase(let task, let member, let phase) where phase == "coalition_member" && member == robot:
            tasks[task] = tasks[task] ?? false
        case .started(let task, let member, _) where member == robot: tasks[task] = true
        case .completed(let task, _, _), .requeued(let task, _, _, _), .failed(let task, _, _, _),
            .canceled(let task, _, _):
            tasks[task] = nil
            chargeTasks.remove(task)
        default: break
        }
    }
}
