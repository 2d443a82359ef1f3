import FleetCore
import FleetTestKit
import Foundation
import Testing

/// fleetd with its API, fleet-sim vehicles and fleetctl: a person in the factory hall's assembly cells slows the
/// orders issued into them; a site emergency stop really stops a driving simulated robot until it is released.
extension Integration {
    @Suite struct ZoneStopTests {
        typealias API = OperatorAPITests

        /// `fleetctl <arguments> --json` parsed as JSON.
        static func json(_ arguments: [String], url: String) throws -> Any? {
            let (status, output) = try API.fleetctl(arguments + ["--json"], url: url)
            guard status == 0 else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(output.utf8))
        }

        @Test func presenceSlowsOrdersAndASiteStopHoldsADrivingRobotUntilReleased() async throws {
            let rig = try await FleetRig(label: "zones")
            do {
                let port = FreePort.loopback()
                try await rig.startFleetd(config: try API.configuration(port: port, in: rig.directory))
                try rig.startSim(["--no-demand", "--robots", "2", "--duration", "60m", "--time-scale", "10"])
                let url = "http://127.0.0.1:\(port)"

                // A line worker at LS-04, inside ASSEMBLY-CELLS (presence: slowdown, 0.3 m/s).
                try rig.publish(
                    "fleetpilot/v1/hall-1/people/lw-1/presence", #"{"role":"line_worker","station":"LS-04"}"#)
                var zones = ""
                try await waitUntil(
                    timeout: .seconds(30), "cells slowed; last `fleetctl zones`:\n\(zones)\n\(rig.logs)"
                ) {
                    let (status, text) = try API.fleetctl(["zones"], url: url)
                    zones = "exit \(status): \(text)"
                    return zones.split(separator: "\n").contains {
                        $0.hasPrefix("ASSEMBLY-CELLS") && $0.contains("slowed")
                    }
                }
                let (unknown, refusal) = try API.fleetctl(["zone", "hold", "NOPE"], url: url)
                #expect(unknown == 1 && refusal.contains("no zone 'NOPE'"), "\(refusal)")

                let (submitted, output) = try API.fleetctl(
                    ["submit", "--id", "Z-1", "--pick", "SM-1", "--drop", "LS-04"], url: url)
                #expect(submitted == 0, "fleetctl submit: \(output)\n\(rig.logs)")

                // Once the robot drives, stop the site.
                var robot: [String: Any] = [:]
                try await waitUntil(timeout: .seconds(60), "a robot driving Z-1\n\(rig.logs)") {
                    let robots = (try? Self.json(["robots"], url: url)) as? [[String: Any]] ?? []
                    robot = robots.first { $0["task"] as? String == "Z-1" } ?? [:]
                    let tasks = (try? Self.json(["tasks"], url: url)) as? [String: Any]
                    let state = (tasks?["items"] as? [[String: Any]])?.first { $0["id"] as? String == "Z-1" }?["state"]
                    return state as? String == "inProgress" && robot["x"] != nil
                }
                let id = try #require(robot["id"] as? String)
                let (stopped, stopText) = try API.fleetctl(["estop"], url: url)
                #expect(stopped == 0 && stopText.contains("site emergency stop in force"), "\(stopText)")
                var paused: [String: Any] = [:]
                try await waitUntil(timeout: .seconds(30), "\(id) reports paused\n\(rig.logs)") {
                    let robots = (try? Self.json(["robots"], url: url)) as? [[String: Any]] ?? []
                    paused = robots.first { $0["id"] as? String == id } ?? [:]
                    return paused["paused"] as? Bool == true
                }
                // 4 s of wall time are 40 s of simulated time: a robot that drives would move metres.
                try await Task.sleep(for: .seconds(4))
                // Read again (a fleetctl call may fail on a loaded machine: retried for up to 30 s).
                var later: [String: Any] = [:]
                try await waitUntil(timeout: .seconds(30), "\(id) listed again\n\(rig.logs)") {
                    let robots = (try? Self.json(["robots"], url: url)) as? [[String: Any]] ?? []
                    later = robots.first { $0["id"] as? String == id } ?? [:]
                    return !later.isEmpty
                }
                #expect(later["paused"] as? Bool == true)
                #expect(
                    later["x"] as? Double == paused["x"] as? Double && later["y"] as? Double == paused["y"] as? Double)
                let (_, table) = try API.fleetctl(["zones"], url: url)
                #expect(table.contains("SITE EMERGENCY STOP by integration-operator"), "\(table)")

                let (released, releaseText) = try API.fleetctl(["estop", "--release"], url: url)
                #expect(released == 0 && releaseText.contains("released"), "\(releaseText)")
                var last = ""
                try await waitUntil(
                    timeout: .seconds(120), "Z-1 completed; last `fleetctl tasks`:\n\(last)\n\(rig.logs)"
                ) {
                    last = (try? API.fleetctl(["tasks", "--state", "completed"], url: url).1) ?? ""
                    return last.split(separator: "\n").contains { $0.hasPrefix("Z-1") }
                }
                await rig.stop()

                let records = try rig.records()
                let stops = records.compactMap { record -> String? in
                    switch record.event {
                    case .emergencyStop(nil, let actor, let robots): return "estop \(actor) \(robots.count)"
                    case .emergencyStopRelease(nil, let actor, let robots):
                        return "estop_release \(actor) \(robots.count)"
                    default: return nil
                    }
                }
                // Every robot of the scenario's fleet (20 configured, 2 of them simulated here) was paused and resumed.
                #expect(stops == ["estop integration-operator 20", "estop_release integration-operator 20"])
                #expect(records.contains { $0.event.kind == "zone_slowdown" })
                // The order into the cells was issued while the worker was there: 0.3 m/s on the edges into LS-04's node.
                let plan = try #require(
                    records.lazy.compactMap { record -> DispatchPlan? in
                        if case .dispatched("Z-1", _, _, let plan) = record.event { return plan } else { return nil }
                    }.first)
                let into = try #require(plan.edges.last)
                #expect(into.endNodeId == "N25" && into.maxSpeed == 0.3, "\(plan.edges)")
                #expect(plan.edges.filter { $0.maxSpeed == 0.3 }.count < plan.edges.count)
            } catch {
                await rig.stop()
                throw error
            }
        }
    }
}
