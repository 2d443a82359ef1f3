/// An order the coordinator sent and still tracks.
public struct InFlightDispatch: Sendable, Hashable {
    /// The robot executing it.
    public var robot: RobotID
    /// What was sent.
    public var plan: DispatchPlan
    /// How many times it was sent for this assignment.
    public var sends: Int
    /// Whether the pick action was reported finished.
    public var picked: Bool
    /// How many of a patrol's stops the robot has passed (each journaled once as phase `visited:<station>`).
    public var visited: Int

    /// Creates an in-flight record.
    public init(robot: RobotID, plan: DispatchPlan, sends: Int = 1, picked: Bool = false, visited: Int = 0) {
        self.robot = robot
        self.plan = plan
        self.sends = sends
        self.picked = picked
        self.visited = visited
    }
}

/// The coordinator's protocol instance: pure, deterministic state that turns events into directives.
///
/// The shell (an actor in FleetRuntime) owns one `Coordinator`, feeds it every ``FleetEvent`` with the current
/// time, appends the returned ``Directive/journal(_:)`` records durably, then performs the other directives in
/// order. Nothing here reads a clock, does I/O or draws random numbers, so a run can be replayed exactly.
public struct Coordinator: Sendable {
    /// The site.
    public let layout: SiteLayout
    /// Routes on the site (shared cache).
    public let router: SiteRouter
    /// Tunables.
    public let configuration: CoordinatorConfiguration
    /// Who gets which task.
    public let policy: any AllocationPolicy
    /// Every task ever accepted, by id.
    public internal(set) var tasks: [TaskID: TransportTask] = [:]
    /// Every registered robot, by id.
    public internal(set) var robots: [RobotID: RobotState] = [:]
    /// Orders sent and not yet finished, by task.
    public internal(set) var inFlight: [TaskID: InFlightDispatch] = [:]
    /// The task each busy robot is bound to.
    public internal(set) var busy: [RobotID: TaskID] = [:]

    var lastLoss: [TaskID: (robot: RobotID, reason: RequeueReason)] = [:]
    var waitReasons: [TaskID: String] = [:]
    var stateTimerArmed: Set<RobotID> = []
    var staleReported: Set<RobotID> = []
    var lastPositionSample: [RobotID: FleetTime] = [:]
    /// Open human-proximity episodes: since when a robot has reported a person closer than the warning distance,
    /// the closest so far, and whether it was working with a person at its task's meeting point meanwhile.
    var proximity: [RobotID: ProximityEpisode] = [:]
    /// The node each robot stands on (within ``Coordinator/conflictRadius`` of it), for node conflicts.
    var occupiedNode: [RobotID: NodeID] = [:]
    var orderOwners: [String: TaskID] = [:]
    var cancelsSent: Set<String> = []
    var pending: [Directive] = []
    var allocationDue = false
    var allocationTimerArmed = false
    /// Robot → charger it drives to or charges at (counts against the charger's capacity).
    var chargeHolds: [RobotID: String] = [:]
    /// Robot → the task it is held for (an emergency it was interrupted for, or a forming coalition).
    var reservations: [RobotID: TaskID] = [:]
    /// Emergencies with a reserved robot (left out of the policy's queue).
    var reservedTasks: Set<TaskID> = []
    /// Tasks whose robot finished its part and waits for a person's confirmation.
    var awaitingConfirmation: Set<TaskID> = []
    /// Who confirmed a task.
    var confirmedBy: [TaskID: String] = [:]
    /// The latest plausible factsheet of each robot (also of robots not registered yet, and from replay).
    var factsheets: [RobotID: RobotFactsheet] = [:]
    /// Each registered robot's profile as configured (before its factsheet narrowed it). Kept apart from
    /// ``RobotState`` so that the copies of robot states the coordinator makes per event stay small.
    var configuredProfiles: [RobotID: RobotProfile] = [:]
    /// Charge tasks replayed before their assignment record (replay only).
    var pendingChargeReplay: [TaskID: String] = [:]
    /// Multi-robot tasks under way, by task.
    public internal(set) var coalitions: [TaskID: Coalition] = [:]
    /// Every registered person, by id.
    public internal(set) var people: [PersonID: PersonState] = [:]
    /// Every resident's call and fall alert, by task, with its escalation chain.
    public internal(set) var escalations: [TaskID: Escalation] = [:]
    /// Calls and alerts not yet resolved.
    var openEscalations: Set<TaskID> = []
    /// Zones' occupancy, holds and emergency stops, and the robots paused for them.
    var zoneControl = ZoneControl()
    /// Robots an operator took out of service, by robot: they get no task until their maintenance ends.
    public internal(set) var maintenance: [RobotID: RobotMaintenance] = [:]

    /// Creates an empty coordinator for a site.
    /// - Parameters:
    ///   - layout: the validated site layout.
    ///   - configuration: timeouts, battery rules, journaling rates.
    ///   - policy: the allocation policy (default: nearest idle robot by travel time).
    public init(
        layout: SiteLayout, configuration: CoordinatorConfiguration = CoordinatorConfiguration(),
        policy: any AllocationPolicy = NearestRobotPolicy()
    ) {
        self.layout = layout
        self.router = SiteRouter(layout: layout)
        self.configuration = configuration
        self.policy = policy
    }

    /// Handles one event at time `now` and returns what the shell must do, journal records first.
    /// - Parameters:
    ///   - event: what happened.
    ///   - now: the current time on the coordinator's clock (wall, simulated or replayed).
    /// - Returns: directives in the order they must be performed.
    public mutating func handle(_ event: FleetEvent, now: FleetTime) -> [Directive] {
        pending = []
        allocationDue = false
        switch event {
        case .taskRequested(let request):
            accept(request, now: now)
        case .taskCancelRequested(let id, let reason, let detail):
            cancel(id, reason: reason, detail: detail, now: now)
        case .robotRegistered(let id, let profile):
            register(id, profile: profile)
        case .robotFactsheet(let id, let factsheet):
            takeFactsheet(factsheet, of: id, now: now)
        case .robotObserved(let id, let observation):
            observe(id, observation, now: now)
        case .robotConnection(let id, let state):
            connection(id, state, now: now)
        case .timerFired(let timer):
            timerFired(timer, now: now)
        case .taskConfirmed(let id, let person, let actor):
            confirm(id, person: person, actor: actor, now: now)
        case .personRegistered(let id, let profile):
            registerPerson(id, profile: profile)
        case .personPresence(let id, let present, let location):
            presence(id, present: present, location: location, now: now)
        case .personAcknowledged(let id, let person):
            acknowledge(id, person: person, now: now)
        case .personRejected(let id, let person):
            decline(id, person: person, now: now)
        case .personArrived(let id, let person):
            arrive(id, person: person, now: now)
        case .residentCall(let id, let resident, let station):
            raise(id, alert: .call, resident: resident, station: station, detectedAt: nil, now: now)
        case .fallAlert(let id, let resident, let station, let detectedAt):
            raise(id, alert: .fall, resident: resident, station: station, detectedAt: detectedAt, now: now)
        case .zoneCommand(let command, let actor):
            zoneCommand(command, actor: actor, now: now)
        case .robotMaintenance(let id, let active, let actor, let reason):
            setMaintenance(id, active: active, actor: actor, reason: reason, now: now)
        case .clockJumped(let seconds):
            journal(.clockJump(seconds: seconds), at: now)
        }
        if allocationDue { allocateAtBoundedRate(now: now) }
        if !openEscalations.isEmpty { reviewEscalations(now: now) }
        if !zoneControl.isQuiet { reviewPauses(after: event, now: now) }
        return pending
    }

    /// The profile `robot` was registered with (``RobotState/profile`` is it narrowed by the robot's factsheet).
    public func configuredProfile(of robot: RobotID) -> RobotProfile? { configuredProfiles[robot] }

    /// The latest plausible factsheet `robot` published (or the journal had), if any.
    public func factsheet(of robot: RobotID) -> RobotFactsheet? { factsheets[robot] }

    /// Tasks in the given state, by id.
    public func tasks(in state: TaskState) -> [TransportTask] {
        tasks.values.filter { $0.state == state }.sorted { $0.id < $1.id }
    }

    /// Whether `robot` can be given a task now: registered, available, idle, not bound to a task and not in
    /// maintenance.
    public func isCandidate(_ robot: RobotID, now: FleetTime) -> Bool {
        guard busy[robot] == nil, reservations[robot] == nil, zoneControl.paused[robot] == nil,
            maintenance[robot] == nil, let state = robots[robot], state.isIdle,
            state.startNode(in: layout) != nil
        else {
            return false
        }
        if chargeHolds[robot] != nil, (state.observation?.batteryPercent ?? 0) < configuration.chargeUntil {
            return false
        }
        return state.isAvailable(
            now: now, stateTimeout: configuration.stateTimeout, minimumBattery: configuration.minimumBatteryForWork)
    }

    mutating func journal(_ event: JournalEvent, at time: FleetTime) {
        pending.append(.journal(JournalRecord(time: time, event: event)))
    }

    mutating func publishStatus(_ id: TaskID, reason: String? = nil, at time: FleetTime) {
        guard let task = tasks[id] else { return }
        let reason = reason ?? task.history.last?.detail
        pending.append(
            .publishTaskStatus(id, TaskStatus(state: task.state, robot: task.robot, reason: reason, time: time)))
    }

    /// Applies a lifecycle step the coordinator has already checked; a failure here is a coordinator bug, so it
    /// is surfaced loudly in debug builds and otherwise ignored (the task keeps its previous state).
    mutating func update(_ id: TaskID, _ step: (inout TransportTask) throws(TaskLifecycleError) -> Void) {
        guard var task = tasks[id] else { return }
        do {
            try step(&task)
            tasks[id] = task
        } catch {
            assertionFailure("coordinator bug: \(error)")
        }
    }

    mutating func release(_ id: TaskID) {
        if let flight = inFlight.removeValue(forKey: id), busy[flight.robot] == id { busy[flight.robot] = nil }
        for (robot, task) in busy where task == id { busy[robot] = nil }
        waitReasons[id] = nil
        awaitingConfirmation.remove(id)
        coalitions[id] = nil
        if let task = tasks[id], task.request.kind == .charge, task.state != .completed {
            for (robot, _) in chargeHolds where task.robot == robot { chargeHolds[robot] = nil }
        }
        if let task = tasks[id], task.state.isTerminal {
            for (robot, held) in reservations where held == id { reservations[robot] = nil }
            reservedTasks.remove(id)
        }
        allocationDue = true
    }
}
