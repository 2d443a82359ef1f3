import FleetConfig
import FleetCore
import Foundation
import VDA5050

/// A task request as published on `fleetpilot/v1/{site}/tasks/request` (README, "Task request").
public struct SimTaskRequest: Sendable, Hashable, Codable {
    /// Task id, `T-00001`, `T-00002`, ...
    public var id: String
    /// Task kind, e.g. `transport`.
    public var kind: String
    /// Pick-up station.
    public var pick: String
    /// Drop-off station.
    public var drop: String
    /// `low`, `normal`, `high` or `urgent`.
    public var priority: String
    /// Load type.
    public var loadType: String?
    /// Load weight in kilograms.
    public var loadWeightKg: Double?
    /// Capabilities the task needs.
    public var capabilities: [String]?
    /// Deadline, ISO 8601 UTC with milliseconds.
    public var deadline: String?
    /// Who asked.
    public var requester: String
    /// When it was requested, in simulated milliseconds since the epoch (not sent).
    public var requestedAtMs: Int64

    private enum CodingKeys: String, CodingKey {
        case id, kind, pick, drop, priority, loadType, loadWeightKg, capabilities, deadline, requester
    }

    /// Decodes a request (the `requestedAtMs` field is not part of the wire format and becomes 0).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "transport"
        pick = try c.decode(String.self, forKey: .pick)
        drop = try c.decode(String.self, forKey: .drop)
        priority = try c.decodeIfPresent(String.self, forKey: .priority) ?? "normal"
        loadType = try c.decodeIfPresent(String.self, forKey: .loadType)
        loadWeightKg = try c.decodeIfPresent(Double.self, forKey: .loadWeightKg)
        capabilities = try c.decodeIfPresent([String].self, forKey: .capabilities)
        deadline = try c.decodeIfPresent(String.self, forKey: .deadline)
        requester = try c.decodeIfPresent(String.self, forKey: .requester) ?? "unknown"
        requestedAtMs = 0
    }

    init(id: String, demand: ScenarioDemand, pick: String, drop: String, at time: FleetTime) {
        self.id = id
        kind = demand.kind
        self.pick = pick
        self.drop = drop
        priority = demand.priority
        loadType = demand.loadType
        loadWeightKg = demand.loadWeightKg
        capabilities = demand.capabilities.isEmpty ? nil : demand.capabilities
        deadline = demand.deadlineMinutes.map {
            VDA5050Timestamp(millisecondsSince1970: time.adding(seconds: $0 * 60).milliseconds).iso8601
        }
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

/// Poisson arrivals of tasks for a scenario's demand entries: seeded exponential inter-arrival times in simulated
/// time, stations drawn uniformly from each entry's lists, ids `T-00001`, `T-00002`, ... in arrival order.
public struct DemandGenerator: Sendable {
    private let entries: [ScenarioDemand]
    private let start: FleetTime
    private var random: SplitMix64
    private var nextArrival: [Double]
    /// How many requests were generated so far.
    public private(set) var generated = 0

    /// Creates a generator; the same seed gives the same requests.
    /// - Parameters:
    ///   - demand: The demand entries.
    ///   - start: The simulated start time (offset 0).
    ///   - seed: The seed.
    public init(demand: [ScenarioDemand], start: FleetTime, seed: UInt64) {
        entries = demand
        self.start = start
        random = SplitMix64(seed: seed ^ 0xD1B5_4A32_D192_ED03)
        nextArrival = []
        for entry in demand { nextArrival.append(exponential(rate: entry.ratePerHour / 3600)) }
    }

    /// Every request arriving at or before `offset` simulated seconds after the start, in arrival order.
    public mutating func requests(upTo offset: Double) -> [SimTaskRequest] {
        var result: [SimTaskRequest] = []
        while let (index, time) = nextArrival.enumerated().min(by: { $0.element < $1.element }).map({
            ($0.offset, $0.element)
        }),
            time <= offset
        {
            let entry = entries[index]
            let pick = entry.pick[Int.random(in: 0..<entry.pick.count, using: &random)]
            // Never the pick station again, unless the entry allows nothing else.
            let others = entry.drop.filter { $0 != pick }
            let drops = others.isEmpty ? entry.drop : others
            let drop = drops[Int.random(in: 0..<drops.count, using: &random)]
            generated += 1
            let id = "T-" + String(repeating: "0", count: max(0, 5 - String(generated).count)) + String(generated)
            result.append(
                SimTaskRequest(id: id, demand: entry, pick: pick, drop: drop, at: start.adding(seconds: time)))
            nextArrival[index] = time + exponential(rate: entry.ratePerHour / 3600)
        }
        return result
    }

    private mutating func exponential(rate: Double) -> Double {
        guard rate > 0 else { return .infinity }
        let u = Double.random(in: 0..<1, using: &random)
        return -log(1 - u) / rate
    }
}
