import FleetCore
import FleetStore
import Foundation

/// Reads a run's journal back as `JournalRecord`s: from a `Journal` (e.g. `SQLiteJournal(readOnlyPath:)`), a
/// journal file on disk (SQLite, or the JSONL export), or raw JSONL text.
///
/// Each entry's payload is decoded as a flat `JournalRecord`. Payloads that lack the envelope fields (`t`,
/// `kind`, `task_id`, `robot_id`) get them from the entry. Entries that cannot be decoded (an unknown kind from a
/// newer daemon, a damaged line) are counted in ``Result/undecodable``, never silently dropped.
public enum JournalReader {
    /// The decoded records and what could not be decoded.
    public struct Result: Sendable, Hashable {
        /// The records, in journal order.
        public var records: [JournalRecord]
        /// How many entries could not be decoded.
        public var undecodable: Int
        /// The first few decoding problems, for messages.
        public var problems: [String]

        /// Creates a result.
        /// - Parameters:
        ///   - records: The decoded records.
        ///   - undecodable: The number of entries that could not be decoded.
        ///   - problems: Descriptions of the first problems.
        public init(records: [JournalRecord] = [], undecodable: Int = 0, problems: [String] = []) {
            self.records = records
            self.undecodable = undecodable
            self.problems = problems
        }

        mutating func fail(_ problem: String) {
            undecodable += 1
            if problems.count < 10 { problems.append(problem) }
        }
    }

    /// Reads every entry of `journal`, page by page.
    /// - Parameter journal: The journal to read.
    /// - Returns: The decoded records.
    /// - Throws: `JournalError` if the journal cannot be read.
    public static func read(_ journal: any Journal) throws -> Result {
        var result = Result()
        let decoder = JSONDecoder()
        try journal.forEach { entry in
            do {
                result.records.append(try decode(entry, decoder: decoder))
            } catch {
                result.fail("entry \(entry.sequence) (\(entry.kind)): \(error)")
            }
        }
        return result
    }

    /// Reads a journal file: the JSONL export when the name ends in `.jsonl`, otherwise an SQLite journal,
    /// opened read-only.
    /// - Parameter path: The file.
    /// - Returns: The decoded records.
    /// - Throws: `JournalError` or a file error when the file cannot be opened or read.
    public static func read(path: String) throws -> Result {
        if path.hasSuffix(".jsonl") {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return read(jsonl: data)
        }
        let journal = try SQLiteJournal(readOnlyPath: path)
        defer { journal.close() }
        return try read(journal)
    }

    /// Reads JSONL text as written by `Journal.exportJSONL(to:after:)`: one envelope object a line, the record
    /// in `data`.
    /// - Parameter jsonl: The UTF-8 text.
    /// - Returns: The decoded records.
    public static func read(jsonl: Data) -> Result {
        var result = Result()
        let decoder = JSONDecoder()
        var number = 0
        for line in jsonl.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            number += 1
            do {
                guard let envelope = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw JournalReaderError.notAnObject
                }
                let entry = JournalEntry(
                    sequence: (envelope["seq"] as? NSNumber)?.int64Value ?? Int64(number),
                    time: FleetTime(milliseconds: (envelope["ts_ms"] as? NSNumber)?.int64Value ?? 0),
                    kind: envelope["kind"] as? String ?? "",
                    taskID: envelope["task"] as? String,
                    robotID: envelope["robot"] as? String,
                    payload: try payloadText(envelope["data"]))
                result.records.append(try decode(entry, decoder: decoder))
            } catch {
                result.fail("line \(number): \(error)")
            }
        }
        return result
    }

    /// Decodes one entry's payload, completing the envelope fields from the entry when the payload lacks them.
    /// - Parameters:
    ///   - entry: The stored entry.
    ///   - decoder: The decoder to use.
    /// - Returns: The record.
    /// - Throws: `DecodingError` or `JournalReaderError` when the payload is not a record.
    public static func decode(_ entry: JournalEntry, decoder: JSONDecoder = JSONDecoder()) throws -> JournalRecord {
        let bytes = Data(entry.payload.utf8)
        if let record = try? decoder.decode(JournalRecord.self, from: bytes) { return record }
        guard var object = try JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
            throw JournalReaderError.notAnObject
        }
        if object["t"] == nil { object["t"] = entry.time.milliseconds }
        if object["kind"] == nil { object["kind"] = entry.kind }
        if object["task_id"] == nil, let task = entry.taskID { object["task_id"] = task }
        if object["robot_id"] == nil, let robot = entry.robotID { object["robot_id"] = robot }
        return try decoder.decode(JournalRecord.self, from: JSONSerialization.data(withJSONObject: object))
    }

    private static func payloadText(_ data: Any?) throws -> String {
        guard let data, !(data is NSNull) else { return "{}" }
        return String(decoding: try JSONSerialization.data(withJSONObject: data), as: UTF8.self)
    }
}

/// Why a journal entry could not be read as a record.
public enum JournalReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The payload (or JSONL line) is not a JSON object.
    case notAnObject

    /// A message for people.
    public var description: String {
        switch self {
        case .notAnObject: return "not a JSON object"
        }
    }
}
