/// Why the journal could not do what was asked. Every message names the journal file.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The journal file could not be opened or created.
    case open(path: String, reason: String)
    /// A statement failed (disk full, corruption, locked, ...).
    case sqlite(path: String, operation: String, code: Int32, reason: String)
    /// A stored record could not be read back.
    case corruptRecord(path: String, sequence: Int64, reason: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .open(let path, let reason):
            return "cannot open journal '\(path)': \(reason)"
        case .sqlite(let path, let operation, let code, let reason):
            return "journal '\(path)': \(operation) failed (SQLite code \(code)): \(reason)"
        case .corruptRecord(let path, let sequence, let reason):
            return "journal '\(path)': record \(sequence) is unreadable: \(reason)"
        }
    }
}
