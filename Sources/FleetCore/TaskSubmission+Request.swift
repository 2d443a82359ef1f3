extension TaskSubmission {
    /// The kinds a requester may ask for (`charge` tasks are the coordinator's own).
    public static let requestableKinds: [TaskKind] = TaskKind.allCases.filter { $0 != .charge }

    /// Checks the fields and builds the request.
    ///
    /// Which fields a kind takes: `pick` and `drop` for transport and cooperative carry; `stops` for patrol
    /// (waypoints), assist, handover and emergency (one station); `zone` for coverage; `person` for assist and
    /// handover; `repeatEvery` for patrol. An emergency's priority defaults to `emergency`, a cooperative carry's
    /// `robots` to 2. What depends on the site (stations, zones, robots per kind) is left to
    /// ``TaskRequest/problem(in:)``.
    /// - Parameters:
    ///   - requester: who asks; overrides the `requester` field (the HTTP API passes the token's name).
    ///   - time: parses an ISO 8601 text (`deadline`, `earliestStart`), `nil` when it is not one.
    /// - Returns: the request.
    /// - Throws: ``Problem`` naming the field.
    public func request(requester: String? = nil, time: (String) -> FleetTime?) throws(Problem) -> TaskRequest {
        guard let id else { throw Problem(id: nil, field: "id", "missing") }
        let usable = Self.topicLevel(id)
        func problem(_ field: String?, _ message: String) -> Problem { Problem(id: usable, field: field, message) }
        guard !id.isEmpty else { throw problem("id", "expected a non-empty text") }
        guard Self.isPermittedID(id) else {
            throw problem("id", "'\(id)' may contain only A-Z a-z 0-9 _ - . : (it becomes part of VDA 5050 order ids)")
        }
        let texts = [
            ("kind", kind), ("pick", pick), ("drop", drop), ("zone", zone), ("person", person), ("priority", priority),
            ("loadType", loadType), ("deadline", deadline), ("earliestStart", earliestStart),
            ("requester", self.requester),
        ]
        if let (field, _) = texts.first(where: { $0.1?.isEmpty == true }) {
            throw problem(field, "expected a non-empty text")
        }
        let kindName = self.kind ?? TaskKind.transport.rawValue
        guard let kind = TaskKind(rawValue: kindName) else {
            let choices = Self.requestableKinds.map(\.rawValue).joined(separator: ", ")
            throw problem("kind", "'\(kindName)' is not one of \(choices)")
        }
        if kind == .charge {
            throw problem("kind", "charge tasks are created by the coordinator (configure chargeBelow/chargeUntil)")
        }
        let stops = try stations(of: kind, problem: problem)
        if let zone, kind != .coverage {
            throw problem("zone", "only a coverage task has a zone, not a \(kind.rawValue) ('\(zone)')")
        }
        if kind == .coverage, zone == nil { throw problem("zone", "missing (the zone to cover)") }
        if let person, !kind.needsConfirmation {
            throw problem(
                "person",
                "only assist and handover tasks are confirmed by a person, not a \(kind.rawValue) ('\(person)')")
        }
        if let robots, robots < 1 { throw problem("robots", "expected a whole number ≥ 1, not \(robots)") }
        var priority = kind == .emergency ? TaskPriority.emergency : .normal
        if let name = self.priority {
            guard let value = TaskPriority(rawValue: name) else {
                throw problem("priority", "'\(name)' is not \(TaskPriority.choices)")
            }
            priority = value
        }
        if let weight = loadWeightKg, !(weight.isFinite && weight >= 0) {
            throw problem("loadWeightKg", "expected a number ≥ 0, not \(weight)")
        }
        if let bad = capabilities?.first(where: \.isEmpty) {
            throw problem("capabilities", "expected a list of non-empty texts, not '\(bad)'")
        }
        func instant(_ field: String, _ text: String?) throws(Problem) -> FleetTime? {
            guard let text else { return nil }
            guard let value = time(text) else {
                throw problem(field, "'\(text)' is not an ISO 8601 time (e.g. 2026-11-29T08:30:00.000Z)")
            }
            return value
        }
        if let bad = after?.first(where: { !Self.isPermittedID($0) }) {
            throw problem("after", "'\(bad)' is not a task id")
        }
        if let every = repeatEvery, !(every.isFinite && every > 0) {
            throw problem("repeatEvery", "expected a number of seconds > 0, not \(every)")
        }
        return TaskRequest(
            id: TaskID(id), kind: kind, stops: stops, zone: zone,
            robots: robots ?? (kind == .cooperativeCarry ? 2 : 1), person: person, loadType: loadType,
            loadWeightKg: loadWeightKg, requiredCapabilities: Set(capabilities ?? []), priority: priority,
            deadline: try instant("deadline", deadline), earliestStart: try instant("earliestStart", earliestStart),
            after: (after ?? []).map { TaskID($0) }, repeatEvery: repeatEvery,
            requester: requester ?? self.requester ?? "unknown")
    }

    /// The stations of `kind` from `pick`/`drop` or `stops`, refusing the fields the kind does not take.
    private func stations(of kind: TaskKind, problem: (String?, String) -> Problem) throws(Problem) -> [StationID] {
        if kind.carriesLoad {
            if stops != nil {
                throw problem("stops", "a \(kind.rawValue) task takes 'pick' and 'drop', not 'stops'")
            }
            guard let pick else { throw problem("pick", "missing") }
            guard let drop else { throw problem("drop", "missing") }
            return [pick, drop]
        }
        for (field, value) in [("pick", pick), ("drop", drop)] where value != nil {
            let use = kind == .coverage ? "'zone'" : "'stops'"
            throw problem(field, "a \(kind.rawValue) task has no \(field) station; give \(use)")
        }
        if let bad = stops?.first(where: \.isEmpty) {
            throw problem("stops", "expected a list of station ids, not '\(bad)'")
        }
        if kind == .coverage {
            if stops != nil { throw problem("stops", "a coverage task takes a 'zone', not 'stops'") }
            return []
        }
        guard let stops else {
            let what = kind == .patrol ? "the waypoint stations in order" : "a list with the one station to go to"
            throw problem("stops", "missing (\(what))")
        }
        return stops
    }
}
