import FleetCore
import FleetTestKit
import Foundation
import Testing

/// fleetd with its operator API on, a simulated fleet, and `fleetctl` as an operator would use it.
extension Integration {
    @Suite struct OperatorAPITests {
        static let token = "integration-operator-secret-0123"

        /// A configuration that turns the API on at `port` with one operator token (the scenario supplies the
        /// site, layout and fleet).
        static func configuration(port: Int, in directory: URL) throws -> String {
            let path = directory.appendingPathComponent("fleetd-api.yaml").path
            let yaml = """
                siteId: hall-1
                site: unused.yaml
                api:
                  enabled: true
                  host: 127.0.0.1
                  port: \(port)
                  tokens:
                    - {name: integration-operator, role: operator, secret: \(token)}
                """
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// Runs fleetctl with the token in the environment and returns its exit status and output.
        static func fleetctl(_ arguments: [String], url: String, token: String? = token) throws -> (Int32, String) {
            var prefix = ["env", "FLEETCTL_URL=\(url)"]
            if let token { prefix.append("FLEETCTL_TOKEN=\(token)") }
            let program = try IntegrationEnvironment.program("fleetctl")
            let child = try ChildProcess("/usr/bin/env", Array(prefix.dropFirst()) + [program] + arguments)
            let status = try IntegrationEnvironment.waitBlocking(child, seconds: 30)
            return (status, child.outputText)
        }

        @Test func fleetctlSubmitThenTasksShowsItCompleted() async throws {
            let rig = try await FleetRig(label: "operator-api")
            do {
                let port = FreePort.loopback()
                try await rig.startFleetd(config: try Self.configuration(port: port, in: rig.directory))
                try rig.startSim(["--no-demand", "--robots", "3", "--duration", "20m", "--time-scale", "60"])
                let url = "http://127.0.0.1:\(port)"

                let (refused, refusal) = try Self.fleetctl(["tasks"], url: url, token: "wrong-token-000000000000")
                #expect(refused == 1 && refusal.contains("refused the token"), "\(refusal)")

                let (submitted, output) = try Self.fleetctl(
                    ["submit", "--id", "API-1", "--pick", "SM-1", "--drop", "LS-01", "--priority", "high"], url: url)
                #expect(submitted == 0, "fleetctl submit: \(output)\n\(rig.logs)")

                var last = ""
                try await waitUntil(
                    timeout: .seconds(60), "API-1 completed; last `fleetctl tasks`:\n\(last)\n\(rig.logs)"
                ) {
                    let (_, table) = (try? Self.fleetctl(["tasks"], url: url)) ?? (1, "")
                    last = table
                    return table.split(separator: "\n").contains { $0.hasPrefix("API-1") && $0.contains("completed") }
                }
                let (listed, json) = try Self.fleetctl(["tasks", "--json", "--state", "completed"], url: url)
                #expect(listed == 0 && json.contains("\"requester\":\"integration-operator\""), "\(json)")
                let (robots, table) = try Self.fleetctl(["robots"], url: url)
                #expect(robots == 0 && table.contains("AMR-01"), "\(table)")
                await rig.stop()

                let created = try rig.records().compactMap { record -> TaskRequest? in
                    if case .created(let request) = record.event { return request } else { return nil }
                }
                #expect(created.first { $0.id == "API-1" }?.requester == "integration-operator")
            } catch {
                await rig.stop()
                throw error
            }
        }

        @Test func fleetctlExplainsAnUnreachableDaemon() throws {
            let reserved = FreePort.refusing()
            defer { reserved.close() }
            let port = reserved.port
            let (status, output) = try Self.fleetctl(["robots"], url: "http://127.0.0.1:\(port)")
            #expect(status == 2)
            #expect(output.contains("cannot reach fleetd at http://127.0.0.1:\(port)"), "\(output)")
        }
    }
}
