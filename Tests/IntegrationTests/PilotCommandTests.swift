import FleetTestKit
import Foundation
import Testing

/// `fleetctl pilot` end to end on a short run.
extension Integration {
    @Suite struct PilotCommandTests {
        @Test func shortPilotLeavesResultsAndExitsZero() async throws {
            let directory = try IntegrationEnvironment.temporaryDirectory("pilot").appendingPathComponent("run")
            let pilot = try ChildProcess(
                try IntegrationEnvironment.program("fleetctl"),
                [
                    "pilot", IntegrationEnvironment.factoryScenario, "--out", directory.path, "--robots", "5",
                    "--duration", "20m", "--time-scale", "240",
                ])
            let status = try await pilot.waitForExit(timeout: .seconds(120))
            #expect(status == 0, "fleetctl pilot:\n\(pilot.outputText.suffix(4000))")
            for name in [
                "summary.json", "traffic.log", "journal.sqlite", "journal.jsonl", "fleetd.log", "fleet-sim.log",
                "evaluation/report.json", "evaluation/report.md", "evaluation/report.html",
            ] {
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), "\(name)")
            }
            #expect(pilot.outputText.contains("results: \(directory.path)"))
            // The evaluator ran on the run and printed its verdict table.
            #expect(
                pilot.outputText.contains("reports: \(directory.path)/evaluation/report."),
                "\(pilot.outputText.suffix(2000))")
            let summary =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: directory.appendingPathComponent("summary.json"))) as? [String: Any]
            let tasks = summary?["tasks"] as? [String: Any]
            #expect((tasks?["open"] as? Int) == 0)
            #expect((tasks?["created"] as? Int ?? 0) > 0)
            // The evaluation covers the 20 minutes that ran, not the scenario's 8 hours, with the scenario's 15 min
            // warm-up and 10 min cool-down cut to 5 min each.
            let report =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: directory.appendingPathComponent("evaluation/report.json")))
                as? [String: Any]
            let run = try #require((report?["scenario"] as? [String: Any])?["run"] as? [String])
            let stamps = run.compactMap { try? Date($0, strategy: .iso8601) }
            #expect(stamps.count == 2 && stamps[1].timeIntervalSince(stamps[0]) == 1200, "\(run)")
            let window = try #require((report?["scenario"] as? [String: Any])?["window"] as? [String])
            let w = window.compactMap { try? Date($0, strategy: .iso8601) }
            #expect(w.count == 2 && w[1].timeIntervalSince(w[0]) == 600, "\(window)")
            #expect(
                pilot.outputText.contains("warm-up and cool-down cut to 300 s and 300 s"),
                "\(pilot.outputText.suffix(3000))")
            let gates = (report?["gates"] as? [[String: Any]]) ?? []
            let validity = gates.first { $0["id"] as? String == "data_validity" }?["reason"] as? String ?? ""
            let coverageFailed = validity.contains("records cover")
            #expect(!coverageFailed, "\(validity)")
        }

        @Test func ctrlCLeavesNoOrphans() async throws {
            let directory = try IntegrationEnvironment.temporaryDirectory("pilot-int").appendingPathComponent("run")
            let pilot = try ChildProcess(
                try IntegrationEnvironment.program("fleetctl"),
                ["pilot", IntegrationEnvironment.factoryScenario, "--out", directory.path, "--time-scale", "60"])
            // Once fleet-sim reports progress, every child is running.
            try await pilot.waitForOutput(containing: "requested ", timeout: .seconds(60))
            let config = try String(contentsOf: directory.appendingPathComponent("mosquitto.conf"), encoding: .utf8)
            let port = try #require(config.firstMatch(of: /listener ([0-9]+)/)?.1)
            pilot.send(signal: SIGINT)
            let status = try await pilot.waitForExit(timeout: .seconds(20))
            #expect(status == 130, "fleetctl pilot:\n\(pilot.outputText.suffix(2000))")
            let survivors =
                Self.processes(mentioning: directory.path) + Self.processes(mentioning: "127.0.0.1:\(port)")
            #expect(survivors.isEmpty, "still running after Ctrl-C: \(survivors)")
        }

        @Test(arguments: ["1h1h", "30m1h", "0", "soon"])
        func badDurationIsRefusedBeforeAnythingStarts(duration: String) async throws {
            let directory = try IntegrationEnvironment.temporaryDirectory("pilot-duration").appendingPathComponent(
                "run")
            let pilot = try ChildProcess(
                try IntegrationEnvironment.program("fleetctl"),
                ["pilot", IntegrationEnvironment.factoryScenario, "--out", directory.path, "--duration", duration])
            let status = try await pilot.waitForExit(timeout: .seconds(20))
            #expect(status != 0)
            #expect(
                pilot.outputText.contains("--duration '\(duration)' is not a positive duration"), "\(pilot.outputText)")
            #expect(!FileManager.default.fileExists(atPath: directory.path), "a run folder was created")
        }

        @Test func missingFleetdSaysToBuild() async throws {
            let directory = try IntegrationEnvironment.temporaryDirectory("pilot-missing")
            let copy = directory.appendingPathComponent("fleetctl").path
            try FileManager.default.copyItem(atPath: try IntegrationEnvironment.program("fleetctl"), toPath: copy)
            let pilot = try ChildProcess(
                "/usr/bin/env",
                ["PATH=/usr/bin:/bin", copy, "pilot", IntegrationEnvironment.factoryScenario, "--out", directory.path])
            let status = try await pilot.waitForExit(timeout: .seconds(20))
            #expect(status != 0)
            #expect(pilot.outputText.contains("cannot find 'fleetd'"), "\(pilot.outputText)")
            #expect(pilot.outputText.contains("swift build"), "\(pilot.outputText)")
        }

        /// Command lines of running processes that mention `text`.
        static func processes(mentioning text: String) -> [String] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.filter { Int($0) != nil }.compactMap { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
                return line.contains(text) ? "\(pid): \(line)" : nil
            }
        }

        @Test func missingScenarioIsAClearError() async throws {
            let pilot = try ChildProcess(
                try IntegrationEnvironment.program("fleetctl"), ["pilot", "/nonexistent.yaml"])
            let status = try await pilot.waitForExit(timeout: .seconds(10))
            #expect(status != 0)
            #expect(pilot.outputText.contains("scenario file '/nonexistent.yaml' does not exist"))
        }

        @Test func brokenScenarioFailsBeforeAnythingStarts() async throws {
            let directory = try IntegrationEnvironment.temporaryDirectory("pilot-broken")
            let scenario = directory.appendingPathComponent("broken.yaml")
            let original = try String(contentsOfFile: IntegrationEnvironment.factoryScenario, encoding: .utf8)
                .replacingOccurrences(of: "../sites/", with: IntegrationEnvironment.repository.path + "/Configs/sites/")
            // A target the evaluator does not know: the pilot refuses at once, naming the file and the line.
            let unknownKPI = original.replacingOccurrences(of: "kpi: on_time_rate", with: "kpi: on_time_ratio")
            try unknownKPI.write(to: scenario, atomically: true, encoding: .utf8)
            let line = unknownKPI.components(separatedBy: "\n").firstIndex { $0.contains("on_time_ratio") }! + 1
            let run = directory.appendingPathComponent("run")
            let pilot = try ChildProcess(
                try IntegrationEnvironment.program("fleetctl"), ["pilot", scenario.path, "--out", run.path])
            let status = try await pilot.waitForExit(timeout: .seconds(20))
            #expect(status != 0)
            #expect(
                pilot.outputText.contains("\(scenario.path):\(line): targets[4]: unknown KPI 'on_time_ratio'"),
                "\(pilot.outputText)")
            #expect(!FileManager.default.fileExists(atPath: run.path), "nothing started")
            // A loader error keeps its line and field.
            try original.replacingOccurrences(of: "drop: [SM-1, SM-2]", with: "drop: [SM-1, SM-9]")
                .write(to: scenario, atomically: true, encoding: .utf8)
            let second = try ChildProcess(
                try IntegrationEnvironment.program("fleetctl"), ["pilot", scenario.path, "--out", run.path])
            #expect(try await second.waitForExit(timeout: .seconds(20)) != 0)
            #expect(second.outputText.contains("demand[1].drop[1]: unknown station 'SM-9'"), "\(second.outputText)")
        }
    }
}
