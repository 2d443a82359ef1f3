import FleetCore
import Testing

/// Sites and helpers for the allocation policy tests.
enum PolicySite {
    /// ```
    /// X0 - X1 - X2 - X3 - X4 - X5 - X6      (10 m apart on y = 0)
    ///                |
    ///                Q  (charger CH-1, 10 m north of X3)
    /// ```
    /// Station `S<i>` at node `X<i>`. All edges bidirectional, no limits.
    static let line: SiteLayout = {
        var nodes = (0...6).map { SiteNode(id: "X\($0)", x: Double(10 * $0), y: 0, mapId: "m") }
        nodes.append(SiteNode(id: "Q", x: 30, y: 10, mapId: "m"))
        var edges = (0..<6).map { EdgeSpec(id: "E\($0)", from: "X\($0)", to: "X\($0 + 1)", bidirectional: true) }
        edges.append(EdgeSpec(id: "EQ", from: "X3", to: "Q", bidirectional: true))
        return try! SiteLayout(
            siteId: "line", nodes: nodes, edges: edges,
            stations: (0...6).map { Station(id: "S\($0)", node: "X\($0)", kind: .lineSide) },
            chargers: [Charger(id: "CH-1", node: "Q")])
    }()

    /// A 4 x 4 grid, 10 m spacing, node `G<r><c>`, station `S<r><c>` at every node, a charger at `G00`.
    static let grid: SiteLayout = {
        var nodes: [SiteNode] = []
        var edges: [EdgeSpec] = []
        for r in 0..<4 {
            for c in 0..<4 {
                nodes.append(SiteNode(id: "G\(r)\(c)", x: Double(10 * c), y: Double(10 * r), mapId: "m"))
                if c < 3 {
                    edges.append(EdgeSpec(id: "H\(r)\(c)", from: "G\(r)\(c)", to: "G\(r)\(c + 1)", bidirectional: true))
                }
                if r < 3 {
                    edges.append(EdgeSpec(id: "V\(r)\(c)", from: "G\(r)\(c)", to: "G\(r + 1)\(c)", bidirectional: true))
                }
            }
        }
        let stations = nodes.map { Station(id: "S" + $0.id.dropFirst(), node: $0.id, kind: .lineSide) }
        return try! SiteLayout(
            siteId: "grid", nodes: nodes, edges: edges, stations: stations,
            chargers: [Charger(id: "CH-1", node: "G00")])
    }()

    static let amr = RobotProfile(type: "AMR", capabilities: ["tow"], maxPayloadKg: 100, maxSpeed: 1.0)
    static let lifter = RobotProfile(type: "forklift", capabilities: ["lift"], maxPayloadKg: 500, maxSpeed: 1.0)

    static func candidate(_ n: Int, at node: NodeID, battery: Double = 90, profile: RobotProfile = amr)
        -> AllocationCandidate
    {
        AllocationCandidate(robot: Fixture.robot(n), profile: profile, startNode: node, batteryPercent: battery)
    }

    static func queued(_ request: TaskRequest, at seconds: Double = 0) -> TransportTask {
        var task = TransportTask(request: request, createdAt: t(seconds))
        try! task.queue(at: t(seconds))
        return task
    }

    static func task(
        _ id: TaskID, _ pick: StationID, _ drop: StationID, priority: TaskPriority = .normal,
        capabilities: Set<String> = [], deadline: FleetTime? = nil, at seconds: Double = 0
    ) -> TransportTask {
        queued(
            TaskRequest(
                id: id, pick: pick, drop: drop, requiredCapabilities: capabilities, priority: priority,
                deadline: deadline, requester: "test"),
            at: seconds)
    }

    static func context(
        _ layout: SiteLayout = line, fleet: [AllocationCandidate], busy: [BusyRobot] = [], reserve: Double = 10,
        now: Double = 0
    ) -> AllocationContext {
        var profiles = Dictionary(uniqueKeysWithValues: fleet.map { ($0.robot, $0.profile) })
        for robot in busy { profiles[robot.robot] = robot.profile }
        return AllocationContext(
            router: SiteRouter(layout: layout), fleet: profiles, batteryReserve: reserve, now: t(now), busy: busy)
    }

    /// `task id -> robot` of the assignments, and `task id -> reason` of the waits and rejections.
    static func summary(_ decisions: [AllocationDecision]) -> [TaskID: String] {
        var result: [TaskID: String] = [:]
        for decision in decisions {
            switch decision {
            case .assign(let task, let robot, _): result[task] = robot.serialNumber
            case .wait(let task, let error): result[task] = "wait: \(error)"
            case .reject(let task, let error): result[task] = "reject: \(error)"
            }
        }
        return result
    }
}

@Suite struct AllocationPolicyTests {
    @Test(arguments: AllocationPolicyKind.allCases)
    func everyTaskGetsExactlyOneDecision(kind: AllocationPolicyKind) {
        let robots = [PolicySite.candidate(1, at: "X0"), PolicySite.candidate(2, at: "X6")]
        let tasks = (0..<5).map { PolicySite.task(TaskID("T\($0)"), "S\($0)", "S\($0 + 1)", at: Double($0)) }
        let decisions = kind.makePolicy().allocate(
            queue: tasks, idle: robots, context: PolicySite.context(fleet: robots))
        #expect(decisions.map(\.task).sorted() == tasks.map(\.id).sorted())
        let assigned = decisions.compactMap { if case .assign(_, let robot, _) = $0 { robot } else { nil } }
        #expect(assigned.count == 2 && Set(assigned).count == 2)
    }

    /// Greedy hands the first task the robot nearest to it, although that strands the second task with the far
    /// robot; the optimal policy minimises the total; the market, with idle robots only, auctions task by task like
    /// greedy but on completion time.
    @Test(arguments: [
        (AllocationPolicyKind.greedy, ["T1": "AMR-1", "T2": "AMR-2"]),
        (.optimal, ["T1": "AMR-2", "T2": "AMR-1"]),
        (.market, ["T1": "AMR-1", "T2": "AMR-2"]),
    ])
    func whichRobotGetsWhichTask(kind: AllocationPolicyKind, expected: [TaskID: String]) {
        // R1 at X1, R2 at X4. T1 (first come) S2 -> S3, T2 S0 -> S1.
        // Greedy: T1 takes R1 (10 m) and T2 R2 (40 m): 50 m to the starts. Optimal: T1 R2 (20 m), T2 R1 (10 m).
        let robots = [PolicySite.candidate(1, at: "X1"), PolicySite.candidate(2, at: "X4")]
        let tasks = [PolicySite.task("T1", "S2", "S3", at: 0), PolicySite.task("T2", "S0", "S1", at: 1)]
        let decisions = kind.makePolicy().allocate(
            queue: tasks, idle: robots, context: PolicySite.context(fleet: robots))
        #expect(PolicySite.summary(decisions) == expected)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func higherPriorityGetsTheRobotFirst(kind: AllocationPolicyKind) {
        // One robot next to a normal task; an urgent task far away still gets it.
        let robots = [PolicySite.candidate(1, at: "X0")]
        let tasks = [
            PolicySite.task("near-normal", "S0", "S1", at: 0),
            PolicySite.task("far-urgent", "S6", "S5", priority: .urgent, at: 5),
        ]
        let decisions = kind.makePolicy().allocate(
            queue: tasks, idle: robots, context: PolicySite.context(fleet: robots))
        let summary = PolicySite.summary(decisions)
        #expect(summary["far-urgent"] == "AMR-1")
        let reason =
            kind == .market
            ? "wait: reserved for robot acme/AMR-1, free in ~70 s" : "wait: no capable robot is available"
        #expect(summary["near-normal"] == reason)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func lowerPriorityNeverTakesARobotAHigherOneCouldHave(kind: AllocationPolicyKind) {
        // The urgent task needs `lift`: only R2 has it. R2 is also the nearest robot for the normal task, which
        // arrived first; R1 can do the normal task from farther away.
        let robots = [
            PolicySite.candidate(1, at: "X6"), PolicySite.candidate(2, at: "X0", profile: PolicySite.lifter),
        ]
        let tasks = [
            PolicySite.task("normal", "S0", "S1", at: 0),
            PolicySite.task("urgent-lift", "S5", "S6", priority: .urgent, capabilities: ["lift"], at: 1),
        ]
        let decisions = kind.makePolicy().allocate(
            queue: tasks, idle: robots, context: PolicySite.context(fleet: robots))
        #expect(PolicySite.summary(decisions) == ["urgent-lift": "AMR-2", "normal": "AMR-1"])
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func batteryMustCoverTheTripAndTheWayToACharger(kind: AllocationPolicyKind) {
        let thirsty = RobotProfile(type: "AMR", maxPayloadKg: 100, maxSpeed: 1, batteryPercentPerMetre: 1)
        // From X1: 10 m to S0, 40 m to S4, then 20 m from X4 to the charger at Q: 70 % at 1 %/m, plus the 10 % reserve.
        let task = PolicySite.task("T1", "S0", "S4")
        for (battery, feasible) in [(75.0, false), (79.9, false), (80.0, true), (95.0, true)] {
            let robots = [PolicySite.candidate(1, at: "X1", battery: battery, profile: thirsty)]
            let decisions = kind.makePolicy().allocate(
                queue: [task], idle: robots, context: PolicySite.context(fleet: robots))
            if feasible {
                guard case .assign(_, _, let trip) = decisions.first else {
                    Issue.record("\(kind) at \(battery) %: expected an assignment, got \(decisions)")
                    continue
                }
                #expect(abs(trip.batteryAfter - (battery - 50)) < 1e-9)
                #expect(trip.toPick.nodes == ["X1", "X0"] && trip.toDrop.nodes == ["X0", "X1", "X2", "X3", "X4"])
            } else {
                #expect(decisions == [.wait("T1", .noRobotWithEnoughBattery)], "\(kind) at \(battery) %")
            }
        }
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func deadlinesWaitWhenLateAndRejectWhenImpossible(kind: AllocationPolicyKind) {
        // R1 at X6; S0 -> S2 takes 60 s to reach and 20 s of work at 1 m/s: it would finish at t = 80 s.
        let robots = [PolicySite.candidate(1, at: "X6")]
        let policy = kind.makePolicy()
        func decide(_ deadline: Double) -> [AllocationDecision] {
            policy.allocate(
                queue: [PolicySite.task("T1", "S0", "S2", deadline: t(deadline))], idle: robots,
                context: PolicySite.context(fleet: robots))
        }
        #expect(PolicySite.summary(decide(80)) == ["T1": "AMR-1"])
        #expect(decide(79) == [.wait("T1", .deadlineCannotBeMet)])
        #expect(decide(19) == [.reject("T1", .deadlineUnreachable)])
        #expect(AllocationError.deadlineCannotBeMet.description.hasPrefix("deadline cannot be met"))
        #expect(AllocationError.deadlineUnreachable.description.hasPrefix("deadline cannot be met"))
        #expect(!AllocationError.deadlineCannotBeMet.isPermanent && AllocationError.deadlineUnreachable.isPermanent)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func permanentProblemsAreRejectedTheRestWait(kind: AllocationPolicyKind) {
        let robots = [PolicySite.candidate(1, at: "X0")]
        let all = robots + [PolicySite.candidate(2, at: "X3", profile: PolicySite.lifter)]
        let tasks = [
            PolicySite.task("crane", "S0", "S1", capabilities: ["crane"]),
            PolicySite.queued(TaskRequest(id: "heavy", pick: "S0", drop: "S1", loadWeightKg: 900), at: 1),
            PolicySite.task("lift", "S0", "S1", capabilities: ["lift"], at: 2),
        ]
        // Only R1 is idle; the lifter is registered but busy elsewhere (not bidding: no busy list here).
        let decisions = kind.makePolicy().allocate(queue: tasks, idle: robots, context: PolicySite.context(fleet: all))
        #expect(
            PolicySite.summary(decisions) == [
                "crane": "reject: no robot with capability 'crane'", "heavy": "reject: no robot can carry 900.0 kg",
                "lift": "wait: no capable robot is available",
            ])
    }

    @Test func marketReservesATaskForABusyRobotThatFinishesSooner() {
        // R1 idle at X6 would finish S0 -> S2 at 60 + 20 = 80 s. R2 ends its order at X1 in 5 s: 5 + 10 + 20 = 35 s.
        let idle = [PolicySite.candidate(1, at: "X6")]
        let soon = BusyRobot(
            robot: Fixture.robot(2), profile: PolicySite.amr, endNode: "X1", secondsUntilFree: 5, batteryPercent: 80)
        let task = PolicySite.task("T1", "S0", "S2")
        let market = MarketPolicy()
        let reserved = market.allocate(
            queue: [task], idle: idle, context: PolicySite.context(fleet: idle, busy: [soon]))
        #expect(reserved == [.wait("T1", .reservedFor(Fixture.robot(2), freeInSeconds: 5))])
        #expect(
            AllocationError.reservedFor(Fixture.robot(2), freeInSeconds: 4.2).description
                == "reserved for robot acme/AMR-2, free in ~5 s")
        // Free only in 100 s: the idle robot is sooner and is assigned now.
        var late = soon
        late.secondsUntilFree = 100
        let assigned = market.allocate(
            queue: [task], idle: idle, context: PolicySite.context(fleet: idle, busy: [late]))
        #expect(PolicySite.summary(assigned) == ["T1": "AMR-1"])
        // Greedy and optimal ignore busy robots.
        for policy in [NearestRobotPolicy(), OptimalBatchPolicy()] as [any AllocationPolicy] {
            let decisions = policy.allocate(
                queue: [task], idle: idle, context: PolicySite.context(fleet: idle, busy: [soon]))
            #expect(PolicySite.summary(decisions) == ["T1": "AMR-1"])
        }
    }

    @Test func marketQueuesSeveralTasksBehindOneRobotByCompletionTime() {
        // One idle robot at X0 and three tasks next to it: it takes the first now, the others are reserved for it
        // behind that one (a robot farther away would finish later).
        let robots = [PolicySite.candidate(1, at: "X0"), PolicySite.candidate(2, at: "X6")]
        let tasks = [
            PolicySite.task("T1", "S0", "S1", at: 0), PolicySite.task("T2", "S1", "S0", at: 1),
            PolicySite.task("T3", "S5", "S6", at: 2),
        ]
        let decisions = MarketPolicy().allocate(
            queue: tasks, idle: robots, context: PolicySite.context(fleet: robots))
        #expect(
            PolicySite.summary(decisions) == [
                "T1": "AMR-1", "T2": "wait: reserved for robot acme/AMR-1, free in ~10 s", "T3": "AMR-2",
            ])
    }

    @Test func optimalLeavesOutTasksAndRobotsWithoutAFeasiblePartner() {
        // T-lift has no idle lifter, R3 has too little battery for anything: neither may make the solve infeasible.
        let thirsty = RobotProfile(type: "AMR", maxPayloadKg: 100, maxSpeed: 1, batteryPercentPerMetre: 5)
        let robots = [
            PolicySite.candidate(1, at: "X0"), PolicySite.candidate(2, at: "X6"),
            PolicySite.candidate(3, at: "X3", battery: 30, profile: thirsty),
        ]
        let all = robots + [PolicySite.candidate(4, at: "X3", profile: PolicySite.lifter)]
        let tasks = [
            PolicySite.task("T-lift", "S3", "S4", capabilities: ["lift"], at: 0),
            PolicySite.task("T1", "S1", "S2", at: 1), PolicySite.task("T2", "S5", "S6", at: 2),
            PolicySite.task("T3", "S3", "S2", at: 3),
        ]
        let decisions = OptimalBatchPolicy().allocate(
            queue: tasks, idle: robots, context: PolicySite.context(fleet: all))
        let summary = PolicySite.summary(decisions)
        #expect(summary["T-lift"] == "wait: no capable robot is available")
        #expect(summary["T1"] == "AMR-1" && summary["T2"] == "AMR-2")
        #expect(summary["T3"] == "wait: no capable robot is available")
    }

    @Test func policyKindsMakeTheirPolicies() {
        #expect(AllocationPolicyKind.greedy.makePolicy() is NearestRobotPolicy)
        #expect(AllocationPolicyKind.optimal.makePolicy() is OptimalBatchPolicy)
        #expect(AllocationPolicyKind.market.makePolicy() is MarketPolicy)
        #expect(!NearestRobotPolicy().isRateLimited && OptimalBatchPolicy().isRateLimited)
        #expect(MarketPolicy().isRateLimited)
        #expect(CoordinatorConfiguration().allocationPolicy == .greedy)
        #expect(CoordinatorConfiguration().allocationMinimumInterval == 0.5)
    }
}

/// The coordinator running each policy: the bounded solve rate and the market's reservations.
@Suite struct AllocationCoordinatorTests {
    static let r1 = Fixture.robot(1)
    static let r2 = Fixture.robot(2)

    static func coordinator(_ kind: AllocationPolicyKind, interval: Double = 0.5) -> Coordinator {
        let configuration = CoordinatorConfiguration(
            positionSampleInterval: nil, allocationPolicy: kind, allocationMinimumInterval: interval)
        return Coordinator(layout: PolicySite.line, configuration: configuration, policy: kind.makePolicy())
    }

    static func at(_ node: NodeID, order: OrderProgress? = nil) -> RobotObservation {
        RobotObservation(
            position: PolicySite.line.node(node)!.position, mapId: "m", lastNodeId: node, batteryPercent: 90,
            order: order)
    }

    static func allocationTimers(_ out: [Directive]) -> [FleetTime] {
        out.timers.filter { $0.0 == .allocation }.map(\.1)
    }

    /// Robot 1 idle at `first`, robot 2 at `second`, any allocation timer of the set-up fired.
    static func ready(_ kind: AllocationPolicyKind, _ first: NodeID, _ second: NodeID, interval: Double = 0.5)
        -> Coordinator
    {
        var c = coordinator(kind, interval: interval)
        for (robot, node) in [(r1, first), (r2, second)] {
            _ = c.handle(.robotRegistered(robot, PolicySite.amr), now: t(0))
            _ = c.handle(.robotObserved(robot, at(node)), now: t(0))
        }
        _ = c.handle(.timerFired(.allocation), now: t(0.5))
        return c
    }

    @Test(arguments: [AllocationPolicyKind.optimal, .market])
    func aBurstOfEventsIsSolvedOnceAtTheEndOfTheInterval(kind: AllocationPolicyKind) {
        var c = Self.ready(kind, "X1", "X4")
        let first = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "S2", drop: "S3")), now: t(1))
        #expect(Self.allocationTimers(first) == [t(1.5)])
        #expect(first.dispatches.isEmpty && c.tasks["T1"]?.state == .queued)
        let second = c.handle(.taskRequested(TaskRequest(id: "T2", pick: "S0", drop: "S1")), now: t(1.2))
        let third = c.handle(.robotObserved(Self.r1, Self.at("X1")), now: t(1.4))
        #expect(Self.allocationTimers(second + third).isEmpty)
        #expect((second + third).dispatches.isEmpty)

        let solved = c.handle(.timerFired(.allocation), now: t(1.5))
        let assigned = Dictionary(uniqueKeysWithValues: solved.dispatches.map { ($0.1.taskId, $0.0) })
        if kind == .optimal {
            #expect(assigned == ["T1": Self.r2, "T2": Self.r1])
        } else {
            #expect(assigned == ["T1": Self.r1, "T2": Self.r2])
        }
        #expect(Self.allocationTimers(solved).isEmpty)
        #expect(solved.journalBeforeEffects)

        // The next event starts the next interval.
        let later = c.handle(.taskRequested(TaskRequest(id: "T3", pick: "S5", drop: "S6")), now: t(4))
        #expect(Self.allocationTimers(later) == [t(4.5)])
    }

    @Test func greedyRunsAfterEveryEventWithoutATimer() {
        var c = Self.ready(.greedy, "X1", "X4")
        let out = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "S2", drop: "S3")), now: t(1))
        #expect(Self.allocationTimers(out).isEmpty)
        #expect(out.dispatches.map(\.0) == [Self.r1])
    }

    @Test func aZeroIntervalRunsBatchPoliciesAfterEveryEvent() {
        var c = Self.ready(.optimal, "X1", "X4", interval: 0)
        let out = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "S2", drop: "S3")), now: t(1))
        #expect(Self.allocationTimers(out).isEmpty)
        #expect(out.dispatches.map(\.0) == [Self.r1])
    }

    @Test func marketReservesForTheBusyRobotAndAssignsWhenItIsFree() {
        var c = Self.ready(.market, "X0", "X6", interval: 0)
        let first = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "S0", drop: "S2")), now: t(1))
        guard let (robot, plan) = first.dispatches.first else {
            Issue.record("T1 was not dispatched: \(first)")
            return
        }
        #expect(robot == Self.r1)
        _ = c.handle(.robotObserved(Self.r1, Self.at("X0", order: progress(plan, passed: 1))), now: t(2))
        #expect(c.tasks["T1"]?.state == .inProgress)

        // R1 ends T1 at X2 in ~20 s, then 10 s of work: 30 s. R2 idle at X6: 40 s to S2, then 10 s: 50 s.
        let second = c.handle(.taskRequested(TaskRequest(id: "T2", pick: "S2", drop: "S3")), now: t(3))
        #expect(second.dispatches.isEmpty)
        let status = second.compactMap { if case .publishTaskStatus("T2", let s) = $0 { s } else { nil } }.last
        #expect(status?.state == .queued)
        #expect(status?.reason == "reserved for robot acme/AMR-1, free in ~20 s")

        let done = c.handle(
            .robotObserved(Self.r1, Self.at("X2", order: progress(plan, passed: 3, pick: .finished, drop: .finished))),
            now: t(25))
        #expect(c.tasks["T1"]?.state == .completed)
        #expect(done.dispatches.map { "\($0.0.serialNumber) \($0.1.taskId)" } == ["AMR-1 T2"])
    }

    @Test func marketMovesAReservationWhenTheBusyRobotIsLost() {
        var c = Self.ready(.market, "X0", "X6", interval: 0)
        let first = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "S0", drop: "S2")), now: t(1))
        let plan = first.dispatches[0].1
        _ = c.handle(.robotObserved(Self.r1, Self.at("X0", order: progress(plan, passed: 1))), now: t(2))
        _ = c.handle(.taskRequested(TaskRequest(id: "T2", pick: "S2", drop: "S3")), now: t(3))
        #expect(c.tasks["T2"]?.state == .queued)
        // R1 drops off the network: T1 goes back to the queue and both tasks go to R2 now or later.
        let lost = c.handle(.robotConnection(Self.r1, .connectionBroken), now: t(4))
        #expect(lost.dispatches.map(\.0) == [Self.r2])
        #expect(c.busy[Self.r1] == nil)
        let reasons = lost.compactMap { if case .publishTaskStatus(_, let s) = $0 { s.reason } else { nil } }
        #expect(reasons.contains { $0.hasPrefix("reserved for robot acme/AMR-2") })
    }
}
