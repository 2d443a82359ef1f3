/// The coordinator's durable, append-only record of decisions and events.
///
/// `fleetd` appends every decision *before* it sends the directive that follows from it, rebuilds tasks and
/// in-flight orders from the journal on restart, and the evaluator reads it afterwards (directly or as JSONL,
/// see `exportJSONL(to:)`).
///
/// Contract shared by every implementation:
/// - `append` is atomic (all entries of a batch or none) and durable when it returns (for `SQLiteJournal`,
///   as durable as its `synchronous` setting promises).
/// - Sequence numbers are 1-based, strictly increasing in append order, without gaps and never reused.
/// - Reads return entries in sequence order.
/// - Implementations are thread-safe; calls are serialised internally and each is short.
public protocol Journal: AnyObject, Sendable {
    /// Where the journal lives (a file path, or a label such as `:memory:`); every error names it.
    var path: String { get }

    /// Appends `entries` as one atomic batch.
    /// - Parameter entries: The records, in order. An empty batch does nothing.
    /// - Returns: The sequence numbers given to `entries`, in the same order (consecutive).
    /// - Throws: `JournalError` if nothing was appended (the batch is then entirely absent).
    func append(_ entries: [NewJournalEntry]) throws(JournalError) -> [Int64]

    /// Reads up to `limit` entries with a sequence number greater than `sequence`, in order.
    /// - Parameters:
    ///   - sequence: Return entries after this one; `0` starts from the beginning.
    ///   - limit: The most entries to return; `0` or less returns none.
    /// - Returns: The entries, oldest first.
    /// - Throws: `JournalError` if the journal cannot be read.
    func entries(after sequence: Int64, limit: Int) throws(JournalError) -> [JournalEntry]

    /// Reads every entry about `taskID`, in order.
    /// - Parameter taskID: The task.
    /// - Returns: The task's entries, oldest first (empty for an unknown task).
    /// - Throws: `JournalError` if the journal cannot be read.
    func entries(forTask taskID: String) throws(JournalError) -> [JournalEntry]

    /// Reads up to `limit` entries about `robotID` with a sequence number greater than `sequence`, in order.
    /// - Parameters:
    ///   - robotID: The robot.
    ///   - sequence: Return entries after this one; `0` starts from the beginning.
    ///   - limit: The most entries to return; `0` or less returns none.
    /// - Returns: The robot's entries, oldest first.
    /// - Throws: `JournalError` if the journal cannot be read.
    func entries(forRobot robotID: String, after sequence: Int64, limit: Int) throws(JournalError) -> [JournalEntry]

    /// The sequence number of the newest entry, `0` for an empty journal.
    /// - Throws: `JournalError` if the journal cannot be read.
    func lastSequence() throws(JournalError) -> Int64

    /// The number of entries.
    /// - Throws: `JournalError` if the journal cannot be read.
    func count() throws(JournalError) -> Int
}

extension Journal {
    /// How many entries `forEach` reads per page.
    public static var forEachPageSize: Int { 1000 }

    /// Visits, in order, every entry after `sequence` that existed when the call began, reading the journal
    /// page by page so that memory stays bounded however large the journal is (replay on restart).
    ///
    /// Entries appended while the visit runs are not visited. No lock is held while `body` runs, so `body` may
    /// itself use the journal.
    /// - Parameters:
    ///   - sequence: Visit entries after this one; `0` (the default) visits everything.
    ///   - body: Called once per entry. An error it throws stops the visit and is rethrown.
    /// - Throws: `JournalError` if the journal cannot be read, or whatever `body` throws.
    public func forEach(after sequence: Int64 = 0, _ body: (JournalEntry) throws -> Void) throws {
        let end = try lastSequence()
        var cursor = sequence
        while cursor < end {
            let page = try entries(after: cursor, limit: Self.forEachPageSize)
            for entry in page {
                if entry.sequence > end { return }
                try body(entry)
                cursor = entry.sequence
            }
            if page.count < Self.forEachPageSize { return }
        }
    }

    /// Appends a single entry.
    /// - Parameter entry: The record.
    /// - Returns: The sequence number it was given.
    /// - Throws: `JournalError` if it was not appended.
    @discardableResult
    public func append(_ entry: NewJournalEntry) throws(JournalError) -> Int64 {
        let sequences = try append([entry])
        return sequences[0]
    }

    /// Reads every entry, oldest first. Prefer `forEach` for large journals.
    /// - Returns: All entries.
    /// - Throws: `JournalError` if the journal cannot be read.
    public func allEntries() throws(JournalError) -> [JournalEntry] {
        try entries(after: 0, limit: Int.max)
    }
}
