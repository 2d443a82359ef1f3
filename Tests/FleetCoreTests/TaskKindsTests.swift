import FleetCore
import Foundation
import Testing

/// Task kinds beyond transport, charging, emergencies with preemption, confirmations, dependencies and
/// coalitions, each driven through the pure coordinator with a manual clock.
@Suite struct TaskKindsTests {
    /// ```
    /// A(0,0) - B(10,0) - C(20,0) - D(30,0) - F(40,0)
    ///            |                   |
    ///          E(10,10)            G(30,10)
    /// ```
    /// Stations: PICK at A, DROP at D, SIDE at E, FAR at F, MEET at C. Charger CH (capacity 1) at G.
    /// Zone HALL: nodes C, D, F, G.
    static let layout: SiteLayout = try! SiteLayout(
        siteId: "kinds",
        nodes: [
            SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "C", x: 20, y: 0, mapId: "m"), SiteNode(id: "D", x: 30, y: 0, mapId: "m"),
            SiteNode(id: "E", x: 10, y: 10, mapId: "m"), SiteNode(id: "F", x: 40, y: 0, mapId: "m"),
            SiteNode(id: "G", x: 30, y: 10, mapId: "m"),
        ],
        edges: [
            EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true),
            EdgeSpec(id: "BC", from: "B", to: "C", bidirectional: true),
            EdgeSpec(id: "CD", from: "C", to: "D", bidirectional: true),
            EdgeSpec(id: "DF", from: "D", to: "F", bidirectional: true),
            EdgeSpec(id: "BE", from: "B", to: "E", bidirectional: true),
            EdgeSpec(id: "DG", from: "D", to: "G", bidirectional: true),
        ],
        stations: [
            Station(id: "PICK", node: "A", kind: .pick), Station(id: "DROP", node: "D", kind: .drop),
            Station(id: "SIDE", node: "E", kind: .lineSide), Station(id: "FAR", node: "F", kind: .storage),
            Station(id: "MEET", node: "C", kind: .lineSide),
        ],
        chargers: [Charger(id: "CH", node: "G", capacity: 1)],
        zones: [Zone(id: "HALL", kind: .humanWork, area: .nodes(["C", "D", "F", "G"]))])

    static let config = CoordinatorConfiguration(
        stateTimeout: 1000, dispatchAcknowledgementTimeout: 5, maxDispatchSends: 2, maxFailedAttempts: 2,
        positionSampleInterval: nil, allocationMinimumInterval: 0, chargeBelow: 30, chargeUntil: 80,
        confirmationTimeout: 60)
    static let amr = RobotProfile(type: "AMR", capabilities: ["tow"], maxPayloadKg: 100, maxSpeed: 1.0)

    static func robot(_ n: Int) -> RobotID { RobotID(manufacturer: "acme", serialNumber: "AMR-\(n)") }

    static func at(_ node: NodeID, battery: Double = 90, order: OrderProgress? = nil, charging: Bool = false)
        -> RobotObservation
    {
        RobotObservation(
            position: layout.node(node)!.position, mapId: "m", lastNodeId: node, batteryPercent: battery,
            charging: charging, order: order)
    }

    /// A coordinator with robots 1...n idle at the given nodes, allocating with `policy`.
    static func coordinator(
        _ nodes: [NodeID], battery: Double = 90, policy: AllocationPolicyKind = .greedy
    ) -> Coordinator {
        var c = Coordinator(layout: layout, configuration: config, policy: policy.makePolicy())
        for (i, node) in nodes.enumerated() {
            _ = c.handle(.robotRegistered(robot(i + 1), amr), now: t(0))
            _ = c.handle(.robotObserved(robot(i + 1), at(node, battery: battery)), now: t(0))
        }
        return c
    }

    /// The robot's report that it ran `plan` to the end with every action finished.
    static func finished(_ plan: DispatchPlan, at node: NodeID, battery: Double = 85) -> RobotObservation {
        var actions: [String: ActionProgress] = [:]
        for action in plan.actions { actions[action.actionId] = ActionProgress(.finished) }
        let order = OrderProgress(
            orderId: plan.orderId, orderUpdateId: plan.orderUpdateId,
            lastNodeSequenceId: plan.nodes.last!.sequenceId, remainingNodeCount: 0, actions: actions)
        return at(node, battery: battery, order: order)
    }

    /// The robot's report that it accepted `plan` and stands at its first node.
    static func accepted(_ plan: DispatchPlan, at node: NodeID) -> RobotObservation {
        var actions: [String: ActionProgress] = [:]
        for action in plan.actions { actions[action.actionId] = ActionProgress(.waiting) }
        var observation = at(
            node,
            order: OrderProgress(
                orderId: plan.orderId, orderUpdateId: plan.orderUpdateId,
                lastNodeSequenceId: plan.nodes[0].sequenceId, remainingNodeCount: plan.nodes.count - 1,
                actions: actions))
        observation.driving = true
        return observation
    }

    // MARK: Validation

    @Test(arguments: [
        (TaskRequest(id: "P", kind: .patrol), "a patrol needs at least one waypoint station"),
        (TaskRequest(id: "X", kind: .assist, stops: ["MEET", "SIDE"]), "a assist task needs exactly one station"),
        (TaskRequest(id: "K", kind: .cooperativeCarry, stops: ["PICK", "DROP"], robots: 1), "at least 2 robots"),
        (TaskRequest(id: "V", kind: .coverage, zone: "NOPE"), "unknown zone 'NOPE'"),
        (TaskRequest(id: "E", kind: .emergency, stops: ["MEET"]), "an emergency task has priority emergency"),
        (TaskRequest(id: "R", kind: .transport, stops: ["PICK", "DROP"], repeatEvery: 60), "only a patrol can repeat"),
        (TaskRequest(id: "S", kind: .patrol, stops: ["MEET"], after: ["S"]), "cannot wait for itself"),
        (TaskRequest(id: "T", kind: .transport, stops: ["PICK", "DROP"], robots: 2), "takes exactly 1 robot"),
    ])
    func invalidRequestsSayWhy(request: TaskRequest, expected: String) {
        let problem = request.problem(in: Self.layout)
        #expect(problem?.contains(expected) == true, "\(problem ?? "nil")")
    }

    @Test func chargeTasksComeOnlyFromTheCoordinatorAndDependenciesMustExist() {
        var c = Self.coordinator(["B"])
        let charge = c.handle(.taskRequested(TaskRequest(id: "C1", kind: .charge, requester: "op")), now: t(1))
        #expect(charge.rejections.first?.contains("created by the coordinator") == true)
        let orphan = c.handle(
            .taskRequested(TaskRequest(id: "P1", kind: .patrol, stops: ["FAR"], after: ["NOPE"])), now: t(1))
        #expect(orphan.rejections == ["unknown task 'NOPE' in 'after'"])
    }

    @Test func everyKindRoundTripsThroughTheJournalForm() throws {
        let requests = [
            TaskRequest(
                id: "P", kind: .patrol, stops: ["MEET", "FAR"], priority: .low, earliestStart: t(5), after: ["Q"],
                repeatEvery: 600, requester: "plan"),
            TaskRequest(id: "H", kind: .handover, stops: ["MEET"], person: "nurse-1", loadType: "tray"),
            TaskRequest(id: "K", kind: .cooperativeCarry, stops: ["PICK", "DROP"], robots: 2, loadWeightKg: 150),
            TaskRequest(id: "V", kind: .coverage, zone: "HALL", robots: 2),
            TaskRequest(id: "E", kind: .emergency, stops: ["SIDE"], priority: .emergency, deadline: t(60)),
        ]
        for request in requests {
            let record = JournalRecord(time: t(1), event: .created(request))
            let data = try JSONEncoder().encode(record)
            #expect(try JSONDecoder().decode(JournalRecord.self, from: data) == record)
        }
        let waiting = JournalRecord(time: t(2), event: .waiting(task: "P", reason: "waits for task 'Q' to complete"))
        #expect(try JSONDecoder().decode(JournalRecord.self, from: JSONEncoder().encode(waiting)) == waiting)
        // A record written before kinds existed reads as a transport.
        let old =
            #"{"t":1,"kind":"created","task_id":"T9","type":"transport","origin":"PICK","destination":"DROP","#
            + #""priority":"high","requester":"mes","capabilities":[]}"#
        let decoded = try JSONDecoder().decode(JournalRecord.self, from: Data(old.utf8))
        guard case .created(let request) = decoded.event else {
            Issue.record("not a created record")
            return
        }
        #expect(request.kind == .transport && request.pick == "PICK" && request.drop == "DROP")
    }

    // MARK: Patrol, earliest start, dependencies, recurrence

    @Test(arguments: AllocationPolicyKind.allCases)
    func patrolVisitsItsWaypointsInOrderAndRecurs(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["A"], policy: policy)
        let request = TaskRequest(id: "NP", kind: .patrol, stops: ["SIDE", "FAR"], repeatEvery: 600, requester: "t")
        let out = c.handle(.taskRequested(request), now: t(1))
        let plan = try #require(out.dispatches.first?.1)
        #expect(plan.nodes.map(\.nodeId) == ["A", "B", "E", "B", "C", "D", "F"])
        #expect(plan.actions.isEmpty)
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "A")), now: t(2))
        let done = c.handle(.robotObserved(Self.robot(1), Self.finished(plan, at: "F")), now: t(60))
        #expect(c.tasks["NP"]?.state == .completed)
        // The next round exists, due 600 s after the first round's start, and waits until then.
        let next = try #require(c.tasks["NP-r2"])
        #expect(next.request.earliestStart == t(601) && next.state == .queued)
        #expect(done.timers.contains { $0.0 == .taskReady("NP-r2") && $0.1 == t(601) })
        let ready = c.handle(.timerFired(.taskReady("NP-r2")), now: t(601))
        #expect(ready.dispatches.first?.1.taskId == "NP-r2")
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func dependentTaskWaitsThenFailsWithItsDependency(policy: AllocationPolicyKind) {
        var c = Self.coordinator(["A"], policy: policy)
        _ = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "DROP")), now: t(1))
        let second = c.handle(
            .taskRequested(TaskRequest(id: "T2", kind: .patrol, stops: ["FAR"], after: ["T1"])), now: t(2))
        #expect(second.dispatches.isEmpty)
        #expect(c.tasks["T2"]?.state == .queued)
        // The status says what it waits for.
        let statuses = second.compactMap { d -> String? in
            if case .publishTaskStatus("T2", let status) = d { return status.reason } else { return nil }
        }
        #expect(statuses.contains("waits for task 'T1' to complete"))
        #expect(second.records.map(\.event).contains(.waiting(task: "T2", reason: "waits for task 'T1' to complete")))
        let cancel = c.handle(.taskCancelRequested("T1", .operatorRequest, detail: "not needed"), now: t(3))
        #expect(c.tasks["T2"]?.state == .failed)
        #expect(c.tasks["T2"]?.history.last?.detail == "task 'T1' it depends on ended cancelled")
        #expect(cancel.journalKinds.contains("failed"))
    }

    // MARK: Confirmations

    @Test(arguments: AllocationPolicyKind.allCases)
    func assistCompletesOnlyWhenThePersonConfirms(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["B"], policy: policy)
        let request = TaskRequest(id: "AS", kind: .assist, stops: ["MEET"], person: "carer-2", requester: "bell")
        let plan = try #require(c.handle(.taskRequested(request), now: t(1)).dispatches.first?.1)
        #expect(plan.actions.map(\.kind) == [.assist] && plan.actions[0].person == "carer-2")
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "B")), now: t(2))
        let arrived = c.handle(.robotObserved(Self.robot(1), Self.finished(plan, at: "C")), now: t(20))
        #expect(
            arrived.records.map(\.event).contains(
                .phase(task: "AS", robot: Self.robot(1), phase: "awaiting_confirmation")))
        #expect(arrived.timers.contains { $0.0 == .confirmationTimeout("AS") && $0.1 == t(80) })
        #expect(c.tasks["AS"]?.state == .inProgress)
        let wrong = c.handle(.taskConfirmed("AS", person: "visitor"), now: t(25))
        #expect(wrong.rejections == ["task 'AS' must be confirmed by carer-2, not visitor"])
        let ok = c.handle(.taskConfirmed("AS", person: "carer-2"), now: t(30))
        #expect(ok.journalKinds == ["human_ack", "completed"])
        #expect(c.tasks["AS"]?.state == .completed && c.busy.isEmpty)
        #expect(c.handle(.timerFired(.confirmationTimeout("AS")), now: t(80)).isEmpty)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func handoverWithoutConfirmationTimesOut(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["B"], policy: policy)
        let request = TaskRequest(id: "HO", kind: .handover, stops: ["MEET"], requester: "mes")
        let plan = try #require(c.handle(.taskRequested(request), now: t(1)).dispatches.first?.1)
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "B")), now: t(2))
        let arrived = c.handle(.robotObserved(Self.robot(1), Self.finished(plan, at: "C")), now: t(20))
        #expect(
            arrived.records.map(\.event).contains(.phase(task: "HO", robot: Self.robot(1), phase: "handover_start")))
        let timeout = c.handle(.timerFired(.confirmationTimeout("HO")), now: t(80))
        #expect(timeout.journalKinds == ["failed"])
        #expect(c.tasks["HO"]?.history.last?.reason == "timeout")
        #expect(c.tasks["HO"]?.history.last?.detail == "no confirmation from a person within 60.0 s")
        #expect(c.isCandidate(Self.robot(1), now: t(80)))
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func confirmationBeforeArrivalCompletesOnArrival(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["B"], policy: policy)
        let request = TaskRequest(id: "HO", kind: .handover, stops: ["MEET"], requester: "mes")
        let plan = try #require(c.handle(.taskRequested(request), now: t(1)).dispatches.first?.1)
        #expect(c.handle(.taskConfirmed("HO", person: "worker-7"), now: t(3)).journalKinds == ["human_ack"])
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "B")), now: t(4))
        let arrived = c.handle(.robotObserved(Self.robot(1), Self.finished(plan, at: "C")), now: t(20))
        #expect(arrived.journalKinds == ["phase", "phase", "completed"])
        #expect(arrived.records.map(\.event).contains(.phase(task: "HO", robot: Self.robot(1), phase: "handover_end")))
    }

    // MARK: Charging

    @Test(arguments: AllocationPolicyKind.allCases)
    func lowRobotGoesToTheFreeChargerAndWorksAgainWhenCharged(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["B", "D"], battery: 90, policy: policy)
        // Robot 1 drops under the threshold: a charge task to CH, created and assigned by the coordinator.
        let low = c.handle(.robotObserved(Self.robot(1), Self.at("B", battery: 25)), now: t(1))
        let (robot, plan) = try #require(low.dispatches.first)
        #expect(robot == Self.robot(1) && plan.taskId == "charge-AMR-1-1")
        #expect(plan.nodes.last?.nodeId == "G" && plan.actions.map(\.kind) == [.startCharging])
        #expect(c.tasks["charge-AMR-1-1"]?.request.kind == .charge)
        // Robot 2 is too low to work, but the only charger place is taken: it stays put.
        let second = c.handle(.robotObserved(Self.robot(2), Self.at("D", battery: 15)), now: t(2))
        #expect(second.dispatches.isEmpty)
        // Robot 1 arrives and charges: its task completes, it takes no work below 80 %.
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "B")), now: t(3))
        var charging = Self.finished(plan, at: "G", battery: 26)
        charging.charging = true
        _ = c.handle(.robotObserved(Self.robot(1), charging), now: t(30))
        #expect(c.tasks["charge-AMR-1-1"]?.state == .completed)
        #expect(!c.isCandidate(Self.robot(1), now: t(30)))
        let work = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "DROP")), now: t(31))
        #expect(work.dispatches.isEmpty)
        // Charged: the charger is free, robot 2 is sent there and robot 1 takes the waiting transport.
        charging.batteryPercent = 81
        let full = c.handle(.robotObserved(Self.robot(1), charging), now: t(500))
        #expect(Set(full.dispatches.map(\.1.taskId)) == ["T1", "charge-AMR-2-1"])
    }

    // MARK: Emergencies

    @Test(arguments: AllocationPolicyKind.allCases)
    func emergencyInterruptsTheNearestBusyRobotAndRequeuesItsTask(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["E", "F"], policy: policy)
        _ = c.handle(.taskRequested(TaskRequest(id: "P1", kind: .patrol, stops: ["SIDE", "PICK"])), now: t(1))
        _ = c.handle(.taskRequested(TaskRequest(id: "P2", kind: .patrol, stops: ["FAR", "DROP"])), now: t(1))
        #expect(c.busy.count == 2)
        let p2 = try #require(c.inFlight["P2"]?.plan)
        _ = c.handle(.robotObserved(Self.robot(2), Self.accepted(p2, at: "F")), now: t(2))
        let emergency = TaskRequest(
            id: "EM", kind: .emergency, stops: ["FAR"], priority: .emergency, requester: "fall-sensor")
        let out = c.handle(.taskRequested(emergency), now: t(3))
        // Robot 2 (at F) is nearest to FAR: its order is cancelled, P2 re-queued with its progress.
        #expect(out.cancels == [p2.orderId])
        #expect(c.tasks["P2"]?.state == .queued)
        let requeued = out.records.compactMap { r -> String? in
            if case .requeued("P2", _, .preempted, let detail) = r.event { detail } else { nil }
        }
        #expect(requeued.first?.contains("taken for emergency task 'EM'; progress: ") == true)
        #expect(!c.isCandidate(Self.robot(2), now: t(3)))
        // The robot reports the cancelled order; it gets the emergency, nobody else does.
        var stopped = Self.at(
            "F",
            order: OrderProgress(
                orderId: p2.orderId, orderUpdateId: 0, lastNodeSequenceId: 0,
                remainingNodeCount: 0, actions: [:]))
        stopped.driving = false
        let next = c.handle(.robotObserved(Self.robot(2), stopped), now: t(4))
        #expect(next.dispatches.map(\.1.taskId).first == "EM")
        #expect(c.busy[Self.robot(2)] == "EM" && c.busy[Self.robot(1)] == "P1")
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func emergencyTakesAnIdleRobotWithoutPreempting(policy: AllocationPolicyKind) {
        var c = Self.coordinator(["E", "F"], policy: policy)
        _ = c.handle(.taskRequested(TaskRequest(id: "P1", kind: .patrol, stops: ["SIDE", "PICK"])), now: t(1))
        let emergency = TaskRequest(id: "EM", kind: .emergency, stops: ["MEET"], priority: .emergency)
        let out = c.handle(.taskRequested(emergency), now: t(2))
        #expect(out.cancels.isEmpty)
        #expect(out.dispatches.map(\.1.taskId) == ["EM"])
    }

    // MARK: Per-robot limits

    @Test(arguments: AllocationPolicyKind.allCases)
    func robotsTakeOnlyTheirKindsAndEnterOnlyTheirZones(policy: AllocationPolicyKind) throws {
        // Robot 1 (at E) only patrols and may not enter HALL; robot 2 (at A) takes everything.
        var c = Coordinator(layout: Self.layout, configuration: Self.config, policy: policy.makePolicy())
        let sweeper = RobotProfile(
            type: "sweeper", maxPayloadKg: 0, maxSpeed: 1, allowedZones: [], taskKinds: [.patrol])
        _ = c.handle(.robotRegistered(Self.robot(1), sweeper), now: t(0))
        _ = c.handle(.robotObserved(Self.robot(1), Self.at("E")), now: t(0))
        _ = c.handle(.robotRegistered(Self.robot(2), Self.amr), now: t(0))
        _ = c.handle(.robotObserved(Self.robot(2), Self.at("A")), now: t(0))
        // A transport from E: the sweeper is nearer but does not take transports.
        let transport = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "SIDE", drop: "PICK")), now: t(1))
        #expect(transport.dispatches.map(\.0) == [Self.robot(2)])
        // A patrol inside HALL (FAR is at F): the sweeper may not enter HALL, so it waits for robot 2.
        let hall = c.handle(.taskRequested(TaskRequest(id: "P1", kind: .patrol, stops: ["FAR"])), now: t(2))
        #expect(hall.dispatches.isEmpty && c.tasks["P1"]?.state == .queued)
        // A patrol outside HALL goes to the sweeper.
        let side = c.handle(.taskRequested(TaskRequest(id: "P2", kind: .patrol, stops: ["PICK", "SIDE"])), now: t(3))
        #expect(side.dispatches.map(\.0) == [Self.robot(1)])
    }

    @Test func aTaskNoRobotIsAllowedToDoIsRejectedWithTheReason() {
        var c = Coordinator(layout: Self.layout, configuration: Self.config)
        let confined = RobotProfile(
            type: "AMR", maxPayloadKg: 50, maxSpeed: 1, allowedZones: [], taskKinds: [.transport])
        _ = c.handle(.robotRegistered(Self.robot(1), confined), now: t(0))
        _ = c.handle(.robotObserved(Self.robot(1), Self.at("B")), now: t(0))
        _ = c.handle(.taskRequested(TaskRequest(id: "P1", kind: .patrol, stops: ["SIDE"])), now: t(1))
        #expect(c.tasks["P1"]?.state == .failed)
        #expect(c.tasks["P1"]?.history.last?.detail == "no robot takes patrol tasks")
        _ = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "FAR")), now: t(2))
        #expect(c.tasks["T1"]?.state == .failed)
        #expect(c.tasks["T1"]?.history.last?.detail == "no robot that can do the task may enter zone(s) HALL")
    }

    // MARK: Coalitions

    @Test(arguments: AllocationPolicyKind.allCases)
    func cooperativeCarryGathersThenReleasesTheDropLegInStep(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["B", "E", "F"], policy: policy)
        let carry = TaskRequest(
            id: "K1", kind: .cooperativeCarry, stops: ["PICK", "DROP"], robots: 2, loadWeightKg: 180,
            requiredCapabilities: ["tow"], requester: "mes")
        let out = c.handle(.taskRequested(carry), now: t(1))
        // The two nearest robots (at B and E) form the coalition; each drives to PICK and picks there.
        #expect(Set(out.dispatches.map(\.0)) == [Self.robot(1), Self.robot(2)])
        #expect(out.dispatches.allSatisfy { $0.1.nodes.last?.nodeId == "A" && $0.1.actions.map(\.kind) == [.pick] })
        #expect(out.journalKinds.filter { $0 == "assigned" }.count == 1)
        let coalition = try #require(c.coalitions["K1"])
        #expect(coalition.members == [Self.robot(1), Self.robot(2)] && coalition.phase == .gathering)
        let plans = Dictionary(uniqueKeysWithValues: out.dispatches.map { ($0.0, $0.1) })
        // One arrives: nothing moves on.
        let running = c.handle(
            .robotObserved(Self.robot(1), Self.accepted(plans[Self.robot(1)]!, at: "B")), now: t(2))
        #expect(running.cancels.isEmpty, "a member running its coalition order is not a stale order")
        #expect(running.journalKinds == ["started"])
        let first = c.handle(.robotObserved(Self.robot(1), Self.finished(plans[Self.robot(1)]!, at: "A")), now: t(15))
        #expect(first.dispatches.isEmpty)
        #expect(first.records.map(\.event) == [.phase(task: "K1", robot: Self.robot(1), phase: "arrived")])
        // The second arrives: both get the drop leg as an order update, in the same step.
        let second = c.handle(.robotObserved(Self.robot(2), Self.finished(plans[Self.robot(2)]!, at: "A")), now: t(25))
        #expect(second.dispatches.count == 2)
        for (robot, update) in second.dispatches {
            let before = plans[robot]!
            #expect(update.orderId == before.orderId && update.orderUpdateId == 1)
            #expect(
                update.nodes.first?.nodeId == "A" && update.nodes.first?.sequenceId == before.nodes.last?.sequenceId)
            #expect(update.nodes.last?.nodeId == "D" && update.actions.map(\.kind) == [.drop])
        }
        #expect(c.coalitions["K1"]?.phase == .moving)
        let updates = Dictionary(uniqueKeysWithValues: second.dispatches.map { ($0.0, $0.1) })
        _ = c.handle(.robotObserved(Self.robot(1), Self.finished(updates[Self.robot(1)]!, at: "D")), now: t(60))
        #expect(c.tasks["K1"]?.state == .inProgress)
        let done = c.handle(.robotObserved(Self.robot(2), Self.finished(updates[Self.robot(2)]!, at: "D")), now: t(61))
        #expect(done.journalKinds.contains("completed"))
        #expect(c.tasks["K1"]?.state == .completed && c.busy.isEmpty)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func coalitionHoldsFreeRobotsUntilEnoughAndLosesAMemberSafely(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator(["B", "F"], policy: policy)
        _ = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "DROP")), now: t(1))
        #expect(c.busy[Self.robot(1)] == "T1")
        let carry = TaskRequest(id: "K1", kind: .cooperativeCarry, stops: ["PICK", "DROP"], robots: 2)
        let out = c.handle(.taskRequested(carry), now: t(2))
        #expect(out.dispatches.isEmpty)
        // Robot 2 is held for the coalition: a new single task does not take it.
        let single = c.handle(.taskRequested(TaskRequest(id: "T2", pick: "SIDE", drop: "FAR")), now: t(3))
        #expect(single.dispatches.isEmpty && c.tasks["T2"]?.state == .queued)
        // Robot 1 finishes T1: the coalition forms.
        let t1 = try #require(c.inFlight["T1"]?.plan)
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(t1, at: "B")), now: t(4))
        let formed = c.handle(.robotObserved(Self.robot(1), Self.finished(t1, at: "D")), now: t(50))
        #expect(Set(formed.dispatches.filter { $0.1.taskId == "K1" }.map(\.0)) == [Self.robot(1), Self.robot(2)])
        // A member drops out while gathering: every member's order is cancelled and the task is re-queued.
        let lost = c.handle(.robotConnection(Self.robot(2), .connectionBroken), now: t(55))
        #expect(lost.cancels.count == 2)
        #expect(c.tasks["K1"]?.state == .queued && c.coalitions["K1"] == nil)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func carryNeedingMoreRobotsThanTheFleetHasFails(policy: AllocationPolicyKind) {
        var c = Self.coordinator(["B"], policy: policy)
        let carry = TaskRequest(id: "K1", kind: .cooperativeCarry, stops: ["PICK", "DROP"], robots: 3)
        _ = c.handle(.taskRequested(carry), now: t(1))
        #expect(c.tasks["K1"]?.state == .failed)
        #expect(c.tasks["K1"]?.history.last?.detail?.contains("needs 3 robots") == true)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func coverageSplitsTheZoneAmongItsRobots(policy: AllocationPolicyKind) throws {
        let request = TaskRequest(id: "V", kind: .coverage, zone: "HALL", robots: 2)
        let parts = request.coverageParts(in: Self.layout)
        #expect(parts.count == 2 && Set(parts.flatMap { $0 }) == ["C", "D", "F", "G"])
        var c = Self.coordinator(["B", "F"], policy: policy)
        let out = c.handle(.taskRequested(request), now: t(1))
        #expect(out.dispatches.count == 2)
        let covered = Set(out.dispatches.flatMap { $0.1.nodes.map(\.nodeId) })
        #expect(covered.isSuperset(of: ["C", "D", "F", "G"]))
    }
}
