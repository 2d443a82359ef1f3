import FleetCore
import Foundation

/// The first summary of a run (written as `summary.json` by `fleetctl pilot`): task counts with the open tasks
/// listed, throughput, wait, lead and assignment times, utilisation per robot, re-queues and faults.
///
/// Times are in seconds of simulated (journal) time; the window is the one the summary was computed over.
public struct RunSummary: Sendable, Hashable, Codable {
    /// The scenario's name, when known.
    public var scenario: String?
    /// The evaluation window.
    public var window: Window
    /// How many journal records were read, and how many of them could not be decoded.
    public var records: RecordCounts
    /// Task counts.
    public var tasks: TaskCounts
    /// Completed tasks per hour of the window.
    public var throughputPerHour: Double
    /// Creation to the first assignment, over tasks that were assigned.
    public var timeToAssign: Distribution
    /// Creation to the first start (queue wait), over tasks that started.
    public var waitTime: Distribution
    /// Creation to completion (lead time), over completed tasks.
    public var leadTime: Distribution
    /// Re-queues (a task went back to the queue after its robot was lost).
    public var requeues: Int
    /// Reassignments (a task moved from one robot to another).
    public var reassignments: Int
    /// Robot faults raised, by level (`warning`, `fatal`).
    public var faults: [String: Int]
    /// Failed tasks by reason.
    public var failureReasons: [String: Int]
    /// Share of robot time bound to a task, over all robots in the window (0...1).
    public var fleetUtilisation: Double
    /// Per robot, sorted by id.
    public var robots: [RobotFigures]

    /// The stretch of simulated time the summary covers.
    public struct Window: Sendable, Hashable, Codable {
        /// Start, ISO 8601 UTC.
        public var start: String
        /// End, ISO 8601 UTC.
        public var end: String
        /// Start in milliseconds since the epoch.
        public var startMs: Int64
        /// End in milliseconds since the epoch.
        public var endMs: Int64
        /// Length in hours.
        public var hours: Double
    }

    /// What was read from the journal.
    public struct RecordCounts: Sendable, Hashable, Codable {
        /// Records decoded.
        public var decoded: Int
        /// Entries that could not be decoded (a newer daemon's kinds, damage).
        public var undecodable: Int
    }

    /// Task counts; every task the journal mentions is in exactly one of completed, failed, cancelled, open.
    public struct TaskCounts: Sendable, Hashable, Codable {
        /// `created` records.
        public var created: Int
        /// Tasks completed.
        public var completed: Int
        /// Tasks failed.
        public var failed: Int
        /// Tasks cancelled.
        public var cancelled: Int
        /// Requests refused before becoming tasks (`rejected` records; not part of `created`).
        public var rejected: Int
        /// Tasks not finished when the journal ends.
        public var open: Int
        /// The open tasks' ids, in order of creation.
        public var openTaskIDs: [String]
        /// Tasks seen without a `created` record (a truncated journal).
        public var withoutCreated: [String]
        /// Terminal records beyond a task's first (a task finished twice); 0 in a correct run.
        public var duplicateTerminalRecords: Int
        /// Lifecycle records after a task's terminal one (e.g. dispatched again); 0 in a correct run.
        public var recordsAfterFinish: Int
    }

    /// Sample statistics of a duration, in seconds; `nil` figures for an empty sample.
    public struct Distribution: Sendable, Hashable, Codable {
        /// Sample size.
        public var count: Int
        /// Median.
        public var p50: Double?
        /// 95th percentile.
        public var p95: Double?
        /// Mean.
        public var mean: Double?
        /// Largest value.
        public var max: Double?

        /// Summarises `values` (Hyndman–Fan type 7 quantiles, see ``Quantile``).
        /// - Parameter values: The sample.
        public init(_ values: [Double]) {
            count = values.count
            p50 = Quantile.of(values, 0.5)
            p95 = Quantile.of(values, 0.95)
            mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            max = values.max()
        }
    }

    /// One robot's figures.
    public struct RobotFigures: Sendable, Hashable, Codable {
        /// `manufacturer/serialNumber`.
        public var robot: String
        /// Seconds bound to a task within the window.
        public var busySeconds: Double
        /// `busySeconds` over the window's length (0...1).
        public var utilisation: Double
        /// Tasks it completed.
        public var completed: Int
    }

    /// Whether every task the journal mentions reached a terminal outcome.
    public var allTasksAccountedFor: Bool { tasks.open == 0 }

    /// The summary as pretty-printed JSON with sorted keys.
    /// - Returns: UTF-8 JSON, newline-terminated.
    /// - Throws: `EncodingError` (only for non-finite numbers, which the summary never produces).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
