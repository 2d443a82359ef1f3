import FleetCore
import Testing

@testable import FleetEvaluation

/// Safety stops on a hand-built one-hour journal of two robots (2 robot-h): R1 emergency stop 100–160 s, R2
/// protective field violation 1000–1010 s, R1 emergency stop from 3500 s, still active at the end (100 s in W).
@Suite("Safety stops per robot-hour on a hand-built journal")
struct SafetyKPITests {
    static let r1 = RobotID(manufacturer: "acme", serialNumber: "R1")
    static let r2 = RobotID(manufacturer: "acme", serialNumber: "R2")

    static let records: [JournalRecord] = [
        (0, JournalEvent.mode(robot: r1, mode: .automatic)), (0, .mode(robot: r2, mode: .automatic)),
        (100, .safetyStop(robot: r1, type: "estop", active: true)),
        (160, .safetyStop(robot: r1, type: "estop", active: false)),
        (1000, .safetyStop(robot: r2, type: "field_violation", active: true)),
        (1005, .safetyStop(robot: r2, type: "field_violation", active: true)),
        (1010, .safetyStop(robot: r2, type: "field_violation", active: false)),
        (3500, .safetyStop(robot: r1, type: "estop", active: true)),
    ].map { JournalRecord(time: JournalFixture.t($0.0), event: $0.1) }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) < tolerance
    }

    @Test("3 stops in 2 robot-h (a repeated 'active' is one stop): 1.5 per robot-h, Garwood, 170 s lost")
    func rate() throws {
        let run = RunEvaluation(records: Self.records, settings: RunEvaluationTests.settings)
        let kpi = try #require(run.kpi("safety_stops_per_robot_hour"))
        #expect(kpi.n == 3)
        #expect(close(kpi.estimate, 1.5))
        // Garwood for 3 events in 2 robot-h (scipy.stats.chi2): chi2.ppf(.025, 6)/2/2 = 0.3093360614478007,
        // chi2.ppf(.975, 8)/2/2 = 4.383636534871162.
        #expect(close(kpi.ci?.low, 0.3093360614478007, 1e-6))
        #expect(close(kpi.ci?.high, 4.383636534871162, 1e-6))
        #expect(kpi.strata?["estop"]?.n == 2)
        #expect(kpi.strata?["field_violation"]?.n == 1)
        #expect(kpi.reason.contains("time lost 170 s"))
        #expect(kpi.reason.contains("1 still running"))
        let judged = VerdictRule.apply(
            TargetSpec(kpi: "safety_stops_per_robot_hour", type: .eventRateAtMost, value: 0.25), to: kpi)
        // The Garwood lower bound 0.31 is above 0.25: FAIL (at 0.5 it would be INCONCLUSIVE).
        #expect(judged.verdict == .fail)
    }

    @Test("no safety stop: estimate 0 with a Garwood upper bound, not INSUFFICIENT_DATA")
    func none() throws {
        let run = RunEvaluation(records: Array(Self.records.prefix(2)), settings: RunEvaluationTests.settings)
        let kpi = try #require(run.kpi("safety_stops_per_robot_hour"))
        #expect(kpi.n == 0)
        #expect(close(kpi.estimate, 0))
        // chi2.ppf(.975, 2)/2/2 = 1.8444397270569677 (scipy).
        #expect(close(kpi.ci?.high, 1.8444397270569677, 1e-6))
        #expect(kpi.verdict != .insufficientData)
    }

    @Test("coordinator pauses: operator e-stops count as safety stops, presence holds and slowdowns per hour")
    func pauses() throws {
        let r1 = Self.r1
        let r2 = Self.r2
        let events: [(Double, JournalEvent)] = [
            (0, .mode(robot: r1, mode: .automatic)), (0, .mode(robot: r2, mode: .automatic)),
            (200, .zoneHold(zone: "CELLS", actor: "presence", people: 1, robots: [r1])),
            (260, .zoneRelease(zone: "CELLS", actor: "presence", people: 0, robots: [r1])),
            (500, .emergencyStop(zone: nil, actor: "alice", robots: [r1, r2])),
            (530, .emergencyStopRelease(zone: nil, actor: "alice", robots: [r1, r2])),
            (1500, .zoneSlowdown(zone: "AISLE", actor: "presence", people: 2, speed: 0.3, robots: [r1])),
            (1600, .zoneClear(zone: "AISLE", actor: "presence", people: 0, robots: [])),
            (2000, .robotPause(robot: r2, paused: true, zone: "CELLS", actor: "presence")),
            (2100, .robotPause(robot: r2, paused: false, zone: nil, actor: "coordinator")),
            (2200, .zoneHold(zone: "CELLS", actor: "bob", people: 0, robots: [r2])),
            (2230, .zoneRelease(zone: "CELLS", actor: "bob", people: 0, robots: [r2])),
        ]
        let records = events.map { JournalRecord(time: JournalFixture.t($0.0), event: $0.1) }
        let run = RunEvaluation(records: records, settings: RunEvaluationTests.settings)
        let stops = try #require(run.kpi("safety_stops_per_robot_hour"))
        #expect(stops.n == 2)
        #expect(stops.strata?["estop_operator"]?.n == 2)
        #expect(stops.reason.contains("time lost 60 s"))
        let presence = try #require(run.kpi("presence_pauses_per_robot_hour"))
        #expect(presence.n == 2)
        #expect(close(presence.estimate, 1))
        #expect(presence.reason.contains("time lost 160 s, longest 100 s"))
        let slowdowns = try #require(run.kpi("presence_slowdowns_per_hour"))
        #expect(slowdowns.n == 1)
        #expect(close(slowdowns.estimate, 1))
    }

    @Test("node conflicts: 3 in W (one before W is left out), 3 per hour, the busiest node first")
    func nodeConflicts() throws {
        let events: [(Double, JournalEvent)] = [
            (0, .mode(robot: Self.r1, mode: .automatic)), (0, .mode(robot: Self.r2, mode: .automatic)),
            (100, .nodeConflict(node: "N7", robots: [Self.r1, Self.r2])),
            (900, .nodeConflict(node: "N7", robots: [Self.r1, Self.r2])),
            (2000, .nodeConflict(node: "N3", robots: [Self.r1, Self.r2])),
        ]
        let records = events.map { JournalRecord(time: JournalFixture.t($0.0), event: $0.1) }
        let run = RunEvaluation(records: records, settings: RunEvaluationTests.settings)
        let kpi = try #require(run.kpi("node_conflicts_per_hour"))
        #expect(kpi.n == 3)
        #expect(close(kpi.estimate, 3))
        #expect(kpi.reason.contains("most at N7 (2), N3 (1)"))
        var late = RunEvaluationTests.settings
        late.warmup = 600
        let cut = try #require(RunEvaluation(records: records, settings: late).kpi("node_conflicts_per_hour"))
        #expect(cut.n == 2)
    }

    @Test("stranded robots: R2 fell to 3 % (below 5 %), R1's lowest was 18 %; the lowest charge is in the reason")
    func stranded() throws {
        let events: [(Double, JournalEvent)] = [
            (0, .battery(robot: Self.r1, soc: 90, charging: false)),
            (0, .battery(robot: Self.r2, soc: 60, charging: false)),
            (500, .battery(robot: Self.r1, soc: 18, charging: true)),
            (900, .battery(robot: Self.r2, soc: 3, charging: false)),
        ]
        let records = events.map { JournalRecord(time: JournalFixture.t($0.0), event: $0.1) }
        let kpi = try #require(
            RunEvaluation(records: records, settings: RunEvaluationTests.settings).kpi("stranded_robots"))
        #expect(kpi.n == 2)
        #expect(close(kpi.estimate, 1))
        #expect(kpi.reason.contains("1 of 2 robots below 5 % (acme/R2); lowest charge 3 % (acme/R2)"))
        let judged = VerdictRule.apply(
            TargetSpec(kpi: "stranded_robots", type: .zeroTolerance, value: 0, gate: true), to: kpi)
        #expect(judged.verdict == .fail)
    }
}
