import FleetCore
import Testing

@testable import FleetEvaluation

/// A hand-built one-hour journal for the window KPIs, with every answer worked out by hand in the tests.
///
/// JIT (e = 600 s, l = 0 s): J1 due 1000, delivered 700 (in the window); J2 due 1000, delivered 200 (800 s early);
/// J3 due 1000, delivered 1100 (late); J4 due 3000, still open at the end (late); J5 due 4000, open with its window
/// ahead (excluded).
/// Medication (residents res-01, res-02): M1 for res-01 in [100, 400], handed over at 300 by res-01; M2 for res-02 in
/// [500, 600], res-03 tries to confirm at 550 (refused), res-02 confirms at 700 (late); M3 for res-01 fails at 1200
/// (missed); M4 (load `medication`, for a nurse) is open with its deadline ahead (excluded); H9 hands over to a
/// worker (not medication).
/// Patrol: P through rooms R1 and R2 every 1200 s; R1 passed at 100 and 1300, R2 at 150 and 2500. Handover waits:
/// robots wait 20 s at M1, M2 and H9; at H8 the worker is ready 30 s before the robot; at H7 the robot still waits.
enum WindowJournalFixture {
    static let r1 = RobotID(manufacturer: "acme", serialNumber: "R1")

    static func t(_ seconds: Double) -> FleetTime { JournalFixture.t(seconds) }

    static func transport(_ id: String, due: Double) -> JournalEvent {
        .created(TaskRequest(id: TaskID(id), kind: .transport, stops: ["A", "B"], deadline: t(due), requester: "line"))
    }

    static func handover(
        _ id: String, person: String, earliest: Double? = nil, deadline: Double?, load: String? = nil
    ) -> JournalEvent {
        .created(
            TaskRequest(
                id: TaskID(id), kind: .handover, stops: ["ROOM"], person: person, loadType: load,
                deadline: deadline.map(t), earliestStart: earliest.map(t), requester: "round"))
    }

    static func done(_ id: TaskID, at time: Double) -> [(Double, JournalEvent)] {
        [
            (time - 50, .assigned(task: id, robot: r1, etaPickSeconds: 5)),
            (time - 40, .started(task: id, robot: r1, orderId: "o-\(id)")),
            (time, .completed(task: id, robot: r1, outcome: "ok")),
        ]
    }

    static func handedOver(_ id: TaskID, by person: String, at time: Double) -> [(Double, JournalEvent)] {
        [
            (time - 60, .assigned(task: id, robot: r1, etaPickSeconds: 5)),
            (time - 50, .started(task: id, robot: r1, orderId: "o-\(id)")),
            (time - 20, .phase(task: id, robot: r1, phase: "handover_start")),
            (time, .humanAck(task: id, person: person)),
            (time, .phase(task: id, robot: r1, phase: "handover_end")),
            (time, .completed(task: id, robot: r1, outcome: "ok")),
        ]
    }

    static let records: [JournalRecord] = {
        var events: [(Double, JournalEvent)] = [(0, .mode(robot: r1, mode: .automatic))]
        events += [(0, transport("J1", due: 1000))] + done("J1", at: 700)
        events += [(0, transport("J2", due: 1000))] + done("J2", at: 200)
        events += [(0, transport("J3", due: 1000))] + done("J3", at: 1100)
        events += [(0, transport("J4", due: 3000)), (0, transport("J5", due: 4000))]
        events += [(10, handover("M1", person: "res-01", earliest: 100, deadline: 400))]
        events += handedOver("M1", by: "res-01", at: 300)
        events += [(400, handover("M2", person: "res-02", earliest: 500, deadline: 600))]
        events += [
            (
                550,
                .rejected(task: "M2", detail: "confirmation refused: task 'M2' must be confirmed by res-02, not res-03")
            )
        ]
        events += handedOver("M2", by: "res-02", at: 700)
        events += [
            (800, handover("M3", person: "res-01", deadline: 1000)),
            (1200, .failed(task: "M3", robot: nil, reason: .timeout, detail: "no confirmation")),
            (900, handover("M4", person: "nurse-1", deadline: 5000, load: "medication")),
            (900, handover("H9", person: "worker-1", deadline: nil)),
        ]
        events += handedOver("H9", by: "worker-1", at: 1000)
        // H8: the worker confirms at 1500, 30 s before the robot arrives; H7: the robot waits from 3000 to the end.
        events += [
            (1400, handover("H8", person: "worker-2", deadline: nil)),
            (1410, .assigned(task: "H8", robot: r1, etaPickSeconds: 5)),
            (1420, .started(task: "H8", robot: r1, orderId: "o-H8")), (1500, .humanAck(task: "H8", person: "worker-2")),
            (1530, .phase(task: "H8", robot: r1, phase: "handover_start")),
            (1530, .phase(task: "H8", robot: r1, phase: "handover_end")),
            (1530, .completed(task: "H8", robot: r1, outcome: "ok")),
            (2900, handover("H7", person: "worker-2", deadline: nil)),
            (2910, .assigned(task: "H7", robot: r1, etaPickSeconds: 5)),
            (2920, .started(task: "H7", robot: r1, orderId: "o-H7")),
            (3000, .phase(task: "H7", robot: r1, phase: "handover_start")),
        ]
        events += [
            (
                50,
                .created(
                    TaskRequest(id: "P", kind: .patrol, stops: ["R1", "R2"], repeatEvery: 1200, requester: "sched"))
            ),
            (60, .assigned(task: "P", robot: r1, etaPickSeconds: 5)),
            (70, .started(task: "P", robot: r1, orderId: "o-P")),
            (100, .phase(task: "P", robot: r1, phase: "visited:R1")),
            (150, .phase(task: "P", robot: r1, phase: "visited:R2")),
            (1300, .phase(task: "P", robot: r1, phase: "visited:R1")),
            (2500, .phase(task: "P", robot: r1, phase: "visited:R2")),
        ]
        return events.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map {
            JournalRecord(time: t($0.element.0), event: $0.element.1)
        }
    }()
}

@Suite("Window KPIs on a hand-built journal: JIT, medication, patrol coverage")
struct WindowKPITests {
    static var settings: EvaluationSettings {
        var settings = RunEvaluationTests.settings
        settings.residents = ["res-01", "res-02"]
        settings.jitEarly = 600
        return settings
    }

    func kpi(_ id: String, _ settings: EvaluationSettings = Self.settings) throws -> KPIResult {
        try #require(RunEvaluation(records: WindowJournalFixture.records, settings: settings).kpi(id))
    }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) < tolerance
    }

    @Test("JIT: 1 of 4 decided deliveries in [due − 600 s, due] (1 early, 2 late, 1 ahead); 2 of 4 with e = 900 s")
    func jit() throws {
        let adherence = try kpi("jit_window_adherence")
        #expect(adherence.n == 4)
        #expect(close(adherence.estimate, 0.25))
        #expect(adherence.reason.contains("1 early, 2 late"))
        // Wilson 1/4 at 95 % (D1 formula, z = 1.959963984540054, worked in Python): (0.04558726, 0.69935816).
        #expect(close(adherence.ci?.low, 0.0455872585, 1e-8))
        #expect(close(adherence.ci?.high, 0.6993581574, 1e-8))
        var wider = Self.settings
        wider.jitEarly = 900
        #expect(close(try kpi("jit_window_adherence", wider).estimate, 0.5))
        // Without a window from the scenario, deadlines are latest times: no JIT verdict.
        var none = Self.settings
        none.jitEarly = nil
        let undefined = try kpi("jit_window_adherence", none)
        #expect(undefined.verdict == .insufficientData && undefined.reason.contains("early:"))
    }

    @Test("medication: 1 of 3 in its window, 2 of 2 handovers by the right resident (1 refused), 1 missed dose")
    func medication() throws {
        let window = try kpi("medication_window_adherence")
        #expect(window.n == 3)
        #expect(close(window.estimate, 1.0 / 3))
        let right = try kpi("right_resident_rate")
        #expect(right.n == 2)
        #expect(close(right.estimate, 1))
        #expect(right.reason.contains("1 confirmation(s) by someone else refused"))
        let missed = try kpi("medication_missed_doses")
        #expect(missed.n == 3)
        #expect(close(missed.estimate, 1))
        let judged = VerdictRule.apply(
            TargetSpec(kpi: "medication_missed_doses", type: .zeroTolerance, value: 0, gate: true), to: missed)
        #expect(judged.verdict == .fail)
        // Without residents, only M4 (load type `medication`) counts, and it is still open: no data.
        var none = Self.settings
        none.residents = []
        #expect(try kpi("medication_window_adherence", none).verdict == .insufficientData)
    }

    @Test("patrol coverage: Δ = repeatEvery 1200 s gives 4 of 6 (room, interval) pairs; Δ = 1800 s gives 3 of 4")
    func coverage() throws {
        let coverage = try kpi("patrol_coverage")
        #expect(coverage.n == 6)
        #expect(close(coverage.estimate, 4.0 / 6))
        #expect(close(coverage.strata?["R2"]?.estimate, 2.0 / 3))
        var longer = Self.settings
        longer.patrolInterval = 1800
        let coarse = try kpi("patrol_coverage", longer)
        #expect(coarse.n == 4)
        #expect(close(coarse.estimate, 0.75))
    }

    @Test("revisit gaps use the visit records: longest closed gap 2350 s at R2 (150 → 2500)")
    func revisitGaps() throws {
        let longest = try kpi("patrol_revisit_gap_max")
        #expect(close(longest.estimate, 2350))
        #expect(longest.ci?.high == 2350)
        #expect(longest.strata?["R1"]?.n == 1)
    }

    @Test("handover waits: the picker waited 30 s once (H8), robots 20 s three times and once still waiting")
    func handoverWaits() throws {
        let picker = try kpi("picker_wait_p50")
        #expect(picker.n == 4)
        #expect(close(picker.estimate, 0))
        let robot = try kpi("robot_wait_p50")
        #expect(robot.n == 5)
        #expect(robot.censored == 1)
        #expect(close(robot.estimate, 20))
    }
}
