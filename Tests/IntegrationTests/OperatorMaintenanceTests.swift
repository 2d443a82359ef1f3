import FleetCore
import FleetTestKit
import Foundation
import Testing

/// fleetd with its operator API, fleet-sim and `fleetctl`: maintenance takes a working robot out of service and
/// another robot finishes its task; people registered by their devices show in `fleetctl people`.
extension Integration {
    @Suite struct OperatorMaintenanceTests {
        typealias API = OperatorAPITests

        /// The task `id` as `fleetctl tasks --json` shows it.
        static func task(_ id: String, url: String) throws -> [String: Any]? {
            let (_, json) = try API.fleetctl(["tasks", "--json"], url: url)
            let page = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
            return (page?["items"] as? [[String: Any]])?.first { $0["id"] as? String == id }
        }

        @Test func maintenanceHandsTheTaskToAnotherRobotAndPeopleAreListed() async throws {
            let rig = try await FleetRig(label: "operator-maintenance")
            do {
                let port = FreePort.loopback()
                try await rig.startFleetd(config: try API.configuration(port: port, in: rig.directory))
                // A slow clock, so the robot is still on its way to the pick when it is taken out of service.
                try rig.startSim(["--no-demand", "--robots", "3", "--duration", "30m", "--time-scale", "10"])
                let url = "http://127.0.0.1:\(port)"

                // A caregiver's device registers her; fleetctl lists her with role, presence and place.
                try rig.publish(
                    "fleetpilot/v1/hall-1/people/carer-9/presence",
                    #"{"present":true,"role":"caregiver","skills":["lift-assist"],"station":"SM-1"}"#)
                var people = ""
                try await waitUntil(timeout: .seconds(30), "carer-9 in `fleetctl people`:\n\(people)\n\(rig.logs)") {
                    people = (try? API.fleetctl(["people"], url: url))?.1 ?? ""
                    return people.split(separator: "\n").contains { line in
                        line.hasPrefix("carer-9") && line.contains("caregiver") && line.contains("SM-1")
                            && line.contains("lift-assist")
                    }
                }
                #expect(people.hasPrefix("PERSON"), "\(people)")
                let (listed, json) = try API.fleetctl(["people", "--json", "--role", "caregiver"], url: url)
                #expect(
                    listed == 0 && json.contains(#""id":"carer-9""#) && json.contains(#""present":true"#), "\(json)")

                // A task starts on some robot; that robot goes into maintenance before it reaches the pick.
                let (submitted, output) = try API.fleetctl(
                    ["submit", "--id", "MNT-1", "--pick", "LS-12", "--drop", "KIT-1"], url: url)
                #expect(submitted == 0, "fleetctl submit: \(output)\n\(rig.logs)")
                var first = ""
                try await waitUntil(timeout: .seconds(30), "MNT-1 assigned\n\(rig.logs)") {
                    first = (try Self.task("MNT-1", url: url)?["robot"] as? String) ?? ""
                    return !first.isEmpty
                }
                let (taken, message) = try API.fleetctl(
                    ["maintenance", first, "--reason", "wheel check"], url: url)
                #expect(taken == 0 && message.contains("in maintenance"), "\(message)")
                let (again, refusal) = try API.fleetctl(["maintenance", first], url: url)
                #expect(again == 1 && refusal.contains("already in maintenance"), "\(refusal)")

                var last: [String: Any] = [:]
                try await waitUntil(timeout: .seconds(120), "MNT-1 completed by another robot: \(last)\n\(rig.logs)") {
                    last = try Self.task("MNT-1", url: url) ?? [:]
                    return last["state"] as? String == "completed"
                }
                #expect(last["robot"] as? String != first, "another robot finished MNT-1")
                let (_, robots) = try API.fleetctl(["robots", "--status", "maintenance"], url: url)
                #expect(robots.contains(first), "\(robots)")
                let (ended, back) = try API.fleetctl(["maintenance", first, "--end"], url: url)
                #expect(ended == 0 && back.contains("back in service"), "\(back)")
                await rig.stop()

                let events = try rig.records().map(\.event)
                let robot = try #require(RobotID(first))
                #expect(
                    events.contains(
                        .maintenance(robot: robot, active: true, actor: "integration-operator", reason: "wheel check")))
                #expect(
                    events.contains(
                        .maintenance(robot: robot, active: false, actor: "integration-operator", reason: "")))
                let requeue = events.firstIndex {
                    if case .requeued("MNT-1", robot, .maintenance, _) = $0 { return true } else { return false }
                }
                let start = events.firstIndex { $0.kind == "maintenance_start" }
                #expect(requeue != nil && start != nil && start! < requeue!, "maintenance_start, then requeued")
                #expect(
                    events.contains {
                        if case .reassigned("MNT-1", robot, _, .maintenance, _) = $0 { true } else { false }
                    })
            } catch {
                await rig.stop()
                throw error
            }
        }
    }
}
