import FleetConfig
import FleetCore
import Foundation
import Testing

@Suite("Scenario loader")
struct ScenarioLoaderTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Configs/scenarios").standardized.path

    static let minimal = """
        name: t
        site: ../sites/factory-hall.yaml
        start: 2026-11-30T06:00:00Z
        duration: 1h
        fleet:
          - {manufacturer: acme, serialPrefix: AMR-, count: 2}
        """

    func load(_ yaml: String) throws(ConfigError) -> Scenario {
        try ScenarioLoader().load(yaml: yaml, file: Self.scenarios + "/test.yaml")
    }

    func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try load(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test("the default factory scenario meets the acceptance: 20+ robots, 8 h, 500+ tasks, under 3 min wall")
    func defaultScenario() throws {
        let scenario = try ScenarioLoader().load(path: Self.scenarios + "/factory-default.yaml")
        #expect(scenario.siteId == "hall-1")
        #expect(scenario.robots().count >= 20)
        #expect(scenario.robots().first?.id.description == "acme/AMR-01")
        #expect(scenario.duration == 8 * 3600)
        #expect(scenario.duration / scenario.timeScale <= 150)
        let expected = scenario.demand.map(\.ratePerHour).reduce(0, +) * scenario.duration / 3600
        #expect(expected >= 520)
        #expect(scenario.demand[0].pick.count == 12)
        #expect(scenario.actionDurations["pick"] == 15)
        #expect(scenario.targets.count == 8)
        #expect(scenario.targets.allSatisfy { $0.kpi != nil && $0.type != nil })
        #expect(scenario.evaluation == ScenarioEvaluation(warmup: 900, cooldown: 600))
    }

    @Test("durations", arguments: [("8h", 28800.0), ("30m", 1800), ("600s", 600), ("1h30m", 5400), ("90", 90)])
    func durations(text: String, seconds: Double) {
        #expect(ScenarioLoader.parseDuration(text) == seconds)
    }

    @Test("malformed durations", arguments: ["", "8x", "h", "30m1h", "1h1h", "-5"])
    func badDurations(text: String) {
        #expect(ScenarioLoader.parseDuration(text) == nil)
    }

    @Test("a wrong type names the line and the field")
    func wrongType() {
        let e = error(Self.minimal + "\ntimeScale: fast\n")
        #expect(
            e
                == .invalid(
                    file: Self.scenarios + "/test.yaml", line: 7, field: "timeScale",
                    reason: "expected a number, got 'fast'"))
    }

    @Test("an unknown station is refused with its line and field")
    func unknownStation() throws {
        let yaml = Self.minimal + "\ndemand:\n  - ratePerHour: 10\n    pick: [LS-01, LS-99]\n    drop: [KIT-1]\n"
        guard case .invalid(_, let line, let field, let reason)? = error(yaml) else {
            Issue.record("expected an error")
            return
        }
        #expect(line == 9)
        #expect(field == "demand[0].pick[1]")
        #expect(reason.contains("LS-99"))
    }

    @Test("a bad duration names the line and the field")
    func badDuration() {
        guard case .invalid(_, let line, let field, _)? = error(Self.minimal.replacingOccurrences(of: "1h", with: "8x"))
        else {
            Issue.record("expected an error")
            return
        }
        #expect(line == 4)
        #expect(field == "duration")
    }

    @Test("stations by kind, fleet counts and targets")
    func kindsAndTargets() throws {
        let yaml =
            Self.minimal + """

                demand:
                  - {ratePerHour: 5, pick: {kind: line-side}, drop: KIT-2, priority: urgent}
                targets:
                  - {kpi: throughputPerHour, comparison: ">=", threshold: 60, note: first cut}
                """
        let scenario = try load(yaml)
        #expect(scenario.demand[0].pick.count == 12)
        #expect(scenario.demand[0].drop == ["KIT-2"])
        #expect(scenario.targets[0].kpi == "throughputPerHour")
        #expect(scenario.targets[0].threshold == 60)
        #expect(scenario.targets[0].raw["note"] == "first cut")
        #expect(scenario.robots(total: 5).map(\.id.serialNumber) == ["AMR-01", "AMR-02", "AMR-03", "AMR-04", "AMR-05"])
        #expect(
            ScenarioFleetEntry(type: "AMR", manufacturer: "a", serialPrefix: "X", count: 1).serialNumber(123) == "X123")
    }

    @Test("an unknown key and a missing fleet are errors")
    func unknownKey() {
        guard case .invalid(_, let line, let field, _)? = error(Self.minimal + "\nspeed: 3\n") else {
            Issue.record("expected an error")
            return
        }
        #expect(line == 7)
        #expect(field == "speed")
        let noFleet = "name: t\nsite: ../sites/factory-hall.yaml\nstart: 2026-11-30T06:00:00Z\nduration: 1h\n"
        guard case .invalid(_, _, let fleetField, _)? = error(noFleet) else {
            Issue.record("expected an error")
            return
        }
        #expect(fleetField == "fleet")
    }

    @Test("targets: comparison types, gates, zero tolerance and baselines")
    func targetTypes() throws {
        let yaml =
            Self.minimal + """

                evaluation: {warmup: 10m, cooldown: 30s}
                targets:
                  - {kpi: success_rate, type: rate_ge, threshold: 0.95, gate: true}
                  - {kpi: safety_task_failures, type: zero_tolerance, reliability: 0.99, confidence: 0.95}
                  - {kpi: lead_time_p50, type: improvement, threshold: -0.1, baseline: 120}
                """
        let scenario = try load(yaml)
        #expect(scenario.evaluation == ScenarioEvaluation(warmup: 600, cooldown: 30))
        #expect(scenario.targets.map(\.type) == ["rate_ge", "zero_tolerance", "improvement"])
        #expect(scenario.targets[0].gate)
        #expect(scenario.targets[1].reliability == 0.99)
        #expect(scenario.targets[2].baseline == 120)
    }

    @Test(
        "bad targets name the field",
        arguments: [
            ("- {kpi: x, type: bigger, threshold: 1}", "targets[0].type"),
            ("- {kpi: x, comparison: '>', threshold: 1}", "targets[0].comparison"),
            ("- {kpi: x, type: rate_ge}", "targets[0]"),
            ("- {kpi: x, type: zero_tolerance, reliability: 1.5}", "targets[0].reliability"),
            ("- {type: rate_ge, threshold: 1}", "targets[0]"),
        ])
    func badTargets(entry: String, field: String) {
        let error = error(Self.minimal + "\ntargets:\n  " + entry + "\n")
        guard case .invalid(_, _, let actual, _)? = error else {
            Issue.record("expected an invalid-field error, got \(String(describing: error))")
            return
        }
        #expect(actual == field)
    }
}
