/// One entry of a task's history: when it reached which state, and why.
public struct TaskHistoryEntry: Sendable, Hashable, Codable {
    /// When.
    public var time: FleetTime
    /// The state reached.
    public var state: TaskState
    /// Machine-readable reason (a ``FailureReason``, ``CancellationReason`` or ``RequeueReason`` raw value), if any.
    public var reason: String?
    /// Human-readable detail, if any.
    public var detail: String?

    /// Creates an entry.
    public init(time: FleetTime, state: TaskState, reason: String? = nil, detail: String? = nil) {
        self.time = time
        self.state = state
        self.reason = reason
        self.detail = detail
    }
}

/// A transport task and its lifecycle. State changes only through the methods below, each of which checks the
/// lifecycle table (``TaskState/legalTargets``) and throws ``TaskLifecycleError`` otherwise.
public struct TransportTask: Sendable, Hashable {
    /// What was asked for.
    public let request: TaskRequest
    /// When the request arrived.
    public let createdAt: FleetTime
    /// Current state.
    public private(set) var state: TaskState = .requested
    /// The robot bound to the task (assigned, dispatched, in progress); the last one after a terminal state.
    public private(set) var robot: RobotID?
    /// The order sent for the current assignment.
    public private(set) var orderId: String?
    /// How many times robots rejected or dropped the task through a fault (counts toward the attempt limit).
    public private(set) var failedAttempts = 0
    /// How many assignments the task has had.
    public private(set) var assignmentCount = 0
    /// Every state reached, in order.
    public private(set) var history: [TaskHistoryEntry]

    /// Creates a task in state `requested`.
    public init(request: TaskRequest, createdAt: FleetTime) {
        self.request = request
        self.createdAt = createdAt
        self.history = [TaskHistoryEntry(time: createdAt, state: .requested)]
    }

    /// The task's id.
    public var id: TaskID { request.id }

    /// Whether the lifecycle table allows moving to `target` now.
    public func canTransition(to target: TaskState) -> Bool { state.legalTargets.contains(target) }

    /// requested → queued.
    public mutating func queue(at time: FleetTime) throws(TaskLifecycleError) {
        try transition(to: .queued, at: time)
    }

    /// queued → assigned to `robot`.
    public mutating func assign(to robot: RobotID, at time: FleetTime) throws(TaskLifecycleError) {
        try transition(to: .assigned, at: time, detail: robot.description)
        self.robot = robot
        assignmentCount += 1
    }

    /// assigned → dispatched with order `orderId`.
    public mutating func dispatch(orderId: String, at time: FleetTime) throws(TaskLifecycleError) {
        try transition(to: .dispatched, at: time, detail: orderId)
        self.orderId = orderId
    }

    /// dispatched → inProgress (the robot accepted the order).
    public mutating func start(at time: FleetTime) throws(TaskLifecycleError) {
        try transition(to: .inProgress, at: time)
    }

    /// inProgress → completed.
    public mutating func complete(at time: FleetTime, detail: String? = nil) throws(TaskLifecycleError) {
        try transition(to: .completed, at: time, reason: "ok", detail: detail)
    }

    /// Any non-terminal state → failed, with a reason.
    public mutating func fail(
        _ reason: FailureReason, detail: String, at time: FleetTime
    ) throws(TaskLifecycleError) {
        try transition(to: .failed, at: time, reason: reason.rawValue, detail: detail)
    }

    /// Any non-terminal state → cancelled, with a reason.
    public mutating func cancel(
        _ reason: CancellationReason, detail: String, at time: FleetTime
    ) throws(TaskLifecycleError) {
        try transition(to: .cancelled, at: time, reason: reason.rawValue, detail: detail)
    }

    /// assigned / dispatched / inProgress → queued after the robot was lost; the robot is released.
    /// Rejections, faults and unacknowledged dispatches count toward the attempt limit
    /// (``RequeueReason/countsAsAttempt``).
    public mutating func requeue(
        _ reason: RequeueReason, detail: String, at time: FleetTime
    ) throws(TaskLifecycleError) {
        guard state.hasRobot else { throw TaskLifecycleError(task: id, from: state, to: .queued) }
        try transition(to: .queued, at: time, reason: reason.rawValue, detail: detail)
        robot = nil
        orderId = nil
        if reason.countsAsAttempt { failedAttempts += 1 }
    }

    private mutating func transition(
        to target: TaskState, at time: FleetTime, reason: String? = nil, detail: String? = nil
    ) throws(TaskLifecycleError) {
        guard canTransition(to: target) else { throw TaskLifecycleError(task: id, from: state, to: target) }
        state = target
        history.append(TaskHistoryEntry(time: time, state: target, reason: reason, detail: detail))
    }
}
