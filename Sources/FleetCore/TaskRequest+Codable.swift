/// The journal's flat form of a request (inside `created` records): `task_id`, `type` (the kind), `origin` and
/// `destination` for load-carrying kinds (the evaluator's catalogue names), `stops`, `zone`, `charger`, `robots`,
/// `person`, `load_type`, `load_kg`, `capabilities`, `priority`, `due`, `earliest`, `after`, `repeat_s`,
/// `requester`; optional and default-valued fields are omitted. Records written before task kinds existed (no
/// `stops`) decode as transports from `origin` and `destination`.
extension TaskRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case id = "task_id"
        case kind = "type"
        case pick = "origin"
        case drop = "destination"
        case stops, zone, charger, robots, person, priority, requester, after
        case loadType = "load_type"
        case loadWeightKg = "load_kg"
        case requiredCapabilities = "capabilities"
        case deadline = "due"
        case earliestStart = "earliest"
        case repeatEvery = "repeat_s"
    }

    /// Decodes the flat form.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decodeIfPresent(TaskKind.self, forKey: .kind) ?? .transport
        var stops = try c.decodeIfPresent([StationID].self, forKey: .stops)
        if stops == nil, let pick = try c.decodeIfPresent(StationID.self, forKey: .pick),
            let drop = try c.decodeIfPresent(StationID.self, forKey: .drop)
        {
            stops = [pick, drop]
        }
        self.init(
            id: try c.decode(TaskID.self, forKey: .id), kind: kind, stops: stops ?? [],
            zone: try c.decodeIfPresent(String.self, forKey: .zone),
            charger: try c.decodeIfPresent(String.self, forKey: .charger),
            robots: try c.decodeIfPresent(Int.self, forKey: .robots) ?? 1,
            person: try c.decodeIfPresent(String.self, forKey: .person),
            loadType: try c.decodeIfPresent(String.self, forKey: .loadType),
            loadWeightKg: try c.decodeIfPresent(Double.self, forKey: .loadWeightKg),
            requiredCapabilities: try c.decodeIfPresent(Set<String>.self, forKey: .requiredCapabilities) ?? [],
            priority: try c.decodeIfPresent(TaskPriority.self, forKey: .priority) ?? .normal,
            deadline: try c.decodeIfPresent(FleetTime.self, forKey: .deadline),
            earliestStart: try c.decodeIfPresent(FleetTime.self, forKey: .earliestStart),
            after: try c.decodeIfPresent([TaskID].self, forKey: .after) ?? [],
            repeatEvery: try c.decodeIfPresent(Double.self, forKey: .repeatEvery),
            requester: try c.decodeIfPresent(String.self, forKey: .requester) ?? "unknown")
    }

    /// Encodes the flat form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(pick, forKey: .pick)
        try c.encodeIfPresent(drop, forKey: .drop)
        if !stops.isEmpty { try c.encode(stops, forKey: .stops) }
        try c.encodeIfPresent(zone, forKey: .zone)
        try c.encodeIfPresent(charger, forKey: .charger)
        if robots != 1 { try c.encode(robots, forKey: .robots) }
        try c.encodeIfPresent(person, forKey: .person)
        try c.encodeIfPresent(loadType, forKey: .loadType)
        try c.encodeIfPresent(loadWeightKg, forKey: .loadWeightKg)
        if !requiredCapabilities.isEmpty { try c.encode(requiredCapabilities.sorted(), forKey: .requiredCapabilities) }
        try c.encode(priority, forKey: .priority)
        try c.encodeIfPresent(deadline, forKey: .deadline)
        try c.encodeIfPresent(earliestStart, forKey: .earliestStart)
        if !after.isEmpty { try c.encode(after, forKey: .after) }
        try c.encodeIfPresent(repeatEvery, forKey: .repeatEvery)
        try c.encode(requester, forKey: .requester)
    }
}
