import FleetCore
import Testing

@testable import FleetEvaluation

/// A hand-built hour of resident calls and fall alerts, with the people KPIs worked out by hand.
///
/// K1 (call at 100) is resolved by its robot: confirmed and completed at 260, nobody notified. K2 (call at 300) has
/// no robot: escalated to carer-1 at 305, acknowledged at 335, carer-1 on scene at 485. K3 (call at 3000) is
/// escalated at 3100 and still open at the end (3600). Fall F1 (detected 990, alert 1000) is escalated at 1002,
/// acknowledged at 1010, a person arrives at 1290 (300 s on the floor). F2 (detected 1400, alert 1500) is escalated
/// at 1500 (110 s after detection) and nobody has arrived by the end (2200 s). F3 (detected 0, alert 5, escalated
/// 10) never gets a person: a long lie of at least 60 min at the end of the hour.
enum PeopleJournalFixture {
    static let r1 = RobotID(manufacturer: "acme", serialNumber: "R1")
    static func t(_ seconds: Double) -> FleetTime { JournalFixture.t(seconds) }

    static func created(_ id: String, _ kind: TaskKind) -> JournalEvent {
        .created(TaskRequest(id: TaskID(id), kind: kind, stops: ["room-1"], priority: .high, requester: "call"))
    }

    static let records: [JournalRecord] = {
        let events: [(Double, JournalEvent)] = [
            (0, .mode(robot: r1, mode: .automatic)),
            (5, .alert(task: "F3", resident: "res-3", station: "room-3", detectedAt: t(0))),
            (5, created("F3", .emergency)),
            (10, .escalated(task: "F3", person: "carer-2", level: 1, reason: .fallAlert)),
            (100, .call(task: "K1", resident: "res-1", station: "room-1")), (100, created("K1", .assist)),
            (110, .assigned(task: "K1", robot: r1, etaPickSeconds: 20)),
            (120, .started(task: "K1", robot: r1, orderId: "o-K1")),
            (200, .phase(task: "K1", robot: r1, phase: "awaiting_confirmation")),
            (260, .humanAck(task: "K1", person: "res-1")), (260, .completed(task: "K1", robot: r1, outcome: "ok")),
            (300, .call(task: "K2", resident: "res-2", station: "room-2")), (300, created("K2", .assist)),
            (305, .escalated(task: "K2", person: "carer-1", level: 1, reason: .noRobot)),
            (335, .acknowledged(task: "K2", person: "carer-1", level: 1)),
            (485, .humanArrived(task: "K2", person: "carer-1")),
            (485, .canceled(task: "K2", actor: .system, detail: "carer-1 is on scene")),
            (1000, .alert(task: "F1", resident: "res-4", station: "room-4", detectedAt: t(990))),
            (1000, created("F1", .emergency)),
            (1002, .escalated(task: "F1", person: "carer-1", level: 1, reason: .fallAlert)),
            (1010, .acknowledged(task: "F1", person: "carer-1", level: 1)),
            (1290, .humanArrived(task: "F1", person: "carer-1")),
            (1500, .alert(task: "F2", resident: "res-5", station: "room-5", detectedAt: t(1400))),
            (1500, created("F2", .emergency)),
            (1500, .escalated(task: "F2", person: "carer-2", level: 1, reason: .fallAlert)),
            (3000, .call(task: "K3", resident: "res-1", station: "room-1")), (3000, created("K3", .assist)),
            (3100, .escalated(task: "K3", person: "carer-1", level: 1, reason: .notResolved)),
            (3590, .battery(robot: r1, soc: 70, charging: false)),
        ]
        return events.map { JournalRecord(time: t($0.0), event: $0.1) }
    }()
}

@Suite("People KPIs on a hand-built journal")
struct PeopleKPITests {
    let run = RunEvaluation(records: PeopleJournalFixture.records, settings: RunEvaluationTests.settings)

    func kpi(_ id: String) throws -> KPIResult { try #require(run.kpi(id)) }

    func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) < 1e-9
    }

    @Test("call response: ack 35 s (K3 censored, K1 needed none), arrive 185 s, resolve KM median 185 s")
    func callResponse() throws {
        let ack = try kpi("call_ack_p50")
        #expect(ack.n == 2)
        #expect(ack.censored == 1)
        #expect(close(ack.estimate, 35))
        #expect(ack.reason.contains("1 call(s) settled without an acknowledgement"))
        #expect(close(try kpi("call_arrive_p50").estimate, 185))
        let resolve = try kpi("call_resolve_p50")
        #expect(resolve.n == 3)
        // Kaplan–Meier: S(160) = 2/3, S(185) = 2/3 · 1/2 = 1/3 ≤ 0.5.
        #expect(close(resolve.estimate, 185))
        #expect(try kpi("call_resolve_p90").n == 3)
        #expect(try kpi("call_resolve_p95").ci?.method == "order-statistic")
    }

    @Test("fall chain: latency p95 91 s, one on scene after 300 s (two censored), one long lie in 2 decided")
    func fallChain() throws {
        // Type 7 p95 of [5, 10, 100]: 10 + 0.9 · 90 = 91.
        #expect(close(try kpi("fall_alert_latency_p95").estimate, 91))
        let onScene = try kpi("fall_human_on_scene_p50")
        #expect(onScene.n == 3)
        #expect(onScene.censored == 2)
        // S never falls to 0.5 (S(300) = 2/3, the rest censored): no estimate, said so.
        #expect(onScene.estimate == nil)
        #expect(onScene.reason.contains("survival never falls"))
        let longLie = try kpi("long_lie_ge_60min")
        #expect(longLie.estimate == 1)
        #expect(longLie.n == 2)
        let gate = VerdictRule.apply(
            TargetSpec(kpi: "long_lie_ge_60min", type: .zeroTolerance, value: 0, gate: true), to: longLie)
        #expect(gate.verdict == .fail)
        let compliance = try kpi("fall_escalation_compliance")
        #expect(compliance.n == 3)
        #expect(close(compliance.estimate, 2.0 / 3))
    }

    @Test("escalation: 5 of 6 calls and alerts, latency median 5 s")
    func escalation() throws {
        let rate = try kpi("escalation_rate")
        #expect(rate.n == 6)
        #expect(close(rate.estimate, 5.0 / 6))
        // Latencies [0, 2, 5, 5, 100].
        #expect(close(try kpi("escalation_latency_p50").estimate, 5))
    }

    @Test("no calls or alerts: every people KPI is INSUFFICIENT_DATA with a reason")
    func none() throws {
        let plain = RunEvaluation(records: JournalFixture.records, settings: RunEvaluationTests.settings)
        for id in RunEvaluation.peopleKPIKinds.keys.sorted() {
            let kpi = try #require(plain.kpi(id), "\(id)")
            #expect(kpi.estimate == nil, "\(id)")
            #expect(kpi.verdict == .insufficientData, "\(id)")
            #expect(!kpi.reason.isEmpty, "\(id)")
        }
        #expect(plain.dataQuality.gate.verdict == .pass)
        #expect(run.dataQuality.gate.verdict == .pass)
    }
}
