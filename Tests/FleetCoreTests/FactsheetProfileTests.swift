import FleetCore
import Foundation
import Testing

/// Robot profiles narrowed by factsheets: the combine rule, the allocation it changes under every policy, the
/// `factsheet` journal record and its replay.
@Suite struct FactsheetProfileTests {
    typealias K = TaskKindsTests

    static let everything: Set<String> = ["pick", "drop", "startCharging", "assist", "handover"]

    static func sheet(
        speed: Double = 1, load: Double = 100, actions: Set<String> = everything, series: String = "S1"
    ) -> RobotFactsheet {
        RobotFactsheet(series: series, maxSpeed: speed, maxLoadKg: load, actionTypes: actions)
    }

    /// Robots 1 (at B) and 2 (at E) with the AMR profile; robot 1 is nearer to PICK (A) by way of B.
    static func pair(_ policy: AllocationPolicyKind) -> Coordinator {
        var c = Coordinator(layout: K.layout, configuration: K.config, policy: policy.makePolicy())
        for (n, node) in [(1, "B"), (2, "F")] {
            _ = c.handle(.robotRegistered(K.robot(n), K.amr), now: t(0))
            _ = c.handle(.robotObserved(K.robot(n), K.at(node)), now: t(0))
        }
        return c
    }

    static func assigned(_ c: inout Coordinator, _ request: TaskRequest, at time: Double) -> [RobotID] {
        var out = c.handle(.taskRequested(request), now: t(time))
        out += c.handle(.timerFired(.allocation), now: t(time + 1))
        return out.dispatches.filter { $0.1.taskId == request.id }.map(\.0)
    }

    @Test func theStricterLimitWinsAndTheFactsheetSaysWhichActions() {
        let configured = RobotProfile(
            type: "AMR", capabilities: ["tow"], maxPayloadKg: 100, maxSpeed: 1.5, allowedZones: ["HALL"])
        let slower = configured.narrowed(by: Self.sheet(speed: 1.2, load: 80, actions: ["pick", "drop"]))
        #expect(slower.maxSpeed == 1.2 && slower.maxPayloadKg == 80)
        #expect(slower.actionTypes == ["pick", "drop"])
        #expect(slower.type == "AMR" && slower.capabilities == ["tow"] && slower.allowedZones == ["HALL"])
        // A factsheet never widens what the configuration allows.
        let faster = configured.narrowed(by: Self.sheet(speed: 3, load: 500))
        #expect(faster.maxSpeed == 1.5 && faster.maxPayloadKg == 100)
        #expect(
            slower.changes(from: configured)
                == "maxSpeed 1.5 -> 1.2 m/s; maxPayloadKg 100.0 -> 80.0 kg; actions any -> drop, pick")
        #expect(configured.changes(from: configured) == "no change")
        // Kinds need their actions.
        #expect(!slower.takes(.charge) && !slower.takes(.assist) && slower.takes(.transport) && slower.takes(.patrol))
    }

    @Test func implausibleFactsheetsNameTheField() {
        #expect(Self.sheet(speed: -0.5).problem?.hasPrefix("physicalParameters.speedMax -0.5") == true)
        #expect(Self.sheet(speed: 0).problem != nil && Self.sheet(speed: .nan).problem != nil)
        #expect(Self.sheet(speed: 400).problem != nil)
        #expect(Self.sheet(load: -1).problem?.hasPrefix("typeSpecification.maxLoadMass -1.0") == true)
        #expect(Self.sheet(series: "").problem == "typeSpecification.seriesName is empty")
        #expect(Self.sheet().problem == nil)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func aRobotWithoutPickAndDropGetsNoTransport(policy: AllocationPolicyKind) {
        var c = Self.pair(policy)
        #expect(Self.assigned(&c, TaskRequest(id: "T0", pick: "PICK", drop: "SIDE"), at: 1) == [K.robot(1)])
        c = Self.pair(policy)
        _ = c.handle(.robotFactsheet(K.robot(1), Self.sheet(actions: ["startCharging"])), now: t(0))
        #expect(Self.assigned(&c, TaskRequest(id: "T1", pick: "PICK", drop: "SIDE"), at: 1) == [K.robot(2)])
        // A patrol needs no action: robot 1 may take it.
        #expect(Self.assigned(&c, TaskRequest(id: "P1", kind: .patrol, stops: ["SIDE"]), at: 3) == [K.robot(1)])
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func aSmallerPayloadFromTheFactsheetChangesTheRobot(policy: AllocationPolicyKind) {
        var c = Self.pair(policy)
        _ = c.handle(.robotFactsheet(K.robot(1), Self.sheet(load: 40)), now: t(0))
        #expect(c.robots[K.robot(1)]?.profile.maxPayloadKg == 40)
        let heavy = TaskRequest(id: "T1", pick: "PICK", drop: "SIDE", loadWeightKg: 60)
        #expect(Self.assigned(&c, heavy, at: 1) == [K.robot(2)])
        let light = TaskRequest(id: "T2", pick: "PICK", drop: "SIDE", loadWeightKg: 30)
        #expect(Self.assigned(&c, light, at: 3) == [K.robot(1)])
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func aLowerTopSpeedFromTheFactsheetChangesTheRobot(policy: AllocationPolicyKind) {
        // Robot 1 at B is 10 m from PICK, robot 2 at F 40 m; at 0.2 m/s robot 1 needs 50 s, robot 2 at 1 m/s 40 s.
        var c = Self.pair(policy)
        _ = c.handle(.robotFactsheet(K.robot(1), Self.sheet(speed: 0.2)), now: t(0))
        #expect(Self.assigned(&c, TaskRequest(id: "P1", kind: .patrol, stops: ["PICK"]), at: 1) == [K.robot(2)])
    }

    @Test func noRobotAnnouncingTheActionsRejectsTheTask() {
        var c = Self.pair(.greedy)
        for n in [1, 2] { _ = c.handle(.robotFactsheet(K.robot(n), Self.sheet(actions: ["pick", "drop"])), now: t(0)) }
        _ = c.handle(.taskRequested(TaskRequest(id: "A1", kind: .assist, stops: ["MEET"], person: "p1")), now: t(1))
        #expect(c.tasks["A1"]?.state == .failed)
        #expect(c.tasks["A1"]?.history.last?.detail == "no robot that can do the task announces the action(s) assist")
    }

    @Test func aRobotThatCannotStartChargingGetsNoChargeTask() {
        var c = Coordinator(layout: K.layout, configuration: K.config)
        _ = c.handle(.robotRegistered(K.robot(1), K.amr), now: t(0))
        _ = c.handle(.robotFactsheet(K.robot(1), Self.sheet(actions: ["pick", "drop"])), now: t(0))
        let low = c.handle(.robotObserved(K.robot(1), K.at("B", battery: 20)), now: t(1))
        #expect(low.dispatches.isEmpty && c.tasks.isEmpty)
        var again = c.handle(.robotFactsheet(K.robot(1), Self.sheet()), now: t(2))
        again += c.handle(.robotObserved(K.robot(1), K.at("B", battery: 20)), now: t(3))
        #expect(again.dispatches.map(\.1.actions.first?.kind) == [.startCharging])
    }

    @Test func factsheetsAreJournaledWhenTheyChangeAndReplayed() throws {
        var c = Self.pair(.greedy)
        let first = c.handle(.robotFactsheet(K.robot(1), Self.sheet(speed: 0.8, load: 50)), now: t(1))
        let record = try #require(first.records.first)
        #expect(
            record.event
                == .factsheet(
                    robot: K.robot(1), factsheet: Self.sheet(speed: 0.8, load: 50),
                    changes: "maxSpeed 1.0 -> 0.8 m/s; maxPayloadKg 100.0 -> 50.0 kg; actions any -> "
                        + "assist, drop, handover, pick, startCharging"))
        // The same factsheet again (a retained republish) changes nothing and writes nothing.
        #expect(c.handle(.robotFactsheet(K.robot(1), Self.sheet(speed: 0.8, load: 50)), now: t(2)).records.isEmpty)
        // An implausible one is ignored.
        #expect(c.handle(.robotFactsheet(K.robot(1), Self.sheet(speed: -1)), now: t(3)).records.isEmpty)
        #expect(c.robots[K.robot(1)]?.profile.maxSpeed == 0.8)
        // The record survives the wire format and a replay restores the narrowed profile.
        let json = try JSONEncoder().encode(record)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["kind"] as? String == "factsheet" && object["speed_max"] as? Double == 0.8)
        #expect(object["actions"] as? [String] == ["assist", "drop", "handover", "pick", "startCharging"])
        let decoded = try JSONDecoder().decode(JournalRecord.self, from: json)
        #expect(decoded == record)
        var replayed = Coordinator(layout: K.layout, configuration: K.config)
        #expect(replayed.replay(records: [decoded]).isEmpty)
        _ = replayed.handle(.robotRegistered(K.robot(1), K.amr), now: t(4))
        #expect(replayed.robots[K.robot(1)]?.profile == c.robots[K.robot(1)]?.profile)
        #expect(replayed.configuredProfile(of: K.robot(1)) == K.amr)
        #expect(replayed.factsheet(of: K.robot(1))?.series == "S1")
    }
}
