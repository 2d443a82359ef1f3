import CSQLite
import Synchronization

/// The journal as an SQLite file: the embedded default for `fleetd` and what the evaluator reads.
///
/// One transaction per `append` batch, WAL mode, `synchronous=FULL` by default (a returned append survives a
/// power cut). The schema is described in `SQLiteJournal+Schema.swift`; the file can be inspected with the
/// `sqlite3` shell (`SELECT seq, kind, task_id, json_extract(payload, '$.robot') FROM journal`).
///
/// Thread safety: the connection and its statement cache live inside a `Mutex`, so every call is serialised
/// and the class is `Sendable` without `@unchecked`. Other processes may open the same file (SQLite's file
/// locks and the busy timeout arbitrate); sequence numbers are assigned inside the write transaction, so
/// they stay gap-free even then.
public final class SQLiteJournal: Journal {
    /// How hard SQLite works to make a commit durable (`PRAGMA synchronous`).
    public enum Synchronous: String, Sendable, CaseIterable {
        /// Every commit is fsynced: a returned append survives a crash of the process *and* of the machine.
        case full = "FULL"
        /// The WAL is fsynced only at checkpoints: a returned append survives a crash of the process, but the
        /// newest commits may be lost if the machine loses power. Several times faster for small batches.
        case normal = "NORMAL"
    }

    /// How the journal is opened.
    public struct Options: Sendable, Equatable {
        /// Durability of each commit (default `.full`).
        public var synchronous: Synchronous
        /// How long a call waits for a lock held by another process before failing, in milliseconds.
        public var busyTimeoutMilliseconds: Int32
        /// The largest payload accepted, in UTF-8 bytes; a batch holding a larger one is rejected whole.
        public var maximumPayloadBytes: Int

        /// Creates options.
        /// - Parameters:
        ///   - synchronous: Durability of each commit (default `.full`).
        ///   - busyTimeoutMilliseconds: Wait for another process's lock (default 5 s).
        ///   - maximumPayloadBytes: The largest payload accepted (default 16 MiB).
        public init(
            synchronous: Synchronous = .full,
            busyTimeoutMilliseconds: Int32 = 5000,
            maximumPayloadBytes: Int = 16 << 20
        ) {
            self.synchronous = synchronous
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.maximumPayloadBytes = maximumPayloadBytes
        }
    }

    /// The journal file.
    public let path: String
    /// Whether this instance was opened with `init(readOnlyPath:options:)`.
    public let isReadOnly: Bool
    /// The options it was opened with.
    public let options: Options
    private let connection: Mutex<SQLiteConnection>

    /// Opens the journal at `path` for reading and appending, creating the file and its schema if missing.
    /// - Parameters:
    ///   - path: The journal file; its directory must exist and be writable (WAL needs `-wal`/`-shm` files).
    ///   - options: Durability and lock waiting.
    /// - Throws: `JournalError.open` (cannot create, not an SQLite file), `.notAJournal`, `.unsupportedSchema`.
    public init(path: String, options: Options = Options()) throws(JournalError) {
        self.path = path
        self.isReadOnly = false
        self.options = options
        let connection = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        try Self.prepare(connection, options: options, readOnly: false)
        self.connection = Mutex(connection)
    }

    /// Opens an existing journal read-only (the evaluator's mode): appends throw `JournalError.readOnly`.
    /// It may be open while `fleetd` still writes to it, and sees every committed append.
    /// - Parameters:
    ///   - readOnlyPath: The journal file, which must exist.
    ///   - options: Lock waiting (`synchronous` does not matter when reading).
    /// - Throws: `JournalError.open` (missing, not an SQLite file), `.notAJournal`, `.unsupportedSchema`.
    public init(readOnlyPath: String, options: Options = Options()) throws(JournalError) {
        self.path = readOnlyPath
        self.isReadOnly = true
        self.options = options
        let connection = try SQLiteConnection(path: readOnlyPath, flags: SQLITE_OPEN_READONLY)
        try Self.prepare(connection, options: options, readOnly: true)
        self.connection = Mutex(connection)
    }

    deinit { close() }

    /// Finalizes the prepared statements and closes the file (checkpointing the WAL into it). Idempotent;
    /// later calls throw `JournalError.closed`. Also done on deinit.
    public func close() {
        connection.withLock { $0.close() }
    }

    /// Appends `entries` in one transaction; durable on return (see `Options.synchronous`).
    /// - Parameter entries: The records, in order.
    /// - Returns: Their sequence numbers, consecutive, in order.
    /// - Throws: `JournalError`; then no entry of the batch was written.
    public func append(_ entries: [NewJournalEntry]) throws(JournalError) -> [Int64] {
        guard !isReadOnly else { throw .readOnly(path: path) }
        guard !entries.isEmpty else { return [] }
        return try connection.withLock { (db) throws(JournalError) -> [Int64] in
            try db.run("BEGIN IMMEDIATE", operation: "begin append")
            do throws(JournalError) {
                let last = try db.integer(Schema.selectLast, operation: "append")
                try db.withStatement(Schema.insert, operation: "append") { (row) throws(JournalError) in
                    for (offset, entry) in entries.enumerated() {
                        // Checked here, inside the transaction, so a rejected batch is a real rollback.
                        let bytes = entry.payload.utf8.count
                        guard bytes <= options.maximumPayloadBytes else {
                            throw .recordTooLarge(
                                path: path, kind: entry.kind, bytes: bytes, limit: options.maximumPayloadBytes)
                        }
                        try row.bind(last + 1 + Int64(offset), at: 1)
                        try row.bind(entry.time.milliseconds, at: 2)
                        try row.bind(entry.kind, at: 3)
                        try row.bind(entry.taskID, at: 4)
                        try row.bind(entry.robotID, at: 5)
                        try row.bind(entry.payload, at: 6)
                        _ = try row.step()
                        row.reset()
                    }
                }
                try db.run("COMMIT", operation: "commit append")
                return Array(last + 1...last + Int64(entries.count))
            } catch {
                // Best effort: after some errors (e.g. SQLITE_FULL) SQLite has already rolled back.
                try? db.execute("ROLLBACK", operation: "rollback append")
                throw error
            }
        }
    }

    /// Reads up to `limit` entries after `sequence`, in order.
    /// - Parameters:
    ///   - sequence: Return entries after this one; `0` starts from the beginning.
    ///   - limit: The most entries to return.
    /// - Returns: The entries, oldest first.
    /// - Throws: `JournalError` if the file cannot be read.
    public func entries(after sequence: Int64, limit: Int) throws(JournalError) -> [JournalEntry] {
        guard limit > 0 else { return [] }
        return try query(Schema.selectAfter, operation: "read entries", [.integer(sequence), .integer(limit)])
    }

    /// Reads every entry about `taskID`, in order (uses the task index).
    /// - Parameter taskID: The task.
    /// - Returns: The task's entries, oldest first.
    /// - Throws: `JournalError` if the file cannot be read.
    public func entries(forTask taskID: String) throws(JournalError) -> [JournalEntry] {
        try query(Schema.selectTask, operation: "read task entries", [.text(taskID)])
    }

    /// Reads up to `limit` entries about `robotID` after `sequence`, in order (uses the robot index).
    /// - Parameters:
    ///   - robotID: The robot.
    ///   - sequence: Return entries after this one.
    ///   - limit: The most entries to return.
    /// - Returns: The robot's entries, oldest first.
    /// - Throws: `JournalError` if the file cannot be read.
    public func entries(forRobot robotID: String, after sequence: Int64, limit: Int) throws(JournalError)
        -> [JournalEntry]
    {
        guard limit > 0 else { return [] }
        return try query(
            Schema.selectRobot, operation: "read robot entries", [.text(robotID), .integer(sequence), .integer(limit)])
    }

    /// The sequence number of the newest entry, `0` when empty.
    /// - Throws: `JournalError` if the file cannot be read.
    public func lastSequence() throws(JournalError) -> Int64 {
        try connection.withLock { (db) throws(JournalError) in try db.integer(Schema.selectLast, operation: "read last")
        }
    }

    /// The number of entries.
    /// - Throws: `JournalError` if the file cannot be read.
    public func count() throws(JournalError) -> Int {
        try connection.withLock { (db) throws(JournalError) in
            Int(try db.integer(Schema.selectCount, operation: "count entries"))
        }
    }

    private enum Parameter {
        case integer(Int64)
        case text(String)

        static func integer(_ value: Int) -> Parameter { .integer(Int64(clamping: value)) }
    }

    private func query(_ sql: String, operation: String, _ parameters: [Parameter]) throws(JournalError)
        -> [JournalEntry]
    {
        try connection.withLock { (db) throws(JournalError) -> [JournalEntry] in
            try db.withStatement(sql, operation: operation) { (row) throws(JournalError) -> [JournalEntry] in
                for (offset, parameter) in parameters.enumerated() {
                    switch parameter {
                    case .integer(let value): try row.bind(value, at: Int32(offset + 1))
                    case .text(let value): try row.bind(value, at: Int32(offset + 1))
                    }
                }
                var result: [JournalEntry] = []
                while try row.step() { result.append(try Schema.entry(from: row, path: path)) }
                return result
            }
        }
    }
}
