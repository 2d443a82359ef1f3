import FleetCore
import Foundation
import Testing

/// Human-presence zones, operator holds and emergency stops, driven through the pure coordinator with a manual
/// clock: who gets `startPause`/`stopPause`, what waits and why, which speeds new orders get, what is journaled,
/// and what replay restores.
@Suite struct ZoneControlTests {
    /// ```
    /// A(0,0) - B(10,0) - C(20,0) - D(30,0)
    ///            |
    ///          E(10,10)
    /// ```
    /// Stations: PICK at A, DROP at D, SIDE at E. Zones: DOCK (node D, `presence: hold`), AISLE (node C,
    /// `presence: slowdown` at 0.2 m/s), YARD (node E, no presence policy).
    static let layout: SiteLayout = try! SiteLayout(
        siteId: "zones",
        nodes: [
            SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "C", x: 20, y: 0, mapId: "m"), SiteNode(id: "D", x: 30, y: 0, mapId: "m"),
            SiteNode(id: "E", x: 10, y: 10, mapId: "m"),
        ],
        edges: [
            EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true),
            EdgeSpec(id: "BC", from: "B", to: "C", bidirectional: true),
            EdgeSpec(id: "CD", from: "C", to: "D", bidirectional: true),
            EdgeSpec(id: "BE", from: "B", to: "E", bidirectional: true),
        ],
        stations: [
            Station(id: "PICK", node: "A", kind: .pick), Station(id: "DROP", node: "D", kind: .drop),
            Station(id: "SIDE", node: "E", kind: .lineSide),
        ],
        zones: [
            Zone(id: "DOCK", kind: .humanWork, area: .nodes(["D"]), presence: .hold),
            Zone(id: "AISLE", kind: .humanWork, area: .nodes(["C"]), presence: .slowdown(speed: 0.2)),
            Zone(id: "YARD", kind: .logical, area: .nodes(["E"])),
        ])

    static let config = CoordinatorConfiguration(
        stateTimeout: 1000, positionSampleInterval: nil, allocationMinimumInterval: 0)
    static let r1 = Fixture.robot(1)
    static let r2 = Fixture.robot(2)
    static let r3 = Fixture.robot(3)

    static func at(_ node: NodeID, order: OrderProgress? = nil) -> RobotObservation {
        RobotObservation(
            position: layout.node(node)!.position, mapId: "m", lastNodeId: node, batteryPercent: 90, order: order)
    }

    /// r1 at A, r2 at B, r3 at E, all idle; worker `w1` and lead `w2` on the roster, location unknown.
    static func coordinator() -> Coordinator {
        var c = Coordinator(layout: layout, configuration: config)
        for (robot, node) in [(r1, "A"), (r2, "B"), (r3, "E")] {
            _ = c.handle(.robotRegistered(robot, Fixture.amr), now: t(0))
            _ = c.handle(.robotObserved(robot, at(node)), now: t(0))
        }
        _ = c.handle(.personRegistered("w1", PersonProfile(role: .lineWorker)), now: t(0))
        _ = c.handle(.personRegistered("w2", PersonProfile(role: .teamLead)), now: t(0))
        return c
    }

    static func request(_ id: TaskID, from pick: StationID = "PICK", to drop: StationID = "DROP") -> TaskRequest {
        TaskRequest(id: id, pick: pick, drop: drop, requester: "test")
    }

    // MARK: Presence: hold

    @Test func personInHoldZonePausesRobotHeadingThereAndNewWorkWaitsUntilTheyLeave() throws {
        var c = Self.coordinator()
        let first = c.handle(.taskRequested(Self.request("T1")), now: t(1))
        let (robot, plan) = try #require(first.dispatches.first)
        #expect(robot == Self.r1)
        _ = c.handle(.robotObserved(Self.r1, Self.at("A", order: progress(plan, passed: 1))), now: t(2))

        let enter = c.handle(.personPresence("w1", present: true, location: .node("D")), now: t(3))
        #expect(enter.journalKinds == ["zone_presence", "zone_hold"])
        let hold = try #require(enter.records.last)
        guard case .zoneHold(let zone, let actor, let people, let robots) = hold.event else {
            Issue.record("expected zone_hold, got \(hold.event)")
            return
        }
        #expect(zone == "DOCK" && actor == "presence" && people == 1 && robots == [Self.r1])
        #expect(enter.pauses == [.init(Self.r1, true)])
        #expect(enter.journalBeforePauses)
        #expect(c.pausedRobots == [Self.r1: .zone("DOCK")])
        let dock = try #require(c.zoneStatuses.first { $0.zone.id == "DOCK" })
        #expect(dock.isHeld && dock.heldBy == "presence" && dock.people == ["w1"] && dock.pausedRobots == [Self.r1])

        // New work into the held zone waits with a reason naming the zone; r2 stays free and unpaused.
        let second = c.handle(.taskRequested(Self.request("T2")), now: t(4))
        #expect(second.dispatches.isEmpty)
        #expect(
            second.statusReasons.contains { $0.contains("held zone") && $0.contains("DOCK") && $0.contains("1 person") }
        )
        #expect(second.records.contains { if case .waiting(let task, _) = $0.event { task == "T2" } else { false } })
        // Work elsewhere goes on: r2 takes a trip to SIDE, whose route stays out of DOCK.
        let side = c.handle(.taskRequested(Self.request("T3", from: "PICK", to: "SIDE")), now: t(5))
        #expect(side.dispatches.map(\.0) == [Self.r2])
        #expect(side.pauses.isEmpty)

        // A second person changes the count, not the hold.
        let more = c.handle(.personPresence("w2", present: true, location: .station("DROP")), now: t(6))
        #expect(more.journalKinds == ["zone_presence"])
        let partly = c.handle(.personPresence("w1", present: true, location: .node("A")), now: t(7))
        #expect(partly.journalKinds == ["zone_presence"])
        #expect(partly.pauses.isEmpty)

        // The last person leaves: r1 resumes, T2 is assigned.
        let leave = c.handle(.personPresence("w2", present: false, location: nil), now: t(8))
        #expect(leave.journalKinds.prefix(2) == ["zone_presence", "zone_release"])
        guard case .zoneRelease("DOCK", "presence", 0, let resumed) = leave.records[1].event else {
            Issue.record("expected zone_release, got \(leave.records[1].event)")
            return
        }
        #expect(resumed == [Self.r1])
        #expect(leave.pauses == [.init(Self.r1, false)])
        #expect(c.pausedRobots.isEmpty)
        #expect(leave.dispatches.contains { $0.1.taskId == "T2" })
    }

    @Test func robotInsideHoldZoneIsPausedEvenWhenIdle() {
        var c = Self.coordinator()
        _ = c.handle(.robotObserved(Self.r2, Self.at("D")), now: t(1))
        let enter = c.handle(.personPresence("w1", present: true, location: .node("D")), now: t(2))
        #expect(enter.pauses == [.init(Self.r2, true)])
        #expect(!c.isCandidate(Self.r2, now: t(2)))
        let leave = c.handle(.personPresence("w1", present: true, location: .node("E")), now: t(3))
        #expect(leave.pauses == [.init(Self.r2, false)])
        #expect(c.isCandidate(Self.r2, now: t(3)))
    }

    @Test func unknownPeopleAndPeopleOutsideZonesChangeNothing() {
        var c = Self.coordinator()
        #expect(c.handle(.personPresence("stranger", present: true, location: .node("D")), now: t(1)).isEmpty)
        #expect(c.handle(.personPresence("w1", present: true, location: .node("B")), now: t(1)).isEmpty)
        // YARD has no presence policy: people there are shown, nothing is held.
        #expect(c.handle(.personPresence("w1", present: true, location: .node("E")), now: t(2)).isEmpty)
        let yard = c.zoneStatuses.first { $0.zone.id == "YARD" }
        #expect(yard?.people == ["w1"] && yard?.isHeld == false)
    }

    // MARK: Presence: slowdown

    @Test func personInSlowdownZoneGivesNewOrdersTheLowerSpeedThere() throws {
        var c = Self.coordinator()
        let enter = c.handle(.personPresence("w1", present: true, location: .node("C")), now: t(1))
        #expect(enter.journalKinds == ["zone_presence", "zone_slowdown"])
        guard case .zoneSlowdown("AISLE", "presence", 1, 0.2, let robots) = enter.records[1].event else {
            Issue.record("expected zone_slowdown, got \(enter.records[1].event)")
            return
        }
        #expect(robots.isEmpty)
        #expect(enter.pauses.isEmpty)
        #expect(c.zoneStatuses.first { $0.zone.id == "AISLE" }?.slowdownSpeed == 0.2)

        let slow = try #require(c.handle(.taskRequested(Self.request("T1")), now: t(2)).dispatches.first?.1)
        let speeds = Dictionary(uniqueKeysWithValues: slow.edges.map { ($0.edgeId, $0.maxSpeed) })
        #expect(speeds == ["AB": nil, "BC": 0.2, "CD": 0.2])

        let leave = c.handle(.personPresence("w1", present: true, location: .node("A")), now: t(3))
        #expect(leave.journalKinds == ["zone_presence", "zone_clear"])
        guard case .zoneClear("AISLE", "presence", 0, let heading) = leave.records[1].event else {
            Issue.record("expected zone_clear, got \(leave.records[1].event)")
            return
        }
        #expect(heading == [Self.r1])  // r1's released order still runs through the aisle
        let fast = try #require(c.handle(.taskRequested(Self.request("T2")), now: t(4)).dispatches.first?.1)
        #expect(fast.edges.allSatisfy { $0.maxSpeed == nil })
    }

    // MARK: Emergency stops and operator holds

    @Test func siteEmergencyStopPausesEveryRobotAndHaltsAssignmentUntilReleased() throws {
        var c = Self.coordinator()
        let busy = c.handle(.taskRequested(Self.request("T1")), now: t(1))
        #expect(busy.dispatches.count == 1)
        #expect(c.zoneCommandRefusal(.emergencyStop(zone: nil), actor: "alice") == nil)
        let stop = c.handle(.zoneCommand(.emergencyStop(zone: nil), actor: "alice"), now: t(2))
        #expect(stop.journalKinds.first == "estop")
        guard case .emergencyStop(nil, "alice", let robots) = stop.records[0].event else {
            Issue.record("expected estop, got \(stop.records[0].event)")
            return
        }
        #expect(robots == [Self.r1, Self.r2, Self.r3])
        #expect(stop.pauses == [.init(Self.r1, true), .init(Self.r2, true), .init(Self.r3, true)])
        #expect(stop.journalBeforePauses)
        #expect(c.siteEmergencyStop == "alice")
        #expect(
            c.zoneCommandRefusal(.emergencyStop(zone: nil), actor: "bob")
                == "the site is already under an emergency stop by alice")

        let waiting = c.handle(.taskRequested(Self.request("T2", to: "SIDE")), now: t(3))
        #expect(waiting.dispatches.isEmpty)
        #expect(waiting.statusReasons.contains("assignment halted: site emergency stop by alice"))
        // Robots reporting in, or a robot that reconnects, do not end the stop; a reconnect repeats the pause.
        #expect(c.handle(.robotObserved(Self.r2, Self.at("B")), now: t(4)).pauses.isEmpty)
        _ = c.handle(.robotConnection(Self.r3, .connectionBroken), now: t(5))
        #expect(c.handle(.robotConnection(Self.r3, .online), now: t(6)).pauses == [.init(Self.r3, true)])

        let release = c.handle(.zoneCommand(.releaseEmergencyStop(zone: nil), actor: "bob"), now: t(7))
        guard case .emergencyStopRelease(nil, "bob", let resumed) = release.records[0].event else {
            Issue.record("expected estop_release, got \(release.records[0].event)")
            return
        }
        #expect(resumed == [Self.r1, Self.r2, Self.r3])
        #expect(release.pauses == [.init(Self.r1, false), .init(Self.r2, false), .init(Self.r3, false)])
        #expect(release.dispatches.contains { $0.1.taskId == "T2" })
        #expect(c.siteEmergencyStop == nil)
    }

    @Test func zoneEmergencyStopHoldsItsRobotsUntilReleasedEvenIfTheirOrderEnds() throws {
        var c = Self.coordinator()
        let first = c.handle(.taskRequested(Self.request("T1")), now: t(1))
        let plan = try #require(first.dispatches.first?.1)
        _ = c.handle(.robotObserved(Self.r1, Self.at("B", order: progress(plan, passed: 2))), now: t(2))
        let stop = c.handle(.zoneCommand(.emergencyStop(zone: "DOCK"), actor: "alice"), now: t(3))
        guard case .emergencyStop("DOCK", "alice", [Self.r1]) = stop.records[0].event else {
            Issue.record("expected estop of DOCK for r1, got \(stop.records)")
            return
        }
        #expect(stop.pauses == [.init(Self.r1, true)])
        // The task is cancelled: r1's route no longer enters DOCK, but an emergency stop is released only by hand.
        let cancel = c.handle(.taskCancelRequested("T1", .requester, detail: "test"), now: t(4))
        #expect(cancel.pauses.isEmpty)
        #expect(c.pausedRobots[Self.r1] == .zone("DOCK"))
        #expect(c.zoneCommandRefusal(.release(zone: "DOCK"), actor: "bob")?.contains("emergency stop by alice") == true)
        let release = c.handle(.zoneCommand(.releaseEmergencyStop(zone: "DOCK"), actor: "bob"), now: t(5))
        #expect(release.journalKinds.first == "estop_release")
        #expect(release.pauses == [.init(Self.r1, false)])
    }

    @Test func operatorHoldAndReleaseAreJournaledWithTheOperator() throws {
        var c = Self.coordinator()
        _ = c.handle(.robotObserved(Self.r3, Self.at("D")), now: t(1))
        let hold = c.handle(.zoneCommand(.hold(zone: "DOCK"), actor: "bob"), now: t(2))
        guard case .zoneHold("DOCK", "bob", 0, [Self.r3]) = hold.records[0].event else {
            Issue.record("expected zone_hold by bob, got \(hold.records)")
            return
        }
        #expect(c.zoneStatuses.first { $0.zone.id == "DOCK" }?.heldBy == "bob")
        let waits = c.handle(.taskRequested(Self.request("T1")), now: t(3))
        #expect(waits.statusReasons.contains { $0.contains("zone 'DOCK' is held by operator bob") })
        let release = c.handle(.zoneCommand(.release(zone: "DOCK"), actor: "carol"), now: t(4))
        guard case .zoneRelease("DOCK", "carol", 0, [Self.r3]) = release.records[0].event else {
            Issue.record("expected zone_release by carol, got \(release.records)")
            return
        }
        #expect(release.dispatches.contains { $0.1.taskId == "T1" })
    }

    @Test func operatorReleaseDeclaresAZoneClearOfPeople() throws {
        var c = Self.coordinator()
        _ = c.handle(.robotObserved(Self.r3, Self.at("D")), now: t(1))
        _ = c.handle(.personPresence("w1", present: true, location: .node("D")), now: t(2))
        _ = c.handle(.personPresence("w2", present: true, location: .node("C")), now: t(2))
        #expect(c.pausedRobots == [Self.r3: .zone("DOCK")])
        // The worker's device went quiet inside DOCK; the shift lead checks and releases the zone.
        let release = c.handle(.zoneCommand(.release(zone: "DOCK"), actor: "bob"), now: t(3))
        #expect(release.journalKinds.prefix(2) == ["zone_presence", "zone_release"])
        guard case .zoneRelease("DOCK", "bob", 0, [Self.r3]) = release.records[1].event else {
            Issue.record("expected zone_release by bob for r3, got \(release.records)")
            return
        }
        #expect(release.pauses == [.init(Self.r3, false)])
        #expect(c.zoneStatuses.first { $0.zone.id == "DOCK" }?.people == [])
        // Releasing the slowed aisle ends its slowdown too.
        let aisle = c.handle(.zoneCommand(.release(zone: "AISLE"), actor: "bob"), now: t(4))
        #expect(aisle.journalKinds == ["zone_presence", "zone_clear"])
        #expect(c.zoneStatuses.allSatisfy { !$0.isHeld && $0.slowdownSpeed == nil })
        // The worker reports a place inside DOCK again: the hold starts again.
        let again = c.handle(.personPresence("w1", present: true, location: .node("D")), now: t(5))
        #expect(again.journalKinds == ["zone_presence", "zone_hold"])
        #expect(again.pauses == [.init(Self.r3, true)])
    }

    @Test func aRobotThatIgnoresStartPauseIsToldAgainUntilItReportsPaused() {
        var c = Self.coordinator()  // dispatchAcknowledgementTimeout: 5 s
        let stop = c.handle(.zoneCommand(.emergencyStop(zone: "YARD"), actor: "alice"), now: t(10))
        #expect(stop.pauses == [.init(Self.r3, true)])
        // Still reporting itself not paused: quiet for 5 s, then startPause again, then quiet for another 5 s.
        #expect(c.handle(.robotObserved(Self.r3, Self.at("E")), now: t(14)).pauses.isEmpty)
        #expect(c.handle(.robotObserved(Self.r3, Self.at("E")), now: t(15)).pauses == [.init(Self.r3, true)])
        #expect(c.handle(.robotObserved(Self.r3, Self.at("E")), now: t(19)).pauses.isEmpty)
        // Once it reports paused, nothing more is sent; robots nobody paused are never told.
        var paused = Self.at("E")
        paused.paused = true
        #expect(c.handle(.robotObserved(Self.r3, paused), now: t(30)).pauses.isEmpty)
        #expect(c.handle(.robotObserved(Self.r2, Self.at("B")), now: t(30)).pauses.isEmpty)
        // Repeats are not journaled: the robot was paused once.
        #expect(c.pausedRobots == [Self.r3: .zone("YARD")])
    }

    @Test func refusedCommandsSayWhatIsWrongAndChangeNothing() {
        var c = Self.coordinator()
        #expect(
            c.zoneCommandRefusal(.hold(zone: "NOPE"), actor: "bob")
                == "unknown zone 'NOPE' (zones of site zones: DOCK, AISLE, YARD)")
        #expect(
            c.zoneCommandRefusal(.release(zone: "DOCK"), actor: "bob")
                == "zone 'DOCK' is not held (no operator hold, nobody reported inside)")
        #expect(
            c.zoneCommandRefusal(.releaseEmergencyStop(zone: nil), actor: "bob")
                == "the site is not under an emergency stop")
        #expect(
            c.zoneCommandRefusal(.releaseEmergencyStop(zone: "YARD"), actor: "bob")
                == "zone 'YARD' is not under an emergency stop")
        #expect(c.zoneCommandRefusal(.hold(zone: "DOCK"), actor: "presence")?.contains("reserved") == true)
        #expect(c.handle(.zoneCommand(.hold(zone: "NOPE"), actor: "bob"), now: t(1)).isEmpty)
        _ = c.handle(.zoneCommand(.hold(zone: "DOCK"), actor: "bob"), now: t(2))
        #expect(c.zoneCommandRefusal(.hold(zone: "DOCK"), actor: "carol") == "zone 'DOCK' is already held by bob")
    }

    // MARK: Replay

    @Test func replayRestoresOccupancyHoldsStopsAndPausedRobots() throws {
        var c = Self.coordinator()
        var journal: [JournalRecord] = []
        func run(_ event: FleetEvent, _ time: Double) -> [Directive] {
            let out = c.handle(event, now: t(time))
            journal += out.records
            return out
        }
        let plan = try #require(run(.taskRequested(Self.request("T1")), 1).dispatches.first?.1)
        _ = run(.robotObserved(Self.r1, Self.at("A", order: progress(plan, passed: 1))), 2)
        _ = run(.personPresence("w1", present: true, location: .node("D")), 3)
        _ = run(.personPresence("w2", present: true, location: .node("C")), 4)
        _ = run(.zoneCommand(.emergencyStop(zone: "YARD"), actor: "alice"), 5)
        _ = run(.zoneCommand(.hold(zone: "AISLE"), actor: "bob"), 6)
        _ = run(.taskRequested(Self.request("T2")), 7)

        // Through the journal's JSON form, as after a restart.
        let encoded = try journal.map { try JSONEncoder().encode($0) }
        let decoded = try encoded.map { try JSONDecoder().decode(JournalRecord.self, from: $0) }
        #expect(decoded == journal)
        var r = Coordinator(layout: Self.layout, configuration: Self.config)
        #expect(r.replay(records: decoded).isEmpty)
        for robot in [Self.r1, Self.r2, Self.r3] { _ = r.handle(.robotRegistered(robot, Fixture.amr), now: t(8)) }
        _ = r.handle(.personRegistered("w1", PersonProfile(role: .lineWorker)), now: t(8))
        _ = r.handle(.personRegistered("w2", PersonProfile(role: .teamLead)), now: t(8))
        let resumed = r.resume(now: t(8))
        #expect(r.zoneStatuses == c.zoneStatuses)
        #expect(r.pausedRobots == c.pausedRobots)
        #expect(resumed.pauses.contains(.init(Self.r1, true)))
        #expect(resumed.dispatches.allSatisfy { $0.1.taskId != "T2" })

        // The restored presence hold ends when the restored occupant leaves; r1 stays paused, as its route also
        // crosses AISLE, which bob holds, until bob's hold is released too.
        let leave = r.handle(.personPresence("w1", present: false, location: nil), now: t(9))
        #expect(leave.journalKinds.prefix(2) == ["zone_presence", "zone_release"])
        #expect(leave.pauses.isEmpty)
        #expect(r.pausedRobots[Self.r1] == .zone("AISLE"))
        let release = r.handle(.zoneCommand(.release(zone: "AISLE"), actor: "bob"), now: t(10))
        #expect(release.pauses == [.init(Self.r1, false)])
        #expect(r.pausedRobots == [Self.r3: .zone("YARD")])
    }
}

struct PauseDirective: Equatable, CustomStringConvertible {
    var robot: RobotID
    var paused: Bool
    init(_ robot: RobotID, _ paused: Bool) {
        self.robot = robot
        self.paused = paused
    }
    var description: String { "\(paused ? "startPause" : "stopPause") \(robot)" }
}

extension Array where Element == Directive {
    var pauses: [PauseDirective] {
        compactMap {
            if case .setPaused(let robot, let paused) = $0 { return .init(robot, paused) } else { return nil }
        }
    }

    var statusReasons: [String] {
        compactMap { if case .publishTaskStatus(_, let status) = $0 { return status.reason } else { return nil } }
    }

    /// Every pause or resumption comes after at least one journal record of the same event.
    var journalBeforePauses: Bool {
        guard let first = firstIndex(where: { if case .setPaused = $0 { true } else { false } }) else { return true }
        return !Array(self[..<first]).records.isEmpty
    }
}
