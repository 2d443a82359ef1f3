import FleetConfig
import FleetCore
import FleetEvaluation
import Foundation
import Testing

/// The shipped scenario library (`Configs/scenarios/`) and the care-home site: every file loads, validates and names
/// only KPIs, stations and people that exist. A file added to the directory is covered without touching this test.
@Suite("Scenario library")
struct ScenarioLibraryTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Configs/scenarios").standardized.path

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test("the library holds the default and the four collaboration scenarios")
    func library() {
        for name in ["factory-default", "factory-kitting", "factory-heavy-carry", "eldercare-day", "eldercare-night"] {
            #expect(Self.files.contains("\(name).yaml"), "missing \(name).yaml")
        }
    }

    @Test(
        "every shipped scenario loads, and its targets resolve against the evaluator's KPI catalogue", arguments: files)
    func loads(file: String) throws {
        let scenario = try ScenarioLoader().load(path: Self.directory + "/" + file)
        #expect(scenario.name + ".yaml" == file, "the name matches the file")
        #expect(scenario.description?.isEmpty == false)
        #expect(!scenario.robots().isEmpty)
        #expect(!scenario.demand.isEmpty)
        #expect(!scenario.targets.isEmpty)
        #expect(scenario.evaluation.warmup > 0 && scenario.evaluation.cooldown > 0)
        #expect(scenario.evaluation.warmup + scenario.evaluation.cooldown < scenario.duration / 2)
        let wall = scenario.duration / scenario.timeScale
        #expect(wall >= 30 && wall <= 150, "\(file) runs \(wall) s of wall time")
        for target in scenario.targets {
            do {
                _ = try KPICatalogue.target(
                    kpi: target.kpi ?? "", type: target.type, comparison: target.comparison,
                    threshold: target.threshold, gate: target.gate, reliability: target.reliability,
                    confidence: target.confidence, baseline: target.baseline)
            } catch {
                Issue.record("\(file):\(target.line ?? 0): \(error)")
            }
        }
        // Every demand stream produces arrivals within the run.
        for demand in scenario.demand {
            let scheduled = demand.schedule?.arrivals(duration: scenario.duration).count ?? 0
            #expect(demand.ratePerHour > 0 || scheduled > 0, "\(file):\(demand.line ?? 0) has no arrivals")
        }
        // Each generated task is one the coordinator accepts.
        for (i, demand) in scenario.demand.enumerated() {
            for request in Self.samples(demand, index: i, start: scenario.start) {
                #expect(request.problem(in: scenario.site) == nil, "\(file) demand[\(i)]: \(request)")
            }
        }
    }

    @Test("the collaboration scenarios use people, their roles and the kinds they were written for")
    func collaboration() throws {
        func load(_ name: String) throws -> Scenario {
            try ScenarioLoader().load(path: Self.directory + "/\(name).yaml")
        }
        let kitting = try load("factory-kitting")
        #expect(kitting.demand.filter { $0.kind == "handover" }.allSatisfy { $0.personRole == .lineWorker })
        #expect(kitting.people.contains { $0.role == .lineWorker && !$0.shifts.isEmpty })
        #expect(kitting.coordinator.confirmationTimeout == 180)

        let carry = try load("factory-heavy-carry")
        #expect(carry.demand.contains { $0.kind == "cooperative_carry" && $0.robots == 3 })
        let cells = carry.site.zones.first { $0.id == "ASSEMBLY-CELLS" }
        #expect(cells?.kind == .humanWork)
        #expect(carry.people.contains { $0.zone == "ASSEMBLY-CELLS" && $0.role == .lineWorker })
        let drops = Set(carry.demand.filter { $0.kind == "cooperative_carry" }.flatMap(\.drop))
        let cellStations = carry.site.stations.filter { station in
            carry.site.nodes.first { $0.id == station.node }.map { cells?.contains($0) ?? false } ?? false
        }
        #expect(drops.contains { id in cellStations.contains { $0.id == id } }, "carries go into the cells")

        let day = try load("eldercare-day")
        let rounds = day.demand.filter { $0.kind == "handover" && $0.personRole == .resident }
        #expect(rounds.count == 2)
        #expect(rounds.allSatisfy { $0.earliestStartMinutes != nil && $0.deadlineMinutes != nil })
        #expect(rounds.allSatisfy { $0.schedule?.arrivals(duration: day.duration).count == 24 })
        #expect(day.demand.contains { $0.kind == "assist" && $0.personRole == .resident })
        #expect(day.people.filter { $0.role == .caregiver }.map(\.count).reduce(0, +) == 4)
        #expect(day.people.contains { $0.role == .resident && $0.callsPerHour > 0 })

        let night = try load("eldercare-night")
        let patrol = try #require(night.demand.first { $0.kind == "patrol" })
        #expect(patrol.schedule?.arrivals(duration: night.duration).count == 24)
        #expect(night.people.filter { $0.role == .caregiver }.map(\.count).reduce(0, +) == 2)
        #expect(night.people.contains { $0.role == .resident && $0.fallsPerHour > 0 })
        #expect(night.faults.filter { $0.kind == .dropout }.count == 2)
        #expect(night.faults[0].robots == ["CARE-02"])
        #expect(night.coordinator.callResolutionTimeout == 120)
        #expect(night.coordinator.acknowledgementTimeout == 60)
    }

    @Test("the care-home site: 24 rooms in two wings, the care stations, chargers and parking, all reachable")
    func careHome() throws {
        let site = try SiteLayoutLoader().load(
            path: Self.directory + "/../sites/care-home.yaml")
        #expect(site.siteId == "care-home")
        let rooms = site.stations.filter { $0.kind == .room }
        #expect(rooms.count == 24)
        #expect(Set(rooms.map(\.id)).count == 24)
        #expect(site.stations.filter { $0.kind == .nurseStation }.count == 1)
        #expect(site.stations.filter { $0.kind == .pharmacy }.count == 1)
        #expect(site.stations.filter { $0.kind == .commonRoom }.count == 1)
        #expect(site.stations.filter { $0.kind == .waypoint }.count == 4)
        #expect(site.chargers.count == 3)
        #expect(site.parkingSpots.count == 2)
        // Every room lies in one of the wings' zones.
        let wings = site.zones.filter { $0.id.hasPrefix("WING-") }
        #expect(wings.count == 2)
        for room in rooms {
            let node = try #require(site.nodes.first { $0.id == room.node })
            #expect(wings.contains { $0.contains(node) }, "\(room.id) is in a wing")
        }
    }

    /// One request per candidate station of a demand stream, as fleet-sim would send it.
    static func samples(_ demand: ScenarioDemand, index: Int, start: FleetTime) -> [TaskRequest] {
        guard let kind = TaskKind(rawValue: demand.kind) else { return [] }
        let priority = TaskPriority(rawValue: demand.priority) ?? .normal
        let earliest = demand.earliestStartMinutes.map { start.adding(seconds: $0 * 60) }
        let deadline = demand.deadlineMinutes.map { start.adding(seconds: $0 * 60) }
        func request(_ n: Int, stops: [StationID]) -> TaskRequest {
            TaskRequest(
                id: TaskID("D\(index)-\(n)"), kind: kind, stops: stops, zone: demand.zone,
                robots: demand.robots ?? (kind == .cooperativeCarry ? 2 : 1), loadType: demand.loadType,
                loadWeightKg: demand.loadWeightKg, requiredCapabilities: Set(demand.capabilities), priority: priority,
                deadline: deadline, earliestStart: earliest, requester: demand.requester)
        }
        switch kind {
        case .transport, .cooperativeCarry:
            return demand.pick.enumerated().compactMap { n, pick in
                demand.drop.first { $0 != pick }.map { request(n, stops: [pick, $0]) }
            }
        case .patrol: return [request(0, stops: demand.stops)]
        case .coverage: return [request(0, stops: [])]
        case .assist, .handover, .emergency, .charge:
            return demand.stops.enumerated().map { request($0.offset, stops: [$0.element]) }
        }
    }
}
