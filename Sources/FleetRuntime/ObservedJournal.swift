import FleetAPI
import FleetStore

/// A ``FleetStore/Journal`` that reports each durable append to the operator API: its duration to the metrics
/// (`fleetpilot_journal_append_seconds`) and its records to the event hub (the `/v1/events` stream and the
/// assignment-latency histogram). Everything else passes straight through.
///
/// Wrapping the journal keeps the coordinator shell unaware of the API: whatever the shell appends, in whatever
/// batch, is exactly what the stream carries, in journal order and after it is durable.
public final class ObservedJournal: Journal {
    private let base: any Journal
    private let metrics: APIMetrics
    private let hub: EventHub

    /// Wraps a journal.
    /// - Parameters:
    ///   - base: the real journal.
    ///   - metrics: where append durations go.
    ///   - hub: where appended records go.
    public init(_ base: any Journal, metrics: APIMetrics, hub: EventHub) {
        self.base = base
        self.metrics = metrics
        self.hub = hub
    }

    /// The real journal's path.
    public var path: String { base.path }

    /// Appends durably, then reports the duration and the records.
    /// - Parameter entries: the batch.
    /// - Returns: the sequence numbers.
    /// - Throws: `JournalError` from the real journal (nothing is reported then).
    public func append(_ entries: [NewJournalEntry]) throws(JournalError) -> [Int64] {
        let clock = ContinuousClock()
        let start = clock.now
        let sequences = try base.append(entries)
        metrics.recordJournalAppend(clock.now - start)
        hub.publish(
            zip(entries, sequences).map { entry, sequence in
                FleetEventLine(
                    sequence: sequence, time: entry.time, kind: entry.kind, taskID: entry.taskID,
                    robotID: entry.robotID, payload: entry.payload)
            })
        return sequences
    }

    /// Reads from the real journal.
    public func entries(after sequence: Int64, limit: Int) throws(JournalError) -> [JournalEntry] {
        try base.entries(after: sequence, limit: limit)
    }

    /// Reads from the real journal.
    public func entries(forTask taskID: String) throws(JournalError) -> [JournalEntry] {
        try base.entries(forTask: taskID)
    }

    /// Reads from the real journal.
    public func entries(forRobot robotID: String, after sequence: Int64, limit: Int) throws(JournalError)
        -> [JournalEntry]
    {
        try base.entries(forRobot: robotID, after: sequence, limit: limit)
    }

    /// Reads from the real journal.
    public func lastSequence() throws(JournalError) -> Int64 { try base.lastSequence() }

    /// Reads from the real journal.
    public func count() throws(JournalError) -> Int { try base.count() }
}
