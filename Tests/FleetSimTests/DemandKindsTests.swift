import FleetConfig
import FleetCore
import FleetSim
import Foundation
import Testing
import VDA5050

@Suite("Demand of every task kind, bursts and schedules")
struct DemandKindsTests {
    static let people: [SimPersonEntry] = [
        SimPersonEntry(id: "res-01", role: .resident, home: "R1"),
        SimPersonEntry(id: "res-02", role: .resident, home: "R2"),
        SimPersonEntry(id: "carer-01", role: .caregiver, home: "NS", stations: ["NS", "R1"]),
        SimPersonEntry(
            id: "carer-02", role: .caregiver, home: "R3", stations: ["R3"],
            shifts: [ScenarioShift(start: 0, end: 600)]),
    ]

    static func entry(_ kind: String, _ configure: (inout ScenarioDemand) -> Void = { _ in }) -> ScenarioDemand {
        var demand = ScenarioDemand(kind: kind, ratePerHour: 30, pick: [], drop: [])
        configure(&demand)
        return demand
    }

    /// Decodes a request as fleetd does (``TaskSubmission``) and checks it against the site.
    static func decode(_ request: SimTaskRequest) throws -> TaskRequest {
        let submission = try JSONDecoder().decode(TaskSubmission.self, from: Data(request.payload))
        let decoded = try submission.request {
            VDA5050Timestamp(iso8601: $0).map { FleetTime(milliseconds: $0.millisecondsSince1970) }
        }
        if let problem = decoded.problem(in: CareSite.layout) {
            throw TaskSubmission.Problem(id: nil, field: nil, problem)
        }
        return decoded
    }

    @Test("each kind gives requests fleetd's decoder accepts, with the kind's fields")
    func everyKind() throws {
        let demand = [
            Self.entry("transport") {
                $0.pick = ["R1"]
                $0.drop = ["R1", "R2"]
                $0.loadType = "tray"
                $0.deadlineMinutes = 30
            },
            Self.entry("patrol") { $0.stops = ["R1", "R2", "R3"] },
            Self.entry("assist") {
                $0.stops = ["R1", "R2", "R3"]
                $0.personRole = .resident
                $0.earliestStartMinutes = 10
            },
            Self.entry("handover") {
                $0.stops = ["R3"]
                $0.personRole = .caregiver
            },
            Self.entry("cooperative_carry") {
                $0.pick = ["NS"]
                $0.drop = ["R3"]
                $0.robots = 2
                $0.loadWeightKg = 80
            },
            Self.entry("coverage") {
                $0.zone = "HALL"
                $0.robots = 2
                $0.priority = "low"
            },
            Self.entry("emergency") { $0.stops = ["R2"] },
        ]
        var generator = DemandGenerator(
            demand: demand, start: TestSite.t0, seed: 11, duration: 36_000, people: Self.people)
        let requests = generator.requests(upTo: 36_000)
        var byKind: [TaskKind: [(SimTaskRequest, TaskRequest)]] = [:]
        for request in requests {
            let decoded = try Self.decode(request)
            byKind[decoded.kind, default: []].append((request, decoded))
        }
        let kinds: [TaskKind] = [.transport, .patrol, .assist, .handover, .cooperativeCarry, .coverage, .emergency]
        for kind in kinds { #expect((byKind[kind]?.count ?? 0) > 100, "\(kind): \(byKind[kind]?.count ?? 0)") }
        for (wire, task) in byKind[.transport] ?? [] {
            #expect(task.stops == ["R1", "R2"])
            #expect(task.deadline == FleetTime(milliseconds: wire.requestedAtMs).adding(seconds: 1800))
        }
        for (_, task) in byKind[.patrol] ?? [] { #expect(task.stops == ["R1", "R2", "R3"]) }
        for (wire, task) in byKind[.assist] ?? [] {
            // The resident whose room the assist goes to; R3 has no resident.
            let expected: PersonID = task.stops == ["R1"] ? "res-01" : "res-02"
            #expect(task.stops != ["R3"] && task.person == expected.rawValue, "\(task)")
            let requested = FleetTime(milliseconds: wire.requestedAtMs)
            #expect(task.earliestStart == requested.adding(seconds: 600))
        }
        let handovers = byKind[.handover] ?? []
        for (wire, task) in handovers {
            #expect(task.stops == ["R3"])
            // carer-02 works at R3 but only in the first 10 minutes; after it carer-01 (on shift) takes it.
            let at = Double(wire.requestedAtMs - TestSite.t0.milliseconds) / 1000
            #expect(task.person == (at < 600 ? "carer-02" : "carer-01"), "\(at) \(task.person ?? "-")")
        }
        for (_, task) in byKind[.cooperativeCarry] ?? [] {
            #expect(task.robots == 2 && task.stops == ["NS", "R3"] && task.loadWeightKg == 80)
        }
        for (_, task) in byKind[.coverage] ?? [] {
            #expect(task.zone == "HALL" && task.robots == 2 && task.priority == .low && task.stops.isEmpty)
        }
        for (wire, task) in byKind[.emergency] ?? [] {
            #expect(task.priority == .emergency && task.stops == ["R2"] && wire.priority == nil)
        }
        // Deterministic for a seed.
        var again = DemandGenerator(demand: demand, start: TestSite.t0, seed: 11, duration: 36_000, people: Self.people)
        #expect(again.requests(upTo: 36_000) == requests)
    }

    @Test("a burst multiplies the Poisson rate while it lasts (fixed seeds, 10 % tolerance)")
    func burst() {
        var demand = ScenarioDemand(ratePerHour: 10, pick: ["R1"], drop: ["R2"])
        demand.bursts = [ScenarioBurst(at: 3600, duration: 3600, factor: 5)]
        var counts = [0, 0, 0]
        for seed in 1...300 as ClosedRange<UInt64> {
            var generator = DemandGenerator(demand: [demand], start: TestSite.t0, seed: seed, duration: 10_800)
            for request in generator.requests(upTo: 10_799) {
                let hour = Int((request.requestedAtMs - TestSite.t0.milliseconds) / 3_600_000)
                counts[hour] += 1
            }
        }
        // 300 runs: 3000 expected before and after the burst, 15000 during it.
        #expect(abs(Double(counts[0]) - 3000) < 300, "\(counts)")
        #expect(abs(Double(counts[1]) - 15000) < 1500, "\(counts)")
        #expect(abs(Double(counts[2]) - 3000) < 300, "\(counts)")
        #expect(
            DemandGenerator.burstFactor(demand, at: 3600) == 5 && DemandGenerator.burstFactor(demand, at: 7200) == 1)
    }

    @Test("schedule arrivals come at their times, besides Poisson arrivals, and not after the duration")
    func schedule() throws {
        var demand = Self.entry("patrol") { $0.stops = ["R1", "R3"] }
        demand.ratePerHour = 0
        demand.schedule = ScenarioSchedule(times: [600, 1800, 9000], every: 3600, from: 900, until: 8000)
        var generator = DemandGenerator(demand: [demand], start: TestSite.t0, seed: 3, duration: 7200)
        #expect(generator.requests(upTo: 599).isEmpty)
        let first = generator.requests(upTo: 600)
        #expect(first.map(\.requestedAtMs) == [TestSite.t0.adding(seconds: 600).milliseconds])
        let rest = generator.requests(upTo: 100_000)
        let offsets = rest.map { Double($0.requestedAtMs - TestSite.t0.milliseconds) / 1000 }
        #expect(offsets == [900, 1800, 4500])
        #expect(rest.map(\.id) == ["T-00002", "T-00003", "T-00004"])
        for request in first + rest { _ = try Self.decode(request) }
        // With a Poisson rate as well, the scheduled times are among the arrivals.
        demand.ratePerHour = 20
        var mixed = DemandGenerator(demand: [demand], start: TestSite.t0, seed: 3, duration: 7200)
        let times = Set(mixed.requests(upTo: 7200).map { ($0.requestedAtMs - TestSite.t0.milliseconds) / 1000 })
        #expect(times.isSuperset(of: [600, 900, 1800, 4500]) && times.count > 20)
    }
}
