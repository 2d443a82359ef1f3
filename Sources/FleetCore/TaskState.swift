/// Where a task is in its lifecycle.
///
/// `requested → queued → assigned → dispatched → inProgress → completed`, with `failed` and `cancelled` as the
/// other terminal states and a re-queue from `assigned`, `dispatched` or `inProgress` back to `queued` when the
/// robot is lost. ``legalTargets`` is the complete table; ``TransportTask`` enforces it.
public enum TaskState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Received, not yet checked.
    case requested
    /// Waiting for a robot.
    case queued
    /// A robot is chosen; the order is not sent yet.
    case assigned
    /// The order was sent; the robot has not confirmed it.
    case dispatched
    /// The robot is working on it.
    case inProgress
    /// Done (terminal).
    case completed
    /// Gave up (terminal).
    case failed
    /// Withdrawn (terminal).
    case cancelled

    /// The states this state may move to.
    public var legalTargets: Set<TaskState> {
        switch self {
        case .requested: return [.queued, .failed, .cancelled]
        case .queued: return [.assigned, .failed, .cancelled]
        case .assigned: return [.dispatched, .queued, .failed, .cancelled]
        case .dispatched: return [.inProgress, .queued, .failed, .cancelled]
        case .inProgress: return [.completed, .queued, .failed, .cancelled]
        case .completed, .failed, .cancelled: return []
        }
    }

    /// Whether the task is finished for good.
    public var isTerminal: Bool { legalTargets.isEmpty }

    /// Whether a robot is bound to the task.
    public var hasRobot: Bool { self == .assigned || self == .dispatched || self == .inProgress }
}

/// Why a task failed (B0 `failed.reason`).
public enum FailureReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Robot errors made the task impossible.
    case fault
    /// A timeout ran out (e.g. too many unacknowledged dispatches).
    case timeout
    /// The route was blocked.
    case blocked
    /// A safety stop made the task impossible.
    case safety
    /// No robot can ever do this task (capability, payload, battery).
    case noRobot = "no_robot"
    /// A person aborted it.
    case humanAbort = "human_abort"
    /// The robot rejected the order too many times.
    case rejected
    /// A pick or drop action failed.
    case actionFailed = "action_failed"
    /// The request itself is invalid.
    case invalidRequest = "invalid_request"
}

/// Who or what cancelled a task (B0 `canceled.actor`).
public enum CancellationReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// An operator.
    case operatorRequest = "operator"
    /// The original requester.
    case requester
    /// The system (e.g. shutdown of a scenario).
    case system
}

/// Why a task went back to the queue.
public enum RequeueReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The robot went offline or its connection broke.
    case robotOffline = "robot_offline"
    /// No observation from the robot within the state timeout.
    case robotStale = "robot_stale"
    /// The robot reported a fatal error.
    case robotFault = "robot_fault"
    /// The robot rejected the order.
    case orderRejected = "order_rejected"
    /// The robot never acknowledged the order.
    case dispatchTimeout = "dispatch_timeout"
    /// The robot left automatic mode.
    case robotMode = "robot_mode"
    /// The coordinator restarted between assigning and dispatching; the task is planned afresh.
    case coordinatorRestart = "coordinator_restart"
    /// An emergency task took the robot (the interrupted task's progress is in the record's detail).
    case preempted
    /// An operator took the robot into maintenance (the interrupted task's progress is in the record's detail).
    case maintenance

    /// Whether a re-queue for this reason counts toward ``CoordinatorConfiguration/maxFailedAttempts``
    /// (the robot refused or broke down on the task, rather than merely dropping off the network).
    public var countsAsAttempt: Bool {
        switch self {
        case .orderRejected, .robotFault, .dispatchTimeout: return true
        case .robotOffline, .robotStale, .robotMode, .coordinatorRestart, .preempted, .maintenance: return false
        }
    }
}

/// A transition the lifecycle table forbids. Names the task and both states.
public struct TaskLifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The task.
    public var task: TaskID
    /// The state it was in.
    public var from: TaskState
    /// The state asked for.
    public var to: TaskState

    /// Creates the error.
    public init(task: TaskID, from: TaskState, to: TaskState) {
        self.task = task
        self.from = from
        self.to = to
    }

    /// E.g. `task 'T1' cannot go from completed to queued`.
    public var description: String { "task '\(task)' cannot go from \(from.rawValue) to \(to.rawValue)" }
}
