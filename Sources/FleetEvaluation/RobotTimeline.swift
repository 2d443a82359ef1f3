import FleetCore

/// One robot's time bound to tasks: from an assignment until the task completes, fails, is cancelled, is
/// re-queued or moves to another robot.
public struct RobotTimeline: Sendable, Hashable {
    /// A closed stretch of time during which the robot was bound to `task`.
    public struct BusyInterval: Sendable, Hashable {
        /// The task.
        public var task: TaskID
        /// When the binding began.
        public var start: FleetTime
        /// When it ended.
        public var end: FleetTime

        /// Creates an interval.
        /// - Parameters:
        ///   - task: The task.
        ///   - start: The beginning.
        ///   - end: The end.
        public init(task: TaskID, start: FleetTime, end: FleetTime) {
            self.task = task
            self.start = start
            self.end = end
        }

        /// The seconds of this interval that lie within `window` (0 when disjoint).
        /// - Parameter window: The evaluation window.
        /// - Returns: Seconds.
        public func seconds(within window: ClosedRange<FleetTime>) -> Double {
            let from = max(start, window.lowerBound)
            let to = min(end, window.upperBound)
            return to > from ? to.seconds(since: from) : 0
        }
    }

    /// The robot.
    public var id: RobotID
    /// Finished busy intervals, in the order they ended.
    public var intervals: [BusyInterval] = []
    /// Tasks this robot completed.
    public var completedTasks = 0

    /// Creates an empty timeline.
    /// - Parameter id: The robot.
    public init(id: RobotID) {
        self.id = id
    }

    /// Seconds bound to a task within `window`.
    /// - Parameter window: The evaluation window.
    /// - Returns: The busy seconds.
    public func busySeconds(within window: ClosedRange<FleetTime>) -> Double {
        intervals.reduce(0) { $0 + $1.seconds(within: window) }
    }
}

/// Tracks which robot each task is bound to while records are applied, and closes intervals on the robots.
struct BindingTracker {
    private var open: [TaskID: (robot: RobotID, since: FleetTime)] = [:]

    /// Updates bindings for one task record; returns the interval it closed, if any.
    mutating func apply(_ record: JournalRecord) -> (robot: RobotID, interval: RobotTimeline.BusyInterval)? {
        guard let task = record.event.task else { return nil }
        switch record.event {
        case .assigned(_, let robot, _):
            let closed = close(task, at: record.time)
            open[task] = (robot, record.time)
            return closed
        case .reassigned(_, _, let to, _, _):
            let closed = close(task, at: record.time)
            open[task] = (to, record.time)
            return closed
        case .completed, .failed, .canceled, .requeued:
            return close(task, at: record.time)
        default:
            return nil
        }
    }

    /// Closes every binding still open at `end` (the end of the journal or of the window).
    mutating func closeAll(at end: FleetTime) -> [(robot: RobotID, interval: RobotTimeline.BusyInterval)] {
        let closed = open.keys.sorted().compactMap { close($0, at: max(end, open[$0]!.since)) }
        return closed
    }

    private mutating func close(_ task: TaskID, at time: FleetTime)
        -> (robot: RobotID, interval: RobotTimeline.BusyInterval)?
    {
        guard let binding = open.removeValue(forKey: task) else { return nil }
        return (binding.robot, RobotTimeline.BusyInterval(task: task, start: binding.since, end: time))
    }
}
