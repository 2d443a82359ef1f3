import FleetConfig
import FleetCore
import FleetSim
import Foundation
import Testing
import VDA5050

@Suite("Simulated people: answers, shifts, walks, confirmations, resident calls and falls")
struct SimPeopleTests {
    static func carer(
        response: ScenarioResponse? = ScenarioResponse(delay: ScenarioDelay(median: 30, p90: 30)),
        shifts: [ScenarioShift] = [], dwell: Double? = nil, confirm: ScenarioResponse? = nil
    ) -> ScenarioPeopleGroup {
        ScenarioPeopleGroup(
            role: .caregiver, idPrefix: "carer-", count: 1, skills: ["lift-assist"], shifts: shifts,
            stations: ["NS", "R3"], dwell: dwell, walkSpeed: 1, response: response, confirm: confirm,
            resolve: ScenarioDelay(median: 60, p90: 60))
    }

    static func person(_ group: ScenarioPeopleGroup, index: Int = 0, seed: UInt64 = 1, until: Double = 1e9)
        -> SimPerson
    {
        SimPerson(group: group, index: index, seed: seed, start: TestSite.t0, until: until, map: CareSite.map)
    }

    @Test("registers on shift, acknowledges after the response delay, walks, arrives, resolves, then is free")
    func answerWalkResolve() {
        var carer = Self.person(Self.carer())
        let start = carer.advance(to: 0)
        #expect(start.count == 1 && start[0].kind == "presence")
        let presence = CareSite.object(start[0])
        #expect(presence["role"] as? String == "caregiver" && presence["present"] as? Bool == true)
        #expect(presence["station"] as? String == "NS" && presence["skills"] as? [String] == ["lift-assist"])
        carer.notified(CareSite.notification("CALL-1", station: "R2"), at: 100)
        #expect(carer.advance(to: 129.9).isEmpty)
        let ack = carer.advance(to: 130)
        #expect(ack.map(\.kind) == ["ack"] && CareSite.object(ack[0])["task"] as? String == "CALL-1")
        #expect(!carer.isIdle && carer.busyWith == "CALL-1")
        // NS (x 0) to R2 (x 20) along the graph: 20 m at 1 m/s.
        #expect(carer.advance(to: 149.9).isEmpty)
        let arrival = carer.advance(to: 150)
        #expect(arrival.map(\.kind) == ["presence", "arrived"], "\(arrival)")
        #expect(CareSite.object(arrival[0])["station"] as? String == "R2")
        #expect(CareSite.object(arrival[0])["role"] == nil)
        #expect(carer.advance(to: 209.9).isEmpty && !carer.isIdle)
        _ = carer.advance(to: 210)
        #expect(carer.isIdle && carer.busyWith == nil && carer.station == "R2")
    }

    @Test("log-normal response delays: the answers' median and 90th percentile match the scenario's (fixed seed)")
    func delayDistribution() {
        var carer = Self.person(
            Self.carer(response: ScenarioResponse(delay: ScenarioDelay(median: 40, p90: 120))), seed: 9)
        _ = carer.advance(to: 0)
        var delays: [Double] = []
        for n in 0..<600 {
            let t = Double(n) * 10_000
            carer.notified(CareSite.notification("CALL-\(n)"), at: t)
            carer.taskEnded("CALL-\(n - 1)")
            let answers = carer.advance(to: t + 9_000).filter { $0.kind == "ack" }
            delays += answers.map { $0.offset - t }
        }
        delays.sort()
        #expect(delays.count == 600)
        #expect(abs(delays[300] - 40) < 6, "median \(delays[300])")
        #expect(abs(delays[540] - 120) < 25, "p90 \(delays[540])")
    }

    @Test("with noAnswer 1 a person never answers; with reject 1 always rejects and does not go")
    func noAnswerAndReject() {
        var silent = Self.person(
            Self.carer(response: ScenarioResponse(delay: ScenarioDelay(median: 5, p90: 10), noAnswer: 1)))
        _ = silent.advance(to: 0)
        for n in 0..<50 { silent.notified(CareSite.notification("CALL-\(n)"), at: Double(n)) }
        let out = silent.advance(to: 100_000)
        #expect(!out.contains { ["ack", "reject", "arrived"].contains($0.kind) }, "\(out)")
        #expect(silent.unanswered == 50 && silent.notifications == 50 && silent.isIdle)
        var refuser = Self.person(
            Self.carer(response: ScenarioResponse(delay: ScenarioDelay(median: 5, p90: 5), reject: 1)))
        _ = refuser.advance(to: 0)
        refuser.notified(CareSite.notification("FALL-1", alert: .fall), at: 10)
        #expect(refuser.advance(to: 10_000).map(\.kind) == ["reject"])
        var nobody = Self.person(Self.carer(response: nil))
        _ = nobody.advance(to: 0)
        nobody.notified(CareSite.notification("CALL-1"), at: 10)
        #expect(nobody.advance(to: 10_000).isEmpty)
    }

    @Test("goes off shift (present false), ignores notifications then, and comes back for the next shift")
    func shifts() {
        var carer = Self.person(
            Self.carer(shifts: [ScenarioShift(start: 0, end: 3600), ScenarioShift(start: 7200, end: 10_800)]))
        #expect(carer.advance(to: 3599).count == 1 && carer.onShift)
        let off = carer.advance(to: 3600)
        #expect(off.count == 1 && CareSite.object(off[0])["present"] as? Bool == false && !carer.onShift)
        carer.notified(CareSite.notification("CALL-1"), at: 4000)
        #expect(carer.advance(to: 7199).isEmpty && carer.unanswered == 1)
        let back = carer.advance(to: 7200)
        #expect(back.count == 1 && CareSite.object(back[0])["present"] as? Bool == true)
        // A shift that starts later: registered (not present) at once.
        var late = Self.person(Self.carer(shifts: [ScenarioShift(start: 1800, end: 3600)]))
        let first = late.advance(to: 0)
        #expect(first.count == 1 && CareSite.object(first[0])["present"] as? Bool == false)
        #expect(CareSite.object(first[0])["role"] as? String == "caregiver")
        // Someone answering when the shift ends finishes the call first, then goes.
        var busy = Self.person(Self.carer(shifts: [ScenarioShift(start: 0, end: 140)]))
        _ = busy.advance(to: 0)
        busy.notified(CareSite.notification("CALL-9", station: "R2"), at: 100)
        let kinds = busy.advance(to: 1000).map { "\($0.kind)@\(Int($0.offset))" }
        #expect(kinds == ["ack@130", "presence@150", "arrived@150", "presence@210"], "\(kinds)")
        #expect(!busy.onShift)
    }

    @Test("workers move between their stations with exponential dwell times, walking along the site")
    func dwellMoves() {
        var worker = Self.person(Self.carer(dwell: 120), seed: 4)
        let out = worker.advance(to: 36_000).filter { $0.kind == "presence" }
        let stations = out.compactMap { CareSite.object($0)["station"] as? String }
        // 10 h with a mean dwell of 2 min plus a 30 m walk each way: about 240 moves.
        #expect(stations.count > 180 && stations.count < 300, "\(stations.count)")
        #expect(zip(stations, stations.dropFirst()).allSatisfy { $0 != $1 })
        #expect(Set(stations) == ["NS", "R3"])
        // A shift ending while they walk: the station reached afterwards is not reported as present.
        var leaving = Self.person(Self.carer(shifts: [ScenarioShift(start: 0, end: 36_000)], dwell: 120), seed: 4)
        let walk = leaving.advance(to: 36_000).filter { $0.kind == "presence" }
        let departure = walk[1].offset - 30
        var cut = Self.person(Self.carer(shifts: [ScenarioShift(start: 0, end: departure + 10)], dwell: 120), seed: 4)
        let shortened = cut.advance(to: 36_000).filter { $0.kind == "presence" }
        #expect(shortened.count == 2 && CareSite.object(shortened[1])["present"] as? Bool == false, "\(shortened)")
    }

    @Test("confirms a robot waiting for them after the confirm delay, once; never with noAnswer 1")
    func confirmations() {
        var carer = Self.person(
            Self.carer(confirm: ScenarioResponse(delay: ScenarioDelay(median: 20, p90: 20))))
        _ = carer.advance(to: 0)
        carer.robotWaiting(task: "T-00007", at: 50)
        carer.robotWaiting(task: "T-00007", at: 60)
        let out = carer.advance(to: 1000)
        #expect(out.map { "\($0.kind)@\(Int($0.offset))" } == ["confirm@70"])
        #expect(CareSite.object(out[0])["task"] as? String == "T-00007")
        var never = Self.person(
            Self.carer(confirm: ScenarioResponse(delay: ScenarioDelay(median: 20, p90: 20), noAnswer: 1)))
        _ = never.advance(to: 0)
        never.robotWaiting(task: "T-00008", at: 50)
        #expect(never.advance(to: 10_000).isEmpty)
    }

    @Test("a resident answers the robot's check of their call with a reject at their reject share (fixed seed)")
    func residentsSometimesNeedAPerson() {
        func answers(reject: Double) -> [String] {
            let residents = ScenarioPeopleGroup(
                role: .resident, idPrefix: "res-", count: 1, stations: ["R1"],
                confirm: ScenarioResponse(delay: ScenarioDelay(median: 20, p90: 20), reject: reject),
                callsPerHour: 36)
            let end = 40_000.0
            var resident = Self.person(residents, seed: 5, until: end)
            let calls = resident.advance(to: end).filter { $0.kind == "call" }
            #expect(calls.count > 300)
            var kinds: [String] = []
            for (n, call) in calls.enumerated() {
                let t = end + Double(n) * 100
                let id = CareSite.object(call)["id"] as? String ?? "?"
                resident.robotWaiting(task: id, at: t)
                let out = resident.advance(to: t + 50).filter { $0.kind == "confirm" || $0.kind == "reject" }
                #expect(out.count == 1 && out.first?.offset == t + 20, "\(out)")
                #expect(out.first.map { CareSite.object($0)["task"] as? String } == id)
                kinds += out.map(\.kind)
            }
            // A dose or an escort (not one of their calls) is always confirmed.
            resident.robotWaiting(task: "T-00001", at: end + 1e6)
            #expect(resident.advance(to: end + 2e6).map(\.kind) == ["confirm"])
            return kinds
        }
        #expect(answers(reject: 0).allSatisfy { $0 == "confirm" })
        #expect(answers(reject: 1).allSatisfy { $0 == "reject" })
        // About 400 checks at 25 %: a quarter rejected (binomial sd about 2 percentage points).
        let mixed = answers(reject: 0.25)
        let share = Double(mixed.filter { $0 == "reject" }.count) / Double(max(mixed.count, 1))
        #expect(abs(share - 0.25) < 0.07, "\(share)")
    }

    @Test("residents call and fall at their Poisson rates (fixed seed, tolerance), ids unique, none after the end")
    func residentRates() throws {
        let residents = ScenarioPeopleGroup(
            role: .resident, idPrefix: "res-", count: 20, stations: ["R1", "R2", "R3"], callsPerHour: 0.5,
            fallsPerHour: 0.1)
        let scenario = CareSite.scenario(people: [residents])
        var people = SimPeople(scenario: scenario, seed: 21, duration: 100 * 3600)
        let out = people.advance(to: 200 * 3600)
        let calls = out.filter { $0.kind == "call" }
        let alerts = out.filter { $0.kind == "alert" }
        // 20 residents x 100 h: 1000 calls and 200 falls expected.
        #expect(abs(Double(calls.count) - 1000) < 100, "\(calls.count)")
        #expect(abs(Double(alerts.count) - 200) < 45, "\(alerts.count)")
        #expect(people.calls == calls.count && people.falls == alerts.count)
        let ids = (calls + alerts).compactMap { CareSite.object($0)["id"] as? String }
        #expect(Set(ids).count == calls.count + alerts.count)
        #expect((calls + alerts).allSatisfy { $0.offset < 100 * 3600 })
        let call = try #require(calls.first)
        let resident = try #require(people.person(call.person))
        #expect(CareSite.object(call)["station"] as? String == resident.home)
        #expect(call.topic(SimTopics(site: "care")) == "fleetpilot/v1/care/people/\(call.person)/call")
        let alert = try #require(alerts.first)
        let detected = try #require(CareSite.object(alert)["detected"] as? String)
        #expect(detected.hasSuffix("Z") && CareSite.object(alert)["station"] as? String != nil)
        // Residents 1 and 2 live in R1 and R2 (rooms dealt round robin), registered as residents at start.
        #expect(people.person("res-02")?.home == "R2" && people.person("res-04")?.home == "R1")
        let registrations = out.filter { $0.kind == "presence" }
        #expect(
            registrations.count == 20
                && registrations.allSatisfy { CareSite.object($0)["role"] as? String == "resident" })
    }

    @Test("per-person streams: adding a person leaves what the others do unchanged")
    func independentStreams() {
        func calls(_ count: Int) -> [String: [Double]] {
            let group = ScenarioPeopleGroup(
                role: .resident, idPrefix: "res-", count: count, stations: ["R1", "R2"], callsPerHour: 2,
                fallsPerHour: 0.5)
            var people = SimPeople(scenario: CareSite.scenario(people: [group]), seed: 3, duration: 50 * 3600)
            return Dictionary(grouping: people.advance(to: 50 * 3600).filter { $0.kind != "presence" }) {
                $0.person.rawValue
            }.mapValues { $0.map(\.offset) }
        }
        let three = calls(3)
        let four = calls(4)
        #expect(three.keys.sorted() == ["res-01", "res-02", "res-03"])
        for id in three.keys { #expect(three[id] == four[id]) }
        #expect(four["res-04"] != nil)
    }

    @Test("a call the robot resolved (its task completed) is dropped; a fall's emergency completing is not")
    func droppedWhenResolved() {
        var people = SimPeople(scenario: CareSite.scenario(people: [Self.carer()]), seed: 1, duration: 3600)
        _ = people.advance(to: 0)
        people.notify("carer-01", payload: CareSite.notification("CALL-1", station: "R3"), at: 10)
        people.notify("carer-01", payload: CareSite.notification("FALL-1", station: "R2", alert: .fall), at: 10)
        people.notify("nobody", payload: CareSite.notification("CALL-2"), at: 10)
        people.notify("carer-01", payload: Array("{}".utf8), at: 10)
        #expect(people.strayNotifications == 2)
        let acks = people.advance(to: 40)
        #expect(acks.map(\.kind) == ["ack", "ack"])
        people.taskStatus("CALL-1", state: "completed")
        people.taskStatus("FALL-1", state: "completed")
        let rest = people.advance(to: 10_000).filter { $0.kind == "arrived" }
        #expect(rest.map { CareSite.object($0)["task"] as? String } == ["FALL-1"])
        #expect(people.isIdle)
    }
}

@Suite("People detection: where simulated people stand and walk, what the robots report")
struct SimPeopleProximityTests {
    @Test("a person stands beside their station and walks the straight line to the next; off shift nowhere")
    func positions() {
        var person = SimPeopleTests.person(SimPeopleTests.carer(shifts: [ScenarioShift(start: 0, end: 1000)]))
        #expect(person.position(at: 0) == nil)
        _ = person.advance(to: 0)
        #expect(person.position(at: 0) == SitePoint(x: 0, y: SimPerson.standingOffset))
        // Notified of a call in R1 (B, 10 m away): acknowledges after 30 s, then walks 10 s.
        person.notified(CareSite.notification("CALL-1", station: "R1"), at: 10)
        _ = person.advance(to: 40)
        #expect(person.position(at: 45) == SitePoint(x: 5, y: SimPerson.standingOffset))
        _ = person.advance(to: 50)
        #expect(person.position(at: 50) == SitePoint(x: 10, y: SimPerson.standingOffset))
        _ = person.advance(to: 2000)
        #expect(person.position(at: 2000) == nil)
    }

    @Test("a robot reports the closest person since its last state, and asks for a state on entering or leaving 2 m")
    func robotReports() throws {
        var robot = TestSite.vehicle()
        _ = robot.takeOutbox()
        robot.sensePerson(at: 5)
        #expect(robot.stateMessage(at: TestSite.t0).information == nil)
        #expect(!robot.takeOutbox().state)
        robot.sensePerson(at: 2.5)
        #expect(!robot.takeOutbox().state)
        robot.sensePerson(at: 1.2)
        #expect(robot.takeOutbox().state)
        robot.sensePerson(at: 0.6)
        robot.sensePerson(at: 1.9)
        #expect(!robot.takeOutbox().state)
        let info = try #require(robot.stateMessage(at: TestSite.t0).information?.first)
        #expect(info.infoType == "HUMAN_PROXIMITY" && info.infoLevel == .info)
        #expect(info.infoReferences == [Reference(referenceKey: "distance", referenceValue: "0.60")])
        // After a state went out, the next one reports from the person seen then.
        robot.personReported()
        #expect(robot.closestPerson == 1.9)
        robot.sensePerson(at: nil)
        #expect(robot.takeOutbox().state)
        robot.personReported()
        #expect(robot.stateMessage(at: TestSite.t0).information == nil)
    }
}
