import CSQLite
import FleetCore

extension SQLiteJournal {
    /// The newest journal schema this build writes and reads (`PRAGMA user_version`).
    public static let schemaVersion: Int32 = 1
    /// Marks the file as a FleetPilot journal (`PRAGMA application_id`, ASCII "FPJL").
    public static let applicationID: Int32 = 0x4650_4A4C

    /// Schema version 1, for people reading the file with other tools:
    ///
    /// ```sql
    /// CREATE TABLE journal (
    ///     seq      INTEGER PRIMARY KEY,  -- JournalEntry.sequence: 1-based, gap-free, never reused
    ///     t_ms     INTEGER NOT NULL,     -- JournalEntry.time: ms since the Unix epoch (coordinator clock)
    ///     kind     TEXT    NOT NULL,     -- created, assigned, connection, ...
    ///     task_id  TEXT,
    ///     robot_id TEXT,
    ///     payload  TEXT    NOT NULL      -- the record's JSON (query with json_extract)
    /// ) STRICT;
    /// CREATE INDEX journal_task  ON journal(task_id)  WHERE task_id  IS NOT NULL;
    /// CREATE INDEX journal_robot ON journal(robot_id) WHERE robot_id IS NOT NULL;
    /// PRAGMA application_id = 0x46504A4C; PRAGMA user_version = 1;
    /// ```
    public static let schemaSQL = """
        CREATE TABLE journal (
            seq      INTEGER PRIMARY KEY,
            t_ms     INTEGER NOT NULL,
            kind     TEXT    NOT NULL,
            task_id  TEXT,
            robot_id TEXT,
            payload  TEXT    NOT NULL
        ) STRICT;
        CREATE INDEX journal_task  ON journal(task_id)  WHERE task_id  IS NOT NULL;
        CREATE INDEX journal_robot ON journal(robot_id) WHERE robot_id IS NOT NULL;
        """

    enum Schema {
        static let columns = "seq, t_ms, kind, task_id, robot_id, payload"
        static let insert = "INSERT INTO journal (\(columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        static let selectLast = "SELECT coalesce(max(seq), 0) FROM journal"
        static let selectCount = "SELECT count(*) FROM journal"
        static let selectAfter = "SELECT \(columns) FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2"
        static let selectTask = "SELECT \(columns) FROM journal WHERE task_id = ?1 ORDER BY seq"
        static let selectRobot =
            "SELECT \(columns) FROM journal WHERE robot_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"

        /// Decodes the current row of a `SELECT \(columns)` statement.
        static func entry(from row: SQLiteStatement, path: String) throws(JournalError) -> JournalEntry {
            let sequence = row.int64(0)
            guard let kind = row.text(2), let payload = row.text(5), !row.isNull(1) else {
                throw .corruptRecord(path: path, sequence: sequence, reason: "time, kind or payload is missing")
            }
            return JournalEntry(
                sequence: sequence,
                time: FleetTime(milliseconds: row.int64(1)),
                kind: kind,
                taskID: row.text(3),
                robotID: row.text(4),
                payload: payload
            )
        }
    }

    /// Sets the connection up and checks (or, when writable and empty, creates) the schema.
    static func prepare(_ db: SQLiteConnection, options: Options, readOnly: Bool) throws(JournalError) {
        db.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
        do throws(JournalError) {
            try db.execute("PRAGMA trusted_schema = OFF", operation: "configure")
            // The first statement that reads the file: a non-SQLite file fails here with SQLITE_NOTADB.
            var version = try db.integer("PRAGMA user_version", operation: "read schema version")
            var fresh = !readOnly && version == 0
            if fresh {
                let tables = try db.integer("SELECT count(*) FROM sqlite_schema", operation: "read schema")
                let application = try db.integer("PRAGMA application_id", operation: "read application id")
                fresh = tables == 0 && application == 0
            }
            // Refuse another application's database or a newer journal before changing anything in it.
            if !fresh { try check(db, version: version) }
            if !readOnly {
                try db.execute("PRAGMA journal_mode = WAL", operation: "enable WAL")
                try db.execute("PRAGMA synchronous = \(options.synchronous.rawValue)", operation: "configure")
            }
            if fresh {
                version = try create(db)
                try check(db, version: version)
            }
        } catch {
            db.close()
            switch error {
            case .sqlite(let path, _, let code, let reason)
            where code & 0xFF == SQLITE_NOTADB || code & 0xFF == SQLITE_CORRUPT:
                throw .open(path: path, reason: reason)
            default:
                throw error
            }
        }
    }

    /// Creates the schema in an empty file, inside a write transaction so two processes cannot both do it.
    /// Returns the schema version found or created.
    private static func create(_ db: SQLiteConnection) throws(JournalError) -> Int64 {
        try db.execute("BEGIN IMMEDIATE", operation: "create schema")
        do throws(JournalError) {
            let version = try db.integer("PRAGMA user_version", operation: "read schema version")
            let tables = try db.integer("SELECT count(*) FROM sqlite_schema", operation: "read schema")
            guard version == 0, tables == 0 else {
                try db.execute("ROLLBACK", operation: "create schema")
                return version
            }
            try db.execute(
                schemaSQL + "PRAGMA application_id = \(applicationID); PRAGMA user_version = \(schemaVersion);",
                operation: "create schema")
            try db.execute("COMMIT", operation: "create schema")
            return Int64(schemaVersion)
        } catch {
            try? db.execute("ROLLBACK", operation: "create schema")
            throw error
        }
    }

    /// Checks that the file is a journal whose schema this build understands.
    private static func check(_ db: SQLiteConnection, version: Int64) throws(JournalError) {
        let application = try db.integer("PRAGMA application_id", operation: "read application id")
        guard application == Int64(applicationID) else {
            let found = application == 0 ? "none" : "0x" + String(UInt32(truncatingIfNeeded: application), radix: 16)
            let reason =
                version == 0 && application == 0
                ? "it holds no FleetPilot journal schema (an empty database, or another application's)"
                : "it is another application's SQLite database (application_id \(found))"
            throw .notAJournal(path: db.path, reason: reason)
        }
        guard version <= Int64(schemaVersion) else {
            throw .unsupportedSchema(path: db.path, version: Int32(clamping: version), supported: schemaVersion)
        }
        guard version >= 1 else {
            throw .notAJournal(path: db.path, reason: "schema version \(version) was never written by FleetPilot")
        }
    }
}
