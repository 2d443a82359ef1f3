import FleetCore
import Foundation
import Testing

/// People as agents: residents' calls and fall alerts, escalation chains to caregivers and nurses, shifts,
/// acknowledgements, arrivals and replay, driven through the pure coordinator with a manual clock.
@Suite struct PeopleEscalationTests {
    /// ```
    /// R1(0,0) - H(10,0) - R2(20,0) - N(30,0)
    ///             |
    ///          R3(10,10)
    /// ```
    /// Stations: ROOM1 at R1, ROOM2 at R2, ROOM3 at R3, HALL at H, NURSE at N.
    static let layout: SiteLayout = try! SiteLayout(
        siteId: "care",
        nodes: [
            SiteNode(id: "R1", x: 0, y: 0, mapId: "m"), SiteNode(id: "H", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "R2", x: 20, y: 0, mapId: "m"), SiteNode(id: "N", x: 30, y: 0, mapId: "m"),
            SiteNode(id: "R3", x: 10, y: 10, mapId: "m"),
        ],
        edges: [
            EdgeSpec(id: "R1H", from: "R1", to: "H", bidirectional: true),
            EdgeSpec(id: "HR2", from: "H", to: "R2", bidirectional: true),
            EdgeSpec(id: "R2N", from: "R2", to: "N", bidirectional: true),
            EdgeSpec(id: "HR3", from: "H", to: "R3", bidirectional: true),
        ],
        stations: [
            Station(id: "ROOM1", node: "R1", kind: .lineSide), Station(id: "ROOM2", node: "R2", kind: .lineSide),
            Station(id: "ROOM3", node: "R3", kind: .lineSide), Station(id: "HALL", node: "H", kind: .storage),
            Station(id: "NURSE", node: "N", kind: .storage),
        ])

    /// X = 90 s, Y = 30 s, arrival within 300 s.
    static let config = CoordinatorConfiguration(
        stateTimeout: 1000, positionSampleInterval: nil, allocationMinimumInterval: 0, confirmationTimeout: 600,
        callResolutionTimeout: 90, acknowledgementTimeout: 30, arrivalTimeout: 300)
    static let care = RobotProfile(type: "care", capabilities: ["assist"], maxPayloadKg: 10, maxSpeed: 1.0)

    static func robot(_ n: Int) -> RobotID { RobotID(manufacturer: "acme", serialNumber: "CARE-\(n)") }

    static func at(_ node: NodeID, order: OrderProgress? = nil) -> RobotObservation {
        RobotObservation(
            position: layout.node(node)!.position, mapId: "m", lastNodeId: node, batteryPercent: 90, order: order)
    }

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

    static func finished(_ plan: DispatchPlan, status: ActionStatus = .finished) -> RobotObservation {
        var actions: [String: ActionProgress] = [:]
        for action in plan.actions { actions[action.actionId] = ActionProgress(status) }
        let order = OrderProgress(
            orderId: plan.orderId, orderUpdateId: plan.orderUpdateId,
            lastNodeSequenceId: plan.nodes.last!.sequenceId, remainingNodeCount: 0, actions: actions)
        return at(plan.nodes.last!.nodeId, order: order)
    }

    /// carer-a at ROOM2, carer-b at the nurse station, nurse-1 at the nurse station, resident-1; all on shift.
    static let staff: [(PersonID, PersonProfile, PersonLocation?)] = [
        ("carer-a", PersonProfile(role: .caregiver), .station("ROOM2")),
        ("carer-b", PersonProfile(role: .caregiver, skills: ["lift-assist"]), .node("N")),
        ("nurse-1", PersonProfile(role: .nurse), .station("NURSE")),
        ("resident-1", PersonProfile(role: .resident), .station("ROOM1")),
    ]

    /// A coordinator with robots idle at the given nodes and the staff registered and present.
    static func coordinator(
        _ nodes: [NodeID], staff: [(PersonID, PersonProfile, PersonLocation?)] = staff,
        configuration: CoordinatorConfiguration = config
    ) -> Coordinator {
        var c = Coordinator(layout: layout, configuration: configuration)
        for (i, node) in nodes.enumerated() {
            _ = c.handle(.robotRegistered(robot(i + 1), care), now: t(0))
            _ = c.handle(.robotObserved(robot(i + 1), at(node)), now: t(0))
        }
        for (id, profile, location) in staff {
            _ = c.handle(.personRegistered(id, profile), now: t(0))
            _ = c.handle(.personPresence(id, present: true, location: location), now: t(0))
        }
        return c
    }

    /// Robot 1 (at H) took resident-1's call C1 to ROOM1 at t 1 and has waited there since t 12.
    static func robotWaitingAtTheCall() throws -> (Coordinator, DispatchPlan) {
        var c = coordinator(["H"])
        let plan = try #require(
            c.handle(.residentCall("C1", resident: "resident-1", station: "ROOM1"), now: t(1)).dispatches.first?.1)
        _ = c.handle(.robotObserved(robot(1), accepted(plan, at: "H")), now: t(2))
        _ = c.handle(.robotObserved(robot(1), finished(plan)), now: t(12))
        return (c, plan)
    }

    // MARK: The chain

    @Test func unresolvedCallEscalatesToCaregiversThenTheNurseThenRoundAgain() throws {
        var c = Self.coordinator(["H"])
        let call = c.handle(.residentCall("C1", resident: "resident-1", station: "ROOM1"), now: t(1))
        #expect(Array(call.journalKinds.prefix(4)) == ["call", "created", "assigned", "dispatched"])
        #expect(call.timers.contains { $0.0 == .escalation("C1", level: 0) && $0.1 == t(91) })
        let task = try #require(c.tasks["C1"])
        #expect(task.request.kind == .assist && task.request.priority == .high)
        #expect(task.request.requester == "call:resident-1" && task.request.stops == ["ROOM1"])
        let plan = try #require(call.dispatches.first?.1)
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "H")), now: t(2))
        let waits = c.handle(.robotObserved(Self.robot(1), Self.finished(plan)), now: t(12))
        #expect(waits.journalKinds == ["phase"])

        // X runs out: the nearest caregiver (carer-a, 20 m away) is notified.
        let first = c.handle(.timerFired(.escalation("C1", level: 0)), now: t(91))
        #expect(
            first.records.map(\.event) == [.escalated(task: "C1", person: "carer-a", level: 1, reason: .notResolved)])
        #expect(first.notifications.map(\.0) == ["carer-a"])
        #expect(
            first.notifications.first?.1
                == PersonNotification(
                    task: "C1", alert: .call, resident: "resident-1", station: "ROOM1", level: 1, reason: .notResolved))
        #expect(first.timers.map(\.0) == [.escalation("C1", level: 1)] && first.timers.first?.1 == t(121))
        // No acknowledgement within Y: the next caregiver, then the nurse, then the nurse station, then round again.
        var who: [PersonID] = []
        var at = 121.0
        for level in 1...4 {
            let step = c.handle(.timerFired(.escalation("C1", level: level)), now: t(at))
            guard case .escalated(_, let person, let next, let reason) = step.records.first?.event else {
                Issue.record("no escalation at level \(level)")
                return
            }
            #expect(next == level + 1 && reason == .noAcknowledgement)
            #expect(step.timers.first?.1 == t(at + 30))
            who.append(person)
            at += 30
        }
        #expect(who == ["carer-b", "nurse-1", "nurse-station", "carer-a"])
        // A stale timer (an earlier level) changes nothing.
        #expect(c.handle(.timerFired(.escalation("C1", level: 2)), now: t(at)).isEmpty)
        #expect(c.escalations["C1"]?.level == 5 && c.escalations["C1"]?.isResolved == false)
    }

    @Test func acknowledgementStopsTheChainAndArrivalResolvesTheCall() throws {
        var c = try Self.robotWaitingAtTheCall().0
        _ = c.handle(.timerFired(.escalation("C1", level: 0)), now: t(91))
        let ack = c.handle(.personAcknowledged("C1", person: "carer-a"), now: t(100))
        #expect(ack.records.map(\.event) == [.acknowledged(task: "C1", person: "carer-a", level: 1)])
        #expect(ack.timers.map(\.0) == [.arrival("C1", level: 1)] && ack.timers.first?.1 == t(400))
        #expect(c.handle(.personAcknowledged("C1", person: "carer-b"), now: t(101)).isEmpty)
        // Y runs out after the acknowledgement: nobody else is asked.
        #expect(c.handle(.timerFired(.escalation("C1", level: 1)), now: t(121)).isEmpty)
        // The caregiver arrives: the robot waiting there has its assist confirmed, the call is resolved.
        let arrival = c.handle(.personArrived("C1", person: "carer-a"), now: t(150))
        #expect(arrival.journalKinds == ["human_arrived", "human_ack", "completed"])
        #expect(c.tasks["C1"]?.state == .completed && c.escalations["C1"]?.resolvedAt == t(150))
        #expect(c.handle(.timerFired(.arrival("C1", level: 1)), now: t(400)).isEmpty)
        // Answers to a resolved call are refused with a reason.
        let late = c.handle(.personAcknowledged("C1", person: "carer-b"), now: t(401))
        #expect(late.rejections == ["the call 'C1' is already resolved"])
    }

    @Test func acknowledgedButNobodyArrivesAsksTheNextPerson() {
        var c = Self.coordinator([])
        let call = c.handle(.residentCall("C1", resident: "resident-1", station: "ROOM1"), now: t(1))
        #expect(call.records.last?.event == .escalated(task: "C1", person: "carer-a", level: 1, reason: .noRobot))
        _ = c.handle(.personAcknowledged("C1", person: "carer-a"), now: t(10))
        let late = c.handle(.timerFired(.arrival("C1", level: 1)), now: t(310))
        #expect(late.records.map(\.event) == [.escalated(task: "C1", person: "carer-b", level: 2, reason: .notArrived)])
        // A decline moves on at once and skips the person from then on.
        let declined = c.handle(.personRejected("C1", person: "carer-b"), now: t(320))
        #expect(
            declined.records.map(\.event) == [
                .humanRejected(task: "C1", person: "carer-b", level: 2),
                .escalated(task: "C1", person: "nurse-1", level: 3, reason: .rejected),
            ])
        #expect(c.escalationChain(for: c.escalations["C1"]!, now: t(320)) == ["carer-a", "nurse-1", "nurse-station"])
        // Residents and strangers cannot answer.
        #expect(
            c.handle(.personAcknowledged("C1", person: "resident-1"), now: t(321)).rejections == [
                "resident-1 is a resident"
            ])
        #expect(
            c.handle(.personAcknowledged("C1", person: "ghost"), now: t(321)).rejections == [
                "unknown person 'ghost'"
            ])
        #expect(
            c.handle(.personAcknowledged("NOPE", person: "nurse-1"), now: t(321)).rejections == [
                "unknown task 'NOPE'"
            ])
    }

    @Test func robotCheckAndConfirmationResolveTheCallBeforeAnyoneIsNotified() throws {
        var c = try Self.robotWaitingAtTheCall().0
        let confirmed = c.handle(.taskConfirmed("C1", person: "resident-1"), now: t(20))
        #expect(confirmed.journalKinds == ["human_ack", "completed"])
        #expect(c.escalations["C1"]?.resolvedAt == t(20))
        #expect(c.handle(.timerFired(.escalation("C1", level: 0)), now: t(91)).isEmpty)
    }

    @Test func theCallsAssistNamesTheResidentWhoseConfirmationSettlesIt() throws {
        let (waiting, plan) = try Self.robotWaitingAtTheCall()
        var c = waiting
        #expect(c.tasks["C1"]?.request.person == "resident-1")
        // The robot's assist action names the resident, so their device (or fleet-sim) knows whom it is for.
        #expect(plan.actions.map(\.person) == ["resident-1"])
        // Another resident's confirmation does not settle a resident's call ...
        _ = c.handle(.personRegistered("resident-9", PersonProfile(role: .resident)), now: t(13))
        let stranger = c.handle(.taskConfirmed("C1", person: "resident-9"), now: t(20))
        #expect(stranger.rejections == ["task 'C1' must be confirmed by resident-1, not resident-9"])
        #expect(c.escalations["C1"]?.isResolved == false)
        // ... but anyone else may confirm in the resident's place: a caregiver, or someone not on fleetd's roster
        // (an operator entering it, staff right after a restart).
        #expect(c.mayConfirmInPlace("C1", person: "carer-b") && c.mayConfirmInPlace("C1", person: "ghost"))
        let carer = c.handle(.taskConfirmed("C1", person: "carer-b"), now: t(30))
        #expect(carer.journalKinds == ["human_ack", "completed"])
        #expect(c.escalations["C1"]?.resolvedAt == t(30))
    }

    @Test func aResidentWhoNeedsAPersonAnswersTheRobotsCheckWithAReject() throws {
        var c = try Self.robotWaitingAtTheCall().0
        // Before X runs out, the resident says the robot is not enough: a person is notified at once.
        let needs = c.handle(.personRejected("C1", person: "resident-1"), now: t(40))
        #expect(
            needs.records.map(\.event) == [.escalated(task: "C1", person: "carer-a", level: 1, reason: .needsPerson)])
        #expect(needs.notifications.map(\.0) == ["carer-a"])
        // Saying it again, or once a person has been asked, adds nothing; the robot keeps waiting there.
        #expect(c.handle(.personRejected("C1", person: "resident-1"), now: t(41)).isEmpty)
        #expect(c.tasks["C1"]?.state == .inProgress)
        // The caregiver on scene confirms the robot's part and resolves the call.
        let arrival = c.handle(.personArrived("C1", person: "carer-a"), now: t(100))
        #expect(arrival.journalKinds == ["human_arrived", "human_ack", "completed"])
        // A reject after the call is resolved is refused with the reason.
        #expect(
            c.handle(.personRejected("C1", person: "resident-1"), now: t(101)).rejections == [
                "the call 'C1' is already resolved"
            ])
    }

    @Test func anyNonResidentOnSceneSettlesTheRobotsCheck() throws {
        var c = try Self.robotWaitingAtTheCall().0
        _ = c.handle(.personRegistered("lead-1", PersonProfile(role: .teamLead)), now: t(13))
        let arrival = c.handle(.personArrived("C1", person: "lead-1"), now: t(30))
        #expect(arrival.journalKinds == ["human_arrived", "human_ack", "completed"])
        #expect(c.tasks["C1"]?.state == .completed && c.escalations["C1"]?.resolvedAt == t(30))
    }

    @Test func robotThatNeedsAPersonEscalatesAtOnce() throws {
        var c = Self.coordinator(["H"])
        let plan = try #require(
            c.handle(.residentCall("C1", resident: "resident-1", station: "ROOM1"), now: t(1)).dispatches.first?.1)
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "H")), now: t(2))
        let failed = c.handle(.robotObserved(Self.robot(1), Self.finished(plan, status: .failed)), now: t(12))
        #expect(failed.journalKinds == ["failed", "escalated"])
        #expect(failed.records.last?.event == .escalated(task: "C1", person: "carer-a", level: 1, reason: .needsPerson))
        // The robot is gone; a person on scene still resolves the call.
        let arrival = c.handle(.personArrived("C1", person: "carer-a"), now: t(40))
        #expect(arrival.journalKinds == ["human_arrived"])
        #expect(c.escalations["C1"]?.isResolved == true)
    }

    // MARK: No robot

    @Test func callWhileEveryRobotIsOfflineGoesStraightToAPerson() {
        var c = Self.coordinator(["H", "R2"])
        _ = c.handle(.robotConnection(Self.robot(1), .connectionBroken), now: t(1))
        _ = c.handle(.robotConnection(Self.robot(2), .offline), now: t(1))
        let call = c.handle(.residentCall("C1", resident: "resident-1", station: "ROOM3"), now: t(5))
        #expect(call.journalKinds == ["call", "created", "waiting", "escalated"])
        #expect(call.records.last?.event == .escalated(task: "C1", person: "carer-a", level: 1, reason: .noRobot))
        #expect(call.notifications.map(\.0) == ["carer-a"])
        #expect(c.tasks["C1"]?.state == .queued)
        // The person on scene resolves it, and the robots' task is withdrawn.
        let arrival = c.handle(.personArrived("C1", person: "carer-a"), now: t(60))
        #expect(arrival.journalKinds == ["human_arrived", "canceled"])
        #expect(c.tasks["C1"]?.state == .cancelled && c.escalations["C1"]?.isResolved == true)
    }

    @Test func robotDroppingOutWhileCheckingEscalatesWhenNoOtherRobotIsLeft() throws {
        var c = Self.coordinator(["H"])
        let plan = try #require(
            c.handle(.residentCall("C1", resident: "resident-1", station: "ROOM1"), now: t(1)).dispatches.first?.1)
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(plan, at: "H")), now: t(2))
        let lost = c.handle(.robotConnection(Self.robot(1), .connectionBroken), now: t(5))
        #expect(lost.journalKinds == ["connection", "requeued", "waiting", "escalated"])
        #expect(lost.records.last?.event == .escalated(task: "C1", person: "carer-a", level: 1, reason: .noRobot))
    }

    @Test func nobodyOnTheRosterStillReachesTheNurseStation() {
        var c = Self.coordinator([], staff: [])
        let call = c.handle(.residentCall("C1", resident: "resident-9", station: "ROOM2"), now: t(1))
        #expect(call.notifications.map(\.0) == ["nurse-station"])
        let ack = c.handle(.personAcknowledged("C1", person: "nurse-station"), now: t(5))
        #expect(ack.journalKinds == ["human_ack"])
    }

    @Test func invalidCallsAreRefused() {
        var c = Self.coordinator(["H"])
        #expect(
            c.handle(.residentCall("C1", resident: "r", station: "ROOM9"), now: t(1)).rejections == [
                "unknown station 'ROOM9'"
            ])
        _ = c.handle(.residentCall("C2", resident: "r", station: "ROOM1"), now: t(1))
        #expect(
            c.handle(.fallAlert("C2", resident: "r", station: "ROOM1", detectedAt: t(0)), now: t(2)).rejections == [
                "task 'C2' already exists"
            ])
    }

    // MARK: Fall alerts

    @Test func fallAlertNotifiesAtOncePreemptsAndNeedsAPersonOnScene() throws {
        var c = Self.coordinator(["H"])
        let transport = TaskRequest(id: "T1", kind: .patrol, stops: ["NURSE"], requester: "plan")
        let patrol = try #require(c.handle(.taskRequested(transport), now: t(1)).dispatches.first?.1)
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(patrol, at: "H")), now: t(2))
        let alert = c.handle(
            .fallAlert("F1", resident: "resident-1", station: "ROOM3", detectedAt: t(2.5)), now: t(3))
        #expect(Array(alert.journalKinds.prefix(3)) == ["alert", "created", "escalated"])
        #expect(
            alert.records[0].event == .alert(task: "F1", resident: "resident-1", station: "ROOM3", detectedAt: t(2.5)))
        // Nearest to ROOM3 (R3): carer-a at R2 is 20 m away, carer-b at N 30 m.
        #expect(alert.records[2].event == .escalated(task: "F1", person: "carer-a", level: 1, reason: .fallAlert))
        #expect(alert.notifications.first?.1.alert == .fall)
        #expect(alert.timers.contains { $0.0 == .escalation("F1", level: 1) && $0.1 == t(33) })
        #expect(alert.journalKinds.contains("requeued") && alert.cancels == [patrol.orderId])
        let task = try #require(c.tasks["F1"])
        #expect(task.request.kind == .emergency && task.request.priority == .emergency)
        #expect(task.request.requester == "fall:resident-1")
        // The robot stops, takes the emergency and gets there: its task completes, the alert stays open.
        let emergency = try #require(
            c.handle(.robotObserved(Self.robot(1), Self.at("H")), now: t(4)).dispatches.first?.1)
        #expect(emergency.taskId == "F1")
        _ = c.handle(.robotObserved(Self.robot(1), Self.accepted(emergency, at: "H")), now: t(5))
        _ = c.handle(.robotObserved(Self.robot(1), Self.finished(emergency)), now: t(15))
        #expect(c.tasks["F1"]?.state == .completed && c.escalations["F1"]?.isResolved == false)
        let next = c.handle(.timerFired(.escalation("F1", level: 1)), now: t(33))
        #expect(
            next.records.map(\.event) == [
                .escalated(task: "F1", person: "carer-b", level: 2, reason: .noAcknowledgement)
            ])
        let arrival = c.handle(.personArrived("F1", person: "carer-b"), now: t(80))
        #expect(arrival.journalKinds == ["human_arrived"])
        #expect(c.escalations["F1"]?.resolvedAt == t(80) && c.escalations["F1"]?.arrived == "carer-b")
    }

    // MARK: Shifts and presence

    @Test func offShiftAndAbsentCaregiversAreSkipped() {
        let night = [ShiftWindow(start: t(1000), end: t(2000))]
        var c = Self.coordinator(
            [],
            staff: [
                ("carer-a", PersonProfile(role: .caregiver, shifts: night), .station("ROOM1")),
                ("carer-b", PersonProfile(role: .caregiver), .node("N")),
                ("carer-c", PersonProfile(role: .caregiver), .station("HALL")),
                ("nurse-1", PersonProfile(role: .nurse, shifts: [ShiftWindow(start: t(0), end: t(1000))]), nil),
            ])
        _ = c.handle(.personPresence("carer-c", present: false, location: nil), now: t(1))
        let day = c.handle(.residentCall("C1", resident: "resident-1", station: "ROOM1"), now: t(5))
        #expect(day.notifications.map(\.0) == ["carer-b"])
        #expect(c.escalationChain(for: c.escalations["C1"]!, now: t(5)) == ["carer-b", "nurse-1", "nurse-station"])
        // At night carer-a is on shift (and nearest), carer-c came back to the hall, the nurse has gone home.
        _ = c.handle(.personPresence("carer-c", present: true, location: .station("HALL")), now: t(1100))
        #expect(
            c.escalationChain(for: c.escalations["C1"]!, now: t(1100)) == [
                "carer-a", "carer-c", "carer-b", "nurse-station",
            ])
        #expect(c.people["carer-c"]?.location == .station("HALL") && c.people["carer-c"]?.lastSeen == t(1100))
    }
}

extension Array where Element == Directive {
    var notifications: [(PersonID, PersonNotification)] {
        compactMap { if case .notifyPerson(let person, let note) = $0 { return (person, note) } else { return nil } }
    }
}
