import FleetCore
import FleetStore
import Foundation
import VDA5050

/// Converts between the coordinator's ``FleetCore/JournalRecord`` and the store's entries, and renders the
/// events-topic line (the same shape as a line of the JSONL export).
public enum JournalCodec {
    /// The error when a stored entry cannot be read back as a record.
    public struct DecodeError: Error, CustomStringConvertible {
        /// The entry's sequence number.
        public var sequence: Int64
        /// What was wrong.
        public var reason: String
        /// E.g. `journal entry 12: unknown journal record kind 'x'`.
        public var description: String { "journal entry \(sequence): \(reason)" }
    }

    /// The store entry of a record: kind, task and robot indexed, the flat record JSON as payload.
    /// - Parameter record: the record.
    /// - Returns: the entry to append.
    public static func entry(for record: JournalRecord) -> NewJournalEntry {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = (try? encoder.encode(record)).map { Array($0) } ?? Array("{}".utf8)
        return NewJournalEntry(
            time: record.time, kind: record.event.kind, taskID: record.event.task?.rawValue,
            robotID: robot(of: record.event)?.description, payloadJSON: payload)
    }

    /// Reads a stored entry back as a record.
    /// - Parameter entry: the stored entry.
    /// - Returns: the record.
    /// - Throws: ``DecodeError`` if the payload is not a record.
    public static func record(from entry: JournalEntry) throws(DecodeError) -> JournalRecord {
        do {
            return try JSONDecoder().decode(JournalRecord.self, from: Data(entry.payload.utf8))
        } catch {
            throw DecodeError(sequence: entry.sequence, reason: "\(error)")
        }
    }

    /// The robot a journal event is about, if any (the new robot for a reassignment).
    /// - Parameter event: the event.
    /// - Returns: the robot.
    public static func robot(of event: JournalEvent) -> RobotID? {
        event.robots.last
    }

    /// The events-topic message of an appended entry, e.g.
    /// `{"seq":12,"t":"2026-11-29T08:00:02.000Z","ts_ms":1764403202000,"kind":"assigned","task":"T-0001",
    /// "robot":"acme/AMR-01","data":{...}}`.
    /// - Parameters:
    ///   - entry: the entry as appended.
    ///   - sequence: the sequence number the journal gave it.
    /// - Returns: the JSON text (one line, no trailing newline).
    public static func eventLine(_ entry: NewJournalEntry, sequence: Int64) -> String {
        var line = "{\"seq\":\(sequence),\"t\":\""
        line += VDA5050Timestamp(millisecondsSince1970: entry.time.milliseconds).iso8601
        line += "\",\"ts_ms\":\(entry.time.milliseconds),\"kind\":" + jsonString(entry.kind)
        line += ",\"task\":" + jsonString(entry.taskID) + ",\"robot\":" + jsonString(entry.robotID)
        let payload = entry.payload.trimmingCharacters(in: .whitespacesAndNewlines)
        line += ",\"data\":" + (payload.isEmpty ? "null" : payload.replacingOccurrences(of: "\n", with: " ")) + "}"
        return line
    }

    /// A JSON string literal for `text`, or `null`.
    /// - Parameter text: the text.
    /// - Returns: the literal.
    public static func jsonString(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
