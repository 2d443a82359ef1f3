import FleetCore
import Testing

@testable import FleetEvaluation

/// Every computed KPI on the hand-built journal of ``JournalFixture``, with the answers worked out by hand.
@Suite("KPIs on a hand-built journal")
struct RunEvaluationTests {
    static let settings = EvaluationSettings(
        batchSeconds: 1200, runStart: JournalFixture.t(0), runSeconds: 3600)
    let run = RunEvaluation(records: JournalFixture.records, settings: Self.settings)

    func kpi(_ id: String) throws -> KPIResult { try #require(run.kpi(id)) }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a - b) < tolerance
    }

    @Test("throughput: 3 completions in 1 h; batches of 20 min give 6, 3, 0 per hour")
    func throughput() throws {
        let kpi = try kpi("throughput")
        #expect(close(kpi.estimate, 3))
        #expect(kpi.n == 3)
        // t interval of [6, 3, 0]: 3 ± 4.302653·3/√3 (scipy: t.ppf(.975, 2) = 4.302652729749464); the lower
        // bound −4.45 is clamped to 0 (a throughput is never negative).
        #expect(close(kpi.ci?.high, 3 + 4.302652729749464 * 3 / 3.squareRoot(), 1e-6))
        #expect(kpi.ci?.low == 0)
    }

    @Test("success rate 3/4 (operator cancel and open task excluded), coverage 3/6, on time 2/4, reassigned 1/4")
    func proportions() throws {
        #expect(close(try kpi("success_rate").estimate, 0.75))
        #expect(try kpi("success_rate").n == 4)
        #expect(close(try kpi("demand_coverage").estimate, 0.5))
        #expect(close(try kpi("on_time_rate").estimate, 0.5))
        #expect(try kpi("on_time_rate").n == 4)
        #expect(close(try kpi("reassignment_rate").estimate, 0.25))
        #expect(try kpi("success_rate").ci?.method == "wilson")
    }

    @Test("durations: lead time censored 1 of 4 → Kaplan–Meier median 300; time to assign KM median 30")
    func durations() throws {
        let lead = try kpi("lead_time_p50")
        #expect(lead.n == 4)
        #expect(lead.censored == 1)
        #expect(close(lead.estimate, 300))
        #expect(lead.reason.contains("Kaplan–Meier"))
        let assign = try kpi("time_to_assign_p50")
        #expect(assign.n == 5)
        #expect(close(assign.estimate, 30))
        // The p95 of 4 observations has no distribution-free upper bound: INSUFFICIENT_DATA against a target.
        let judged = VerdictRule.apply(
            TargetSpec(kpi: "lead_time_p95", type: .percentileAtMost, value: 900), to: try kpi("lead_time_p95"))
        #expect(judged.verdict == .insufficientData)
    }

    @Test("robot states: utilisation 795/7200, availability 0.875, charging 600/7200, idle 4905/7200")
    func robotStates() throws {
        #expect(close(try kpi("utilisation").estimate, 795.0 / 7200))
        #expect(close(try kpi("availability").estimate, 0.875))
        #expect(close(try kpi("charging_overhead").estimate, 600.0 / 7200))
        #expect(close(try kpi("idle_share").estimate, 4905.0 / 7200))
        let r1 = run.states.seconds(JournalFixture.r1)
        #expect(close(r1[.faultDown], 300))
        #expect(close(r1[.busyExec], 80 + 185 + 180))
        #expect(close(run.states.seconds(JournalFixture.r2)[.offline], 600))
    }

    @Test("failures: one fatal fault (the task failure 5 s later is the same failure) in 1.75 robot-h; MTTR 300 s")
    func failures() throws {
        let rate = try kpi("failure_rate")
        #expect(rate.n == 1)
        #expect(close(rate.exposure, 1.75))
        #expect(close(rate.estimate, 1 / 1.75))
        // Garwood for 1 event: chi2.ppf(.975, 4)/2/1.75 = 11.143286781877798/3.5.
        #expect(close(rate.ci?.high, 11.143286781877798 / 3.5, 1e-6))
        #expect(close(try kpi("mttr").estimate, 300))
        #expect(close(try kpi("mtbf").estimate, 1.75))
    }

    @Test("interventions: one operator cancellation in 2 robot-h; no safety failures in 5 terminal tasks")
    func interventionsAndSafety() throws {
        #expect(close(try kpi("intervention_rate").estimate, 0.5))
        let safety = try kpi("safety_task_failures")
        #expect(safety.estimate == 0)
        #expect(safety.n == 5)
    }

    @Test("data quality: one open task, one link loss, valid; unsupported KPIs are INSUFFICIENT_DATA with a reason")
    func dataQuality() throws {
        #expect(run.dataQuality.openTasks == 1)
        #expect(run.dataQuality.linkLosses == 1)
        #expect(run.dataQuality.gate.verdict == .pass)
        #expect(run.dataQuality.clockJumps == 0 && run.dataQuality.longestClockJumpSeconds == 0)
        #expect(run.dataQuality.reportAgeSamples == 0 && run.dataQuality.reportAgeP95Seconds == nil)
        let proximity = try kpi("human_proximity_violations")
        #expect(proximity.verdict == .insufficientData)
        #expect(proximity.estimate == nil)
        #expect(proximity.reason.contains("human_proximity"))
        #expect(run.overall == .inconclusive)
    }

    @Test("warm-up and cool-down: W = [600, 2900] keeps T4 and T6 only")
    func window() throws {
        var settings = Self.settings
        settings.warmup = 600
        settings.cooldown = 700
        let cut = RunEvaluation(records: JournalFixture.records, settings: settings)
        #expect(cut.window.hours == 2300.0 / 3600)
        #expect(try #require(cut.kpi("demand_coverage")).n == 2)
        #expect(close(try #require(cut.kpi("success_rate")).estimate, 1))
    }

    @Test("empty window and truncated journal: no estimates, data validity fails, overall INVALID")
    func emptyAndTruncated() throws {
        let empty = RunEvaluation(records: [], settings: Self.settings)
        #expect(empty.kpi("success_rate")?.estimate == nil)
        #expect(empty.kpi("throughput")?.estimate == 0)
        #expect(empty.overall == .invalid)
        let truncated = RunEvaluation(records: Array(JournalFixture.records.prefix(12)), settings: Self.settings)
        #expect(truncated.dataQuality.gate.verdict == .fail)
        #expect(truncated.dataQuality.gate.reason.contains("cover"))
        let headless = RunEvaluation(records: Array(JournalFixture.records.dropFirst(5)), settings: Self.settings)
        #expect(headless.dataQuality.tasksWithoutCreated == 1)
        #expect(headless.overall == .invalid)
    }

    @Test("a simulated-time jump (the host fell behind the time scale) fails data validity: overall INVALID")
    func clockJumpInvalidatesTheRun() throws {
        var records = JournalFixture.records
        let at = JournalFixture.t(1500)
        records.insert(
            JournalRecord(time: at, event: .clockJump(seconds: 75.5)),
            at: records.firstIndex { $0.time > at } ?? records.count)
        records.insert(
            JournalRecord(time: at, event: .clockJump(seconds: 31)),
            at: records.firstIndex { $0.time > at } ?? records.count)
        let lagged = RunEvaluation(records: records, settings: Self.settings)
        #expect(lagged.dataQuality.clockJumps == 2 && lagged.dataQuality.longestClockJumpSeconds == 75.5)
        #expect(lagged.dataQuality.gate.verdict == .fail)
        #expect(
            lagged.dataQuality.gate.reason.contains("simulated time jumped 2 time(s), up to 75.50 s at once"),
            "\(lagged.dataQuality.gate.reason)")
        #expect(lagged.overall == .invalid)
        // Everything else is computed as before.
        #expect(lagged.kpi("success_rate")?.estimate == run.kpi("success_rate")?.estimate)
    }

    @Test("human proximity: episodes under S_p away from meeting points, per hour of W (Garwood); S_p from the target")
    func humanProximity() throws {
        var records = JournalFixture.records
        let robot = RobotID(manufacturer: "acme", serialNumber: "AMR-01")
        let episodes: [(Double, Double, Double, Bool)] = [
            (600, 0.3, 4, false),  // a violation at 0.5 m
            (900, 1.2, 10, false),  // inside the warning distance only
            (1200, 0.2, 30, true),  // the person it hands over to: not counted
            (4000, 0.1, 2, false),  // after the run: not in W
        ]
        for (at, distance, seconds, together) in episodes {
            let time = JournalFixture.t(at)
            records.insert(
                JournalRecord(
                    time: time,
                    event: .humanProximity(robot: robot, distance: distance, seconds: seconds, collaborative: together)),
                at: records.firstIndex { $0.time > time } ?? records.count)
        }
        let strict = try #require(
            RunEvaluation(records: records, settings: Self.settings).kpi("human_proximity_violations"))
        #expect(strict.n == 1 && close(strict.estimate, 1))
        // Garwood 95 % for 1 event in 1 h: [0.0253, 5.572].
        #expect(close(strict.ci?.low ?? nil, 0.0253, 1e-3) && close(strict.ci?.high ?? nil, 5.572, 1e-3))
        #expect(
            strict.reason.contains("closest 0.300 m") && strict.reason.contains("1 at meeting points"),
            "\(strict.reason)")
        var settings = Self.settings
        settings.proximitySeparation = 1.5
        let wide = try #require(RunEvaluation(records: records, settings: settings).kpi("human_proximity_violations"))
        #expect(wide.n == 2)
        // No record at all: the robots may not report people.
        #expect(try kpi("human_proximity_violations").verdict == .insufficientData)
    }

    @Test("report ages of position samples: median and 95th percentile of their magnitude (type 7), in W only")
    func reportAges() {
        var records = JournalFixture.records
        let robot = RobotID(manufacturer: "acme", serialNumber: "AGE-1")
        // Ages 0.1 ... 2.0 s and one robot whose clock runs 3 s ahead (-3 s); one sample before T0 is left out.
        var samples: [(Double, Double)] = (1...20).map { (100 + Double($0) * 10, Double($0) / 10) }
        samples.append((400, -3))
        for (at, age) in samples {
            let time = JournalFixture.t(at)
            records.insert(
                JournalRecord(time: time, event: .position(robot: robot, x: 0, y: 0, map: "m", node: nil, age: age)),
                at: records.firstIndex { $0.time > time } ?? records.count)
        }
        records.insert(
            JournalRecord(
                time: JournalFixture.t(-50), event: .position(robot: robot, x: 0, y: 0, map: "m", node: nil, age: 99)),
            at: 0)
        let q = RunEvaluation(records: records, settings: Self.settings).dataQuality
        #expect(q.reportAgeSamples == 21)
        // Sorted ages: -3, 0.1 ... 2.0; the median is the 11th: 1.0.
        #expect(close(q.reportAgeP50Seconds, 1.0))
        // Magnitudes 0.1 ... 2.0, 3: h = 20 * 0.95 = 19, the 20th value: 2.0.
        #expect(close(q.reportAgeP95Seconds, 2.0))
    }
}
