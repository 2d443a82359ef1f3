import FleetCore
import FleetTestKit
import Foundation
import Testing

/// Broker + fleetd + fleet-sim, as real processes: 10 robots, about 100 transport tasks.
extension Integration {
    @Suite struct EndToEndTests {
        /// 10 robots, 1.5 h of demand (~105 tasks at 70/h) at 240x: about 23 s of wall time plus the drain. (Faster
        /// clocks make fleetd's acknowledgement and state timeouts, 5 and 10 simulated seconds, shorter than one tick
        /// of the simulation clock.)
        static func simArguments(drainSeconds: Int) -> [String] {
            ["--robots", "10", "--duration", "90m", "--time-scale", "240", "--drain-timeout", String(drainSeconds)]
        }

        @Test func tenRobotsHundredTasksAllCompleteWithValidTraffic() async throws {
            let rig = try await FleetRig(label: "e2e")
            do {
                try await rig.startFleetd()
                try rig.startSim(Self.simArguments(drainSeconds: 60))
                let status = try await rig.waitForSim(timeout: .seconds(120))
                #expect(status == 0, "fleet-sim failed\n\(rig.logs)")
                #expect(rig.fleetd?.isRunning == true, "fleetd died\n\(rig.logs)")
                await rig.stop()

                let records = try rig.records()
                let tasks = Lifecycle.byTask(records)
                #expect(tasks.count >= 80, "only \(tasks.count) tasks were created")
                for (task, kinds) in tasks {
                    #expect(Lifecycle.isWhole(kinds), "task \(task) lifecycle: \(kinds)")
                }
                // Every simulated vehicle published its factsheet when it connected, and fleetd took it.
                var sheets: [RobotID: RobotFactsheet] = [:]
                for case .factsheet(let robot, let sheet, _) in records.map(\.event) { sheets[robot] = sheet }
                #expect(sheets.count == 10, "factsheets journaled for \(sheets.keys.sorted())")
                #expect(
                    sheets.values.allSatisfy { Set(["pick", "drop", "startCharging"]).isSubset(of: $0.actionTypes) })
                let checked = try await IntegrationEnvironment.validateVDA5050(capture: rig.trafficURL)
                #expect(checked > 1000, "only \(checked) VDA 5050 messages captured")
            } catch {
                await rig.stop()
                throw error
            }
        }

        @Test func fleetdKilledMidRunCompletesEveryTaskExactlyOnce() async throws {
            let rig = try await FleetRig(label: "restart")
            do {
                try await rig.startFleetd()
                try rig.startSim(Self.simArguments(drainSeconds: 20))
                // Kill fleetd once about a third of the tasks are done.
                try await waitUntil(timeout: .seconds(60), "30 completed tasks\n\(rig.logs)") {
                    ((try? rig.records())?.filter { $0.event.kind == "completed" }.count ?? 0) >= 30
                }
                rig.fleetd?.send(signal: SIGKILL)
                _ = try await rig.fleetd?.waitForExit(timeout: .seconds(5))
                try await Task.sleep(for: .milliseconds(500))
                try await rig.startFleetd()
                let status = try await rig.waitForSim(timeout: .seconds(150))
                await rig.stop()
                // fleetd keeps a persistent MQTT session, so the broker queues the QoS 1 task requests published
                // while it is down and delivers them on restart: fleet-sim sees every one of its tasks finish.
                #expect(status == 0, "fleet-sim failed after the restart\n\(rig.logs)")

                let records = try rig.records()
                let tasks = Lifecycle.byTask(records)
                #expect(tasks.count >= 80)
                for (task, kinds) in tasks {
                    #expect(kinds.filter { $0 == "completed" }.count == 1, "task \(task): \(kinds)")
                    if let done = kinds.firstIndex(of: "completed") {
                        let after = kinds[(done + 1)...].filter { ["assigned", "dispatched", "started"].contains($0) }
                        #expect(after.isEmpty, "task \(task) handled again after completion: \(kinds)")
                    }
                }
            } catch {
                await rig.stop()
                throw error
            }
        }
    }
}

/// Checks on the lifecycle records of tasks.
enum Lifecycle {
    /// The lifecycle kinds of every task, in journal order.
    static func byTask(_ records: [JournalRecord]) -> [TaskID: [String]] {
        var tasks: [TaskID: [String]] = [:]
        for record in records {
            guard let task = record.event.task, record.event.kind != "phase", record.event.kind != "rejected" else {
                continue
            }
            tasks[task, default: []].append(record.event.kind)
        }
        return tasks
    }

    /// Whether `kinds` holds created → assigned → dispatched → started → completed in that order, starting with
    /// `created` and ending with the one `completed`.
    static func isWhole(_ kinds: [String]) -> Bool {
        let order = ["created", "assigned", "dispatched", "started", "completed"]
        guard kinds.first == "created", kinds.last == "completed", kinds.filter({ $0 == "completed" }).count == 1
        else { return false }
        let firsts = order.map { kinds.firstIndex(of: $0) }
        guard firsts.allSatisfy({ $0 != nil }) else { return false }
        return zip(firsts, firsts.dropFirst()).allSatisfy { $0! < $1! }
    }
}
