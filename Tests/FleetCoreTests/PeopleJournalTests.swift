import FleetCore
import Foundation
import Testing

/// People's journal records (wire form and replay of open escalation chains) and a handover with a person on the
/// roster; the site, staff and robots are ``PeopleEscalationTests``'s.
@Suite struct PeopleJournalTests {
    typealias Site = PeopleEscalationTests

    // MARK: Handover with a person on the roster

    @Test func handoverWithBothConfirmationsByAnOnShiftWorker() throws {
        var c = Site.coordinator(
            ["H"],
            staff: [
                ("worker-7", PersonProfile(role: .lineWorker, shifts: [ShiftWindow(start: t(0), end: t(3600))]), nil)
            ])
        #expect(c.people["worker-7"]?.isReachable(at: t(10)) == true)
        let request = TaskRequest(id: "HO", kind: .handover, stops: ["ROOM2"], person: "worker-7", requester: "mes")
        let plan = try #require(c.handle(.taskRequested(request), now: t(1)).dispatches.first?.1)
        _ = c.handle(.robotObserved(Site.robot(1), Site.accepted(plan, at: "H")), now: t(2))
        let worker = c.handle(.personArrived("HO", person: "worker-7"), now: t(8))
        #expect(worker.records.map(\.event) == [.humanArrived(task: "HO", person: "worker-7")])
        let robotSide = c.handle(.robotObserved(Site.robot(1), Site.finished(plan)), now: t(12))
        #expect(robotSide.records.map(\.event) == [.phase(task: "HO", robot: Site.robot(1), phase: "handover_start")])
        let personSide = c.handle(.taskConfirmed("HO", person: "worker-7"), now: t(15))
        #expect(personSide.journalKinds == ["human_ack", "phase", "completed"])
        #expect(personSide.records[1].event == .phase(task: "HO", robot: Site.robot(1), phase: "handover_end"))
        #expect(c.tasks["HO"]?.state == .completed && c.escalations.isEmpty)
    }

    // MARK: Journal and replay

    @Test func peopleRecordsRoundTripThroughTheJournalForm() throws {
        let events: [JournalEvent] = [
            .call(task: "C1", resident: "resident-1", station: "ROOM1"),
            .alert(task: "F1", resident: "resident-2", station: "ROOM3", detectedAt: t(0.25)),
            .escalated(task: "C1", person: "carer-a", level: 2, reason: .noAcknowledgement),
            .acknowledged(task: "C1", person: "carer-a", level: 2),
            .humanRejected(task: "C1", person: "carer-b", level: 1),
            .humanArrived(task: "F1", person: "nurse-1"),
            .humanAck(task: "AS", person: "carer-2"),
        ]
        for event in events {
            let record = JournalRecord(time: t(1), event: event)
            let data = try JSONEncoder().encode(record)
            #expect(try JSONDecoder().decode(JournalRecord.self, from: data) == record)
            #expect(event.robots.isEmpty && event.task != nil)
        }
        let escalated =
            try JSONSerialization.jsonObject(
                with: JSONEncoder().encode(JournalRecord(time: t(1), event: events[2]))) as? [String: Any]
        #expect(escalated?["kind"] as? String == "escalated" && escalated?["person"] as? String == "carer-a")
        #expect(escalated?["level"] as? Int == 2 && escalated?["reason"] as? String == "no_ack")
        #expect(escalated?["task_id"] as? String == "C1")
        let alert =
            try JSONSerialization.jsonObject(
                with: JSONEncoder().encode(JournalRecord(time: t(1), event: events[1]))) as? [String: Any]
        #expect(alert?["detected"] as? Int64 == t(0.25).milliseconds && alert?["resident"] as? String == "resident-2")
        #expect(
            events.map(\.kind) == [
                "call", "alert", "escalated", "human_ack", "human_rejected", "human_arrived", "human_ack",
            ])
    }

    @Test func replayRestoresOpenEscalationsAndResumeReArmsTheirTimers() throws {
        var live = Site.coordinator(["H"])
        var journal: [JournalRecord] = []
        func run(_ event: FleetEvent, _ time: Double) {
            journal += live.handle(event, now: t(time)).records
        }
        run(.residentCall("C1", resident: "resident-1", station: "ROOM1"), 1)
        run(.timerFired(.escalation("C1", level: 0)), 91)
        run(.fallAlert("F1", resident: "resident-2", station: "ROOM2", detectedAt: t(95)), 96)
        run(.personAcknowledged("F1", person: "carer-a"), 100)
        run(.residentCall("C2", resident: "resident-3", station: "ROOM3"), 101)
        run(.taskCancelRequested("C2", .requester, detail: "pressed by mistake"), 102)
        // Through the wire form, as a restart reads it.
        let stored = try journal.map { try JSONDecoder().decode(JournalRecord.self, from: JSONEncoder().encode($0)) }

        var restarted = Coordinator(layout: Site.layout, configuration: Site.config)
        #expect(restarted.replay(records: stored).isEmpty)
        #expect(restarted.escalations == live.escalations)
        #expect(restarted.escalations["C1"]?.level == 1 && restarted.escalations["C1"]?.current == "carer-a")
        #expect(restarted.escalations["F1"]?.acknowledgedBy == "carer-a")
        #expect(restarted.escalations["C2"]?.isResolved == true)
        for (id, profile, location) in Site.staff {
            _ = restarted.handle(.personRegistered(id, profile), now: t(130))
            _ = restarted.handle(.personPresence(id, present: true, location: location), now: t(130))
        }
        let resumed = restarted.resume(now: t(130))
        #expect(resumed.timers.contains { $0.0 == .escalation("C1", level: 1) && $0.1 == t(130) })
        #expect(resumed.timers.contains { $0.0 == .arrival("F1", level: 1) && $0.1 == t(400) })
        #expect(!resumed.timers.contains { $0.0 == .escalation("C2", level: 0) })
        let next = restarted.handle(.timerFired(.escalation("C1", level: 1)), now: t(130))
        #expect(
            next.records.map(\.event) == [
                .escalated(task: "C1", person: "carer-b", level: 2, reason: .noAcknowledgement)
            ])
    }
}
