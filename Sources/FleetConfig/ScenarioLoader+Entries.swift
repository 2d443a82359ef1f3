import FleetCore
import Yams

/// The scenario sections of the human-robot collaboration issue: demand of every task kind with schedules and
/// bursts, people, faults and coordinator settings. Every error names the file, the line and the field.
extension ScenarioLoader {
    static let peopleKeys: Set<String> = [
        "role", "id", "idPrefix", "count", "skills", "shifts", "stations", "zone", "dwell", "walkSpeed", "response",
        "confirm", "resolve", "callsPerHour", "fallsPerHour",
    ]
    static let faultKeys: Set<String> = ["at", "kind", "robots", "count", "duration", "factor"]
    static let coordinatorKeys: Set<String> = [
        "confirmationTimeout", "callResolutionTimeout", "acknowledgementTimeout", "arrivalTimeout", "nurseStation",
    ]
    /// The kinds a demand stream may request (`charge` tasks are the coordinator's own).
    static let demandKinds = TaskKind.allCases.filter { $0 != .charge }

    /// A duration as text for messages: `1h30m`, `45s`, `2h`.
    public static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "\(seconds)s" }
        let whole = Int(seconds.rounded(.down))
        let fraction = seconds - Double(whole)
        var text = ""
        if whole >= 3600 { text += "\(whole / 3600)h" }
        if whole % 3600 >= 60 { text += "\((whole % 3600) / 60)m" }
        if whole % 60 > 0 || fraction > 0 || text.isEmpty {
            text += fraction > 0 ? "\(Double(whole % 60) + fraction)s" : "\(whole % 60)s"
        }
        return text
    }

    /// A point in time after the scenario's start (`0`, `90s`, `2h`), in `0..<duration`.
    func offset(_ node: Node, _ field: String, before end: Double, _ r: YAMLNodeReader) throws(ConfigError) -> Double {
        let text = try r.string(node, field)
        guard let seconds = Self.parseDuration(text) else {
            throw r.invalid(node, field, "expected a time after the start such as 0, 90s, 30m or 2h, got '\(text)'")
        }
        guard seconds < end else {
            throw r.invalid(
                node, field,
                "\(Self.formatDuration(seconds)) is not before the scenario's end (duration \(Self.formatDuration(end)))"
            )
        }
        return seconds
    }

    private func forbid(_ m: Node.Mapping, _ keys: [String], _ f: String, _ reason: String, _ r: YAMLNodeReader)
        throws(ConfigError)
    {
        for key in keys {
            if let node = Self.lookup(m, key) { throw r.invalid(node, "\(f).\(key)", reason) }
        }
    }

    // MARK: Demand

    func demandEntry(_ item: Node, _ f: String, scenario: Scenario, _ r: YAMLNodeReader) throws(ConfigError)
        -> ScenarioDemand
    {
        let site = scenario.site
        let m = try r.mapping(item, f, allowed: Self.demandKeys)
        let kindText = try r.optionalString(m, "kind", f) ?? TaskKind.transport.rawValue
        guard let kind = TaskKind(rawValue: kindText), kind != .charge else {
            let allowed = Self.demandKinds.map(\.rawValue).joined(separator: ", ")
            throw r.invalid(
                Self.lookup(m, "kind"), "\(f).kind", "unknown task kind '\(kindText)' (expected one of: \(allowed))")
        }
        var rate = 0.0
        if let node = Self.lookup(m, "ratePerHour") {
            rate = try r.double(node, "\(f).ratePerHour")
            guard rate.isFinite, rate >= 0 else {
                throw r.invalid(node, "\(f).ratePerHour", "must not be negative, got \(rate) (arrivals per hour)")
            }
        }
        var demand = ScenarioDemand(
            kind: kind.rawValue, ratePerHour: rate, pick: [], drop: [],
            loadType: try r.optionalString(m, "loadType", f),
            loadWeightKg: try r.optionalDouble(m, "loadWeightKg", f),
            deadlineMinutes: try positive(m, "deadlineMinutes", "\(f).deadlineMinutes", r),
            capabilities: try strings(m, "capabilities", "\(f).capabilities", r))
        demand.line = item.mark?.line
        if let weight = demand.loadWeightKg, !(weight.isFinite && weight >= 0) {
            throw r.invalid(Self.lookup(m, "loadWeightKg"), "\(f).loadWeightKg", "must not be negative, got \(weight)")
        }
        if let node = Self.lookup(m, "schedule") {
            demand.schedule = try schedule(node, "\(f).schedule", duration: scenario.duration, r)
        }
        if rate == 0 && demand.schedule == nil {
            throw r.invalid(
                Self.lookup(m, "ratePerHour") ?? item, "\(f).ratePerHour",
                "no arrivals: give ratePerHour > 0 (Poisson) or a schedule")
        }
        for (i, burst) in try r.sequence(m, "bursts", "\(f).bursts").enumerated() {
            demand.bursts.append(try self.burst(burst, "\(f).bursts[\(i)]", duration: scenario.duration, r))
            if rate == 0 {
                throw r.invalid(burst, "\(f).bursts[\(i)]", "a burst multiplies ratePerHour, which is 0 here")
            }
        }
        try places(of: kind, m, item, f, site: site, into: &demand, r)
        try people(of: kind, m, f, scenario: scenario, into: &demand, r)
        try priority(of: kind, m, f, into: &demand, r)
        demand.requester = try r.optionalString(m, "requester", f) ?? "fleet-sim"
        if let node = Self.lookup(m, "earliestStartMinutes") {
            let minutes = try r.double(node, "\(f).earliestStartMinutes")
            guard minutes.isFinite, minutes >= 0 else {
                throw r.invalid(node, "\(f).earliestStartMinutes", "must not be negative, got \(minutes)")
            }
            demand.earliestStartMinutes = minutes
            if let deadline = demand.deadlineMinutes, deadline <= minutes {
                throw r.invalid(
                    Self.lookup(m, "deadlineMinutes"), "\(f).deadlineMinutes",
                    "the deadline (\(deadline) min) must be after earliestStartMinutes (\(minutes) min)")
            }
        }
        try checkFleet(can: demand, kind: kind, m, item, f, scenario: scenario, r)
        return demand
    }

    /// Stations, zone and robot count by kind: `pick`/`drop` for load-carrying kinds, `zone` for coverage, `stops`
    /// for the others.
    private func places(
        of kind: TaskKind, _ m: Node.Mapping, _ item: Node, _ f: String, site: SiteLayout,
        into demand: inout ScenarioDemand, _ r: YAMLNodeReader
    ) throws(ConfigError) {
        switch kind {
        case .transport, .cooperativeCarry:
            try forbid(m, ["stops", "zone"], f, "a \(kind.rawValue) takes pick and drop, not this key", r)
            demand.pick = try stations(required(m, "pick", "\(f).pick", item, r), "\(f).pick", site, r)
            demand.drop = try stations(required(m, "drop", "\(f).drop", item, r), "\(f).drop", site, r)
            if demand.pick.count == 1, demand.drop == demand.pick {
                throw r.invalid(item, f, "pick and drop are the same single station '\(demand.pick[0])'")
            }
        case .coverage:
            try forbid(m, ["pick", "drop", "stops"], f, "a coverage task takes a zone, not stations", r)
            let node = try required(m, "zone", "\(f).zone", item, r)
            let zone = try r.string(node, "\(f).zone")
            guard let area = site.zones.first(where: { $0.id == zone }) else {
                let known = site.zones.map(\.id).joined(separator: ", ")
                throw r.invalid(node, "\(f).zone", "unknown zone '\(zone)' (the site has: \(known))")
            }
            guard site.nodes.contains(where: { area.contains($0) }) else {
                throw r.invalid(node, "\(f).zone", "zone '\(zone)' contains no node to cover")
            }
            demand.zone = zone
        case .patrol, .assist, .handover, .emergency, .charge:
            let what = kind == .patrol ? "waypoints" : "candidate stations"
            try forbid(m, ["pick", "drop", "zone"], f, "a \(kind.rawValue) takes its \(what) in 'stops'", r)
            demand.stops = try stations(required(m, "stops", "\(f).stops", item, r), "\(f).stops", site, r)
        }
        if let node = Self.lookup(m, "robots") {
            guard let robots = node.int else {
                throw r.invalid(node, "\(f).robots", "expected a whole number, got \(r.kind(of: node))")
            }
            switch kind {
            case .cooperativeCarry where robots < 2:
                throw r.invalid(node, "\(f).robots", "a cooperative carry needs at least 2 robots, not \(robots)")
            case .coverage where robots < 1:
                throw r.invalid(node, "\(f).robots", "a coverage task needs at least 1 robot, not \(robots)")
            case .cooperativeCarry, .coverage:
                demand.robots = robots
            default:
                throw r.invalid(
                    node, "\(f).robots",
                    "only cooperative_carry and coverage take several robots; a \(kind.rawValue) "
                        + "takes one")
            }
        }
    }

    /// `personRole`: who confirms an assist or handover; fleet-sim must have such a person.
    private func people(
        of kind: TaskKind, _ m: Node.Mapping, _ f: String, scenario: Scenario, into demand: inout ScenarioDemand,
        _ r: YAMLNodeReader
    ) throws(ConfigError) {
        let field = "\(f).personRole"
        guard let node = Self.lookup(m, "personRole") else {
            if kind.needsConfirmation {
                throw r.invalid(
                    Self.lookup(m, "kind"), field,
                    "missing required key 'personRole': a person of that role confirms each \(kind.rawValue) "
                        + "(one of: \(PersonRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return
        }
        guard kind.needsConfirmation else {
            throw r.invalid(node, field, "only assist and handover tasks are confirmed by a person")
        }
        let text = try r.string(node, field)
        guard let role = PersonRole(rawValue: text) else {
            let allowed = PersonRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw r.invalid(node, field, "unknown role '\(text)' (expected one of: \(allowed))")
        }
        let groups = scenario.people.filter { $0.role == role }
        guard !groups.isEmpty else {
            throw r.invalid(node, field, "no people of role '\(text)' in 'people' to confirm these tasks")
        }
        if role == .resident {
            // A resident confirms in their own room: every stop must be some resident's room.
            let rooms = Set(groups.flatMap { group in group.personIDs.indices.compactMap { group.homeStation($0) } })
            let stopsNode = Self.lookup(m, "stops")
            for (i, stop) in demand.stops.enumerated() where !rooms.contains(stop) {
                let item = stopsNode?.sequence.map { i < $0.count ? $0[i] : nil } ?? stopsNode
                let itemField = stopsNode?.sequence == nil ? "\(f).stops" : "\(f).stops[\(i)]"
                throw r.invalid(
                    item ?? node, itemField, "station '\(stop)' is no resident's room (residents confirm in their room)"
                )
            }
        }
        demand.personRole = role
    }

    private func priority(
        of kind: TaskKind, _ m: Node.Mapping, _ f: String, into demand: inout ScenarioDemand, _ r: YAMLNodeReader
    ) throws(ConfigError) {
        if kind == .emergency { demand.priority = TaskPriority.emergency.rawValue }
        guard let node = Self.lookup(m, "priority") else { return }
        let text = try r.string(node, "\(f).priority")
        guard let priority = TaskPriority(rawValue: text) else {
            throw r.invalid(node, "\(f).priority", "unknown value '\(text)' (expected one of: \(TaskPriority.choices))")
        }
        if kind == .emergency && priority != .emergency {
            throw r.invalid(node, "\(f).priority", "an emergency task has priority emergency, not '\(text)'")
        }
        demand.priority = priority.rawValue
    }

    /// Whether some robots of the fleet can take the stream's tasks (kind, capabilities, payload, how many).
    private func checkFleet(
        can demand: ScenarioDemand, kind: TaskKind, _ m: Node.Mapping, _ item: Node, _ f: String,
        scenario: Scenario, _ r: YAMLNodeReader
    ) throws(ConfigError) {
        let needed = Set(demand.capabilities)
        let able = scenario.fleet.filter { entry in
            entry.count > 0 && needed.isSubset(of: entry.capabilities) && (entry.taskKinds?.contains(kind) ?? true)
        }
        guard !able.isEmpty else {
            let what = needed.isEmpty ? "" : " with capabilities [\(needed.sorted().joined(separator: ", "))]"
            throw r.invalid(
                Self.lookup(m, "capabilities") ?? item, needed.isEmpty ? f : "\(f).capabilities",
                "no robot of the fleet takes \(kind.rawValue) tasks\(what)")
        }
        let robots = demand.robots ?? (kind == .cooperativeCarry ? 2 : 1)
        if let weight = demand.loadWeightKg {
            let share = kind == .cooperativeCarry ? weight / Double(robots) : weight
            let strong = able.filter { $0.maxPayloadKg >= share }
            guard !strong.isEmpty else {
                let heaviest = able.map(\.maxPayloadKg).max() ?? 0
                throw r.invalid(
                    Self.lookup(m, "loadWeightKg"), "\(f).loadWeightKg",
                    "\(share) kg per robot is more than any able robot carries (at most \(heaviest) kg)")
            }
            let available = strong.map(\.count).reduce(0, +)
            if available < robots {
                throw r.invalid(
                    Self.lookup(m, "robots") ?? item, "\(f).robots",
                    "needs \(robots) robots at once but the fleet has \(available) able to take it")
            }
        } else if able.map(\.count).reduce(0, +) < robots {
            throw r.invalid(
                Self.lookup(m, "robots") ?? item, "\(f).robots",
                "needs \(robots) robots at once but the fleet has \(able.map(\.count).reduce(0, +)) able to take it")
        }
    }

    func schedule(_ node: Node, _ f: String, duration: Double, _ r: YAMLNodeReader) throws(ConfigError)
        -> ScenarioSchedule
    {
        let m = try r.mapping(node, f, allowed: ["times", "every", "from", "until"])
        var result = ScenarioSchedule()
        for (i, item) in try r.sequence(m, "times", "\(f).times").enumerated() {
            result.times.append(try offset(item, "\(f).times[\(i)]", before: duration, r))
        }
        if let every = Self.lookup(m, "every") {
            result.every = try self.duration(every, "\(f).every", r)
            if let from = Self.lookup(m, "from") { result.from = try offset(from, "\(f).from", before: duration, r) }
            if let until = Self.lookup(m, "until") {
                let text = try r.string(until, "\(f).until")
                guard let seconds = Self.parseDuration(text), seconds > result.from else {
                    throw r.invalid(
                        until, "\(f).until",
                        "expected a time after 'from' (\(Self.formatDuration(result.from))), got '\(text)'")
                }
                result.until = seconds
            }
        } else {
            try forbid(m, ["from", "until"], f, "only a periodic schedule (with 'every') has from and until", r)
        }
        if result.times.isEmpty && result.every == nil {
            throw r.invalid(node, f, "a schedule needs 'times' (a list of times) or 'every' (a period)")
        }
        return result
    }

    func burst(_ node: Node, _ f: String, duration: Double, _ r: YAMLNodeReader) throws(ConfigError) -> ScenarioBurst {
        let m = try r.mapping(node, f, allowed: ["at", "duration", "factor"])
        let at = try offset(required(m, "at", "\(f).at", node, r), "\(f).at", before: duration, r)
        let length = try self.duration(required(m, "duration", "\(f).duration", node, r), "\(f).duration", r)
        let factorNode = try required(m, "factor", "\(f).factor", node, r)
        let factor = try r.double(factorNode, "\(f).factor")
        guard factor.isFinite, factor > 0 else {
            throw r.invalid(factorNode, "\(f).factor", "the rate multiplier must be a positive number, got \(factor)")
        }
        return ScenarioBurst(at: at, duration: length, factor: factor)
    }

    // MARK: People

    func peopleGroup(_ item: Node, _ f: String, scenario: Scenario, _ r: YAMLNodeReader) throws(ConfigError)
        -> ScenarioPeopleGroup
    {
        let m = try r.mapping(item, f, allowed: Self.peopleKeys)
        let roleNode = try required(m, "role", "\(f).role", item, r)
        let roleText = try r.string(roleNode, "\(f).role")
        guard let role = PersonRole(rawValue: roleText) else {
            let allowed = PersonRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw r.invalid(roleNode, "\(f).role", "unknown role '\(roleText)' (expected one of: \(allowed))")
        }
        let id = try r.optionalString(m, "id", f)
        let prefix = try r.optionalString(m, "idPrefix", f)
        if id != nil && prefix != nil {
            throw r.invalid(Self.lookup(m, "idPrefix"), "\(f).idPrefix", "give either 'id' (one person) or 'idPrefix'")
        }
        guard id != nil || prefix != nil else {
            throw r.invalid(item, "\(f).idPrefix", "missing required key 'idPrefix' (or 'id' for a single person)")
        }
        var count = 1
        if let node = Self.lookup(m, "count") {
            guard let value = node.int, value >= 1 else {
                throw r.invalid(node, "\(f).count", "expected a whole number >= 1, got \(r.kind(of: node))")
            }
            if id != nil && value != 1 {
                throw r.invalid(node, "\(f).count", "a group with an 'id' is one person; use 'idPrefix' for \(value)")
            }
            count = value
        }
        var group = ScenarioPeopleGroup(
            role: role, idPrefix: prefix ?? "", id: id, count: count,
            skills: try strings(m, "skills", "\(f).skills", r), line: item.mark?.line)
        for person in group.personIDs {
            try checkTopicLevel(person.rawValue, Self.lookup(m, id == nil ? "idPrefix" : "id"), f, r)
            if let other = scenario.people.firstIndex(where: { $0.personIDs.contains(person) }) {
                throw r.invalid(
                    Self.lookup(m, id == nil ? "idPrefix" : "id"), id == nil ? "\(f).idPrefix" : "\(f).id",
                    "person '\(person)' is already defined by people[\(other)]")
            }
        }
        for (i, shift) in try r.sequence(m, "shifts", "\(f).shifts").enumerated() {
            group.shifts.append(try self.shift(shift, "\(f).shifts[\(i)]", duration: scenario.duration, r))
            if let previous = group.shifts.dropLast().last, previous.end > group.shifts[i].start {
                throw r.invalid(
                    shift, "\(f).shifts[\(i)]", "starts before shifts[\(i - 1)] ends; list shifts in time order")
            }
        }
        if let node = Self.lookup(m, "stations") {
            group.stations = try stations(node, "\(f).stations", scenario.site, r)
        }
        if let node = Self.lookup(m, "zone") {
            let zone = try r.string(node, "\(f).zone")
            guard scenario.site.zones.contains(where: { $0.id == zone }) else {
                let known = scenario.site.zones.map(\.id).joined(separator: ", ")
                throw r.invalid(node, "\(f).zone", "unknown zone '\(zone)' (the site has: \(known))")
            }
            group.zone = zone
        }
        if let node = Self.lookup(m, "dwell") { group.dwell = try duration(node, "\(f).dwell", r) }
        group.walkSpeed = try positive(m, "walkSpeed", "\(f).walkSpeed", r) ?? group.walkSpeed
        if let node = Self.lookup(m, "response") {
            group.response = try response(node, "\(f).response", rejects: true, r)
        }
        if let node = Self.lookup(m, "confirm") {
            // A resident may answer a robot's check of their call with "I need a person" (a reject).
            group.confirm = try response(node, "\(f).confirm", rejects: role == .resident, r)
        }
        if let node = Self.lookup(m, "resolve") {
            let d = try r.mapping(node, "\(f).resolve", allowed: ["median", "p90"])
            group.resolve = try delay(d, node, "\(f).resolve", r)
        }
        group.callsPerHour = try rate(m, "callsPerHour", f, role: role, r)
        group.fallsPerHour = try rate(m, "fallsPerHour", f, role: role, r)
        if role == .resident && group.stations.isEmpty {
            throw r.invalid(item, "\(f).stations", "residents need 'stations': their rooms, dealt one per resident")
        }
        return group
    }

    private func checkTopicLevel(_ text: String, _ node: Node?, _ f: String, _ r: YAMLNodeReader)
        throws(ConfigError)
    {
        if text.contains(where: { "/+#$".contains($0) || $0.isWhitespace }) {
            throw r.invalid(node, f, "'\(text)' is used as an MQTT topic level: no '/', '+', '#', '$' or spaces")
        }
    }

    private func rate(_ m: Node.Mapping, _ key: String, _ f: String, role: PersonRole, _ r: YAMLNodeReader)
        throws(ConfigError) -> Double
    {
        guard let node = Self.lookup(m, key) else { return 0 }
        let value = try r.double(node, "\(f).\(key)")
        guard value.isFinite, value >= 0 else {
            throw r.invalid(node, "\(f).\(key)", "must not be negative, got \(value) (per person and hour)")
        }
        if value > 0 && role != .resident {
            throw r.invalid(node, "\(f).\(key)", "only residents call or fall, not a \(role.rawValue)")
        }
        return value
    }

    func shift(_ node: Node, _ f: String, duration: Double, _ r: YAMLNodeReader) throws(ConfigError) -> ScenarioShift {
        let m = try r.mapping(node, f, allowed: ["start", "end"])
        let start = try offset(required(m, "start", "\(f).start", node, r), "\(f).start", before: duration, r)
        let endNode = try required(m, "end", "\(f).end", node, r)
        let text = try r.string(endNode, "\(f).end")
        guard let end = Self.parseDuration(text) else {
            throw r.invalid(endNode, "\(f).end", "expected a time after the start such as 8h, got '\(text)'")
        }
        guard end > start else {
            throw r.invalid(
                endNode, "\(f).end",
                "the shift ends (\(Self.formatDuration(end))) before it starts (\(Self.formatDuration(start)))")
        }
        return ScenarioShift(start: start, end: end)
    }

    private func response(_ node: Node, _ f: String, rejects: Bool, _ r: YAMLNodeReader) throws(ConfigError)
        -> ScenarioResponse
    {
        let keys: Set<String> = rejects ? ["median", "p90", "noAnswer", "reject"] : ["median", "p90", "noAnswer"]
        let m = try r.mapping(node, f, allowed: keys)
        var result = ScenarioResponse(delay: try delay(m, node, f, r))
        result.noAnswer = try probability(m, "noAnswer", f, r)
        result.reject = try probability(m, "reject", f, r)
        if result.noAnswer + result.reject > 1 {
            throw r.invalid(
                Self.lookup(m, "reject"), "\(f).reject",
                "noAnswer (\(result.noAnswer)) and reject (\(result.reject)) add up to more than 1")
        }
        return result
    }

    private func delay(_ m: Node.Mapping, _ node: Node, _ f: String, _ r: YAMLNodeReader) throws(ConfigError)
        -> ScenarioDelay
    {
        let median = try duration(required(m, "median", "\(f).median", node, r), "\(f).median", r)
        let p90Node = try required(m, "p90", "\(f).p90", node, r)
        let p90 = try duration(p90Node, "\(f).p90", r)
        guard p90 >= median else {
            throw r.invalid(
                p90Node, "\(f).p90",
                "p90 (\(Self.formatDuration(p90))) is below the median (\(Self.formatDuration(median))); "
                    + "the 90th percentile is at least the median")
        }
        return ScenarioDelay(median: median, p90: p90)
    }

    private func probability(_ m: Node.Mapping, _ key: String, _ f: String, _ r: YAMLNodeReader)
        throws(ConfigError) -> Double
    {
        guard let node = Self.lookup(m, key) else { return 0 }
        let value = try r.double(node, "\(f).\(key)")
        guard (0...1).contains(value) else {
            throw r.invalid(node, "\(f).\(key)", "a probability must be within 0...1, got \(value)")
        }
        return value
    }

    // MARK: Faults

    func fault(_ item: Node, _ f: String, scenario: Scenario, _ r: YAMLNodeReader) throws(ConfigError)
        -> ScenarioFault
    {
        let m = try r.mapping(item, f, allowed: Self.faultKeys)
        let at = try offset(required(m, "at", "\(f).at", item, r), "\(f).at", before: scenario.duration, r)
        let kind: ScenarioFaultKind = try r.choice(m, "kind", f, at: item)
        var fault = ScenarioFault(at: at, kind: kind, line: item.mark?.line)
        let fleet = scenario.robots().map(\.id.serialNumber)
        if let node = Self.lookup(m, "robots") {
            if let countNode = Self.lookup(m, "count") {
                throw r.invalid(countNode, "\(f).count", "give either 'robots' (by serial number) or 'count'")
            }
            let items = node.sequence.map(Array.init) ?? [node]
            if items.isEmpty { throw r.invalid(node, "\(f).robots", "at least one robot, or leave the key out") }
            for (i, robot) in items.enumerated() {
                let field = node.sequence == nil ? "\(f).robots" : "\(f).robots[\(i)]"
                let serial = try r.string(robot, field)
                guard fleet.contains(serial) else {
                    let known =
                        fleet.count > 2 ? "\(fleet[0]) ... \(fleet[fleet.count - 1])" : fleet.joined(separator: ", ")
                    throw r.invalid(
                        robot, field, "unknown robot '\(serial)' (the fleet's serial numbers are \(known))")
                }
                fault.robots.append(serial)
            }
        } else if let node = Self.lookup(m, "count") {
            guard let count = node.int, count >= 1, count <= fleet.count else {
                throw r.invalid(
                    node, "\(f).count",
                    "expected a whole number in 1...\(fleet.count) (the fleet's size), "
                        + "got \(r.kind(of: node))")
            }
            fault.count = count
        }
        if let node = Self.lookup(m, "duration") { fault.duration = try duration(node, "\(f).duration", r) }
        if kind == .slowdown {
            let node = try required(m, "factor", "\(f).factor", item, r)
            let factor = try r.double(node, "\(f).factor")
            guard factor > 0 && factor < 1 else {
                throw r.invalid(node, "\(f).factor", "a slowdown's speed factor must be between 0 and 1, got \(factor)")
            }
            fault.factor = factor
        } else {
            try forbid(m, ["factor"], f, "only a slowdown has a speed factor", r)
        }
        return fault
    }

    // MARK: Coordinator

    func coordinator(_ node: Node, _ r: YAMLNodeReader) throws(ConfigError) -> ScenarioCoordinator {
        let f = "coordinator"
        let m = try r.mapping(node, f, allowed: Self.coordinatorKeys)
        var result = ScenarioCoordinator()
        func time(_ key: String) throws(ConfigError) -> Double? {
            guard let value = Self.lookup(m, key) else { return nil }
            return try duration(value, "\(f).\(key)", r)
        }
        result.confirmationTimeout = try time("confirmationTimeout")
        result.callResolutionTimeout = try time("callResolutionTimeout")
        result.acknowledgementTimeout = try time("acknowledgementTimeout")
        if let value = Self.lookup(m, "arrivalTimeout") {
            result.arrivalTimeout =
                value.scalar?.string == "none" ? .some(nil) : try duration(value, "\(f).arrivalTimeout", r)
        }
        if let value = Self.lookup(m, "nurseStation") {
            let id = try r.string(value, "\(f).nurseStation")
            try checkTopicLevel(id, value, "\(f).nurseStation", r)
            result.nurseStation = PersonID(id)
        }
        return result
    }

    /// Calls and falls escalate, last of all, to the nurse station: with residents who call or fall, it must be
    /// among the people so that someone answers.
    func checkNurseStation(_ scenario: Scenario, top: Node.Mapping, root: Node, _ r: YAMLNodeReader)
        throws(ConfigError)
    {
        guard let caller = scenario.people.first(where: { $0.callsPerHour > 0 || $0.fallsPerHour > 0 }) else { return }
        let station = scenario.coordinator.nurseStation ?? CoordinatorConfiguration().nurseStation
        guard !scenario.people.contains(where: { $0.personIDs.contains(station) }) else { return }
        let node = Self.lookup(top, "coordinator").flatMap { $0.mapping.flatMap { Self.lookup($0, "nurseStation") } }
        let index = scenario.people.firstIndex(of: caller) ?? 0
        let reason =
            "people[\(index)] call or fall, and escalations end at the nurse station '\(station)', which is not "
            + "among people (add {role: nurse, id: \(station)}, or name another one in coordinator.nurseStation)"
        if let node { throw r.invalid(node, "coordinator.nurseStation", reason) }
        throw ConfigError.invalid(file: r.file, line: caller.line, field: "people[\(index)]", reason: reason)
    }
}
