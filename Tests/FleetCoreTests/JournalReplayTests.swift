import FleetCore
import Foundation
import Testing

@Suite struct JournalReplayTests {
    static let r1 = Fixture.robot(1)
    static let r2 = Fixture.robot(2)

    /// A half-done run: T1 completed, T2 in progress on robot 2, T3 queued behind them, T4 cancelled.
    static func halfDoneRun() -> (Coordinator, [JournalRecord], DispatchPlan) {
        var c = Coordinator(
            layout: Fixture.layout, configuration: CoordinatorConfiguration(positionSampleInterval: nil))
        var journal: [JournalRecord] = []
        func run(_ event: FleetEvent, _ time: Double) -> [Directive] {
            let out = c.handle(event, now: t(time))
            journal += out.records
            return out
        }
        _ = run(.robotRegistered(r1, Fixture.amr), 0)
        _ = run(.robotRegistered(r2, Fixture.amr), 0)
        _ = run(.robotObserved(r1, Fixture.idle(at: "A")), 0)
        let p1 = run(.taskRequested(Fixture.request("T1")), 1).dispatches[0].1
        _ = run(
            .robotObserved(r1, Fixture.idle(at: "D", order: progress(p1, passed: 5, pick: .finished, drop: .finished))),
            30)
        _ = run(.robotObserved(r2, Fixture.idle(at: "C")), 31)
        let p2 = run(.taskRequested(Fixture.request("T2", from: "SIDE")), 32).dispatches.first { $0.0 == r2 }!.1
        _ = run(.robotObserved(r2, Fixture.idle(at: "C", order: progress(p2, passed: 1))), 33)
        _ = run(.taskRequested(Fixture.request("T4", from: "SIDE", to: "PICK")), 34)
        _ = run(.taskCancelRequested("T4", .requester, detail: "no longer needed"), 35)
        _ = run(.robotConnection(r1, .offline), 36)
        _ = run(.taskRequested(Fixture.request("T3", from: "DROP", to: "PICK")), 37)
        return (c, journal, p2)
    }

    @Test func replayReproducesTaskStates() throws {
        let (live, journal, _) = Self.halfDoneRun()
        #expect(live.tasks["T1"]?.state == .completed)
        #expect(live.tasks["T2"]?.state == .inProgress)
        #expect(live.tasks["T3"]?.state == .queued)
        #expect(live.tasks["T4"]?.state == .cancelled)
        // Round-trip through JSON as the store would.
        let data = try journal.map { try JSONEncoder().encode($0) }
        let decoded = try data.map { try JSONDecoder().decode(JournalRecord.self, from: $0) }
        #expect(decoded == journal)
        var restored = Coordinator(layout: Fixture.layout)
        #expect(restored.replay(records: decoded).isEmpty)
        #expect(restored.tasks.mapValues(\.state) == live.tasks.mapValues(\.state))
        #expect(restored.tasks.mapValues(\.history) == live.tasks.mapValues(\.history))
        #expect(restored.inFlight == live.inFlight)
        #expect(restored.busy == live.busy)
    }

    @Test func continuingAfterReplayNeverRedoesFinishedWork() throws {
        let (_, journal, p2) = Self.halfDoneRun()
        var c = Coordinator(
            layout: Fixture.layout, configuration: CoordinatorConfiguration(positionSampleInterval: nil))
        c.replay(records: journal)
        _ = c.handle(.robotRegistered(Self.r1, Fixture.amr), now: t(100))
        _ = c.handle(.robotRegistered(Self.r2, Fixture.amr), now: t(100))
        let resumed = c.resume(now: t(100))
        #expect(resumed.timers.contains { $0.0 == .robotStateTimeout(Self.r2) })
        // Every task's status goes out again, dated when it last changed: a crash between the journal append and
        // the status publication must not leave a reader waiting for a completion forever.
        var statuses: [TaskID: TaskStatus] = [:]
        for case .publishTaskStatus(let id, let status) in resumed { statuses[id] = status }
        #expect(statuses.keys.sorted() == ["T1", "T2", "T3", "T4"])
        #expect(statuses["T1"]?.state == .completed && statuses["T4"]?.state == .cancelled)
        #expect(statuses["T1"]?.time == c.tasks["T1"]?.history.last?.time)
        #expect(resumed.dispatches.isEmpty)
        // Robot 1 comes back idle: it gets T3 (queued), never T1 (completed) or T4 (cancelled).
        let out = c.handle(.robotObserved(Self.r1, Fixture.idle(at: "D")), now: t(101))
        #expect(out.dispatches.map(\.1.taskId) == ["T3"])
        // Robot 2 finishes T2, which the restarted coordinator still tracks.
        let done = c.handle(
            .robotObserved(
                Self.r2,
                Fixture.idle(at: "D", order: progress(p2, passed: p2.nodes.count, pick: .finished, drop: .finished))),
            now: t(102))
        #expect(done.journalKinds.last == "completed")
        #expect(c.tasks["T2"]?.state == .completed)
        // A repeated request for a finished task is refused, not redone.
        #expect(c.handle(.taskRequested(Fixture.request("T1")), now: t(103)).rejections == ["task 'T1' already exists"])
    }

    @Test func recordFormatIsFlatWithB0Names() throws {
        let record = JournalRecord(time: t(0), event: .assigned(task: "T1", robot: Self.r1, etaPickSeconds: 4.5))
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        #expect(json.contains("\"kind\":\"assigned\""))
        #expect(json.contains("\"robot_id\":\"acme\\/AMR-1\"") || json.contains("\"robot_id\":\"acme/AMR-1\""))
        #expect(json.contains("\"task_id\":\"T1\""))
        let created = JournalRecord(time: t(0), event: .created(Fixture.request("T9", priority: .high)))
        let createdJSON = String(decoding: try JSONEncoder().encode(created), as: UTF8.self)
        #expect(createdJSON.contains("\"type\":\"transport\"") && createdJSON.contains("\"origin\":\"PICK\""))
        #expect(try JSONDecoder().decode(JournalRecord.self, from: Data(createdJSON.utf8)) == created)
    }

    @Test func inconsistentJournalReportsProblems() {
        var c = Coordinator(layout: Fixture.layout)
        let problems = c.replay(records: [
            JournalRecord(time: t(0), event: .started(task: "X", robot: Self.r1, orderId: "X#1"))
        ])
        #expect(problems.map(\.description) == ["record 0 (started): unknown task 'X'"])
    }
}
