import FleetCore
import Foundation
import Testing

@Suite struct CoordinatorFlowTests {
    static let r1 = Fixture.robot(1)
    static let config = CoordinatorConfiguration(
        stateTimeout: 10, dispatchAcknowledgementTimeout: 5, maxDispatchSends: 2, maxFailedAttempts: 2,
        positionSampleInterval: nil)

    /// A coordinator with robot 1 idle at B, and task T1 (PICK -> DROP) dispatched to it at t=1.
    static func dispatched() -> (Coordinator, DispatchPlan, [Directive]) {
        var c = Coordinator(layout: Fixture.layout, configuration: config)
        _ = c.handle(.robotRegistered(r1, Fixture.amr), now: t(0))
        _ = c.handle(.robotObserved(r1, Fixture.idle(at: "B")), now: t(0))
        let out = c.handle(.taskRequested(Fixture.request("T1")), now: t(1))
        return (c, out.dispatches.first!.1, out)
    }

    @Test func requestAssignDispatchAcceptComplete() throws {
        var (c, plan, out) = Self.dispatched()
        #expect(out.journalKinds == ["created", "assigned", "dispatched"])
        #expect(out.journalBeforeEffects)
        #expect(plan.orderId == "T1#1")
        #expect(plan.nodes.map(\.nodeId) == ["B", "A", "B", "C", "D"])
        #expect(plan.nodes[1].actions.map(\.kind) == [.pick] && plan.nodes[4].actions.map(\.kind) == [.drop])
        #expect(plan.edges.map(\.sequenceId) == [1, 3, 5, 7])
        #expect(out.timers.map(\.0).contains(.dispatchAcknowledgement("T1", attempt: 1)))
        #expect(c.tasks["T1"]?.state == .dispatched)

        let accepted = c.handle(
            .robotObserved(Self.r1, Fixture.idle(at: "B", order: progress(plan, passed: 1))), now: t(2))
        #expect(accepted.journalKinds == ["started"])
        #expect(c.tasks["T1"]?.state == .inProgress)
        var moving = Fixture.idle(at: "A", order: progress(plan, passed: 2, pick: .finished))
        moving.driving = true
        #expect(c.handle(.robotObserved(Self.r1, moving), now: t(20)).journalKinds == ["phase"])
        let done = c.handle(
            .robotObserved(
                Self.r1, Fixture.idle(at: "D", order: progress(plan, passed: 5, pick: .finished, drop: .finished))),
            now: t(60))
        #expect(done.journalKinds == ["completed"])
        #expect(c.tasks["T1"]?.state == .completed)
        #expect(c.busy.isEmpty && c.inFlight.isEmpty)
        // A late acknowledgement timer does nothing.
        #expect(c.handle(.timerFired(.dispatchAcknowledgement("T1", attempt: 1)), now: t(6)).isEmpty)
    }

    @Test func invalidAndDuplicateRequestsAreRejected() {
        var (c, _, _) = Self.dispatched()
        let dup = c.handle(.taskRequested(Fixture.request("T1")), now: t(2))
        #expect(dup.rejections == ["task 'T1' already exists"])
        #expect(dup.journalKinds == ["rejected"])
        let bad = c.handle(.taskRequested(Fixture.request("T2", from: "NOPE")), now: t(2))
        #expect(bad.rejections == ["unknown pick station 'NOPE'"])
        #expect(c.tasks["T2"] == nil)
    }

    @Test func orderRejectionRequeuesThenFails() {
        var (c, plan, _) = Self.dispatched()
        var rejecting = Fixture.idle(at: "B")
        rejecting.faults = [
            RobotFault(type: "noRouteError", level: .warning, description: "no route", orderId: plan.orderId)
        ]
        let out = c.handle(.robotObserved(Self.r1, rejecting), now: t(2))
        // Re-queued, then immediately reassigned to the same (still idle) robot with a new order id.
        #expect(out.journalKinds == ["fault", "requeued", "reassigned", "dispatched"])
        #expect(out.dispatches.first?.1.orderId == "T1#2")
        rejecting.faults = [RobotFault(type: "noRouteError", level: .warning, description: "no route", orderId: "T1#2")]
        let second = c.handle(.robotObserved(Self.r1, rejecting), now: t(3))
        #expect(second.journalKinds == ["failed"])
        #expect(c.tasks["T1"]?.state == .failed)
        #expect(c.tasks["T1"]?.history.last?.reason == "rejected")
    }

    @Test func warningAboutARunningOrderIsNotARejection() {
        var (c, plan, _) = Self.dispatched()
        var running = Fixture.idle(at: "B", order: progress(plan, passed: 1))
        _ = c.handle(.robotObserved(Self.r1, running), now: t(2))
        #expect(c.tasks["T1"]?.state == .inProgress)
        // The robot runs our order and reports a warning that references it: not a rejection, nothing re-queued.
        running.faults = [
            RobotFault(type: "obstacleWarning", level: .warning, description: "slow", orderId: plan.orderId)
        ]
        let out = c.handle(.robotObserved(Self.r1, running), now: t(3))
        #expect(!out.journalKinds.contains("requeued"))
        #expect(c.tasks["T1"]?.state == .inProgress)
    }

    @Test func robotLostAfterPickFailsTheTaskInsteadOfPickingTwice() {
        var (c, plan, _) = Self.dispatched()
        _ = c.handle(.robotObserved(Self.r1, Fixture.idle(at: "B", order: progress(plan, passed: 1))), now: t(2))
        _ = c.handle(
            .robotObserved(Self.r1, Fixture.idle(at: "A", order: progress(plan, passed: 2, pick: .finished))),
            now: t(10))
        let out = c.handle(.robotConnection(Self.r1, .connectionBroken), now: t(11))
        #expect(out.journalKinds == ["connection", "failed"])
        #expect(c.tasks["T1"]?.state == .failed)
        #expect(c.tasks["T1"]?.history.last?.detail?.contains("already picked") == true)
    }

    @Test func failedPickActionFailsTheTask() {
        var (c, plan, _) = Self.dispatched()
        _ = c.handle(.robotObserved(Self.r1, Fixture.idle(at: "B", order: progress(plan, passed: 1))), now: t(2))
        let out = c.handle(
            .robotObserved(
                Self.r1, Fixture.idle(at: "A", order: progress(plan, passed: 2, pick: .failed, result: "no load"))),
            now: t(15))
        #expect(out.journalKinds == ["failed"])
        #expect(out.cancels == ["T1#1"])
        #expect(c.tasks["T1"]?.history.last?.detail == "pick at station 'PICK' failed: no load")
    }

    @Test func offlineRobotHasItsTaskRequeuedAndStaleOrderCancelledOnReturn() {
        var (c, plan, _) = Self.dispatched()
        _ = c.handle(.robotObserved(Self.r1, Fixture.idle(at: "B", order: progress(plan, passed: 1))), now: t(2))
        let out = c.handle(.robotConnection(Self.r1, .connectionBroken), now: t(3))
        // Re-queued; the only robot is gone, so the task waits, and the journal says why.
        #expect(out.journalKinds == ["connection", "requeued", "waiting"])
        #expect(out.records.last?.event == .waiting(task: "T1", reason: "no capable robot is available"))
        #expect(c.tasks["T1"]?.state == .queued)
        _ = c.handle(.robotConnection(Self.r1, .online), now: t(4))
        // It comes back still running the old order: cancel it, once.
        let back = c.handle(.robotObserved(Self.r1, Fixture.idle(at: "A", order: progress(plan, passed: 2))), now: t(5))
        #expect(back.cancels == ["T1#1"])
        #expect(
            c.handle(.robotObserved(Self.r1, Fixture.idle(at: "A", order: progress(plan, passed: 2))), now: t(6))
                .cancels.isEmpty)
    }

    @Test func stateTimeoutRequeues() {
        var (c, _, _) = Self.dispatched()
        // The timer was armed by the first observation at t=0.
        let fired = c.handle(.timerFired(.robotStateTimeout(Self.r1)), now: t(10))
        #expect(fired.journalKinds == ["connection", "requeued", "waiting"])
        #expect(c.tasks["T1"]?.history.last?.reason == "robot_stale")
        #expect(!c.isCandidate(Self.r1, now: t(10)))
    }

    @Test func stateTimerRearmsWhileTheRobotTalks() {
        var (c, plan, _) = Self.dispatched()
        _ = c.handle(.robotObserved(Self.r1, Fixture.idle(at: "B", order: progress(plan, passed: 1))), now: t(8))
        let fired = c.handle(.timerFired(.robotStateTimeout(Self.r1)), now: t(10))
        #expect(fired.journalKinds.isEmpty)
        #expect(fired.timers.map(\.1) == [t(18)])
    }

    @Test func unacknowledgedDispatchIsRetriedThenRequeued() {
        var (c, plan, _) = Self.dispatched()
        let retry = c.handle(.timerFired(.dispatchAcknowledgement("T1", attempt: 1)), now: t(6))
        #expect(retry.journalKinds == ["dispatched"])
        #expect(retry.dispatches.first?.1 == plan)
        #expect(retry.timers.map(\.0) == [.dispatchAcknowledgement("T1", attempt: 2)])
        _ = c.handle(.robotObserved(Self.r1, Fixture.idle(at: "B")), now: t(7))
        let giveUp = c.handle(.timerFired(.dispatchAcknowledgement("T1", attempt: 2)), now: t(11))
        #expect(giveUp.journalKinds.prefix(1) == ["requeued"])
        #expect(giveUp.cancels == ["T1#1"])
        #expect(giveUp.journalBeforeEffects)
    }

    @Test func cancelInFlightSendsCancelOrder() {
        var (c, _, _) = Self.dispatched()
        let out = c.handle(.taskCancelRequested("T1", .operatorRequest, detail: "line stopped"), now: t(2))
        #expect(out.journalKinds == ["canceled"])
        #expect(out.cancels == ["T1#1"])
        #expect(
            c.handle(.taskCancelRequested("T1", .operatorRequest, detail: ""), now: t(3)).rejections
                == ["task 'T1' is already cancelled"])
    }

    @Test func robotChangesAreJournaled() {
        var c = Coordinator(layout: Fixture.layout, configuration: CoordinatorConfiguration(positionSampleInterval: 5))
        _ = c.handle(.robotRegistered(Self.r1, Fixture.amr), now: t(0))
        #expect(
            c.handle(.robotObserved(Self.r1, Fixture.idle(at: "A", battery: 55)), now: t(0)).journalKinds == [
                "mode", "battery", "position",
            ])
        #expect(c.handle(.robotObserved(Self.r1, Fixture.idle(at: "A", battery: 52)), now: t(1)).journalKinds.isEmpty)
        var faulty = Fixture.idle(at: "A", battery: 45)
        faulty.faults = [RobotFault(type: "bumper", level: .fatal)]
        faulty.mode = .manual
        #expect(
            c.handle(.robotObserved(Self.r1, faulty), now: t(6)).journalKinds == [
                "mode", "fault", "battery", "position",
            ])
        #expect(c.robots[Self.r1]?.unavailability(now: t(6), stateTimeout: 10, minimumBattery: 20) == .mode(.manual))
        // A position sample carries the report's age on arrival (fleetd's clock minus the robot's timestamp).
        var stamped = faulty
        stamped.reportedAt = t(9.75)
        let sample = c.handle(.robotObserved(Self.r1, stamped), now: t(12))
        guard case .position(_, _, _, _, _, let age)? = sample.records.last?.event else {
            Issue.record("no position sample: \(sample.journalKinds)")
            return
        }
        #expect(age == 2.25)
        let record = sample.records.last!
        let data = try! JSONEncoder().encode(record)
        #expect(String(decoding: data, as: UTF8.self).contains(#""age_s":2.25"#))
        #expect(try! JSONDecoder().decode(JournalRecord.self, from: data) == record)
    }
}
