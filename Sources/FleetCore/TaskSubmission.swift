/// A task request as requesters write it, on the MQTT topic `fleetpilot/v1/{site}/tasks/request` and in the body
/// of `POST /v1/tasks` (README "Task kinds"): the one place where the request fields are read and checked.
///
/// Decoding never fails with a bare `DecodingError` for a field: a value of the wrong type becomes a ``Problem``
/// naming the field (`field 'robots': expected a whole number ≥ 1`). ``request(requester:time:)`` then checks the
/// fields against each other and builds the ``TaskRequest``; the site-dependent checks (stations, zones, counts
/// per kind) are ``TaskRequest/problem(in:)``'s. Times are ISO 8601 texts; the caller parses them (FleetCore has
/// no calendar), through the `time` closure.
public struct TaskSubmission: Sendable, Hashable, Codable {
    /// Task id (`A-Z a-z 0-9 _ - . :`); the HTTP API generates one when absent, MQTT requests must carry one.
    public var id: String?
    /// `transport` (default), `patrol`, `assist`, `handover`, `cooperative_carry`, `coverage` or `emergency`.
    public var kind: String?
    /// Pick station (transport, cooperative carry).
    public var pick: String?
    /// Drop station (transport, cooperative carry).
    public var drop: String?
    /// Stations: a patrol's waypoints in order, or the one station of an assist, handover or emergency.
    public var stops: [String]?
    /// The zone a coverage task covers.
    public var zone: String?
    /// How many robots (cooperative carry: default 2; coverage: default 1).
    public var robots: Int?
    /// The person who must confirm (assist, handover), if a particular one.
    public var person: String?
    /// `low`, `normal` (default), `high`, `urgent` or `emergency` (the default of an emergency).
    public var priority: String?
    /// Kind of load (VDA 5050 `loadType`).
    public var loadType: String?
    /// Load weight in kilograms.
    public var loadWeightKg: Double?
    /// Capabilities each robot needs.
    public var capabilities: [String]?
    /// Deadline, ISO 8601.
    public var deadline: String?
    /// Not before this time, ISO 8601.
    public var earliestStart: String?
    /// Ids of tasks that must complete first.
    public var after: [String]?
    /// A patrol recurs this many seconds after each round's start.
    public var repeatEvery: Double?
    /// Who asks (MQTT; the HTTP API puts the token's name here).
    public var requester: String?

    /// What is wrong with a submission: the field and what was expected. `id` is the task id when one could be
    /// read that can serve as a topic level, so a `rejected` reply can go to that task's status topic.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The task id, if the submission had a usable one.
        public var id: String?
        /// The field at fault (`robots`, `stops`...), or `nil` for the submission as a whole.
        public var field: String?
        /// What was wrong, e.g. `expected a whole number ≥ 1`.
        public var message: String

        /// Creates a problem.
        /// - Parameters:
        ///   - id: the task id, if usable.
        ///   - field: the field at fault.
        ///   - message: what was wrong.
        public init(id: String?, field: String?, _ message: String) {
            self.id = id
            self.field = field
            self.message = message
        }

        /// `field 'robots': expected a whole number ≥ 1`, or the message alone.
        public var description: String { field.map { "field '\($0)': \(message)" } ?? message }
    }

    /// A person's confirmation of an assist or handover: `{"person":"carer-2"}`, on MQTT
    /// `fleetpilot/v1/{site}/tasks/{id}/confirm` and in the body of `POST /v1/tasks/{id}/confirm`.
    public struct Confirmation: Sendable, Hashable, Codable {
        /// Who confirms.
        public var person: String?

        /// Creates a confirmation.
        /// - Parameter person: who confirms.
        public init(person: String?) { self.person = person }

        /// Decodes `person`, naming the field when its value is not a text.
        /// - Parameter decoder: the decoder.
        /// - Throws: ``TaskSubmission/Problem``.
        public init(from decoder: any Decoder) throws {
            let c: KeyedDecodingContainer<CodingKeys>
            do { c = try decoder.container(keyedBy: CodingKeys.self) } catch {
                throw Problem(id: nil, field: nil, "expected a JSON object like {\"person\":\"carer-2\"}")
            }
            person = try TaskSubmission.field(c, .person, id: nil, "expected the confirming person's name")
        }

        /// The confirming person.
        /// - Parameter id: the task (for the problem's id).
        /// - Returns: the person's name.
        /// - Throws: ``TaskSubmission/Problem`` when `person` is missing or empty.
        public func confirmingPerson(task id: String?) throws(Problem) -> String {
            guard let person else { throw Problem(id: id, field: "person", "missing (who confirms?)") }
            guard !person.isEmpty else { throw Problem(id: id, field: "person", "expected a non-empty text") }
            return person
        }
    }

    /// Creates a submission.
    public init(
        id: String? = nil, kind: String? = nil, pick: String? = nil, drop: String? = nil, stops: [String]? = nil,
        zone: String? = nil, robots: Int? = nil, person: String? = nil, priority: String? = nil,
        loadType: String? = nil, loadWeightKg: Double? = nil, capabilities: [String]? = nil, deadline: String? = nil,
        earliestStart: String? = nil, after: [String]? = nil, repeatEvery: Double? = nil, requester: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.pick = pick
        self.drop = drop
        self.stops = stops
        self.zone = zone
        self.robots = robots
        self.person = person
        self.priority = priority
        self.loadType = loadType
        self.loadWeightKg = loadWeightKg
        self.capabilities = capabilities
        self.deadline = deadline
        self.earliestStart = earliestStart
        self.after = after
        self.repeatEvery = repeatEvery
        self.requester = requester
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, pick, drop, stops, zone, robots, person, priority, loadType, loadWeightKg, capabilities
        case deadline, earliestStart, after, repeatEvery, requester
    }

    /// Decodes a submission; unknown fields are ignored, `null` counts as absent.
    /// - Parameter decoder: the decoder.
    /// - Throws: ``Problem`` naming the first field whose value has the wrong type.
    public init(from decoder: any Decoder) throws {
        let c: KeyedDecodingContainer<CodingKeys>
        do { c = try decoder.container(keyedBy: CodingKeys.self) } catch {
            throw Problem(id: nil, field: nil, "expected a JSON object")
        }
        id = try Self.field(c, .id, id: nil, "expected a non-empty text")
        let usable = id.flatMap(Self.topicLevel)
        func text(_ key: CodingKeys) throws -> String? {
            try Self.field(c, key, id: usable, "expected a non-empty text")
        }
        kind = try text(.kind)
        pick = try text(.pick)
        drop = try text(.drop)
        stops = try Self.field(c, .stops, id: usable, "expected a list of station ids")
        zone = try text(.zone)
        robots = try Self.field(c, .robots, id: usable, "expected a whole number ≥ 1")
        person = try text(.person)
        priority = try text(.priority)
        loadType = try text(.loadType)
        loadWeightKg = try Self.field(c, .loadWeightKg, id: usable, "expected a number ≥ 0")
        capabilities = try Self.field(c, .capabilities, id: usable, "expected a list of texts")
        deadline = try text(.deadline)
        earliestStart = try text(.earliestStart)
        after = try Self.field(c, .after, id: usable, "expected a list of task ids")
        repeatEvery = try Self.field(c, .repeatEvery, id: usable, "expected a number of seconds > 0")
        requester = try text(.requester)
    }

    /// The value of `key`, `nil` when absent or `null`.
    static func field<T: Decodable, K: CodingKey>(
        _ c: KeyedDecodingContainer<K>, _ key: K, id: String?, _ expected: String
    ) throws(Problem) -> T? {
        do {
            return try c.decodeIfPresent(T.self, forKey: key)
        } catch {
            throw Problem(id: id, field: key.stringValue, expected)
        }
    }

    /// `id` when it can be a topic level (a `rejected` reply goes to `tasks/{id}/status`), else `nil`.
    static func topicLevel(_ id: String) -> String? {
        id.isEmpty || id.contains(where: { "/+#".contains($0) }) ? nil : id
    }

    /// Whether `text` is a valid task id: `A-Z a-z 0-9 _ - . :` only (it becomes part of VDA 5050 order ids).
    /// - Parameter text: the candidate id.
    /// - Returns: `true` if it is non-empty and every character is permitted.
    public static func isPermittedID(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { s in
                s.isASCII
                    && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
                        || "_-.:".unicodeScalars.contains(s))
            }
    }
}
