/// A timer the coordinator asked the shell to start; it comes back as ``FleetEvent/timerFired(_:)``.
public enum TimerID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Check that the robot acknowledged dispatch number `attempt` of the task's current assignment.
    case dispatchAcknowledgement(TaskID, attempt: Int)
    /// Check whether the robot has been silent for longer than the state timeout.
    case robotStateTimeout(RobotID)
    /// Run the allocation policy (a rate-limited policy runs at most once per interval).
    case allocation
    /// A task's earliest start has come.
    case taskReady(TaskID)
    /// Check whether the person confirmed the task the robot waits at.
    case confirmationTimeout(TaskID)
    /// Check whether a call or alert is resolved or acknowledged at escalation step `level` (0: the call itself).
    case escalation(TaskID, level: Int)
    /// Check whether the person who acknowledged step `level` of a call or alert arrived on scene.
    case arrival(TaskID, level: Int)

    /// E.g. `dispatch-ack:T1#2` or `state-timeout:acme/AMR-07`.
    public var description: String {
        switch self {
        case .dispatchAcknowledgement(let task, let attempt): return "dispatch-ack:\(task)#\(attempt)"
        case .robotStateTimeout(let robot): return "state-timeout:\(robot)"
        case .allocation: return "allocation"
        case .taskReady(let task): return "ready:\(task)"
        case .confirmationTimeout(let task): return "confirmation:\(task)"
        case .escalation(let task, let level): return "escalation:\(task)#\(level)"
        case .arrival(let task, let level): return "arrival:\(task)#\(level)"
        }
    }
}

/// Everything that can happen to the coordinator. The shell turns every input into one of these.
public enum FleetEvent: Sendable, Hashable {
    /// Someone asks for a transport.
    case taskRequested(TaskRequest)
    /// Someone withdraws a task.
    case taskCancelRequested(TaskID, CancellationReason, detail: String)
    /// A robot joins the fleet (from configuration or its factsheet); registering again updates the profile.
    case robotRegistered(RobotID, RobotProfile)
    /// A robot published its factsheet (VDA 5050 `factsheet` topic): its profile is the configured one narrowed by
    /// it (``RobotProfile/narrowed(by:)``); an implausible factsheet (``RobotFactsheet/problem``) is ignored.
    case robotFactsheet(RobotID, RobotFactsheet)
    /// A robot reported its state.
    case robotObserved(RobotID, RobotObservation)
    /// A robot's connection changed.
    case robotConnection(RobotID, ConnectionState)
    /// A timer started by ``Directive/startTimer(_:at:)`` ran out.
    case timerFired(TimerID)
    /// A person confirmed a task (an assist done, an item handed over), from their device (`actor` is `nil`: the
    /// person sent it) or the operator API (`actor` is the caller's token name).
    case taskConfirmed(TaskID, person: String, actor: String? = nil)
    /// A person joins the site's roster (from the scenario or the roster); registering again updates the profile.
    case personRegistered(PersonID, PersonProfile)
    /// A person's device reported presence (at the site or not) and, if known, where the person is.
    case personPresence(PersonID, present: Bool, location: PersonLocation?)
    /// A person acknowledged the notification of a call or alert (`human_ack`): they are on their way.
    case personAcknowledged(TaskID, person: PersonID)
    /// A person declined the notification of a call or alert; the chain moves on to the next person at once.
    case personRejected(TaskID, person: PersonID)
    /// A person arrived on scene of a call, alert or other task (`human_arrived`).
    case personArrived(TaskID, person: PersonID)
    /// A resident pressed a call button at `station`; the call id becomes the id of an `assist` task.
    case residentCall(TaskID, resident: PersonID, station: StationID)
    /// The simulator moved simulated time `seconds` in one step, at least half the state timeout (see
    /// ``JournalEvent/clockJump(seconds:)``): journaled for the evaluator's data-quality gate.
    case clockJumped(seconds: Double)
    /// A sensor detected a fall of `resident` at `station` at `detectedAt`; the alert id becomes the id of an
    /// `emergency` task.
    case fallAlert(TaskID, resident: PersonID, station: StationID, detectedAt: FleetTime)
    /// An operator holds or releases a zone, or stops or releases a zone or the site (`actor`: the operator's
    /// name); check ``Coordinator/zoneCommandRefusal(_:)`` first, a refused command changes nothing.
    case zoneCommand(ZoneCommand, actor: String)
    /// An operator (`actor`, the token name) takes a robot out of service (`active`), with a free-text `reason`,
    /// or puts it back (`active` false). See ``Coordinator/maintenance``.
    case robotMaintenance(RobotID, active: Bool, actor: String, reason: String)
}

/// A task's status as published to the requester.
public struct TaskStatus: Sendable, Hashable, Codable {
    /// Current state.
    public var state: TaskState
    /// The robot bound to the task, if any.
    public var robot: RobotID?
    /// Why the task is in this state (failure, cancellation, re-queue or waiting reason), if there is one.
    public var reason: String?
    /// When the status changed.
    public var time: FleetTime

    /// Creates a status.
    public init(state: TaskState, robot: RobotID?, reason: String?, time: FleetTime) {
        self.state = state
        self.robot = robot
        self.reason = reason
        self.time = time
    }
}

/// What the shell must do after an event. A `journal` directive always precedes the side effects that
/// follow from it; the shell appends it durably before performing them.
public enum Directive: Sendable, Hashable {
    /// Append the record to the journal (and publish it on the event topic).
    case journal(JournalRecord)
    /// Send the plan to the robot as an order.
    case dispatch(RobotID, DispatchPlan)
    /// Tell the robot to cancel the order (VDA 5050 instant action `cancelOrder`).
    case cancelOrder(RobotID, orderId: String)
    /// Publish the task's status to its requester.
    case publishTaskStatus(TaskID, TaskStatus)
    /// Deliver ``FleetEvent/timerFired(_:)`` at the given time.
    case startTimer(TimerID, at: FleetTime)
    /// Refuse a request that never became a task (invalid or duplicate); `task` is the id it carried.
    case rejectRequest(task: TaskID, reason: String)
    /// Tell a person about a call or alert escalated to them (their device, pager or the nurse station's screen).
    case notifyPerson(PersonID, PersonNotification)
    /// Pause (`true`: VDA 5050 instant action `startPause`) or resume (`false`: `stopPause`) the robot.
    case setPaused(RobotID, Bool)
}
