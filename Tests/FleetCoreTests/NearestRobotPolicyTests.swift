import FleetCore
import Testing

@Suite struct NearestRobotPolicyTests {
    let policy = NearestRobotPolicy()
    let router = SiteRouter(layout: Fixture.layout)

    func candidate(_ n: Int, at node: NodeID, battery: Double = 90, profile: RobotProfile = Fixture.amr)
        -> AllocationCandidate
    {
        AllocationCandidate(robot: Fixture.robot(n), profile: profile, startNode: node, batteryPercent: battery)
    }

    func queued(_ request: TaskRequest, at seconds: Double = 0) -> TransportTask {
        var task = TransportTask(request: request, createdAt: t(seconds))
        try! task.queue(at: t(seconds))
        return task
    }

    func context(_ candidates: [AllocationCandidate], reserve: Double = 10) -> AllocationContext {
        AllocationContext(
            router: router, fleet: Dictionary(uniqueKeysWithValues: candidates.map { ($0.robot, $0.profile) }),
            batteryReserve: reserve, now: t(0))
    }

    @Test func nearestRobotByTravelTimeWins() {
        let robots = [candidate(1, at: "D"), candidate(2, at: "B")]
        let decisions = policy.allocate(queue: [queued(Fixture.request("T1"))], idle: robots, context: context(robots))
        guard case .assign(_, let robot, let trip) = decisions.first else {
            Issue.record("expected an assignment, got \(decisions)")
            return
        }
        #expect(robot == Fixture.robot(2))
        #expect(trip.toPick.nodes == ["B", "A"] && trip.toDrop.nodes == ["A", "B", "C", "D"])
        #expect(abs(trip.batteryAfter - (90 - 40 * 0.01)) < 1e-9)
    }

    @Test func tiesGoToTheSmallerRobotID() {
        let robots = [candidate(3, at: "B"), candidate(2, at: "B")]
        let decisions = policy.allocate(queue: [queued(Fixture.request("T1"))], idle: robots, context: context(robots))
        #expect(
            decisions.first.map { if case .assign(_, let r, _) = $0 { r == Fixture.robot(2) } else { false } } == true)
    }

    @Test func capabilityAndPayloadAreRequired() {
        let lifter = RobotProfile(type: "forklift", capabilities: ["lift"], maxPayloadKg: 500, maxSpeed: 1)
        let robots = [candidate(1, at: "A"), candidate(2, at: "D", profile: lifter)]
        let tasks = [
            queued(Fixture.request("T1", capabilities: ["lift"])),
            queued(Fixture.request("T2", capabilities: ["crane"]), at: 1),
            queued(Fixture.request("T3", kg: 900), at: 2),
        ]
        let decisions = policy.allocate(queue: tasks, idle: robots, context: context(robots))
        #expect(decisions.count == 3)
        #expect(decisions.contains(.reject("T2", .noCapability("crane"))))
        #expect(decisions.contains(.reject("T3", .payloadTooHeavy(kg: 900))))
        #expect(decisions.contains { if case .assign("T1", Fixture.robot(2), _) = $0 { true } else { false } })
        #expect(AllocationError.noCapability("lift").description == "no robot with capability 'lift'")
    }

    @Test func batteryReserveMustSurviveTheTrip() {
        let thirsty = RobotProfile(type: "AMR", maxPayloadKg: 100, maxSpeed: 1, batteryPercentPerMetre: 1)
        // Trip from B: 10 m to pick + 30 m to drop = 40 % at 1 %/m.
        let low = [candidate(1, at: "B", battery: 45, profile: thirsty)]
        #expect(
            policy.allocate(queue: [queued(Fixture.request("T1"))], idle: low, context: context(low))
                == [.wait("T1", .noRobotWithEnoughBattery)])
        let enough = [candidate(1, at: "B", battery: 51, profile: thirsty)]
        #expect(
            policy.allocate(queue: [queued(Fixture.request("T1"))], idle: enough, context: context(enough)).count == 1)
        #expect(AllocationError.noRobotWithEnoughBattery.description == "no robot with enough battery")
    }

    @Test func priorityFirstThenFirstComeFirstServed() {
        let robots = [candidate(1, at: "A")]
        let tasks = [
            queued(Fixture.request("old-normal"), at: 0),
            queued(Fixture.request("new-urgent", priority: .urgent), at: 5),
            queued(Fixture.request("newer-normal"), at: 3),
        ]
        let decisions = policy.allocate(queue: tasks, idle: robots, context: context(robots))
        let ids = decisions.map { d -> String in
            switch d {
            case .assign(let id, _, _): "assign \(id)"
            case .wait(let id, _): "wait \(id)"
            case .reject(let id, _): "reject \(id)"
            }
        }
        #expect(ids == ["assign new-urgent", "wait old-normal", "wait newer-normal"])
        #expect(TaskPriority.allCases.count >= 4)
    }

    @Test func noIdleRobotMeansWait() {
        let all = [candidate(1, at: "A")]
        let decisions = policy.allocate(queue: [queued(Fixture.request("T1"))], idle: [], context: context(all))
        #expect(decisions == [.wait("T1", .noRobotAvailable)])
    }
}
