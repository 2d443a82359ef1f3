import FleetCore
import Foundation

extension RunSummary {
    /// Computes the summary of a rebuilt run.
    /// - Parameters:
    ///   - analysis: The run, rebuilt from its journal.
    ///   - window: The evaluation window; by default from the first to the last record.
    ///   - scenario: The scenario's name, if known.
    ///   - undecodable: Journal entries that could not be decoded (reported, see ``JournalReader``).
    public init(
        analysis: RunAnalysis, window: ClosedRange<FleetTime>? = nil, scenario: String? = nil, undecodable: Int = 0
    ) {
        let zero = FleetTime(milliseconds: 0)
        let range = window ?? (analysis.firstTime ?? zero)...(analysis.lastTime ?? analysis.firstTime ?? zero)
        let seconds = range.upperBound.seconds(since: range.lowerBound)
        let hours = seconds / 3600
        let timelines = analysis.orderedTasks
        let completed = timelines.filter { $0.outcome == .completed }

        self.scenario = scenario
        self.window = Window(
            start: Self.iso8601(range.lowerBound), end: Self.iso8601(range.upperBound),
            startMs: range.lowerBound.milliseconds, endMs: range.upperBound.milliseconds, hours: hours)
        records = RecordCounts(decoded: analysis.recordCount, undecodable: undecodable)
        tasks = TaskCounts(
            created: timelines.filter { $0.created != nil }.count,
            completed: completed.count,
            failed: timelines.filter { $0.outcome == .failed }.count,
            cancelled: timelines.filter { $0.outcome == .cancelled }.count,
            rejected: analysis.rejectedRequests,
            open: analysis.openTasks.count,
            openTaskIDs: analysis.openTasks.map(\.rawValue),
            withoutCreated: analysis.tasksWithoutCreated.map(\.rawValue),
            duplicateTerminalRecords: timelines.reduce(0) { $0 + $1.extraTerminalRecords },
            recordsAfterFinish: timelines.reduce(0) { $0 + $1.recordsAfterFinish })
        throughputPerHour = hours > 0 ? Double(completed.count) / hours : 0
        timeToAssign = Distribution(timelines.compactMap(\.timeToAssign))
        waitTime = Distribution(timelines.compactMap(\.waitTime))
        leadTime = Distribution(timelines.compactMap(\.leadTime))
        requeues = timelines.reduce(0) { $0 + $1.requeues }
        reassignments = timelines.reduce(0) { $0 + $1.reassignments }
        faults = Dictionary(uniqueKeysWithValues: analysis.faultsRaised.map { ($0.key.rawValue, $0.value) })
        failureReasons = timelines.reduce(into: [:]) { counts, task in
            if let reason = task.failureReason { counts[reason.rawValue, default: 0] += 1 }
        }
        robots = analysis.robots.values.sorted { $0.id < $1.id }.map { robot in
            let busy = robot.busySeconds(within: range)
            return RobotFigures(
                robot: robot.id.description, busySeconds: busy, utilisation: seconds > 0 ? busy / seconds : 0,
                completed: robot.completedTasks)
        }
        let fleetSeconds = seconds * Double(robots.count)
        fleetUtilisation = fleetSeconds > 0 ? robots.reduce(0) { $0 + $1.busySeconds } / fleetSeconds : 0
    }

    /// Reads a journal file (SQLite or `.jsonl`) and computes its summary.
    /// - Parameters:
    ///   - path: The journal file.
    ///   - window: The evaluation window; by default from the first to the last record.
    ///   - scenario: The scenario's name, if known.
    /// - Returns: The summary.
    /// - Throws: When the journal cannot be opened or read.
    public static func load(journalPath path: String, window: ClosedRange<FleetTime>? = nil, scenario: String? = nil)
        throws -> RunSummary
    {
        let read = try JournalReader.read(path: path)
        return RunSummary(
            analysis: RunAnalysis(records: read.records), window: window, scenario: scenario,
            undecodable: read.undecodable)
    }

    /// `2026-11-30T06:00:00.000Z`.
    static func iso8601(_ time: FleetTime) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: time.seconds))
    }
}
