import FleetCore

/// One durable record in the journal, as read back: a decision or an observation of the coordinator.
///
/// The store is generic over an envelope: it indexes `kind`, `taskID` and `robotID` and keeps `payload`
/// (the record's JSON, produced by the caller's `Codable` type) as opaque text. Event kinds follow the
/// evaluation event model (`created`, `assigned`, `started`, `completed`, `failed`, `reassigned`, `battery`,
/// `fault`, `connection`, ...), but the store does not check them.
public struct JournalEntry: Sendable, Hashable, Codable {
    /// Position in the journal, assigned by the store on append: 1-based, strictly increasing, never reused.
    public var sequence: Int64
    /// When the coordinator made the decision or saw the event (its clock, not the disk's).
    public var time: FleetTime
    /// What happened, e.g. `created`, `assigned`, `connection`.
    public var kind: String
    /// The task the record is about, if any.
    public var taskID: String?
    /// The robot the record is about, if any.
    public var robotID: String?
    /// The record itself as UTF-8 JSON text (normally an object). Opaque to the store.
    public var payload: String

    /// Creates an entry; only stores and tests need this (appends take a `NewJournalEntry`).
    /// - Parameters:
    ///   - sequence: The entry's position in the journal (1-based).
    ///   - time: When the event happened.
    ///   - kind: What happened.
    ///   - taskID: The task concerned, if any.
    ///   - robotID: The robot concerned, if any.
    ///   - payload: The record as JSON text.
    public init(
        sequence: Int64,
        time: FleetTime,
        kind: String,
        taskID: String? = nil,
        robotID: String? = nil,
        payload: String
    ) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.taskID = taskID
        self.robotID = robotID
        self.payload = payload
    }

    /// Creates the stored form of `entry` at position `sequence`.
    /// - Parameters:
    ///   - entry: What was appended.
    ///   - sequence: The position the store gave it.
    public init(_ entry: NewJournalEntry, sequence: Int64) {
        self.init(
            sequence: sequence,
            time: entry.time,
            kind: entry.kind,
            taskID: entry.taskID,
            robotID: entry.robotID,
            payload: entry.payload
        )
    }

    /// The entry without its sequence number, as it was appended.
    public var unsequenced: NewJournalEntry {
        NewJournalEntry(time: time, kind: kind, taskID: taskID, robotID: robotID, payload: payload)
    }
}

/// A record to append to the journal; the store gives it its `sequence`.
public struct NewJournalEntry: Sendable, Hashable, Codable {
    /// When the coordinator made the decision or saw the event.
    public var time: FleetTime
    /// What happened, e.g. `created`, `assigned`, `connection`.
    public var kind: String
    /// The task the record is about, if any (indexed: `Journal.entries(forTask:)`).
    public var taskID: String?
    /// The robot the record is about, if any (indexed: `Journal.entries(forRobot:after:limit:)`).
    public var robotID: String?
    /// The record as UTF-8 JSON text, normally an object (the JSONL export embeds it verbatim, so it must be
    /// valid JSON). Use `"{}"` when there is nothing more to say.
    public var payload: String

    /// Creates a record to append.
    /// - Parameters:
    ///   - time: When the event happened.
    ///   - kind: What happened.
    ///   - taskID: The task concerned, if any.
    ///   - robotID: The robot concerned, if any.
    ///   - payload: The record as JSON text (default: the empty object).
    public init(time: FleetTime, kind: String, taskID: String? = nil, robotID: String? = nil, payload: String = "{}") {
        self.time = time
        self.kind = kind
        self.taskID = taskID
        self.robotID = robotID
        self.payload = payload
    }

    /// Creates a record whose payload is JSON given as UTF-8 bytes (e.g. `JSONEncoder` output).
    /// - Parameters:
    ///   - time: When the event happened.
    ///   - kind: What happened.
    ///   - taskID: The task concerned, if any.
    ///   - robotID: The robot concerned, if any.
    ///   - payloadJSON: The record as UTF-8 JSON bytes; invalid UTF-8 is repaired with U+FFFD.
    public init(time: FleetTime, kind: String, taskID: String? = nil, robotID: String? = nil, payloadJSON: [UInt8]) {
        self.init(
            time: time, kind: kind, taskID: taskID, robotID: robotID,
            payload: String(decoding: payloadJSON, as: UTF8.self))
    }
}
