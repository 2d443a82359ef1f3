import FleetConfig
import FleetCore
import Foundation
import VDA5050

/// A task request as published on `fleetpilot/v1/{site}/tasks/request` (README, "Task request"), of any kind:
/// `pick`/`drop` for transports and cooperative carries, `stops` for patrols, assists, handovers and emergencies,
/// `zone` for coverage; absent fields are left out of the JSON.
public struct SimTaskRequest: Sendable, Hashable, Codable {
    /// Task id, `T-00001`, `T-00002`, ...
    public var id: String
    /// Task kind, e.g. `transport`.
    public var kind: String
    /// Pick-up station (transport, cooperative carry).
    public var pick: String?
    /// Drop-off station (transport, cooperative carry).
    public var drop: String?
    /// Stations: a patrol's waypoints in order, or the one station of an assist, handover or emergency.
    public var stops: [String]?
    /// The zone of a coverage task.
    public var zone: String?
    /// Robots needed at once (cooperative carry, coverage).
    public var robots: Int?
    /// The person who confirms an assist or handover.
    public var person: String?
    /// `low`, `normal`, `high` or `urgent`; `nil` for an emergency without one (fleetd's default, `emergency`).
    public var priority: String?
    /// Load type.
    public var loadType: String?
    /// Load weight in kilograms.
    public var loadWeightKg: Double?
    /// Capabilities the task needs.
    public var capabilities: [String]?
    /// Not before this time, ISO 8601 UTC with milliseconds.
    public var earliestStart: String?
    /// Deadline, ISO 8601 UTC with milliseconds.
    public var deadline: String?
    /// Who asked.
    public var requester: String
    /// When it was requested, in simulated milliseconds since the epoch (not sent).
    public var requestedAtMs: Int64

    private enum CodingKeys: String, CodingKey {
        case id, kind, pick, drop, stops, zone, robots, person, priority, loadType, loadWeightKg, capabilities
        case earliestStart, deadline, requester
    }

    /// Decodes a request (the `requestedAtMs` field is not part of the wire format and becomes 0).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "transport"
        pick = try c.decodeIfPresent(String.self, forKey: .pick)
        drop = try c.decodeIfPresent(String.self, forKey: .drop)
        stops = try c.decodeIfPresent([String].self, forKey: .stops)
        zone = try c.decodeIfPresent(String.self, forKey: .zone)
        robots = try c.decodeIfPresent(Int.self, forKey: .robots)
        person = try c.decodeIfPresent(String.self, forKey: .person)
        priority = try c.decodeIfPresent(String.self, forKey: .priority)
        loadType = try c.decodeIfPresent(String.self, forKey: .loadType)
        loadWeightKg = try c.decodeIfPresent(Double.self, forKey: .loadWeightKg)
        capabilities = try c.decodeIfPresent([String].self, forKey: .capabilities)
        earliestStart = try c.decodeIfPresent(String.self, forKey: .earliestStart)
        deadline = try c.decodeIfPresent(String.self, forKey: .deadline)
        requester = try c.decodeIfPresent(String.self, forKey: .requester) ?? "unknown"
        requestedAtMs = 0
    }

    /// Encodes the wire fields, leaving out absent ones.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(pick, forKey: .pick)
        try c.encodeIfPresent(drop, forKey: .drop)
        try c.encodeIfPresent(stops, forKey: .stops)
        try c.encodeIfPresent(zone, forKey: .zone)
        try c.encodeIfPresent(robots, forKey: .robots)
        try c.encodeIfPresent(person, forKey: .person)
        try c.encodeIfPresent(priority, forKey: .priority)
        try c.encodeIfPresent(loadType, forKey: .loadType)
        try c.encodeIfPresent(loadWeightKg, forKey: .loadWeightKg)
        try c.encodeIfPresent(capabilities, forKey: .capabilities)
        try c.encodeIfPresent(earliestStart, forKey: .earliestStart)
        try c.encodeIfPresent(deadline, forKey: .deadline)
        try c.encode(requester, forKey: .requester)
    }

    init(id: String, demand: ScenarioDemand, at time: FleetTime) {
        self.id = id
        kind = demand.kind
        priority = demand.kind == "emergency" && demand.priority == "normal" ? nil : demand.priority
        loadType = demand.loadType
        loadWeightKg = demand.loadWeightKg
        capabilities = demand.capabilities.isEmpty ? nil : demand.capabilities
        func iso(_ minutes: Double) -> String {
            VDA5050Timestamp(millisecondsSince1970: time.adding(seconds: minutes * 60).milliseconds).iso8601
        }
        earliestStart = demand.earliestStartMinutes.map(iso)
        deadline = demand.deadlineMinutes.map(iso)
        requester = demand.requester
        requestedAtMs = time.milliseconds
    }

    /// The JSON payload.
    public var payload: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(self))) ?? []
    }
}

/// Who a demand stream's assists and handovers can be for: one person of the scenario with their role, home
/// station and shifts (``SimPeople/directory(of:)`` builds the list).
public struct SimPersonEntry: Sendable, Hashable {
    /// The person's id.
    public var id: PersonID
    /// Their role.
    public var role: PersonRole
    /// A resident's room, a worker's first station.
    public var home: StationID?
    /// The stations they work at.
    public var stations: [StationID]
    /// Shifts, seconds after the start; empty means always on shift.
    public var shifts: [ScenarioShift]

    /// Creates an entry.
    public init(
        id: PersonID, role: PersonRole, home: StationID?, stations: [StationID] = [], shifts: [ScenarioShift] = []
    ) {
        self.id = id
        self.role = role
        self.home = home
        self.stations = stations
        self.shifts = shifts
    }

    /// Whether the person is on shift `offset` seconds after the start.
    public func onShift(at offset: Double) -> Bool {
        shifts.isEmpty || shifts.contains { offset >= $0.start && offset < $0.end }
    }
}

/// Arrivals of tasks for a scenario's demand entries, of every kind: Poisson arrivals at `ratePerHour` (times the
/// factor of any active burst, by thinning) plus the entry's `schedule`, in simulated time; stations drawn uniformly
/// from each entry's lists; ids `T-00001`, `T-00002`, ... in arrival order. The same seed gives the same requests.
///
/// What each kind gets: transport and cooperative carry `pick`/`drop` (never the same station unless the entry
/// allows nothing else) and a carry `robots`; patrol the entry's `stops` in order; assist, handover and emergency
/// one station drawn from `stops` (else `drop`, else `pick`) and, with `personRole`, a `person` of that role (a
/// resident: one whose room is among the stations, the task going to that room; others: one on shift, preferring
/// those who work at the station); coverage `zone` and `robots`.
public struct DemandGenerator: Sendable {
    private let entries: [ScenarioDemand]
    private let start: FleetTime
    private let people: [SimPersonEntry]
    private var random: SplitMix64
    private var nextArrival: [Double]
    private var scheduled: [[Double]]
    private var nextScheduled: [Int]
    /// How many requests were generated so far.
    public private(set) var generated = 0

    /// Creates a generator; the same seed gives the same requests.
    /// - Parameters:
    ///   - demand: The demand entries.
    ///   - start: The simulated start time (offset 0).
    ///   - seed: The seed.
    ///   - duration: Seconds of demand: schedules give arrivals before it.
    ///   - people: The people assists and handovers can be for.
    public init(
        demand: [ScenarioDemand], start: FleetTime, seed: UInt64, duration: Double, people: [SimPersonEntry] = []
    ) {
        entries = demand
        self.start = start
        self.people = people
        random = SplitMix64(seed: seed ^ 0xD1B5_4A32_D192_ED03)
        nextArrival = []
        scheduled = demand.map { $0.schedule?.arrivals(duration: duration) ?? [] }
        nextScheduled = Array(repeating: 0, count: demand.count)
        for index in demand.indices { nextArrival.append(poissonArrival(index, after: 0)) }
    }

    /// Every request arriving at or before `offset` simulated seconds after the start, in arrival order.
    public mutating func requests(upTo offset: Double) -> [SimTaskRequest] {
        var result: [SimTaskRequest] = []
        while let (index, time, fromSchedule) = nextEvent(), time <= offset {
            generated += 1
            let id = "T-" + String(repeating: "0", count: max(0, 5 - String(generated).count)) + String(generated)
            result.append(request(id: id, entry: entries[index], at: time))
            if fromSchedule {
                nextScheduled[index] += 1
            } else {
                nextArrival[index] = poissonArrival(index, after: time)
            }
        }
        return result
    }

    /// The earliest next arrival over every entry: its entry, time and whether it is a scheduled one.
    private func nextEvent() -> (Int, Double, Bool)? {
        var best: (Int, Double, Bool)?
        for index in entries.indices {
            if nextScheduled[index] < scheduled[index].count {
                let time = scheduled[index][nextScheduled[index]]
                if best == nil || time < best!.1 { best = (index, time, true) }
            }
            if nextArrival[index] < (best?.1 ?? .infinity) { best = (index, nextArrival[index], false) }
        }
        return best.flatMap { $0.1.isFinite ? $0 : nil }
    }

    private mutating func request(id: String, entry: ScenarioDemand, at offset: Double) -> SimTaskRequest {
        var request = SimTaskRequest(id: id, demand: entry, at: start.adding(seconds: offset))
        switch entry.kind {
        case "transport", "cooperative_carry":
            let pick = entry.pick.isEmpty ? nil : entry.pick[Int.random(in: 0..<entry.pick.count, using: &random)]
            // Never the pick station again, unless the entry allows nothing else.
            let others = entry.drop.filter { $0 != pick }
            let drops = others.isEmpty ? entry.drop : others
            request.pick = pick
            request.drop = drops.isEmpty ? nil : drops[Int.random(in: 0..<drops.count, using: &random)]
            if entry.kind == "cooperative_carry" { request.robots = entry.robots }
        case "coverage":
            request.zone = entry.zone
            request.robots = entry.robots
        case "assist", "handover", "emergency":
            let stations = !entry.stops.isEmpty ? entry.stops : !entry.drop.isEmpty ? entry.drop : entry.pick
            var station = stations.isEmpty ? nil : stations[Int.random(in: 0..<stations.count, using: &random)]
            if let role = entry.personRole, entry.kind != "emergency" {
                let (person, room) = self.person(role, stations: stations, station: station, at: offset)
                request.person = person?.rawValue
                if let room { station = room }
            }
            request.stops = station.map { [$0] }
        default:
            // patrol (and any kind fleetd may add): the stops as given, in order.
            request.stops = entry.stops.isEmpty ? nil : entry.stops
        }
        return request
    }

    /// The person of `role` a task is for, and for a resident the room the task goes to instead of `station`.
    private mutating func person(_ role: PersonRole, stations: [StationID], station: StationID?, at offset: Double)
        -> (PersonID?, StationID?)
    {
        let ofRole = people.filter { $0.role == role }
        if role == .resident {
            let inRooms = ofRole.filter { $0.home != nil && (stations.isEmpty || stations.contains($0.home!)) }
            guard !inRooms.isEmpty else { return (nil, nil) }
            let resident = inRooms[Int.random(in: 0..<inRooms.count, using: &random)]
            return (resident.id, resident.home)
        }
        let onShift = ofRole.filter { $0.onShift(at: offset) }
        let pool = onShift.isEmpty ? ofRole : onShift
        let atStation = pool.filter { station != nil && ($0.stations.contains(station!) || $0.home == station) }
        let candidates = atStation.isEmpty ? pool : atStation
        guard !candidates.isEmpty else { return (nil, nil) }
        return (candidates[Int.random(in: 0..<candidates.count, using: &random)].id, nil)
    }

    /// The next Poisson arrival of entry `index` after `time`: exponential gaps at the highest rate of the entry
    /// (its bursts included), each kept with probability rate(t) / highest rate (thinning).
    private mutating func poissonArrival(_ index: Int, after time: Double) -> Double {
        let entry = entries[index]
        let peak = entry.ratePerHour * max(1, entry.bursts.map(\.factor).max() ?? 1) / 3600
        guard peak > 0 else { return .infinity }
        var t = time
        while true {
            let u = Double.random(in: 0..<1, using: &random)
            t += -log(1 - u) / peak
            let rate = entry.ratePerHour * Self.burstFactor(entry, at: t) / 3600
            if rate >= peak { return t }
            if Double.random(in: 0..<1, using: &random) * peak < rate { return t }
        }
    }

    /// The product of the factors of the bursts of `entry` active at `time` (1 outside every burst).
    public static func burstFactor(_ entry: ScenarioDemand, at time: Double) -> Double {
        entry.bursts.filter { $0.contains(time) }.map(\.factor).reduce(1, *)
    }
}
