import FleetCore
import FleetTestKit
import Foundation
import Testing

/// `eldercare-night` over MQTT: broker + fleetd + fleet-sim as real processes, fleet-sim simulating the 24
/// residents (calls, falls), two caregivers and the nurse station, and dropping robots out on purpose.
extension Integration {
    @Suite struct EldercareNightTests {
        /// `Configs/scenarios/eldercare-night.yaml`, made to fit a test: the site path absolute, the faults early
        /// enough for a 2-hour run (the permanent drop-out of CARE-02 at 20 min, the communication loss at 40 min,
        /// the second drop-out at 1 h for 45 min) and residents calling and falling more often, so the run has
        /// several of each.
        static func scenario(in directory: URL) throws -> URL {
            let source = IntegrationEnvironment.repository.appendingPathComponent(
                "Configs/scenarios/eldercare-night.yaml")
            var text = try String(contentsOf: source, encoding: .utf8)
            let site = IntegrationEnvironment.repository.appendingPathComponent("Configs/sites/care-home.yaml").path
            for (old, new) in [
                ("site: ../sites/care-home.yaml", "site: \(site)"),
                ("{at: 3h, kind: dropout, robots: [CARE-02]}", "{at: 20m, kind: dropout, robots: [CARE-02]}"),
                ("{at: 4h, kind: commLoss", "{at: 40m, kind: commLoss"),
                ("{at: 5h30m, kind: dropout", "{at: 1h, kind: dropout"),
                ("callsPerHour: 0.25, fallsPerHour: 0.04", "callsPerHour: 0.4, fallsPerHour: 0.1"),
            ] {
                try #require(text.contains(old), "eldercare-night.yaml no longer contains '\(old)'")
                text = text.replacingOccurrences(of: old, with: new)
            }
            let file = directory.appendingPathComponent("eldercare-night.yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            return file
        }

        /// The ids of what fleet-sim's residents published on `people/{id}/{kind}` (`call` or `alert`).
        static func published(_ kind: String, in traffic: Traffic) -> Set<String> {
            var ids: Set<String> = []
            for line in traffic.lines where line.hasPrefix("fleetpilot/v1/care-1/people/") {
                guard let space = line.firstIndex(of: " "), line[..<space].hasSuffix("/\(kind)") else { continue }
                let payload = Data(line[line.index(after: space)...].utf8)
                if let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
                    let id = object["id"] as? String
                {
                    ids.insert(id)
                }
            }
            return ids
        }

        @Test func callsAndFallsWithRobotDropoutsAllEndWithAPerson() async throws {
            let files = try IntegrationEnvironment.temporaryDirectory("eldercare-config")
            let rig = try await FleetRig(label: "eldercare", scenario: try Self.scenario(in: files).path)
            do {
                try await rig.startFleetd()
                // 2 simulated hours at 240x: 30 s of wall time, then the drain until every call is settled.
                try rig.startSim(["--duration", "2h", "--time-scale", "240", "--drain-timeout", "30"])
                let status = try await rig.waitForSim(timeout: .seconds(120))
                #expect(status == 0, "fleet-sim did not finish cleanly\n\(rig.logs)")
                #expect(rig.fleetd?.isRunning == true, "fleetd died\n\(rig.logs)")
                try await Task.sleep(for: .milliseconds(500))
                await rig.stop()
                try Self.check(
                    try rig.records(), traffic: Traffic(url: rig.trafficURL), simOutput: rig.sim?.outputText ?? "")
            } catch {
                await rig.stop()
                throw error
            }
        }

        /// No call or alert lost, each resolved or in the hands of a person who acknowledged, every step journaled,
        /// and the drop-outs seen by fleetd.
        static func check(_ records: [JournalRecord], traffic: Traffic, simOutput: String) throws {
            let events = records.map(\.event)
            var calls: Set<String> = []
            var alerts: Set<String> = []
            var arrived: [String: PersonID] = [:]
            var completed: Set<String> = []
            var escalatedTo: [String: Set<PersonID>] = [:]
            var acknowledgedBy: [String: Set<PersonID>] = [:]
            var fallNotified: Set<String> = []
            var assigned: Set<String> = []
            for event in events {
                switch event {
                case .call(let task, _, _): calls.insert(task.rawValue)
                case .alert(let task, _, _, _): alerts.insert(task.rawValue)
                case .humanArrived(let task, let person): arrived[task.rawValue] = arrived[task.rawValue] ?? person
                case .completed(let task, _, _): completed.insert(task.rawValue)
                case .assigned(let task, _, _): assigned.insert(task.rawValue)
                case .escalated(let task, let person, _, let reason):
                    escalatedTo[task.rawValue, default: []].insert(person)
                    if reason == .fallAlert { fallNotified.insert(task.rawValue) }
                case .acknowledged(let task, let person, _): acknowledgedBy[task.rawValue, default: []].insert(person)
                default: break
                }
            }
            // Nothing lost between the residents' devices and the journal.
            let publishedCalls = published("call", in: traffic)
            let publishedAlerts = published("alert", in: traffic)
            try #require(
                publishedCalls.count >= 3 && publishedAlerts.count >= 1,
                "calls \(publishedCalls) alerts \(publishedAlerts)")
            #expect(
                calls == publishedCalls, "journaled calls \(calls.sorted()) vs published \(publishedCalls.sorted())")
            #expect(
                alerts == publishedAlerts,
                "journaled alerts \(alerts.sorted()) vs published \(publishedAlerts.sorted())")
            // Each ends resolved (a person on scene, or for a call the robot's assist completed) or escalated to a
            // person who acknowledged.
            for id in calls.union(alerts).sorted() {
                let resolved = arrived[id] != nil || (calls.contains(id) && completed.contains(id))
                let inHands = !(escalatedTo[id, default: []].intersection(acknowledgedBy[id, default: []])).isEmpty
                #expect(resolved || inHands, "\(id): neither resolved nor acknowledged by a person it went to")
            }
            for id in alerts { #expect(fallNotified.contains(id), "fall \(id) was not escalated to a person at once") }
            // Every step is in the journal: call/alert, assignment, escalated, human_ack, human_arrived.
            let all = calls.union(alerts)
            #expect(!assigned.intersection(all).isEmpty, "no call or alert was assigned to a robot")
            #expect(!Set(escalatedTo.keys).intersection(all).isEmpty, "no escalation")
            #expect(!Set(acknowledgedBy.keys).intersection(all).isEmpty, "no acknowledgement by a person")
            #expect(!Set(arrived.keys).intersection(all).isEmpty, "no person arrived on scene")
            #expect(arrived.values.allSatisfy { !$0.rawValue.hasPrefix("res-") }, "a resident counted as on scene")
            // Robots report the people near them (fleet-sim's people detection) and fleetd journals the episodes.
            #expect(
                events.contains { if case .humanProximity = $0 { true } else { false } },
                "no human_proximity record")
            // A robot settles a call when the resident confirms its check (about 19 calls, two in three confirmed).
            #expect(
                calls.contains { completed.contains($0) && arrived[$0] == nil },
                "no call was settled by a robot and the resident's confirmation")
            // The drop-outs: CARE-02's FATAL error and OFFLINE reached fleetd; fleet-sim logged each injection.
            let care02 = RobotID(manufacturer: "carebot", serialNumber: "CARE-02")
            #expect(
                events.contains {
                    if case .fault(care02, "robotDropout", .fatal, true, _) = $0 { true } else { false }
                }, "no robotDropout fault of CARE-02 in the journal")
            #expect(events.contains(.connection(robot: care02, state: .offline)), "CARE-02 never went offline")
            #expect(
                simOutput.contains("fault dropout begins on carebot/CARE-02 (until the end)"),
                "\(simOutput.suffix(2000))")
            #expect(simOutput.contains("fault commLoss ends on carebot/"), "\(simOutput.suffix(2000))")
            #expect(simOutput.contains("fault dropout ends on carebot/"), "\(simOutput.suffix(2000))")
        }
    }
}
