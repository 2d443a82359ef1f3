/// Why the journal could not do what was asked. Every message names the journal file.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The journal file could not be opened or created.
    case open(path: String, reason: String)
    /// The file is an SQLite database but not a FleetPilot journal (another application's database).
    case notAJournal(path: String, reason: String)
    /// The file was written by a newer FleetPilot whose journal schema this build does not understand.
    case unsupportedSchema(path: String, version: Int32, supported: Int32)
    /// A statement failed (disk full, corruption, locked, ...).
    case sqlite(path: String, operation: String, code: Int32, reason: String)
    /// A stored record could not be read back.
    case corruptRecord(path: String, sequence: Int64, reason: String)
    /// A record's payload is larger than the journal accepts; its whole batch was rejected.
    case recordTooLarge(path: String, kind: String, bytes: Int, limit: Int)
    /// The journal was opened read-only (the evaluator's mode) and cannot take appends.
    case readOnly(path: String)
    /// The journal was used after `close()`.
    case closed(path: String)
    /// The JSONL export could not be written to `path` (the export file, not the journal).
    case export(path: String, reason: String)
    /// A failure injected by a test double (`InMemoryJournal.failAppends(with:)`).
    case injected(path: String, reason: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .open(let path, let reason):
            return "cannot open journal '\(path)': \(reason)"
        case .notAJournal(let path, let reason):
            return "'\(path)' is not a FleetPilot journal: \(reason)"
        case .unsupportedSchema(let path, let version, let supported):
            return "journal '\(path)' has schema version \(version), but this build reads versions 1...\(supported);"
                + " use a newer FleetPilot to read it"
        case .sqlite(let path, let operation, let code, let reason):
            return "journal '\(path)': \(operation) failed (SQLite code \(code)): \(reason)"
        case .corruptRecord(let path, let sequence, let reason):
            return "journal '\(path)': record \(sequence) is unreadable: \(reason)"
        case .recordTooLarge(let path, let kind, let bytes, let limit):
            return "journal '\(path)': a '\(kind)' record of \(bytes) bytes exceeds the limit of \(limit) bytes;"
                + " its batch was not appended"
        case .readOnly(let path):
            return "journal '\(path)' was opened read-only and cannot be appended to"
        case .closed(let path):
            return "journal '\(path)' is closed"
        case .export(let path, let reason):
            return "cannot export journal to '\(path)': \(reason)"
        case .injected(let path, let reason):
            return "journal '\(path)': injected failure: \(reason)"
        }
    }

    /// The journal file (or, for `.export`, the export file) the error is about.
    public var path: String {
        switch self {
        case .open(let path, _), .notAJournal(let path, _), .unsupportedSchema(let path, _, _),
            .sqlite(let path, _, _, _), .corruptRecord(let path, _, _), .recordTooLarge(let path, _, _, _),
            .readOnly(let path), .closed(let path),
            .export(let path, _), .injected(let path, _):
            return path
        }
    }
}
