import FleetCore

/// Every robot's derived state over time (catalogue B0), with the time spent in each state within the window,
/// the state segments for the Gantt chart, the battery trace and the fault episodes.
public struct RobotStateTimeline: Sendable {
    /// A stretch of constant state.
    public struct Segment: Sendable, Hashable {
        /// The state.
        public var state: RobotState
        /// Start.
        public var start: FleetTime
        /// End.
        public var end: FleetTime
    }

    /// A fault from raise to clear (`cleared` is `nil` when still open at the end of the run).
    public struct FaultEpisode: Sendable, Hashable {
        /// The robot.
        public var robot: RobotID
        /// The error type.
        public var code: String
        /// The level.
        public var level: FaultLevel
        /// When it was raised.
        public var raised: FleetTime
        /// When it was cleared.
        public var cleared: FleetTime?
    }

    /// Per robot, the segments within the window, in time order.
    public private(set) var segments: [RobotID: [Segment]] = [:]
    /// Per robot, `(time, soc, charging)` samples.
    public private(set) var battery: [RobotID: [(time: FleetTime, soc: Double, charging: Bool)]] = [:]
    /// Fault episodes, in order of raising.
    public private(set) var faults: [FaultEpisode] = []
    /// Entries into manual or service mode.
    public private(set) var manualEntries: [(robot: RobotID, time: FleetTime)] = []

    /// Derives the timelines from `records` (journal order) within `window`.
    /// - Parameters:
    ///   - records: The journal's records.
    ///   - window: The evaluation window.
    public init(records: [JournalRecord], window: EvaluationWindow) {
        var flags: [RobotID: RobotFlags] = [:]
        var since: [RobotID: FleetTime] = [:]
        var taskRobots: [TaskID: Set<RobotID>] = [:]
        var chargeTasks: Set<TaskID> = []
        var openFaults: [String: Int] = [:]
        for record in records {
            let event = record.event
            var named = Set(RunAnalysis.robots(of: event))
            if let task = event.task {
                named.formUnion(taskRobots[task] ?? [])
                switch event {
                case .created(let request) where request.kind == .charge: chargeTasks.insert(task)
                case .assigned(_, let robot, _): taskRobots[task, default: []].insert(robot)
                case .phase(_, let robot, let phase) where phase == "coalition_member":
                    taskRobots[task, default: []].insert(robot)
                case .reassigned(_, let from, let to, _, _):
                    taskRobots[task, default: []].insert(to)
                    if from != to { taskRobots[task]?.remove(from) }
                default: break
                }
            }
            for robot in named.sorted() {
                var current = flags[robot] ?? RobotFlags()
                let before = current.state
                current.apply(event, robot: robot, chargeTask: event.task.map(chargeTasks.contains) ?? false)
                flags[robot] = current
                if since[robot] == nil { since[robot] = window.runStart }
                if current.state != before {
                    close(robot, before, from: since[robot]!, to: record.time, window: window)
                    since[robot] = record.time
                }
            }
            switch event {
            case .requeued(let task, _, _, _), .completed(let task, _, _), .failed(let task, _, _, _),
                .canceled(let task, _, _):
                taskRobots[task] = nil
            default: break
            }
            note(record, openFaults: &openFaults)
        }
        for (robot, current) in flags {
            close(robot, current.state, from: since[robot]!, to: window.runEnd, window: window)
        }
    }

    private mutating func note(_ record: JournalRecord, openFaults: inout [String: Int]) {
        switch record.event {
        case .battery(let robot, let soc, let charging):
            battery[robot, default: []].append((record.time, soc, charging))
        case .mode(let robot, let mode) where mode == .manual || mode == .service || mode == .teachIn:
            manualEntries.append((robot, record.time))
        case .fault(let robot, let code, let level, let raised, _):
            let key = "\(robot)|\(code)"
            if raised, openFaults[key] == nil {
                openFaults[key] = faults.count
                faults.append(FaultEpisode(robot: robot, code: code, level: level, raised: record.time))
            } else if !raised, let index = openFaults.removeValue(forKey: key) {
                faults[index].cleared = record.time
            }
        default: break
        }
    }

    private mutating func close(
        _ robot: RobotID, _ state: RobotState, from: FleetTime, to: FleetTime, window: EvaluationWindow
    ) {
        let start = max(from, window.start)
        let end = min(to, window.end)
        guard end > start else { return }
        if var list = segments[robot], let last = list.last, last.state == state, last.end == start {
            list[list.count - 1].end = end
            segments[robot] = list
        } else {
            segments[robot, default: []].append(Segment(state: state, start: start, end: end))
        }
    }

    /// The robots, sorted.
    public var robots: [RobotID] { segments.keys.sorted() }

    /// Seconds robot `robot` spent in each state within the window (robots never heard of count as offline).
    /// - Parameters:
    ///   - robot: The robot.
    ///   - range: A sub-range of the window; the whole window by default.
    /// - Returns: Seconds by state.
    public func seconds(_ robot: RobotID, in range: ClosedRange<FleetTime>? = nil) -> [RobotState: Double] {
        var result: [RobotState: Double] = [:]
        for segment in segments[robot] ?? [] {
            let from = max(segment.start, range?.lowerBound ?? segment.start)
            let to = min(segment.end, range?.upperBound ?? segment.end)
            if to > from { result[segment.state, default: 0] += to.seconds(since: from) }
        }
        return result
    }
}
