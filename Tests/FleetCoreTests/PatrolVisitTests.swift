import FleetCore
import Testing

/// A patrol journals each waypoint when the robot passes it (phase `visited:<station>`), once, in order, and a
/// coordinator restored from the journal does not journal those visits again.
@Suite struct PatrolVisitTests {
    typealias K = TaskKindsTests

    /// The robot's report that it runs `plan` and has passed the node with sequence id `sequence`.
    static func passed(_ plan: DispatchPlan, sequence: Int) -> RobotObservation {
        let index = plan.nodes.firstIndex { $0.sequenceId == sequence }!
        var observation = K.at(
            plan.nodes[index].nodeId,
            order: OrderProgress(
                orderId: plan.orderId, orderUpdateId: plan.orderUpdateId, lastNodeSequenceId: sequence,
                remainingNodeCount: plan.nodes.count - 1 - index, actions: [:]))
        observation.driving = true
        return observation
    }

    static func visits(_ directives: [Directive]) -> [String] {
        directives.records.compactMap {
            if case .phase(_, _, let phase) = $0.event, phase.hasPrefix("visited:") { return phase }
            return nil
        }
    }

    @Test func waypointsAreJournaledWhenPassedOnceAndInOrder() throws {
        var c = K.coordinator(["A"])
        let out = c.handle(
            .taskRequested(TaskRequest(id: "NP", kind: .patrol, stops: ["SIDE", "FAR"], requester: "t")), now: t(1))
        var journal = out.records
        let plan = try #require(out.dispatches.first?.1)
        // A(0) B(2) E(4)=SIDE B(6) C(8) D(10) F(12)=FAR
        #expect(plan.nodes.map(\.nodeId) == ["A", "B", "E", "B", "C", "D", "F"])
        let accepted = c.handle(.robotObserved(K.robot(1), K.accepted(plan, at: "A")), now: t(2))
        journal += accepted.records
        #expect(Self.visits(accepted).isEmpty)
        let atB = c.handle(.robotObserved(K.robot(1), Self.passed(plan, sequence: 2)), now: t(5))
        #expect(Self.visits(atB).isEmpty)
        let atSide = c.handle(.robotObserved(K.robot(1), Self.passed(plan, sequence: 4)), now: t(10))
        journal += atB.records + atSide.records
        #expect(Self.visits(atSide) == ["visited:SIDE"])
        // Passing B again and C adds nothing; the same report twice adds nothing.
        let again = c.handle(.robotObserved(K.robot(1), Self.passed(plan, sequence: 4)), now: t(11))
        let atC = c.handle(.robotObserved(K.robot(1), Self.passed(plan, sequence: 8)), now: t(20))
        journal += again.records + atC.records
        #expect(Self.visits(again).isEmpty && Self.visits(atC).isEmpty)
        #expect(c.inFlight["NP"]?.visited == 1)

        // A coordinator restored from the journal so far knows SIDE was visited and journals FAR only.
        var restored = Coordinator(
            layout: K.layout, configuration: K.config, policy: AllocationPolicyKind.greedy.makePolicy())
        #expect(restored.replay(records: journal).isEmpty)
        #expect(restored.inFlight["NP"]?.visited == 1)
        _ = restored.handle(.robotRegistered(K.robot(1), K.amr), now: t(30))
        let done = restored.handle(.robotObserved(K.robot(1), K.finished(plan, at: "F")), now: t(40))
        #expect(Self.visits(done) == ["visited:FAR"])
        #expect(done.journalKinds.last == "completed")
    }

    @Test func aReportThatSkipsAheadJournalsEveryPassedWaypoint() throws {
        var c = K.coordinator(["A"])
        let out = c.handle(
            .taskRequested(TaskRequest(id: "NP", kind: .patrol, stops: ["SIDE", "FAR"], requester: "t")), now: t(1))
        let plan = try #require(out.dispatches.first?.1)
        _ = c.handle(.robotObserved(K.robot(1), K.accepted(plan, at: "A")), now: t(2))
        // The next state arrives only at the end (a lost state message): both stops, in order.
        let done = c.handle(.robotObserved(K.robot(1), K.finished(plan, at: "F")), now: t(60))
        #expect(Self.visits(done) == ["visited:SIDE", "visited:FAR"])
    }
}
