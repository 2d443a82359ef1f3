import FleetConfig
import FleetCore
import Foundation
import Testing

/// People, faults, coordinator settings and the demand keys of every task kind in a scenario, and the errors for
/// broken ones (each asserting the line and the field).
@Suite("Scenario loader: people, faults, schedules and task kinds")
struct ScenarioPeopleLoaderTests {
    static let file = ScenarioLibraryTests.directory + "/eldercare-test.yaml"

    /// A care-home scenario; line 1 is `name`, and the `people:` key is on line 8.
    static let care = """
        name: t
        site: ../sites/care-home.yaml
        start: 2026-11-30T22:00:00Z
        duration: 8h
        fleet:
          - {manufacturer: carebot, serialPrefix: CARE-, count: 4, capabilities: [tray, medication]}
        coordinator: {callResolutionTimeout: 2m, acknowledgementTimeout: 60s, arrivalTimeout: none}
        people:
          - {role: resident, idPrefix: res-, count: 24, stations: {kind: room}, callsPerHour: 0.1, fallsPerHour: 0.02,
             confirm: {median: 1m, p90: 3m, noAnswer: 0.05}}
          - role: caregiver
            idPrefix: carer-
            count: 2
            shifts: [{start: 0h, end: 4h}, {start: 4h, end: 8h}]
            stations: [NURSE, ROOM-06]
            response: {median: 45s, p90: 2m, noAnswer: 0.1, reject: 0.05}
            resolve: {median: 5m, p90: 12m}
          - {role: nurse, id: nurse-station, stations: [NURSE], response: {median: 30s, p90: 90s}}
        demand:
          - kind: patrol
            ratePerHour: 0
            stops: [WING-A-WEST, WING-A-EAST, WING-B-EAST]
            earliestStartMinutes: 5
            deadlineMinutes: 25
            schedule: {every: 30m, from: 10m, until: 2h}
          - kind: handover
            ratePerHour: 1.5
            stops: [ROOM-01, ROOM-02]
            personRole: resident
            loadType: medication
            capabilities: [medication]
            bursts:
              - {at: 1h, duration: 30m, factor: 3}
          - {kind: emergency, ratePerHour: 0.5, stops: {kind: nurse-station}}
          - {kind: coverage, ratePerHour: 0, zone: WING-B, robots: 2, schedule: {times: [1h, 90m, 7h59m]}}
          - {kind: cooperative_carry, ratePerHour: 1, pick: [KITCHEN], drop: [DAY-ROOM], robots: 2, loadWeightKg: 40}
          - {kind: assist, ratePerHour: 2, stops: {kind: room}, personRole: caregiver}
        faults:
          - {at: 3h, kind: dropout, robots: [CARE-02]}
          - {at: 4h, kind: commLoss, count: 2, duration: 10m}
          - {at: 5h30m, kind: slowdown, robots: CARE-04, duration: 45m, factor: 0.5}
        targets:
          - {kpi: success_rate, type: rate_ge, threshold: 0.9}
        """

    func load(_ yaml: String) throws(ConfigError) -> Scenario {
        try ScenarioLoader().load(yaml: yaml, file: Self.file)
    }

    /// The scenario with `old` replaced by `new` (exactly once, or the test fails).
    func edit(_ old: String, _ new: String) -> String {
        #expect(Self.care.components(separatedBy: old).count == 2, "'\(old)' occurs once")
        return Self.care.replacingOccurrences(of: old, with: new)
    }

    /// The 1-based line of the first line containing `text`.
    func line(of text: String, in yaml: String) -> Int? {
        yaml.components(separatedBy: "\n").firstIndex { $0.contains(text) }.map { $0 + 1 }
    }

    /// Asserts that `yaml` fails at the line containing `marker` (or `line`), for `field`, with a reason containing
    /// `reason`; returns the message.
    @discardableResult
    func expectError(
        _ yaml: String, at marker: String, field: String, reason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        do {
            _ = try load(yaml)
            Issue.record("expected an error for \(field)", sourceLocation: sourceLocation)
            return nil
        } catch {
            guard case .invalid(let file, let actualLine, let actualField, let actualReason) = error else {
                Issue.record("expected an invalid-field error, got \(error)", sourceLocation: sourceLocation)
                return nil
            }
            #expect(file == Self.file, sourceLocation: sourceLocation)
            #expect(actualLine == line(of: marker, in: yaml), "\(error)", sourceLocation: sourceLocation)
            #expect(actualField == field, "\(error)", sourceLocation: sourceLocation)
            #expect(actualReason.contains(reason), "\(error)", sourceLocation: sourceLocation)
            return error.description
        }
    }

    @Test("people, every task kind, schedules, bursts, faults and coordinator settings are read as written")
    func reads() throws {
        let scenario = try load(Self.care)
        #expect(scenario.people.count == 3)
        let residents = scenario.people[0]
        #expect(residents.role == .resident)
        #expect(residents.personIDs.count == 24)
        #expect(residents.personIDs.first == "res-01")
        #expect(residents.stations.count == 24)
        #expect(residents.homeStation(0) == "ROOM-01")
        #expect(residents.callsPerHour == 0.1 && residents.fallsPerHour == 0.02)
        #expect(residents.confirm == ScenarioResponse(delay: ScenarioDelay(median: 60, p90: 180), noAnswer: 0.05))
        // A resident may answer a robot's check of their call with "I need a person".
        let rejecting = try load(
            Self.care.replacingOccurrences(of: "noAnswer: 0.05}}", with: "noAnswer: 0.05, reject: 0.2}}"))
        #expect(rejecting.people[0].confirm?.reject == 0.2)
        #expect(residents.line == 9)
        let carers = scenario.people[1]
        #expect(carers.shifts == [ScenarioShift(start: 0, end: 14400), ScenarioShift(start: 14400, end: 28800)])
        #expect(
            carers.response == ScenarioResponse(delay: ScenarioDelay(median: 45, p90: 120), noAnswer: 0.1, reject: 0.05)
        )
        #expect(carers.resolve == ScenarioDelay(median: 300, p90: 720))
        #expect(carers.personIDs == ["carer-01", "carer-02"])
        #expect(scenario.people[2].personIDs == ["nurse-station"])

        let patrol = scenario.demand[0]
        #expect(patrol.kind == "patrol" && patrol.ratePerHour == 0)
        #expect(patrol.stops == ["WING-A-WEST", "WING-A-EAST", "WING-B-EAST"])
        #expect(patrol.schedule == ScenarioSchedule(every: 1800, from: 600, until: 7200))
        #expect(patrol.schedule?.arrivals(duration: scenario.duration) == [600, 2400, 4200, 6000])
        #expect(patrol.earliestStartMinutes == 5)
        #expect(patrol.line == 20)
        let handover = scenario.demand[1]
        #expect(handover.personRole == .resident)
        #expect(handover.bursts == [ScenarioBurst(at: 3600, duration: 1800, factor: 3)])
        #expect(handover.bursts[0].contains(3600) && !handover.bursts[0].contains(5400))
        #expect(scenario.demand[2].priority == "emergency")
        #expect(scenario.demand[2].stops == ["NURSE"])
        let coverage = scenario.demand[3]
        #expect(coverage.zone == "WING-B" && coverage.robots == 2)
        #expect(coverage.schedule?.arrivals(duration: scenario.duration) == [3600, 5400, 28740])
        #expect(scenario.demand[4].pick == ["KITCHEN"] && scenario.demand[4].robots == 2)
        #expect(scenario.demand[5].stops.count == 24)

        #expect(scenario.faults.count == 3)
        #expect(
            scenario.faults[0]
                == ScenarioFault(
                    at: 10800, kind: .dropout, robots: ["CARE-02"], line: line(of: "{at: 3h", in: Self.care)))
        #expect(
            scenario.faults[1].count == 2 && scenario.faults[1].robots.isEmpty && scenario.faults[1].duration == 600)
        #expect(scenario.faults[2].robots == ["CARE-04"] && scenario.faults[2].factor == 0.5)

        #expect(scenario.coordinator.callResolutionTimeout == 120)
        #expect(scenario.coordinator.acknowledgementTimeout == 60)
        var configuration = CoordinatorConfiguration()
        scenario.coordinator.apply(to: &configuration)
        #expect(configuration.callResolutionTimeout == 120)
        #expect(configuration.acknowledgementTimeout == 60)
        #expect(configuration.arrivalTimeout == nil, "arrivalTimeout: none waits without limit")
        #expect(configuration.confirmationTimeout == CoordinatorConfiguration().confirmationTimeout)
    }

    // MARK: The promised errors

    @Test("an unknown station names the stop's line and index")
    func unknownStation() {
        let message = expectError(
            edit("stops: [ROOM-01, ROOM-02]", "stops: [ROOM-01,\n      ROOM-99]"), at: "ROOM-99]",
            field: "demand[1].stops[1]", reason: "unknown station 'ROOM-99'")
        #expect(message?.hasPrefix(Self.file + ":") == true)
        #expect(message?.contains(": demand[1].stops[1]: unknown station 'ROOM-99'") == true)
    }

    @Test("a negative rate is refused")
    func negativeRate() {
        expectError(
            edit("ratePerHour: 1.5", "ratePerHour: -2"), at: "ratePerHour: -2", field: "demand[1].ratePerHour",
            reason: "must not be negative")
    }

    @Test("a target without type or comparison says which are accepted")
    func missingTargetType() {
        let message = expectError(
            edit("{kpi: success_rate, type: rate_ge, threshold: 0.9}", "{kpi: success_rate, threshold: 0.9}"),
            at: "kpi: success_rate", field: "targets[0].type", reason: "missing target type")
        #expect(message?.contains("rate_ge") == true)
        #expect(message?.contains("'comparison' (>=, <= or ==)") == true)
    }

    @Test("an unknown role lists the roles")
    func unknownRole() {
        let message = expectError(
            edit("role: caregiver", "role: janitor"), at: "role: janitor", field: "people[1].role",
            reason: "unknown role 'janitor'")
        #expect(message?.contains("line_worker, team_lead, caregiver, nurse, resident") == true)
    }

    @Test("a shift that ends before it starts")
    func shiftBackwards() {
        expectError(
            edit("{start: 0h, end: 4h}", "{start: 6h, end: 4h}"), at: "start: 6h", field: "people[1].shifts[0].end",
            reason: "the shift ends (4h) before it starts (6h)")
    }

    @Test("a fault after the scenario's end")
    func faultAfterEnd() {
        expectError(
            edit("{at: 3h, kind: dropout", "{at: 9h, kind: dropout"), at: "at: 9h", field: "faults[0].at",
            reason: "9h is not before the scenario's end (duration 8h)")
    }

    @Test("an unknown robot in a fault")
    func faultUnknownRobot() {
        expectError(
            edit("robots: [CARE-02]", "robots: [CARE-09]"), at: "CARE-09", field: "faults[0].robots[0]",
            reason: "unknown robot 'CARE-09' (the fleet's serial numbers are CARE-01 ... CARE-04)")
    }

    @Test("a probability outside 0...1")
    func probabilityRange() {
        expectError(
            edit("noAnswer: 0.1", "noAnswer: 1.5"), at: "noAnswer: 1.5", field: "people[1].response.noAnswer",
            reason: "a probability must be within 0...1, got 1.5")
    }

    @Test("a delay whose p90 is below its median")
    func delayOrder() {
        expectError(
            edit("confirm: {median: 1m, p90: 3m", "confirm: {median: 1m, p90: 30s"), at: "p90: 30s",
            field: "people[0].confirm.p90", reason: "p90 (30s) is below the median (1m)")
    }

    // MARK: Further checks

    @Test(
        "more broken entries name their line and field",
        arguments: [
            ("kind: patrol", "kind: fly", "kind: fly", "demand[0].kind", "unknown task kind 'fly'"),
            ("kind: patrol", "kind: charge", "kind: charge", "demand[0].kind", "unknown task kind 'charge'"),
            ("    personRole: resident\n", "", "kind: handover", "demand[1].personRole", "missing required key"),
            (
                "stops: [ROOM-01, ROOM-02]", "stops: [NURSE]", "stops: [NURSE]", "demand[1].stops[0]",
                "no resident's room"
            ),
            (
                "personRole: caregiver}", "personRole: team_lead}", "personRole: team_lead", "demand[5].personRole",
                "no people of role 'team_lead'"
            ),
            (
                "robots: 2, loadWeightKg", "robots: 1, loadWeightKg", "robots: 1", "demand[4].robots",
                "at least 2 robots"
            ),
            ("robots: 2, loadWeightKg", "robots: 5, loadWeightKg", "robots: 5", "demand[4].robots", "the fleet has 4"),
            ("zone: WING-B", "zone: ATTIC", "zone: ATTIC", "demand[3].zone", "unknown zone 'ATTIC'"),
            (
                "ratePerHour: 0.5, stops", "ratePerHour: 0.5, priority: high, stops", "priority: high",
                "demand[2].priority", "priority emergency"
            ),
            ("from: 10m, until: 2h", "from: 10m, until: 5m", "until: 5m", "demand[0].schedule.until", "after 'from'"),
            ("every: 30m, ", "", "schedule: {from", "demand[0].schedule.from", "only a periodic schedule"),
            ("times: [1h, 90m, 7h59m]", "times: [1h, 9h]", "times: [1h, 9h]", "demand[3].schedule.times[1]", "9h"),
            (
                "{at: 1h, duration: 30m, factor: 3}", "{at: 1h, duration: 30m, factor: 0}", "factor: 0",
                "demand[1].bursts[0].factor", "positive"
            ),
            (
                "ratePerHour: 0.5, stops", "ratePerHour: 0, stops", "ratePerHour: 0, stops", "demand[2].ratePerHour",
                "no arrivals"
            ),
            (
                "kind: slowdown, robots: CARE-04, duration: 45m, factor: 0.5", "kind: slowdown, robots: CARE-04",
                "kind: slowdown", "faults[2].factor", "missing required key 'factor'"
            ),
            ("kind: commLoss, count: 2", "kind: commLoss, count: 7", "count: 7", "faults[1].count", "1...4"),
            ("kind: dropout, robots", "kind: explode, robots", "kind: explode", "faults[0].kind", "unknown value"),
            (
                "count: 2\n", "count: 2\n    fallsPerHour: 1\n", "fallsPerHour: 1", "people[1].fallsPerHour",
                "only residents"
            ),
            (
                "{role: nurse, id: nurse-station,", "{role: nurse, id: nurse-1,", "{role: resident", "people[0]",
                "nurse station 'nurse-station'"
            ),
            (
                "{role: nurse, id: nurse-station,", "{role: nurse, id: carer-02,", "id: carer-02", "people[2].id",
                "already defined by people[1]"
            ),
            ("reject: 0.05}", "reject: 0.95}", "reject: 0.95", "people[1].response.reject", "add up to more than 1"),
            (
                // Only a resident can answer a robot's check with a reject ("I need a person").
                "resolve: {median: 5m, p90: 12m}",
                "resolve: {median: 5m, p90: 12m}\n    confirm: {median: 1m, p90: 2m, reject: 0.1}",
                "reject: 0.1}", "people[1].confirm.reject", "unknown key 'reject'"
            ),
            (
                "noAnswer: 0.05}}", "noAnswer: 0.05, reject: 0.99}}", "reject: 0.99", "people[0].confirm.reject",
                "add up to more than 1"
            ),
            (
                "stations: [NURSE, ROOM-06]", "stations: [NURSE, ROOM-66]", "ROOM-66", "people[1].stations[1]",
                "unknown station 'ROOM-66'"
            ),
            (
                "callResolutionTimeout: 2m", "callResolutionTimeout: soon", "callResolutionTimeout: soon",
                "coordinator.callResolutionTimeout", "expected a duration"
            ),
        ])
    func broken(old: String, new: String, marker: String, field: String, reason: String) {
        expectError(edit(old, new), at: marker, field: field, reason: reason)
    }

    @Test("a fault's line, the demand's line and the message format")
    func messageFormat() {
        let yaml = edit("{at: 3h, kind: dropout", "{at: 8h, kind: dropout")
        do {
            _ = try load(yaml)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "\(Self.file):\(line(of: "{at: 8h", in: yaml) ?? 0): faults[0].at: 8h is not before the scenario's "
                    + "end (duration 8h)")
        }
    }

    @Test(
        "durations in messages", arguments: [(0.0, "0s"), (45, "45s"), (90, "1m30s"), (7200, "2h"), (5430, "1h30m30s")])
    func durationText(seconds: Double, text: String) {
        #expect(ScenarioLoader.formatDuration(seconds) == text)
    }
}
