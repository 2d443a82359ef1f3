import FleetCore
import FleetEvaluation
import FleetStore
import Foundation
import Testing

/// A hand-built run of 2 robots over one hour: T1 completes on r1; T2 goes to r2, is re-queued when r2 drops out,
/// then completes on r1; T3 fails; T4 is cancelled; T5 stays open; one request is rejected.
enum SampleRun {
    static let r1 = RobotID(manufacturer: "acme", serialNumber: "AMR-01")
    static let r2 = RobotID(manufacturer: "acme", serialNumber: "AMR-02")
    static let base: Int64 = 1_764_482_400_000  // 2025-11-30T06:00:00Z

    static func at(_ seconds: Double) -> FleetTime { FleetTime(milliseconds: base + Int64(seconds * 1000)) }

    static func request(_ id: TaskID) -> TaskRequest {
        TaskRequest(id: id, pick: "LS-01", drop: "KIT-1", requester: "test")
    }

    static let plan = DispatchPlan(taskId: "T1", orderId: "T1#1", orderUpdateId: 0, nodes: [], edges: [])

    static var records: [JournalRecord] {
        let events: [(Double, JournalEvent)] = [
            (0, .connection(robot: r1, state: .online)),
            (0, .connection(robot: r2, state: .online)),
            (60, .created(request("T1"))),
            (70, .assigned(task: "T1", robot: r1, etaPickSeconds: 30)),
            (71, .dispatched(task: "T1", robot: r1, attempt: 1, plan: plan)),
            (80, .started(task: "T1", robot: r1, orderId: "T1#1")),
            (200, .phase(task: "T1", robot: r1, phase: "picked")),
            (660, .completed(task: "T1", robot: r1, outcome: "ok")),
            (100, .created(request("T2"))),
            (120, .assigned(task: "T2", robot: r2, etaPickSeconds: 10)),
            (130, .started(task: "T2", robot: r2, orderId: "T2#1")),
            (300, .requeued(task: "T2", robot: r2, reason: .robotOffline, detail: "offline")),
            (300, .connection(robot: r2, state: .connectionBroken)),
            (300, .fault(robot: r2, code: "lost", level: .fatal, raised: true, detail: "link lost")),
            (700, .assigned(task: "T2", robot: r1, etaPickSeconds: 40)),
            (760, .started(task: "T2", robot: r1, orderId: "T2#2")),
            (1300, .completed(task: "T2", robot: r1, outcome: "ok")),
            (1400, .created(request("T3"))),
            (1410, .assigned(task: "T3", robot: r1, etaPickSeconds: 5)),
            (1420, .started(task: "T3", robot: r1, orderId: "T3#1")),
            (1600, .failed(task: "T3", robot: r1, reason: .actionFailed, detail: "pick failed")),
            (1700, .created(request("T4"))),
            (1800, .canceled(task: "T4", actor: .requester, detail: "not needed")),
            (1900, .rejected(task: "T9", detail: "unknown pick station 'XX'")),
            (3000, .created(request("T5"))),
            (3100, .assigned(task: "T5", robot: r1, etaPickSeconds: 5)),
            (3600, .position(robot: r1, x: 1, y: 2, map: "hall", node: "N1")),
        ]
        return events.map { JournalRecord(time: at($0.0), event: $0.1) }
    }
}

@Suite struct RunSummaryTests {
    let summary = RunSummary(analysis: RunAnalysis(records: SampleRun.records), scenario: "sample")

    @Test func countsEveryTaskOnce() {
        let t = summary.tasks
        #expect(t.created == 5)
        #expect(t.completed == 2)
        #expect(t.failed == 1)
        #expect(t.cancelled == 1)
        #expect(t.rejected == 1)
        #expect(t.open == 1)
        #expect(t.openTaskIDs == ["T5"])
        #expect(t.withoutCreated.isEmpty)
        #expect(t.duplicateTerminalRecords == 0)
        #expect(!summary.allTasksAccountedFor)
        #expect(summary.failureReasons == ["action_failed": 1])
    }

    @Test func windowAndThroughput() {
        #expect(summary.window.hours == 1)
        #expect(summary.window.start == "2025-11-30T06:00:00.000Z")
        #expect(summary.window.end == "2025-11-30T07:00:00.000Z")
        #expect(summary.throughputPerHour == 2)
        #expect(summary.records.decoded == 27)
    }

    @Test func timeDistributions() {
        // assign: T1 10, T2 20, T3 10, T5 100 -> p50 15, p95 = 20 + 0.85 * 80 = 88
        #expect(summary.timeToAssign.count == 4)
        #expect(summary.timeToAssign.p50 == 15)
        #expect(abs(summary.timeToAssign.p95! - 88) < 1e-9)
        // wait (first start): T1 20, T2 30, T3 20 -> p50 20, p95 = 20 + 0.9 * 10 = 29
        #expect(summary.waitTime.count == 3)
        #expect(summary.waitTime.p50 == 20)
        #expect(abs(summary.waitTime.p95! - 29) < 1e-9)
        // lead: T1 600, T2 1200 -> p50 900, p95 1170, mean 900, max 1200
        #expect(summary.leadTime.count == 2)
        #expect(summary.leadTime.p50 == 900)
        #expect(abs(summary.leadTime.p95! - 1170) < 1e-9)
        #expect(summary.leadTime.mean == 900)
        #expect(summary.leadTime.max == 1200)
    }

    @Test func requeuesFaultsAndUtilisation() {
        #expect(summary.requeues == 1)
        #expect(summary.reassignments == 0)
        #expect(summary.faults == ["fatal": 1])
        // r1: T1 70..660 (590), T2 700..1300 (600), T3 1410..1600 (190), T5 3100..3600 open (500) = 1880 s
        // r2: T2 120..300 (180)
        #expect(summary.robots.map(\.robot) == ["acme/AMR-01", "acme/AMR-02"])
        #expect(summary.robots[0].busySeconds == 1880)
        #expect(summary.robots[0].completed == 2)
        #expect(abs(summary.robots[0].utilisation - 1880.0 / 3600) < 1e-12)
        #expect(summary.robots[1].busySeconds == 180)
        #expect(summary.robots[1].completed == 0)
        #expect(abs(summary.fleetUtilisation - 2060.0 / 7200) < 1e-12)
    }

    @Test func refusedAnswersOfPeopleAreNoRejectedRequests() {
        let at = FleetTime(seconds: 1_800_000_000)
        let details = [
            "acknowledgement by carer-2 refused: the call 'C1' is already resolved",
            "rejection by res-4 refused: the call 'C1' is already resolved",
            "arrival of carer-2 refused: task 'C1' is already completed",
            "call refused: unknown station 'ROOM-99'",
        ]
        let analysis = RunAnalysis(
            records: details.map { JournalRecord(time: at, event: .rejected(task: "C1", detail: $0)) })
        #expect(analysis.rejectedRequests == 1)
    }

    @Test func requeuedTaskTimeline() throws {
        let analysis = RunAnalysis(records: SampleRun.records)
        let t2 = try #require(analysis.tasks["T2"])
        #expect(t2.outcome == .completed)
        #expect(t2.requeues == 1)
        #expect(t2.completedBy == SampleRun.r1)
        #expect(t2.kinds == ["created", "assigned", "started", "requeued", "assigned", "started", "completed"])
        #expect(t2.waitTime == 30)
        #expect(t2.leadTime == 1200)
    }

    @Test func explicitWindowClipsUtilisation() {
        let window = SampleRun.at(0)...SampleRun.at(1800)
        let clipped = RunSummary(analysis: RunAnalysis(records: SampleRun.records), window: window)
        #expect(clipped.window.hours == 0.5)
        #expect(clipped.throughputPerHour == 4)
        #expect(clipped.robots[0].busySeconds == 1380)
    }

    @Test func reassignmentMovesBusyTime() {
        let events: [(Double, JournalEvent)] = [
            (0, .created(SampleRun.request("T1"))),
            (0, .assigned(task: "T1", robot: SampleRun.r1, etaPickSeconds: 1)),
            (
                100,
                .reassigned(task: "T1", from: SampleRun.r1, to: SampleRun.r2, reason: .robotFault, etaPickSeconds: 1)
            ),
            (400, .completed(task: "T1", robot: SampleRun.r2, outcome: "ok")),
            (400, .completed(task: "T1", robot: SampleRun.r2, outcome: "ok")),
        ]
        let run = RunSummary(
            analysis: RunAnalysis(records: events.map { JournalRecord(time: SampleRun.at($0.0), event: $0.1) }))
        #expect(run.reassignments == 1)
        #expect(run.robots.map(\.busySeconds) == [100, 300])
        #expect(run.tasks.completed == 1)
        #expect(run.tasks.duplicateTerminalRecords == 1)
        #expect(run.timeToAssign.p50 == 0)
    }

    @Test func emptyJournal() {
        let run = RunSummary(analysis: RunAnalysis(records: []))
        #expect(run.tasks.created == 0)
        #expect(run.throughputPerHour == 0)
        #expect(run.leadTime.p50 == nil)
        #expect(run.allTasksAccountedFor)
        #expect(SummaryTable.render(run).contains("open 0"))
    }
}
