import FleetCore
import Foundation
import Testing

/// People the robots report near them (B1.16): an episode under the warning distance is journaled once, when it
/// ends, with its closest distance, its length and whether the robot was working with a person at its meeting point.
@Suite struct ProximityJournalTests {
    typealias K = TaskKindsTests

    static func near(_ node: NodeID, _ distance: Double?, order: OrderProgress? = nil) -> RobotObservation {
        var observation = K.at(node, order: order)
        observation.humanDistance = distance
        return observation
    }

    static func proximity(_ directives: [Directive]) -> [JournalEvent] {
        directives.records.map(\.event).filter { $0.kind == "human_proximity" }
    }

    @Test func anEpisodeIsJournaledWhenItEndsWithItsClosestDistance() throws {
        var c = K.coordinator(["A"])
        // Seen, but farther than the 2 m warning distance: nothing starts.
        #expect(Self.proximity(c.handle(.robotObserved(K.robot(1), Self.near("A", 2.5)), now: t(10))).isEmpty)
        #expect(Self.proximity(c.handle(.robotObserved(K.robot(1), Self.near("A", 1.5)), now: t(11))).isEmpty)
        #expect(Self.proximity(c.handle(.robotObserved(K.robot(1), Self.near("A", 0.4)), now: t(12))).isEmpty)
        #expect(Self.proximity(c.handle(.robotObserved(K.robot(1), Self.near("A", 1.8)), now: t(14))).isEmpty)
        let ended = c.handle(.robotObserved(K.robot(1), Self.near("A", nil)), now: t(16.5))
        #expect(
            Self.proximity(ended) == [
                .humanProximity(robot: K.robot(1), distance: 0.4, seconds: 5.5, collaborative: false)
            ])
        // The record's flat form, and back.
        let record = try #require(ended.records.first { $0.event.kind == "human_proximity" })
        let data = try JSONEncoder().encode(record)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["distance"] as? Double == 0.4 && object["seconds"] as? Double == 5.5)
        #expect(object["collaborative"] as? Bool == false && object["robot_id"] as? String == "acme/AMR-1")
        #expect(try JSONDecoder().decode(JournalRecord.self, from: data) == record)
        // A new approach is a new episode; a lost link ends it.
        _ = c.handle(.robotObserved(K.robot(1), Self.near("A", 1.0)), now: t(20))
        let lost = c.handle(.robotConnection(K.robot(1), .connectionBroken), now: t(23))
        #expect(
            Self.proximity(lost) == [
                .humanProximity(robot: K.robot(1), distance: 1.0, seconds: 3, collaborative: false)
            ])
    }

    @Test func aPersonAtTheHandoversMeetingPointIsCollaborative() throws {
        var c = K.coordinator(["A"])
        let request = TaskRequest(id: "HO", kind: .handover, stops: ["MEET"], requester: "mes")
        let plan = try #require(c.handle(.taskRequested(request), now: t(1)).dispatches.first?.1)
        _ = c.handle(.robotObserved(K.robot(1), K.accepted(plan, at: "A")), now: t(2))
        // On the way (not at MEET's node C): an episode that is not collaborative ...
        _ = c.handle(.robotObserved(K.robot(1), Self.near("B", 0.9, order: K.accepted(plan, at: "B").order)), now: t(5))
        let passed = c.handle(
            .robotObserved(K.robot(1), Self.near("B", nil, order: K.accepted(plan, at: "B").order)), now: t(6))
        #expect(
            Self.proximity(passed) == [
                .humanProximity(robot: K.robot(1), distance: 0.9, seconds: 1, collaborative: false)
            ])
        // ... at the meeting point, the person it hands over to.
        var arrived = K.finished(plan, at: "C")
        arrived.humanDistance = 0.6
        _ = c.handle(.robotObserved(K.robot(1), arrived), now: t(10))
        arrived.humanDistance = nil
        let left = c.handle(.robotObserved(K.robot(1), arrived), now: t(30))
        #expect(
            Self.proximity(left) == [
                .humanProximity(robot: K.robot(1), distance: 0.6, seconds: 20, collaborative: true)
            ])
    }
}
