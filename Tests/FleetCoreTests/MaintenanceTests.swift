import FleetCore
import Foundation
import Testing

/// Operator maintenance: a robot taken out of service hands its work back and gets none until it returns; the
/// journal says who did it, and a replay restores it.
@Suite struct MaintenanceTests {
    static let r1 = TaskKindsTests.robot(1)
    static let r2 = TaskKindsTests.robot(2)
    static let r3 = TaskKindsTests.robot(3)

    static func maintenance(_ robot: RobotID, _ active: Bool, by actor: String = "shift-lead", _ reason: String = "")
        -> FleetEvent
    {
        .robotMaintenance(robot, active: active, actor: actor, reason: reason)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func busyRobotsTaskIsRequeuedWithItsProgressAndServedByAnother(policy: AllocationPolicyKind) throws {
        var c = TaskKindsTests.coordinator(["B", "F"], policy: policy)
        let plan = try #require(
            c.handle(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "DROP")), now: t(1)).dispatches.first)
        #expect(plan.0 == Self.r1)
        _ = c.handle(.robotObserved(Self.r1, TaskKindsTests.accepted(plan.1, at: "B")), now: t(2))
        let out = c.handle(Self.maintenance(Self.r1, true, "wheel check"), now: t(5))
        #expect(Array(out.journalKinds.prefix(2)) == ["maintenance_start", "requeued"])
        #expect(
            out.records.first?.event
                == .maintenance(robot: Self.r1, active: true, actor: "shift-lead", reason: "wheel check"))
        let requeued = try #require(
            out.records.lazy.compactMap { record -> (RequeueReason, String)? in
                if case .requeued(_, _, let reason, let detail) = record.event { return (reason, detail) }
                return nil
            }.first)
        #expect(requeued.0 == .maintenance)
        #expect(requeued.1.contains("maintenance by 'shift-lead': wheel check"))
        #expect(requeued.1.contains("progress: 1 of"))
        #expect(out.cancels == [plan.1.orderId])
        #expect(out.journalBeforeEffects)
        // Nothing is lost: the other robot takes the task over in the same step.
        #expect(out.dispatches.map(\.0) == [Self.r2])
        #expect(out.journalKinds.contains("reassigned"))
        #expect(
            c.tasks["T1"]?.robot == Self.r2 && c.tasks["T1"]?.assignmentCount == 2 && c.tasks["T1"]?.failedAttempts == 0
        )
        #expect(c.maintenance[Self.r1] == RobotMaintenance(actor: "shift-lead", reason: "wheel check", since: t(5)))
        #expect(c.busy[Self.r1] == nil)
    }

    @Test func robotInMaintenanceGetsNoTaskUntilItsMaintenanceEnds() throws {
        var c = TaskKindsTests.coordinator(["A"])
        #expect(c.handle(Self.maintenance(Self.r1, true), now: t(1)).journalKinds == ["maintenance_start"])
        #expect(c.handle(Self.maintenance(Self.r1, true, by: "other"), now: t(2)).isEmpty, "already in maintenance")
        #expect(c.maintenance[Self.r1]?.actor == "shift-lead")
        let request = c.handle(.taskRequested(TaskRequest(id: "T2", pick: "PICK", drop: "DROP")), now: t(3))
        #expect(request.dispatches.isEmpty && c.tasks["T2"]?.state == .queued)
        #expect(!c.isCandidate(Self.r1, now: t(3)))
        #expect(c.handle(.robotObserved(Self.r1, TaskKindsTests.at("A")), now: t(4)).dispatches.isEmpty)
        let back = c.handle(Self.maintenance(Self.r1, false, by: "night-lead", "done"), now: t(5))
        #expect(
            back.records.first?.event
                == .maintenance(robot: Self.r1, active: false, actor: "night-lead", reason: "done"))
        #expect(back.dispatches.map(\.1.taskId) == ["T2"])
        #expect(c.maintenance.isEmpty)
        #expect(c.handle(Self.maintenance(Self.r1, false), now: t(6)).isEmpty, "not in maintenance any more")
        let stranger = RobotID(manufacturer: "acme", serialNumber: "AMR-99")
        #expect(c.handle(Self.maintenance(stranger, true), now: t(7)).isEmpty)
        #expect(c.maintenance.isEmpty)
    }

    @Test func coalitionMemberInMaintenanceRequeuesTheWholeCoalition() throws {
        var c = TaskKindsTests.coordinator(["B", "E", "F"])
        let carry = TaskRequest(
            id: "K1", kind: .cooperativeCarry, stops: ["PICK", "DROP"], robots: 2, loadWeightKg: 180,
            requiredCapabilities: ["tow"], requester: "mes")
        let formed = c.handle(.taskRequested(carry), now: t(1))
        let orders = Set(formed.dispatches.map(\.1.orderId))
        #expect(c.coalitions["K1"]?.members == [Self.r1, Self.r2])
        let out = c.handle(Self.maintenance(Self.r1, true, "battery swap"), now: t(3))
        #expect(Array(out.journalKinds.prefix(2)) == ["maintenance_start", "requeued"])
        #expect(Set(out.cancels) == orders, "every member's order is cancelled")
        // The carry forms again without the robot in maintenance.
        let members = try #require(c.coalitions["K1"]?.members)
        #expect(members.count == 2 && !members.contains(Self.r1))
        #expect(c.busy[Self.r1] == nil)
    }

    @Test func chargingRobotGivesUpItsChargerAndChargesAgainAfterwards() throws {
        var c = TaskKindsTests.coordinator(["D"], battery: 20)
        _ = c.handle(.robotObserved(Self.r1, TaskKindsTests.at("D", battery: 20)), now: t(1))
        #expect(c.tasks["charge-AMR-1-1"]?.state == .dispatched)
        let out = c.handle(Self.maintenance(Self.r1, true), now: t(2))
        #expect(out.journalKinds == ["maintenance_start", "canceled"])
        #expect(c.tasks["charge-AMR-1-1"]?.state == .cancelled)
        #expect(c.handle(.robotObserved(Self.r1, TaskKindsTests.at("D", battery: 20)), now: t(3)).dispatches.isEmpty)
        let back = c.handle(Self.maintenance(Self.r1, false), now: t(4))
        #expect(back.dispatches.map(\.1.taskId) == ["charge-AMR-1-2"])
    }

    @Test func replayRestoresMaintenanceAndTheRequeuedTask() throws {
        var live = TaskKindsTests.coordinator(["B"])
        var journal: [JournalRecord] = []
        func run(_ event: FleetEvent, _ time: Double) -> [Directive] {
            let out = live.handle(event, now: t(time))
            journal += out.records
            return out
        }
        _ = run(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "DROP")), 1)
        _ = run(Self.maintenance(Self.r1, true, "lidar"), 2)
        _ = run(.taskRequested(TaskRequest(id: "T2", pick: "PICK", drop: "DROP")), 3)
        #expect(live.tasks["T1"]?.state == .queued && live.tasks["T2"]?.state == .queued)
        let decoded = try journal.map { try JSONDecoder().decode(JournalRecord.self, from: JSONEncoder().encode($0)) }
        #expect(decoded == journal)
        var restored = Coordinator(layout: TaskKindsTests.layout, configuration: TaskKindsTests.config)
        #expect(restored.replay(records: decoded).isEmpty)
        #expect(restored.maintenance == live.maintenance)
        #expect(restored.tasks.mapValues(\.history) == live.tasks.mapValues(\.history))
        _ = restored.handle(.robotRegistered(Self.r1, TaskKindsTests.amr), now: t(10))
        _ = restored.handle(.robotObserved(Self.r1, TaskKindsTests.at("B")), now: t(10))
        #expect(restored.resume(now: t(10)).dispatches.isEmpty, "still in maintenance after the restart")
        let back = restored.handle(Self.maintenance(Self.r1, false), now: t(11))
        #expect(back.dispatches.count == 1)
        // A maintenance_end in the journal clears it on replay.
        var again = Coordinator(layout: TaskKindsTests.layout, configuration: TaskKindsTests.config)
        again.replay(records: decoded + back.records)
        #expect(again.maintenance.isEmpty)
    }

    @Test func operatorRecordsCarryTheActor() throws {
        func json(_ event: JournalEvent) throws -> [String: Any] {
            let data = try JSONEncoder().encode(JournalRecord(time: t(0), event: event))
            #expect(try JSONDecoder().decode(JournalRecord.self, from: data).event == event)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return try #require(object)
        }
        let start = try json(.maintenance(robot: Self.r1, active: true, actor: "shift-lead", reason: "wheel"))
        #expect(start["kind"] as? String == "maintenance_start" && start["actor"] as? String == "shift-lead")
        #expect(start["robot_id"] as? String == "acme/AMR-1" && start["reason"] as? String == "wheel")
        let end = try json(.maintenance(robot: Self.r1, active: false, actor: "night-lead", reason: ""))
        #expect(end["kind"] as? String == "maintenance_end" && end["actor"] as? String == "night-lead")
        let pause = try json(.pause(robot: Self.r1, paused: true, actor: "shift-lead"))
        #expect(pause["kind"] as? String == "pause" && pause["actor"] as? String == "shift-lead")
        #expect(try json(.pause(robot: Self.r1, paused: false, actor: "x"))["kind"] as? String == "resume")
        let entered = try json(.humanAck(task: "A-1", person: "carer-2", actor: "shift-lead"))
        #expect(entered["person"] as? String == "carer-2" && entered["actor"] as? String == "shift-lead")
        #expect(try json(.humanAck(task: "A-1", person: "carer-2"))["actor"] == nil)
        #expect(JournalEvent.maintenance(robot: Self.r1, active: true, actor: "a", reason: "").robots == [Self.r1])
    }

    @Test func confirmationEnteredByAnOperatorIsJournaledWithTheActor() throws {
        var c = TaskKindsTests.coordinator(["A"])
        let assist = TaskRequest(id: "AS", kind: .assist, stops: ["MEET"], person: "carer-2", requester: "t")
        _ = c.handle(.taskRequested(assist), now: t(1))
        let out = c.handle(.taskConfirmed("AS", person: "carer-2", actor: "shift-lead"), now: t(2))
        #expect(out.records.map(\.event) == [.humanAck(task: "AS", person: "carer-2", actor: "shift-lead")])
    }
}
