import FleetCore

/// A run rebuilt from its journal: per-task timelines, per-robot busy intervals and the counts of events that
/// belong to no single task. ``RunSummary`` is computed from it; later KPIs grow here.
public struct RunAnalysis: Sendable {
    /// Every task the journal mentions, by id.
    public private(set) var tasks: [TaskID: TaskTimeline] = [:]
    /// Every robot the journal mentions, by id.
    public private(set) var robots: [RobotID: RobotTimeline] = [:]
    /// Task ids in the order they first appeared.
    public private(set) var taskOrder: [TaskID] = []
    /// Requests refused before they became tasks (`rejected` records).
    public private(set) var rejectedRequests = 0
    /// Robot faults raised, by level (`fault` records with `raised: true`).
    public private(set) var faultsRaised: [FaultLevel: Int] = [:]
    /// The number of records applied.
    public private(set) var recordCount = 0
    /// The earliest record time.
    public private(set) var firstTime: FleetTime?
    /// The latest record time.
    public private(set) var lastTime: FleetTime?

    private var bindings = BindingTracker()
    private var closed = false

    /// Rebuilds a run from `records` (in journal order) and closes the bindings still open at the last record.
    /// - Parameter records: The journal's records.
    public init(records: [JournalRecord]) {
        for record in records { apply(record) }
        finish()
    }

    /// Creates an empty analysis to feed with ``apply(_:)`` and ``finish()``.
    public init() {}

    /// Applies the next record in journal order.
    /// - Parameter record: The record.
    public mutating func apply(_ record: JournalRecord) {
        precondition(!closed, "RunAnalysis.apply after finish()")
        recordCount += 1
        firstTime = min(firstTime ?? record.time, record.time)
        lastTime = max(lastTime ?? record.time, record.time)
        for robot in Self.robots(of: record.event) where robots[robot] == nil {
            robots[robot] = RobotTimeline(id: robot)
        }
        switch record.event {
        case .rejected(let task, let detail):
            // A refused confirmation (a person confirming a task that is not theirs, or is already over) is not a
            // refused request; a wrong-person refusal is counted on its task (the right-resident KPI). Neither are
            // other refused answers of people (an acknowledgement, rejection or arrival for a call already resolved).
            if detail.hasPrefix("confirmation") {
                tasks[task]?.apply(record)
            } else if !Self.personAnswerPrefixes.contains(where: { detail.hasPrefix($0) }) {
                rejectedRequests += 1
            }
            return
        case .fault(_, _, let level, let raised, _):
            if raised { faultsRaised[level, default: 0] += 1 }
            return
        default:
            break
        }
        guard let id = record.event.task else { return }
        if tasks[id] == nil {
            tasks[id] = TaskTimeline(id: id)
            taskOrder.append(id)
        }
        let wasFinished = tasks[id]!.isFinished
        tasks[id]!.apply(record)
        if case .completed(_, let robot, _) = record.event, !wasFinished {
            robots[robot]!.completedTasks += 1
        }
        if let (robot, interval) = bindings.apply(record) { robots[robot]!.intervals.append(interval) }
    }

    /// Closes the busy intervals still open at the last record (tasks bound to a robot when the journal ends).
    public mutating func finish() {
        guard !closed else { return }
        closed = true
        guard let lastTime else { return }
        for (robot, interval) in bindings.closeAll(at: lastTime) { robots[robot]!.intervals.append(interval) }
    }

    /// The timelines in the order the tasks first appeared.
    public var orderedTasks: [TaskTimeline] { taskOrder.map { tasks[$0]! } }

    /// Tasks that have not finished, in order of appearance.
    public var openTasks: [TaskID] { taskOrder.filter { !tasks[$0]!.isFinished } }

    /// Tasks the journal mentions without a `created` record.
    public var tasksWithoutCreated: [TaskID] { taskOrder.filter { tasks[$0]!.created == nil } }

    /// The robots an event names.
    /// How the coordinator's `rejected` records of people's refused answers begin (`acknowledgement by carer-2
    /// refused: ...`, `rejection by ...`, `arrival of ...`); they are not refused task requests.
    static let personAnswerPrefixes = ["acknowledgement", "rejection", "arrival"]

    static func robots(of event: JournalEvent) -> [RobotID] {
        event.robots
    }
}
