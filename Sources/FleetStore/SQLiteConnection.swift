import CSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One SQLite connection with its prepared-statement cache. Not thread-safe by itself: `SQLiteJournal` keeps it
/// inside a `Mutex`, which is the only place it is ever touched, so the connection is opened with
/// `SQLITE_OPEN_NOMUTEX` and SQLite's own locking would be redundant.
final class SQLiteConnection {
    /// The database file, for error messages.
    let path: String
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (or, with `SQLITE_OPEN_CREATE` in `flags`, creates) the database at `path`.
    init(path: String, flags: Int32) throws(JournalError) {
        self.path = path
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            var reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            // The operating system's reason (ENOENT, EACCES, ENOTDIR, ...) is what a person can act on.
            let systemError = handle.map { sqlite3_system_errno($0) } ?? 0
            if systemError != 0 { reason += ": " + String(cString: strerror(systemError)) }
            sqlite3_close_v2(handle)
            let writable = flags & SQLITE_OPEN_READWRITE != 0
            let hint =
                writable
                ? " (does the directory exist, and may this user write to it?)"
                : " (does the file exist, and may this user read it?)"
            throw .open(path: path, reason: reason + (rc & 0xFF == SQLITE_CANTOPEN ? hint : ""))
        }
        db = handle
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit { close() }

    /// Whether `close()` has run.
    var isClosed: Bool { db == nil }

    /// Finalizes every cached statement and closes the database. Idempotent.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    /// Sets the busy timeout (how long a statement waits for another connection's lock).
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(db, milliseconds)
    }

    /// Runs one or more statements that return no rows we need.
    func execute(_ sql: String, operation: String) throws(JournalError) {
        guard let db else { throw .closed(path: path) }
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        if rc != SQLITE_OK {
            let reason = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            throw .sqlite(path: path, operation: operation, code: rc, reason: Self.explain(reason, code: rc))
        }
    }

    /// Runs a statement without results (`BEGIN IMMEDIATE`, `COMMIT`) from the statement cache.
    func run(_ sql: String, operation: String) throws(JournalError) {
        try withStatement(sql, operation: operation) { (statement) throws(JournalError) in _ = try statement.step() }
    }

    /// Runs `body` with the cached prepared statement for `sql`, then resets it and clears its bindings.
    func withStatement<R>(
        _ sql: String,
        operation: String,
        _ body: (inout SQLiteStatement) throws(JournalError) -> R
    ) throws(JournalError) -> R {
        guard let db else { throw .closed(path: path) }
        let handle: OpaquePointer
        if let cached = statements[sql] {
            handle = cached
        } else {
            var prepared: OpaquePointer?
            let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
            guard rc == SQLITE_OK, let prepared else {
                throw error(rc, operation: "\(operation) (prepare)")
            }
            statements[sql] = prepared
            handle = prepared
        }
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var statement = SQLiteStatement(handle: handle, connection: self, operation: operation)
        return try body(&statement)
    }

    /// Runs a query returning one integer (a pragma, a count).
    func integer(_ sql: String, operation: String) throws(JournalError) -> Int64 {
        try withStatement(sql, operation: operation) { (statement) throws(JournalError) -> Int64 in
            guard try statement.step() else { return 0 }
            return statement.int64(0)
        }
    }

    /// The error for result code `rc`, with SQLite's message for this connection.
    func error(_ rc: Int32, operation: String) -> JournalError {
        let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        return .sqlite(path: path, operation: operation, code: rc, reason: Self.explain(reason, code: rc))
    }

    /// SQLite's message plus what a person can do about it, for the codes people meet.
    static func explain(_ reason: String, code: Int32) -> String {
        switch code & 0xFF {
        case SQLITE_NOTADB:
            return "\(reason) (the file is not an SQLite database, or its header is damaged)"
        case SQLITE_CORRUPT:
            return "\(reason) (the file is damaged; restore it from a copy or start a new journal)"
        case SQLITE_FULL:
            return "\(reason) (free some disk space)"
        case SQLITE_BUSY:
            return "\(reason) (another process holds the journal locked)"
        case SQLITE_READONLY:
            return "\(reason) (the file or its directory is not writable)"
        default:
            return reason
        }
    }
}

/// A prepared statement borrowed from `SQLiteConnection.withStatement`; valid only inside that call.
struct SQLiteStatement {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection
    let operation: String

    /// Binds an integer to the 1-based parameter `index`.
    mutating func bind(_ value: Int64, at index: Int32) throws(JournalError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds text (or NULL) to the 1-based parameter `index`; SQLite copies the bytes.
    mutating func bind(_ value: String?, at index: Int32) throws(JournalError) {
        guard var value else { return try check(sqlite3_bind_null(handle, index)) }
        let rc = value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), fleetpilot_sqlite_transient())
            }
        }
        try check(rc)
    }

    /// Advances: `true` when a row is available, `false` when done.
    mutating func step() throws(JournalError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc, operation: operation)
        }
    }

    /// Makes the statement ready to run again (bindings are kept; each row binds every parameter anew).
    mutating func reset() { sqlite3_reset(handle) }

    /// The integer in column `index` (0-based) of the current row.
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Whether column `index` of the current row is NULL.
    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// The text in column `index` of the current row, `nil` for NULL.
    func text(_ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private func check(_ rc: Int32) throws(JournalError) {
        if rc != SQLITE_OK { throw connection.error(rc, operation: "\(operation) (bind)") }
    }
}
