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
