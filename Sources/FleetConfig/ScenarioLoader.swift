import FleetCore
import Foundation
import Yams

/// Loads a scenario file (format in `README.md` and `Configs/scenarios/`), with errors that name the file, the
/// line and the field; the site layout it refers to is loaded with ``SiteLayoutLoader``.
///
/// Durations are written `8h`, `30m`, `600s` or combined (`1h30m`); station lists are ids (`[LS-01, KIT-1]`) or
/// a station kind (`{kind: lineSide}`), and every id must exist in the site. Unknown keys are errors, except in
/// `targets`, whose entries are kept as written for the evaluator.
public struct ScenarioLoader: Sendable {
    private static let topKeys: Set<String> = [
        "name", "description", "site", "siteId", "seed", "start", "duration", "timeScale", "stateInterval", "fleet",
        "actions", "demand", "targets", "evaluation", "allocation", "people", "faults", "coordinator",
    ]
    private static let fleetKeys: Set<String> = [
        "type", "manufacturer", "serialPrefix", "count", "capabilities", "maxPayloadKg", "maxSpeed", "acceleration",
        "deceleration", "batteryPercentPerMetre", "chargePercentPerSecond", "initialBattery", "allowedZones", "kinds",
    ]
    static let demandKeys: Set<String> = [
        "kind", "ratePerHour", "pick", "drop", "loadType", "loadWeightKg", "priority", "deadlineMinutes",
        "capabilities", "requester", "stops", "robots", "zone", "personRole", "earliestStartMinutes", "schedule",
        "bursts",
    ]

    /// Creates a loader.
    public init() {}

    /// Loads and validates the scenario at `path`, and the site layout it names (relative to the scenario).
    /// - Throws: ``ConfigError`` naming the file, and the line and field where known.
    public func load(path: String) throws(ConfigError) -> Scenario {
        let text = try ConfigFile.read(path)
        return try load(yaml: text, file: path)
    }

    /// Loads a scenario from YAML text; `file` names it in errors and anchors the relative site path.
    /// - Throws: ``ConfigError`` naming the file, and the line and field where known.
    public func load(yaml: String, file: String) throws(ConfigError) -> Scenario {
        let r = YAMLNodeReader(file: file)
        let root = try r.compose(yaml)
        let top = try r.mapping(root, "", allowed: Self.topKeys)
        let siteNode = try required(top, "site", "site", root, r)
        let sitePath = Self.resolve(try r.string(siteNode, "site"), relativeTo: file)
        let site = try SiteLayoutLoader().load(path: sitePath)
        let startNode = try required(top, "start", "start", root, r)
        guard let start = Self.parseTime(try r.string(startNode, "start")) else {
            throw r.invalid(startNode, "start", "expected an ISO 8601 time such as 2026-11-30T06:00:00Z")
        }
        var scenario = Scenario(
            name: try r.string(top, "name", "", at: root), description: try r.optionalString(top, "description", ""),
            file: file, sitePath: sitePath, site: site,
            siteId: try r.optionalString(top, "siteId", "") ?? site.siteId, start: start,
            duration: try duration(required(top, "duration", "duration", root, r), "duration", r),
            fleet: [])
        if let seed = Self.lookup(top, "seed") {
            guard let value = seed.scalar.flatMap({ UInt64($0.string) }) else {
                throw r.invalid(seed, "seed", "expected a non-negative integer, got \(r.kind(of: seed))")
            }
            scenario.seed = value
        }
        scenario.timeScale = try positive(top, "timeScale", "timeScale", r) ?? 1
        scenario.stateInterval = try positive(top, "stateInterval", "stateInterval", r) ?? 15
        let fleetItems = try r.sequence(top, "fleet", "fleet")
        if fleetItems.isEmpty { throw r.invalid(Self.lookup(top, "fleet") ?? root, "fleet", "at least one entry") }
        for (i, item) in fleetItems.enumerated() { scenario.fleet.append(try fleetEntry(item, "fleet[\(i)]", r)) }
        scenario.actionDurations = Scenario.defaultActionDurations
        if let actions = Self.lookup(top, "actions") {
            guard let mapping = actions.mapping else { throw r.invalid(actions, "actions", "expected a mapping") }
            for (key, value) in mapping {
                let name = key.scalar?.string ?? "?"
                let seconds = try r.double(value, "actions.\(name)")
                if seconds < 0 { throw r.invalid(value, "actions.\(name)", "must not be negative") }
                scenario.actionDurations[name] = seconds
            }
        }
        for (i, item) in try r.sequence(top, "people", "people").enumerated() {
            scenario.people.append(try peopleGroup(item, "people[\(i)]", scenario: scenario, r))
        }
        for (i, item) in try r.sequence(top, "demand", "demand").enumerated() {
            scenario.demand.append(try demandEntry(item, "demand[\(i)]", scenario: scenario, r))
        }
        for (i, item) in try r.sequence(top, "faults", "faults").enumerated() {
            scenario.faults.append(try fault(item, "faults[\(i)]", scenario: scenario, r))
        }
        for (i, item) in try r.sequence(top, "targets", "targets").enumerated() {
            scenario.targets.append(try target(item, "targets[\(i)]", r))
        }
        if let node = Self.lookup(top, "coordinator") {
            scenario.coordinator = try coordinator(node, r)
        }
        try checkNurseStation(scenario, top: top, root: root, r)
        if let node = Self.lookup(top, "allocation") {
            var allocation = CoordinatorConfiguration()
            try FleetdConfigurationLoader.allocation(node, r, into: &allocation)
            let m = node.mapping ?? [:]
            if Self.lookup(m, "policy") != nil { scenario.allocationPolicy = allocation.allocationPolicy }
            if Self.lookup(m, "minimumInterval") != nil {
                scenario.allocationMinimumInterval = allocation.allocationMinimumInterval
            }
        }
        if let node = Self.lookup(top, "evaluation") {
            scenario.evaluation = try evaluation(node, r)
        }
        return scenario
    }

    /// Seconds in a duration such as `8h`, `30m`, `600s`, `1h30m` or `90` (seconds); `nil` when malformed.
    public static func parseDuration(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let plain = Double(text) { return plain >= 0 ? plain : nil }
        var total = 0.0
        var number = ""
        var lastRank = -1
        let units: [Character: (factor: Double, rank: Int)] = ["h": (3600, 0), "m": (60, 1), "s": (1, 2)]
        for c in text {
            if c.isNumber || c == "." {
                number.append(c)
                continue
            }
            guard let unit = units[c], unit.rank > lastRank, let value = Double(number) else { return nil }
            total += value * unit.factor
            lastRank = unit.rank
            number = ""
        }
        return number.isEmpty && lastRank >= 0 ? total : nil
    }

    /// Parses an ISO 8601 UTC time (`2026-11-30T06:00:00Z`, optional fractional seconds or offset).
    static func parseTime(_ text: String) -> FleetTime? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return FleetTime(seconds: date.timeIntervalSince1970) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { FleetTime(seconds: $0.timeIntervalSince1970) }
    }

    private static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    static func lookup(_ mapping: Node.Mapping, _ key: String) -> Node? {
        mapping.first { $0.key.scalar?.string == key }?.value
    }

    func required(_ m: Node.Mapping, _ key: String, _ field: String, _ parent: Node, _ r: YAMLNodeReader)
        throws(ConfigError) -> Node
    {
        guard let node = Self.lookup(m, key) else { throw r.invalid(parent, field, "missing required key '\(key)'") }
        return node
    }

    func duration(_ node: Node, _ field: String, _ r: YAMLNodeReader) throws(ConfigError) -> Double {
        let text = try r.string(node, field)
        guard let seconds = Self.parseDuration(text), seconds > 0 else {
            throw r.invalid(node, field, "expected a duration such as 8h, 30m, 600s or 1h30m, got '\(text)'")
        }
        return seconds
    }

    func positive(_ m: Node.Mapping, _ key: String, _ field: String, _ r: YAMLNodeReader)
        throws(ConfigError) -> Double?
    {
        guard let node = Self.lookup(m, key) else { return nil }
        let value = try r.double(node, field)
        guard value > 0, value.isFinite else { throw r.invalid(node, field, "must be a positive number") }
        return value
    }

    func strings(_ m: Node.Mapping, _ key: String, _ field: String, _ r: YAMLNodeReader)
        throws(ConfigError) -> [String]
    {
        var result: [String] = []
        for (i, item) in try r.sequence(m, key, field).enumerated() {
            result.append(try r.string(item, "\(field)[\(i)]"))
        }
        return result
    }

    private func fleetEntry(_ item: Node, _ f: String, _ r: YAMLNodeReader) throws(ConfigError) -> ScenarioFleetEntry {
        let m = try r.mapping(item, f, allowed: Self.fleetKeys)
        let countNode = try required(m, "count", "\(f).count", item, r)
        guard let count = countNode.int, count >= 0 else {
            throw r.invalid(countNode, "\(f).count", "expected a non-negative integer, got \(r.kind(of: countNode))")
        }
        var entry = ScenarioFleetEntry(
            type: try r.optionalString(m, "type", f) ?? "AMR",
            manufacturer: try r.string(m, "manufacturer", f, at: item),
            serialPrefix: try r.string(m, "serialPrefix", f, at: item), count: count,
            capabilities: try strings(m, "capabilities", "\(f).capabilities", r))
        entry.maxPayloadKg = try positive(m, "maxPayloadKg", "\(f).maxPayloadKg", r) ?? entry.maxPayloadKg
        entry.maxSpeed = try positive(m, "maxSpeed", "\(f).maxSpeed", r) ?? entry.maxSpeed
        entry.acceleration = try positive(m, "acceleration", "\(f).acceleration", r) ?? entry.acceleration
        entry.deceleration = try positive(m, "deceleration", "\(f).deceleration", r) ?? entry.acceleration
        entry.batteryPercentPerMetre = try r.optionalDouble(m, "batteryPercentPerMetre", f) ?? 0.01
        (entry.allowedZones, entry.taskKinds) = try FleetLimitsReader(reader: r).limits(m, f)
        entry.chargePercentPerSecond =
            try positive(m, "chargePercentPerSecond", "\(f).chargePercentPerSecond", r) ?? 0.05
        if let battery = Self.lookup(m, "initialBattery") {
            let field = "\(f).initialBattery"
            let bounds: [Double]
            if let list = battery.sequence {
                var values: [Double] = []
                for (i, value) in list.enumerated() { values.append(try r.double(value, "\(field)[\(i)]")) }
                bounds = values
            } else {
                bounds = [try r.double(battery, field)]
            }
            guard let low = bounds.first, let high = bounds.last, bounds.count <= 2, low <= high, low >= 0, high <= 100
            else { throw r.invalid(battery, field, "expected a percentage or a range [low, high] within 0...100") }
            entry.initialBattery = low...high
        }
        return entry
    }

    func stations(_ node: Node, _ field: String, _ site: SiteLayout, _ r: YAMLNodeReader)
        throws(ConfigError) -> [StationID]
    {
        if node.mapping != nil {
            let m = try r.mapping(node, field, allowed: ["kind"])
            let kindNode = try required(m, "kind", "\(field).kind", node, r)
            let text = try r.string(kindNode, "\(field).kind")
            let normalized = text.split(separator: "-").enumerated()
                .map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
            guard let kind = StationKind(rawValue: normalized) else {
                let allowed = StationKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw r.invalid(
                    kindNode, "\(field).kind", "unknown station kind '\(text)' (expected one of: \(allowed))")
            }
            let ids = site.stations.filter { $0.kind == kind }.map(\.id)
            if ids.isEmpty { throw r.invalid(kindNode, "\(field).kind", "the site has no station of kind '\(text)'") }
            return ids
        }
        let items = node.sequence.map(Array.init) ?? [node]
        if items.isEmpty { throw r.invalid(node, field, "at least one station is required") }
        var ids: [StationID] = []
        for (i, item) in items.enumerated() {
            let itemField = node.sequence == nil ? field : "\(field)[\(i)]"
            let id = try r.string(item, itemField)
            guard site.station(id) != nil else {
                throw r.invalid(
                    item, itemField, "unknown station '\(id)' (the site '\(site.siteId)' does not define it)")
            }
            ids.append(id)
        }
        return ids
    }

    private func target(_ item: Node, _ f: String, _ r: YAMLNodeReader) throws(ConfigError) -> ScenarioTarget {
        guard let m = item.mapping else { throw r.invalid(item, f, "expected a mapping, got \(r.kind(of: item))") }
        var target = ScenarioTarget(line: item.mark?.line)
        for (key, value) in m {
            if let name = key.scalar?.string, let text = value.scalar?.string { target.raw[name] = text }
        }
        target.kpi = try r.optionalString(m, "kpi", f)
        target.comparison = try r.optionalString(m, "comparison", f)
        target.threshold = try r.optionalDouble(m, "threshold", f)
        target.type = try r.optionalString(m, "type", f)
        target.gate = try r.optionalBool(m, "gate", f) ?? false
        target.reliability = try r.optionalDouble(m, "reliability", f)
        target.confidence = try r.optionalDouble(m, "confidence", f)
        target.baseline = try r.optionalDouble(m, "baseline", f)
        if let type = target.type, !ScenarioTarget.types.contains(type) {
            throw r.invalid(
                Self.lookup(m, "type"), f + ".type",
                "unknown comparison type '\(type)' (one of \(ScenarioTarget.types.sorted().joined(separator: ", ")))")
        }
        if let comparison = target.comparison, !ScenarioTarget.comparisons.contains(comparison) {
            throw r.invalid(Self.lookup(m, "comparison"), f + ".comparison", "expected >=, <= or ==")
        }
        for (key, value) in [("reliability", target.reliability), ("confidence", target.confidence)] {
            if let value, !(value > 0 && value < 1) {
                throw r.invalid(Self.lookup(m, key), f + "." + key, "expected a number between 0 and 1")
            }
        }
        guard target.kpi != nil else { throw r.invalid(item, f, "missing required key 'kpi'") }
        guard target.type != nil || target.comparison != nil else {
            throw r.invalid(
                item, f + ".type",
                "missing target type: give 'type' (one of \(ScenarioTarget.types.sorted().joined(separator: ", "))) "
                    + "or 'comparison' (>=, <= or ==)")
        }
        guard target.threshold != nil || target.type == "zero_tolerance" else {
            throw r.invalid(item, f, "missing required key 'threshold'")
        }
        return target
    }

    private func evaluation(_ node: Node, _ r: YAMLNodeReader) throws(ConfigError) -> ScenarioEvaluation {
        let m = try r.mapping(node, "evaluation", allowed: ["warmup", "cooldown"])
        var result = ScenarioEvaluation()
        if let warmup = Self.lookup(m, "warmup") { result.warmup = try duration(warmup, "evaluation.warmup", r) }
        if let cooldown = Self.lookup(m, "cooldown") {
            result.cooldown = try duration(cooldown, "evaluation.cooldown", r)
        }
        return result
    }
}
