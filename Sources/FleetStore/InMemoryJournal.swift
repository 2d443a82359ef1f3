import Synchronization

/// A journal kept in memory, with the same contract as `SQLiteJournal`: for unit tests of code that journals.
///
/// It is not durable. `failAppends(with:)` makes appends fail, to test what a caller does when it cannot journal
/// (it must then not send the directive).
public final class InMemoryJournal: Journal {
    private struct State {
        var entries: [JournalEntry] = []
        var appendFailure: JournalError?
    }

    private let state: Mutex<State>

    /// A label used in error messages.
    public let path: String
    /// The largest payload accepted, in UTF-8 bytes (as `SQLiteJournal.Options.maximumPayloadBytes`).
    public let maximumPayloadBytes: Int

    /// Creates an empty journal, or one holding `entries` (renumbered 1, 2, ...).
    /// - Parameters:
    ///   - label: Named in error messages (default `:memory:`).
    ///   - maximumPayloadBytes: The largest payload accepted (default 16 MiB).
    ///   - entries: Records to start with.
    public init(label: String = ":memory:", maximumPayloadBytes: Int = 16 << 20, entries: [NewJournalEntry] = []) {
        self.path = label
        self.maximumPayloadBytes = maximumPayloadBytes
        let stored = entries.enumerated().map { JournalEntry($0.element, sequence: Int64($0.offset + 1)) }
        self.state = Mutex(State(entries: stored))
    }

    /// Makes every following append fail with `error` (and append nothing), or, with `nil`, succeed again.
    /// - Parameter error: The error to throw; `nil` ends the injected failures.
    public func failAppends(with error: JournalError?) {
        state.withLock { $0.appendFailure = error }
    }

    /// Appends `entries` as one atomic batch.
    /// - Parameter entries: The records, in order.
    /// - Returns: The sequence numbers given to `entries`.
    /// - Throws: `JournalError.recordTooLarge`, or the error set with `failAppends(with:)`; nothing was appended.
    public func append(_ entries: [NewJournalEntry]) throws(JournalError) -> [Int64] {
        let result: Result<[Int64], JournalError> = state.withLock { state in
            if let failure = state.appendFailure { return .failure(failure) }
            guard !entries.isEmpty else { return .success([]) }
            if let large = entries.first(where: { $0.payload.utf8.count > maximumPayloadBytes }) {
                let bytes = large.payload.utf8.count
                return .failure(.recordTooLarge(path: path, kind: large.kind, bytes: bytes, limit: maximumPayloadBytes))
            }
            let first = Int64(state.entries.count + 1)
            state.entries.reserveCapacity(state.entries.count + entries.count)
            for (offset, entry) in entries.enumerated() {
                state.entries.append(JournalEntry(entry, sequence: first + Int64(offset)))
            }
            return .success(Array(first..<first + Int64(entries.count)))
        }
        return try result.get()
    }

    /// Reads up to `limit` entries after `sequence`, in order.
    /// - Parameters:
    ///   - sequence: Return entries after this one.
    ///   - limit: The most entries to return.
    /// - Returns: The entries, oldest first.
    public func entries(after sequence: Int64, limit: Int) -> [JournalEntry] {
        guard limit > 0 else { return [] }
        return state.withLock { state in
            // Sequence n sits at index n - 1.
            let start = Int(max(0, min(sequence, Int64(state.entries.count))))
            let end = start + min(limit, state.entries.count - start)
            return Array(state.entries[start..<end])
        }
    }

    /// Reads every entry about `taskID`, in order.
    /// - Parameter taskID: The task.
    /// - Returns: The task's entries, oldest first.
    public func entries(forTask taskID: String) -> [JournalEntry] {
        state.withLock { $0.entries.filter { $0.taskID == taskID } }
    }

    /// Reads up to `limit` entries about `robotID` after `sequence`, in order.
    /// - Parameters:
    ///   - robotID: The robot.
    ///   - sequence: Return entries after this one.
    ///   - limit: The most entries to return.
    /// - Returns: The robot's entries, oldest first.
    public func entries(forRobot robotID: String, after sequence: Int64, limit: Int) -> [JournalEntry] {
        guard limit > 0 else { return [] }
        return state.withLock { state in
            Array(state.entries.lazy.filter { $0.sequence > sequence && $0.robotID == robotID }.prefix(limit))
        }
    }

    /// The sequence number of the newest entry, `0` when empty.
    public func lastSequence() -> Int64 {
        state.withLock { Int64($0.entries.count) }
    }

    /// The number of entries.
    public func count() -> Int {
        state.withLock { $0.entries.count }
    }
}
