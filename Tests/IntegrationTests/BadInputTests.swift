import FleetCore
import FleetTestKit
import Foundation
import Testing

/// Bad input against a running fleetd, and broken configuration files.
extension Integration {
    @Suite struct BadInputTests {
        @Test func rejectsBadRequestsAndKeepsRunning() async throws {
            let rig = try await FleetRig(label: "bad-input")
            do {
                try await rig.startFleetd()
                try rig.startSim(["--robots", "2", "--no-demand", "--duration", "60m", "--time-scale", "120"])
                try await Task.sleep(for: .seconds(1))
                let tasks = "fleetpilot/v1/hall-1/tasks"
                try rig.publish("\(tasks)/request", "this is not json")
                try rig.publish("\(tasks)/request", #"{"id":"BAD-1","pick":"DOCK-IN-1"}"#)
                try rig.publish("\(tasks)/request", #"{"id":"BAD-2","pick":"NOWHERE","drop":"SM-1"}"#)
                try rig.publish(
                    "\(tasks)/request", #"{"id":"BAD-3","pick":"DOCK-IN-1","drop":"SM-1","priority":"asap"}"#)
                try rig.publish("\(tasks)/request", #"{"id":42,"pick":[],"drop":{}}"#)
                try rig.publish(
                    "uagv/v2/ghost/X-99/state", #"{"headerId":1,"serialNumber":"X-99","manufacturer":"ghost"}"#)
                try rig.publish("uagv/v2/acme/AMR-01/state", "\u{1}\u{2} garbage {")
                try rig.publish("uagv/v2/acme/AMR-01/connection", "[]")
                try rig.publish("\(tasks)/cancel", "{")
                try rig.publish("\(tasks)/request", #"{"id":"OK-1","pick":"DOCK-IN-1","drop":"SM-1"}"#)

                let traffic = rig.trafficURL
                func status(_ id: String, _ state: String) -> Bool {
                    let text = (try? String(contentsOf: traffic, encoding: .utf8)) ?? ""
                    return text.split(separator: "\n").contains {
                        $0.hasPrefix("\(tasks)/\(id)/status ") && $0.contains(#""state":"\#(state)""#)
                    }
                }
                try await waitUntil(timeout: .seconds(20), "rejections of BAD-1..3\n\(rig.logs)") {
                    status("BAD-1", "rejected") && status("BAD-2", "rejected") && status("BAD-3", "rejected")
                }
                try await waitUntil(timeout: .seconds(40), "OK-1 to complete after the bad input\n\(rig.logs)") {
                    status("OK-1", "completed")
                }
                #expect(rig.fleetd?.isRunning == true, "fleetd died on bad input\n\(rig.logs)")
                let log = rig.fleetd?.outputText ?? ""
                #expect(log.contains("BAD-2"), "fleetd did not log the rejection of BAD-2")
                await rig.stop()
            } catch {
                await rig.stop()
                throw error
            }
        }

        @Test func brokenSiteFileStopsFleetdWithFileAndLine() async throws {
            let directory = try IntegrationEnvironment.temporaryDirectory("broken-site")
            let scenario = try String(contentsOfFile: IntegrationEnvironment.factoryScenario, encoding: .utf8)
                .replacingOccurrences(of: "site: ../sites/factory-hall.yaml", with: "site: broken-site.yaml")
            try scenario.write(to: directory.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
            let site = """
                site: broken
                mapId: hall-1
                nodes:
                  - {id: N00, x: 0, y: 0}
                  - {id: N01, x: oops, y: 0}
                edges: []
                """
            try site.write(to: directory.appendingPathComponent("broken-site.yaml"), atomically: true, encoding: .utf8)
            let fleetd = try ChildProcess(
                try IntegrationEnvironment.program("fleetd"),
                ["--scenario", directory.appendingPathComponent("scenario.yaml").path, "--broker", "127.0.0.1:1"])
            let status = try await fleetd.waitForExit(timeout: .seconds(20))
            #expect(status == 2, "fleetd: \(fleetd.outputText)")
            #expect(fleetd.outputText.contains("broken-site.yaml"), "no file name in: \(fleetd.outputText)")
            #expect(fleetd.outputText.contains("broken-site.yaml:5"), "no line 5 in: \(fleetd.outputText)")
        }

        @Test func brokenScenarioFileStopsFleetdWithFileAndLine() async throws {
            let directory = try IntegrationEnvironment.temporaryDirectory("broken-scenario")
            let file = directory.appendingPathComponent("broken-scenario.yaml")
            try "name: broken\nsite: [unclosed\nfleet: 3\n".write(to: file, atomically: true, encoding: .utf8)
            let fleetd = try ChildProcess(
                try IntegrationEnvironment.program("fleetd"), ["--scenario", file.path, "--broker", "127.0.0.1:1"])
            let status = try await fleetd.waitForExit(timeout: .seconds(20))
            #expect(status == 2, "fleetd: \(fleetd.outputText)")
            #expect(fleetd.outputText.contains("broken-scenario.yaml"), "no file name in: \(fleetd.outputText)")
            #expect(fleetd.outputText.contains(/broken-scenario\.yaml:[0-9]+/), "no line in: \(fleetd.outputText)")
        }
    }
}
