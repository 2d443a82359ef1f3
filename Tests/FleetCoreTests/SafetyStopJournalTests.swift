import FleetCore
import Foundation
import Testing

/// Safety stops reported in the robots' state (`safetyState`) are journaled as `safety_stop` records when they begin
/// and end, once per change, and survive the journal's JSON round trip.
@Suite struct SafetyStopJournalTests {
    typealias K = TaskKindsTests

    static func observation(eStop: Bool = false, field: Bool = false) -> RobotObservation {
        var observation = K.at("A")
        observation.safety = SafetyState(eStop: eStop, fieldViolation: field)
        return observation
    }

    static func stops(_ directives: [Directive]) -> [JournalEvent] {
        directives.records.map(\.event).filter { $0.kind == "safety_stop" }
    }

    @Test func beginAndEndOfEachStopAreJournaledOnce() throws {
        var c = K.coordinator(["A"])
        let robot = K.robot(1)
        let pressed = c.handle(.robotObserved(robot, Self.observation(eStop: true)), now: t(10))
        #expect(Self.stops(pressed) == [.safetyStop(robot: robot, type: "estop", active: true)])
        let still = c.handle(.robotObserved(robot, Self.observation(eStop: true)), now: t(11))
        #expect(Self.stops(still).isEmpty)
        let both = c.handle(.robotObserved(robot, Self.observation(eStop: true, field: true)), now: t(12))
        #expect(Self.stops(both) == [.safetyStop(robot: robot, type: "field_violation", active: true)])
        let released = c.handle(.robotObserved(robot, Self.observation()), now: t(20))
        #expect(
            Self.stops(released) == [
                .safetyStop(robot: robot, type: "estop", active: false),
                .safetyStop(robot: robot, type: "field_violation", active: false),
            ])
        // The flat record format, and back.
        let record = try #require(pressed.records.first { $0.event.kind == "safety_stop" })
        let data = try JSONEncoder().encode(record)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == "safety_stop")
        #expect(object["type"] as? String == "estop")
        #expect(object["active"] as? Bool == true)
        #expect(try JSONDecoder().decode(JournalRecord.self, from: data) == record)
    }
}

/// Two robots standing on one node are a node conflict, journaled once when the second one arrives.
@Suite struct NodeConflictJournalTests {
    typealias K = TaskKindsTests

    static func conflicts(_ directives: [Directive]) -> [JournalEvent] {
        directives.records.map(\.event).filter { $0.kind == "node_conflict" }
    }

    @Test func aSecondRobotOnAnOccupiedNodeIsJournaledOnce() throws {
        var c = K.coordinator(["A", "B"])
        // Robot 2 drives onto A, where robot 1 stands.
        let arrived = c.handle(.robotObserved(K.robot(2), K.at("A")), now: t(10))
        #expect(Self.conflicts(arrived) == [.nodeConflict(node: "A", robots: [K.robot(1), K.robot(2)])])
        // Standing there is one conflict, not one per state message.
        #expect(Self.conflicts(c.handle(.robotObserved(K.robot(2), K.at("A")), now: t(11))).isEmpty)
        // Away from the node (its last node is still A, but 2 m off): no longer on it; coming back is a new one.
        var away = K.at("A")
        away.position = SitePoint(x: away.position!.x + 2, y: away.position!.y)
        #expect(Self.conflicts(c.handle(.robotObserved(K.robot(2), away), now: t(12))).isEmpty)
        let back = c.handle(.robotObserved(K.robot(2), K.at("A")), now: t(13))
        #expect(Self.conflicts(back).count == 1)
        // The record's flat form, and back.
        let record = try #require(back.records.first { $0.event.kind == "node_conflict" })
        let data = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(JournalRecord.self, from: data) == record)
    }
}

extension NodeConflictJournalTests {
    @Test func membersOfOneCarryMeetingAtTheLoadAreNoConflict() throws {
        var c = K.coordinator(["A", "B"])
        let out = c.handle(
            .taskRequested(
                TaskRequest(id: "C", kind: .cooperativeCarry, stops: ["PICK", "DROP"], robots: 2, requester: "t")),
            now: t(1))
        #expect(out.dispatches.count == 2)
        // Both members reach the pick station (A): robot 2 joins robot 1 there.
        let joined = c.handle(.robotObserved(K.robot(2), K.at("A")), now: t(20))
        #expect(Self.conflicts(joined).isEmpty)
    }
}

/// A jump of simulated time reported by the runtime is journaled as `clock_jump` (data quality) and changes nothing
/// else; replay passes over it.
@Suite struct ClockJumpJournalTests {
    typealias K = TaskKindsTests

    @Test func aClockJumpIsJournaledWithItsSecondsAndReplaysToNothing() throws {
        var c = K.coordinator(["A"])
        let jumped = c.handle(.clockJumped(seconds: 61.25), now: t(100))
        #expect(jumped.records.map(\.event) == [.clockJump(seconds: 61.25)])
        #expect(jumped.journalKinds == ["clock_jump"])
        let record = try #require(jumped.records.first)
        let data = try JSONEncoder().encode(record)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == "clock_jump" && object["seconds"] as? Double == 61.25)
        #expect(object.keys.sorted() == ["kind", "seconds", "t"])
        #expect(try JSONDecoder().decode(JournalRecord.self, from: data) == record)
        #expect(record.event.task == nil && record.event.robots.isEmpty)
        var replayed = K.coordinator(["A"])
        #expect(replayed.replay(records: [record]).isEmpty)
        #expect(replayed.tasks.isEmpty)
    }
}
