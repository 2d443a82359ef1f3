import FleetCore

/// One task's life as the journal tells it: the instants of its lifecycle events, its outcome and its robots.
public struct TaskTimeline: Sendable, Hashable {
    /// How a task ended, or that it has not.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Not finished when the journal ends (right-censored).
        case open
        /// Completed.
        case completed
        /// Failed for good.
        case failed
        /// Cancelled.
        case cancelled
    }

    /// The task.
    public var id: TaskID
    /// When it was created; `nil` when the journal holds later events but not the `created` one.
    public var created: FleetTime?
    /// The first assignment.
    public var firstAssigned: FleetTime?
    /// The first time a robot started executing it.
    public var firstStarted: FleetTime?
    /// When it reached its outcome (the first terminal record).
    public var finished: FleetTime?
    /// The outcome.
    public var outcome: Outcome = .open
    /// Why it failed, when it did.
    public var failureReason: FailureReason?
    /// The deadline the request carried (`due`), if any.
    public var due: FleetTime?
    /// Who cancelled it, when it was cancelled.
    public var cancelActor: CancellationReason?
    /// The robot that completed it.
    public var completedBy: RobotID?
    /// How often it went back to the queue.
    public var requeues = 0
    /// How often it moved from one robot to another.
    public var reassignments = 0
    /// How many times an order was sent for it.
    public var dispatches = 0
    /// Terminal records after the first one (a task done twice shows up here).
    public var extraTerminalRecords = 0
    /// Lifecycle records after the first terminal one (e.g. a dispatch after completion).
    public var recordsAfterFinish = 0
    /// The lifecycle kinds in journal order (`created`, `assigned`, ...), phases and rejections excluded.
    public var kinds: [String] = []
    /// The request of the `created` record (kind, stops, requester, earliest start, ...).
    public var request: TaskRequest?
    /// The `phase` records in journal order (`picked`, `arrived`, `gathered`, `handover_start`, ...).
    public var phases: [PhaseMark] = []
    /// When a person confirmed the task (`human_ack` without a level), the first time.
    public var confirmed: FleetTime?
    /// Who confirmed first (the person of the first `human_ack`).
    public var confirmedBy: String?
    /// Confirmations the coordinator refused because someone other than the task's person sent them.
    public var refusedConfirmations = 0
    /// When the task went back to the queue because an emergency took its robot (`requeued`, `preempted`).
    public var preemptions: [FleetTime] = []

    /// Creates an empty timeline.
    /// - Parameter id: The task.
    public init(id: TaskID) {
        self.id = id
    }

    /// One `phase` record: its name, robot and time.
    public struct PhaseMark: Sendable, Hashable {
        /// The phase, e.g. `handover_start`.
        public var name: String
        /// The robot that reported it.
        public var robot: RobotID
        /// When.
        public var time: FleetTime
    }

    /// The task kind of its request (`transport` when the `created` record is missing).
    public var kind: TaskKind { request?.kind ?? .transport }

    /// Whether the coordinator created the task for itself (a charge trip): not demand.
    public var isCoordinatorOwn: Bool { request?.kind == .charge || request?.requester == "coordinator" }

    /// The first time phase `name` was reported.
    /// - Parameter name: The phase.
    /// - Returns: Its time.
    public func phase(_ name: String) -> FleetTime? { phases.first { $0.name == name }?.time }

    /// Seconds from creation to the first assignment.
    public var timeToAssign: Double? { interval(created, firstAssigned) }
    /// Seconds from creation to the first start (queue wait).
    public var waitTime: Double? { interval(created, firstStarted) }
    /// Seconds from creation to completion (lead time); `nil` unless completed.
    public var leadTime: Double? { outcome == .completed ? interval(created, finished) : nil }

    /// Whether the task reached a terminal outcome.
    public var isFinished: Bool { outcome != .open }

    /// Applies one record about this task.
    /// - Parameter record: A record whose `event.task` is this task.
    public mutating func apply(_ record: JournalRecord) {
        let time = record.time
        switch record.event {
        case .rejected(_, let detail):
            if detail.hasPrefix("confirmation refused") { refusedConfirmations += 1 }
            return
        case .phase(_, let robot, let phase):
            phases.append(PhaseMark(name: phase, robot: robot, time: time))
            return
        case .humanAck(_, let person, _):
            if confirmed == nil { confirmedBy = person }
            confirmed = confirmed ?? time
        default:
            // People's records (a call, an alert, escalations, acknowledgements of a notification, arrivals) may
            // follow the robot's part of a call or alert; they are not task transitions.
            if Self.peopleKinds.contains(record.event.kind) { return }
        }
        kinds.append(record.event.kind)
        if isFinished {
            switch record.event {
            case .completed, .failed, .canceled: extraTerminalRecords += 1
            default: recordsAfterFinish += 1
            }
            return
        }
        switch record.event {
        case .created(let request):
            created = created ?? time
            due = due ?? request.deadline
            self.request = self.request ?? request
        case .assigned: firstAssigned = firstAssigned ?? time
        case .reassigned:
            reassignments += 1
            firstAssigned = firstAssigned ?? time
        case .dispatched: dispatches += 1
        case .started: firstStarted = firstStarted ?? time
        case .completed(_, let robot, _):
            finish(.completed, at: time)
            completedBy = robot
        case .failed(_, _, let reason, _):
            finish(.failed, at: time)
            failureReason = reason
        case .canceled(_, let actor, _):
            finish(.cancelled, at: time)
            cancelActor = actor
        case .requeued(_, _, let reason, _):
            requeues += 1
            if reason == .preempted { preemptions.append(time) }
        default: break
        }
    }

    /// The kinds of people's records; a `human_ack` other than a task confirmation acknowledges a notification.
    static let peopleKinds: Set<String> = [
        "call", "alert", "escalated", "human_ack", "human_rejected", "human_arrived",
    ]

    private mutating func finish(_ outcome: Outcome, at time: FleetTime) {
        self.outcome = outcome
        finished = time
    }

    private func interval(_ from: FleetTime?, _ to: FleetTime?) -> Double? {
        guard let from, let to else { return nil }
        return to.seconds(since: from)
    }
}
