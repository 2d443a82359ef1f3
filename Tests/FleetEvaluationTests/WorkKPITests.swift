import FleetCore
import Testing

@testable import FleetEvaluation

/// A hand-built one-hour journal with every task kind, whose KPIs are worked out by hand below.
///
/// Three robots. H1 hands over in 30 s; H2 times out waiting for the person; H3 is at the handover point when the
/// run ends (censored after 100 s). C1 is a cooperative carry of R1 and R3: bound 60 s after creation, R1 arrives
/// at 600 and R3 at 640 (sync wait 40 s); C2 never finds a coalition (censored 2600 s). E1, an emergency, takes R2
/// from T1 (preempted at 950), T1 completes later. Patrol rounds P-r1 (earliest 1200, started 1250: on time) and
/// P-r2 (earliest 2400, started 2800: 400 s late) complete at 1500 and 3000 through W1 and W2; P-r3 (earliest 3500)
/// is not due yet at the end. R1 drives to a charger (charge-R1-1, 1400–1500) and charges 1500–2100.
enum WorkJournalFixture {
    static let r1 = RobotID(manufacturer: "acme", serialNumber: "R1")
    static let r2 = RobotID(manufacturer: "acme", serialNumber: "R2")
    static let r3 = RobotID(manufacturer: "acme", serialNumber: "R3")

    static func t(_ seconds: Double) -> FleetTime { JournalFixture.t(seconds) }

    static func created(
        _ id: String, _ kind: TaskKind, stops: [StationID] = ["A"], robots: Int = 1, earliest: Double? = nil,
        requester: String = "test"
    ) -> JournalEvent {
        .created(
            TaskRequest(
                id: TaskID(id), kind: kind, stops: stops, robots: robots, earliestStart: earliest.map(t),
                requester: requester))
    }

    static func run(
        _ id: TaskID, _ robot: RobotID, assigned: Double, started: Double, completed: Double?
    ) -> [(Double, JournalEvent)] {
        var events: [(Double, JournalEvent)] = [
            (assigned, .assigned(task: id, robot: robot, etaPickSeconds: 5)),
            (started, .started(task: id, robot: robot, orderId: "o-\(id)")),
        ]
        if let completed { events.append((completed, .completed(task: id, robot: robot, outcome: "ok"))) }
        return events
    }

    static let records: [JournalRecord] = {
        var events: [(Double, JournalEvent)] = [
            (0, .mode(robot: r1, mode: .automatic)), (0, .mode(robot: r2, mode: .automatic)),
            (0, .mode(robot: r3, mode: .automatic)),
        ]
        // Handovers.
        events += [(0, created("H1", .handover))] + run("H1", r1, assigned: 10, started: 20, completed: nil)
        events += [
            (100, .phase(task: "H1", robot: r1, phase: "handover_start")), (130, .humanAck(task: "H1", person: "p1")),
            (130, .phase(task: "H1", robot: r1, phase: "handover_end")),
            (130, .completed(task: "H1", robot: r1, outcome: "ok")),
        ]
        events += [(200, created("H2", .handover))] + run("H2", r2, assigned: 210, started: 220, completed: nil)
        events += [
            (300, .phase(task: "H2", robot: r2, phase: "handover_start")),
            (420, .failed(task: "H2", robot: r2, reason: .timeout, detail: "no confirmation")),
        ]
        // Coalitions.
        events += [
            (500, created("C1", .cooperativeCarry, stops: ["A", "B"], robots: 2)),
            (560, .assigned(task: "C1", robot: r1, etaPickSeconds: 30)),
            (560, .phase(task: "C1", robot: r1, phase: "coalition_member")),
            (560, .phase(task: "C1", robot: r3, phase: "coalition_member")),
            (570, .started(task: "C1", robot: r1, orderId: "o-C1")),
            (575, .started(task: "C1", robot: r3, orderId: "o-C1")),
            (600, .phase(task: "C1", robot: r1, phase: "arrived")),
            (640, .phase(task: "C1", robot: r3, phase: "arrived")),
            (640, .phase(task: "C1", robot: r1, phase: "gathered")),
            (640, .phase(task: "C1", robot: r1, phase: "picked")),
            (800, .completed(task: "C1", robot: r1, outcome: "ok")),
        ]
        events += [(1000, created("C2", .cooperativeCarry, stops: ["A", "B"], robots: 2))]
        // Preemption.
        events += [(900, created("T1", .transport, stops: ["A", "B"]))]
        events += run("T1", r2, assigned: 905, started: 910, completed: nil)
        events += [
            (945, created("E1", .emergency)),
            (950, .requeued(task: "T1", robot: r2, reason: .preempted, detail: "progress: 1 of 4 nodes passed")),
        ]
        events += run("E1", r2, assigned: 955, started: 960, completed: 1100)
        events += run("T1", r2, assigned: 1110, started: 1120, completed: 1300)
        // Patrol rounds and a charge trip.
        events += [(1150, created("P", .patrol, stops: ["W1", "W2"], earliest: 1200))]
        events += run("P", r3, assigned: 1210, started: 1250, completed: 1500)
        events += [(1400, created("charge-R1-1", .charge, stops: [], requester: "coordinator"))]
        events += run("charge-R1-1", r1, assigned: 1400, started: 1410, completed: 1500)
        events += [
            (1500, created("P-r2", .patrol, stops: ["W1", "W2"], earliest: 2400)),
            (1500, .battery(robot: r1, soc: 25, charging: true)), (2100, .battery(robot: r1, soc: 80, charging: false)),
        ]
        events += run("P-r2", r3, assigned: 2700, started: 2800, completed: 3000)
        events += [(3000, created("P-r3", .patrol, stops: ["W1", "W2"], earliest: 3500))]
        events += [(3000, created("H3", .handover))] + run("H3", r2, assigned: 3010, started: 3020, completed: nil)
        events += [(3500, .phase(task: "H3", robot: r2, phase: "handover_start"))]
        // Stable by time: records at the same instant keep the order written here.
        return events.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map {
            JournalRecord(time: t($0.element.0), event: $0.element.1)
        }
    }()
}

@Suite("Task-kind KPIs on a hand-built journal")
struct WorkKPITests {
    let run = RunEvaluation(records: WorkJournalFixture.records, settings: RunEvaluationTests.settings)

    func kpi(_ id: String) throws -> KPIResult { try #require(run.kpi(id)) }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) < tolerance
    }

    @Test("demand excludes the charge trip: 6 completions in 1 h, success 6/7, per-kind strata")
    func demandAndKinds() throws {
        let throughput = try kpi("throughput")
        #expect(close(throughput.estimate, 6))
        #expect(close(throughput.strata?["patrol"]?.estimate, 2))
        #expect(throughput.strata?["charge"] == nil)
        // Garwood for 2 events in 1 h (scipy.stats.chi2): chi2.ppf(.025, 4)/2 = 0.24220927854396496,
        // chi2.ppf(.975, 6)/2 = 7.22468766772396.
        #expect(close(throughput.strata?["patrol"]?.ci?.low, 0.24220927854396496, 1e-6))
        #expect(close(throughput.strata?["patrol"]?.ci?.high, 7.22468766772396, 1e-6))
        let success = try kpi("success_rate")
        #expect(success.n == 7)
        #expect(close(success.estimate, 6.0 / 7))
        #expect(success.strata?["handover"]?.n == 2)
        #expect(close(success.strata?["handover"]?.estimate, 0.5))
        // Demand coverage: 6 ok of 10 demand tasks (H1-3, C1-2, T1, E1, P, P-r2, P-r3).
        #expect(try kpi("demand_coverage").n == 10)
    }

    @Test("handover: success 1/2 (Wilson), duration p50 30 s with one censored at 100 s (Kaplan–Meier)")
    func handover() throws {
        let success = try kpi("handover_success_rate")
        #expect(success.n == 2)
        #expect(close(success.estimate, 0.5))
        // Wilson 1/2 at 95 % (D1 formula in Python with z = scipy.stats.norm.ppf(0.975)):
        // (0.09453120573423074, 0.9054687942657693).
        #expect(close(success.ci?.low, 0.09453120573, 1e-8))
        #expect(close(success.ci?.high, 0.90546879427, 1e-8))
        #expect(success.reason.contains("1 timed out"))
        let duration = try kpi("handover_duration_p50")
        #expect(duration.n == 2)
        #expect(duration.censored == 1)
        #expect(close(duration.estimate, 30))
    }

    @Test("coalitions: formation 60 s (one censored at 2600 s), sync wait 40 s (first arrival to gathered)")
    func coalitions() throws {
        let formation = try kpi("coalition_formation_time_p50")
        #expect(formation.n == 2)
        #expect(formation.censored == 1)
        #expect(close(formation.estimate, 60))
        let sync = try kpi("coalition_sync_wait_p50")
        #expect(sync.n == 1)
        #expect(close(sync.estimate, 40))
        // p95 of one value: no order-statistic upper bound, INSUFFICIENT_DATA against a p95 target.
        let judged = VerdictRule.apply(
            TargetSpec(kpi: "coalition_sync_wait_p95", type: .percentileAtMost, value: 60),
            to: try kpi("coalition_sync_wait_p95"))
        #expect(judged.verdict == .insufficientData)
        // R3 is bound from coalition_member (560) to the carry's completion (800), named with R1 only.
        let r3 = run.states.seconds(WorkJournalFixture.r3)
        #expect(close(r3[.busyToStart], 15 + 40 + 100))
        #expect(close(r3[.busyExec], 225 + 250 + 200))
    }

    @Test("preemption: 1 per hour (Garwood), the interrupted task completed 1/1")
    func preemption() throws {
        let rate = try kpi("preemptions_per_hour")
        #expect(close(rate.estimate, 1))
        // chi2.ppf(.975, 4)/2 = 5.571643390938899 (scipy), as in RunEvaluationTests.
        #expect(close(rate.ci?.high, 11.143286781877798 / 2, 1e-6))
        let completion = try kpi("interrupted_completion_rate")
        #expect(completion.n == 1)
        #expect(close(completion.estimate, 1))
    }

    @Test("charging: 100 s trip + 600 s on the charger of 3 robot-h; 1 charge trip per 3 robot-h")
    func charging() throws {
        #expect(close(try kpi("charging_overhead").estimate, 700.0 / 10800))
        let r1 = run.states.seconds(WorkJournalFixture.r1)
        #expect(close(r1[.chargeTrip], 100))
        #expect(close(r1[.charging], 600))
        #expect(close(try kpi("charges_per_robot_hour").estimate, 1.0 / 3))
        // The charge trip is not utilisation: R1 busy 10→130 (H1) and 560→800 (C1) only.
        #expect(close((r1[.busyExec] ?? 0) + (r1[.busyToStart] ?? 0), 120 + 240))
    }

    @Test("patrol: gaps 1500 s at W1 and W2 (open gaps of 600 s censored), p95 1500 s; adherence 1/2")
    func patrol() throws {
        let longest = try kpi("patrol_revisit_gap_max")
        #expect(close(longest.estimate, 1500))
        #expect(longest.ci?.high == 1500)
        #expect(longest.strata?["W1"]?.n == 1)
        #expect(longest.censored == 2)
        let p95 = try kpi("patrol_revisit_gap_p95")
        #expect(p95.n == 4)
        // Kaplan–Meier (50 % censored): both 600 s gaps censored, S drops to 0 at 1500 s.
        #expect(close(p95.estimate, 1500))
        let adherence = try kpi("patrol_schedule_adherence")
        #expect(adherence.n == 2)
        #expect(close(adherence.estimate, 0.5))
        #expect(adherence.reason.contains("1 not yet due"))
        let judged = VerdictRule.apply(
            TargetSpec(kpi: "patrol_revisit_gap_max", type: .percentileAtMost, value: 1800), to: longest)
        #expect(judged.verdict == .pass)
    }

    @Test("no events: each task-kind KPI is INSUFFICIENT_DATA with a reason, never 0")
    func noEvents() throws {
        let plain = RunEvaluation(records: JournalFixture.records, settings: RunEvaluationTests.settings)
        for id in [
            "handover_success_rate", "handover_duration_p50", "coalition_formation_time_p95",
            "coalition_sync_wait_p50", "interrupted_completion_rate", "patrol_revisit_gap_max",
            "patrol_revisit_gap_p95", "patrol_schedule_adherence",
        ] {
            let kpi = try #require(plain.kpi(id))
            #expect(kpi.estimate == nil, "\(id)")
            #expect(kpi.verdict == .insufficientData, "\(id)")
            #expect(!kpi.reason.isEmpty, "\(id)")
        }
        #expect(plain.kpi("preemptions_per_hour")?.estimate == 0)
        #expect(UnsupportedKPIs.all.allSatisfy { plain.kpi($0.id) != nil })
        #expect(!UnsupportedKPIs.all.contains { RunEvaluation.workKPIKinds[$0.id] != nil })
        #expect(KPICatalogue.kinds["handover_success_rate"] == .proportion)
    }
}

@Suite("Task-kind KPIs in the reports")
struct WorkReportTests {
    @Test("report.json carries the strata; Markdown and HTML show the kind and waypoint tables")
    func reports() throws {
        let run = RunEvaluation(records: WorkJournalFixture.records, settings: RunEvaluationTests.settings)
        let report = EvaluationReport(run: run, scenarioName: "kinds", scenarioFile: nil, journalFile: nil)
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(json.contains("\"strata\""))
        #expect(json.contains("\"handover_success_rate\""))
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("## Task kinds"))
        #expect(markdown.contains("| handover | 1 | 1 |"))
        #expect(markdown.contains("| W1 | 1 | 1500 |"))
        let html = HTMLReport.render(report, run: run)
        #expect(html.contains("<h2>Task kinds</h2>"))
        #expect(html.contains("<h2>Patrol waypoints</h2>"))
        #expect(!html.contains("<script"))
    }
}
