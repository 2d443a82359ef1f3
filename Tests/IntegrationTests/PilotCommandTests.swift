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
            ] {
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), "\(name)")
            }
            #expect(pilot.outputText.contains("results: \(directory.path)"))
            let summary =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: directory.appendingPathComponent("summary.json"))) as? [String: Any]
            let tasks = summary?["tasks"] as? [String: Any]
            #expect((tasks?["open"] as? Int) == 0)
            #expect((tasks?["created"] as? Int ?? 0) > 0)
        }

        @Test func missingScenarioIsAClearError() async throws {
            let pilot = try ChildProcess(
                try IntegrationEnvironment.program("fleetctl"), ["pilot", "/nonexistent.yaml"])
            let status = try await pilot.waitForExit(timeout: .seconds(10))
            #expect(status != 0)
            #expect(pilot.outputText.contains("scenario file '/nonexistent.yaml' does not exist"))
        }
    }
}
