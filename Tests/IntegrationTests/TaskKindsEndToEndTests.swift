import FleetCore
import FleetTestKit
import Foundation
import Testing

/// The task kinds end to end over MQTT: broker + fleetd + fleet-sim as real processes on a small site with a
/// charger, every request and confirmation published like a requester or a person's device would.
extension Integration {
    @Suite struct TaskKindsEndToEndTests {
        /// ```
        /// N4(0,8) --- N5(8,8) --- N6(16,8) --- N7(24,8)      W1 at N4, BED at N5, W2 at N6, W3 at N7
        ///   |           |            |            |
        /// N0(0,0) --- N1(8,0) --- N2(16,0) --- N3(24,0)      PICK at N1, DOOR at N2, DROP at N3
        ///   |           |            |            |
        /// CH1(0,-4)   PK1(8,-4)   PK2(16,-4)   PK3(24,-4)    charger CH-1, parking P1..P3 (the robots start there)
        /// ```
        static let site = """
            site: kinds
            mapId: m1
            nodes:
              - {id: N0, x: 0, y: 0}
              - {id: N1, x: 8, y: 0}
              - {id: N2, x: 16, y: 0}
              - {id: N3, x: 24, y: 0}
              - {id: N4, x: 0, y: 8}
              - {id: N5, x: 8, y: 8}
              - {id: N6, x: 16, y: 8}
              - {id: N7, x: 24, y: 8}
              - {id: CH1, x: 0, y: -4}
              - {id: PK1, x: 8, y: -4}
              - {id: PK2, x: 16, y: -4}
              - {id: PK3, x: 24, y: -4}
            edges:
              - {id: S01, from: N0, to: N1, bidirectional: true}
              - {id: S12, from: N1, to: N2, bidirectional: true}
              - {id: S23, from: N2, to: N3, bidirectional: true}
              - {id: T45, from: N4, to: N5, bidirectional: true}
              - {id: T56, from: N5, to: N6, bidirectional: true}
              - {id: T67, from: N6, to: N7, bidirectional: true}
              - {id: X04, from: N0, to: N4, bidirectional: true}
              - {id: X15, from: N1, to: N5, bidirectional: true}
              - {id: X26, from: N2, to: N6, bidirectional: true}
              - {id: X37, from: N3, to: N7, bidirectional: true}
              - {id: C0, from: N0, to: CH1, bidirectional: true}
              - {id: P1, from: N1, to: PK1, bidirectional: true}
              - {id: P2, from: N2, to: PK2, bidirectional: true}
              - {id: P3, from: N3, to: PK3, bidirectional: true}
            stations:
              - {id: PICK, node: N1, kind: pick}
              - {id: DOOR, node: N2, kind: lineSide}
              - {id: DROP, node: N3, kind: drop}
              - {id: W1, node: N4, kind: lineSide}
              - {id: BED, node: N5, kind: lineSide}
              - {id: W2, node: N6, kind: lineSide}
              - {id: W3, node: N7, kind: lineSide}
            chargers:
              - {id: CH-1, node: CH1, capacity: 1}
            parking:
              - {id: PARK-1, node: PK1}
              - {id: PARK-2, node: PK2}
              - {id: PARK-3, node: PK3}
            """

        /// Two robots ready to work and one that must charge first (25 %, charging fast), on the site above.
        static let scenario = """
            name: task-kinds
            site: kinds-site.yaml
            siteId: hall-1
            seed: 7
            start: 2026-11-30T06:00:00Z
            duration: 30m
            timeScale: 10
            stateInterval: 5
            fleet:
              - {type: AMR, manufacturer: acme, serialPrefix: AMR-, count: 2, capabilities: [lift], maxPayloadKg: 60,
                 maxSpeed: 1.0, acceleration: 0.5, initialBattery: [90, 95]}
              - {type: AMR, manufacturer: acme, serialPrefix: LOW-, count: 1, capabilities: [lift], maxPayloadKg: 60,
                 maxSpeed: 1.0, acceleration: 0.5, initialBattery: [25, 25], chargePercentPerSecond: 5}
            actions: {pick: 5, drop: 5}
            demand: []
            """

        @Test func everyKindReachesCompletedOverMQTT() async throws {
            let files = try IntegrationEnvironment.temporaryDirectory("kinds-config")
            try Self.site.write(to: files.appendingPathComponent("kinds-site.yaml"), atomically: true, encoding: .utf8)
            let scenario = files.appendingPathComponent("task-kinds.yaml")
            try Self.scenario.write(to: scenario, atomically: true, encoding: .utf8)
            let rig = try await FleetRig(label: "kinds", scenario: scenario.path)
            do {
                try await rig.startFleetd()
                try rig.startSim(["--no-demand", "--time-scale", "10"])
                try await Self.run(rig)
                await rig.stop()
                try Self.checkJournal(try rig.records())
                let checked = try await IntegrationEnvironment.validateVDA5050(capture: rig.trafficURL)
                #expect(checked > 50, "only \(checked) VDA 5050 messages captured")
            } catch {
                await rig.stop()
                throw error
            }
        }

        /// Publishes the requests and confirmations, each once the run is where it needs to be.
        static func run(_ rig: FleetRig) async throws {
            let tasks = "fleetpilot/v1/hall-1/tasks"
            let traffic = Traffic(url: rig.trafficURL)
            // The low robot charges first (a coordinator charge task, startCharging at CH-1).
            try await waitUntil(timeout: .seconds(30), "the LOW robot's charge task\n\(rig.logs)") {
                traffic.status("charge-LOW-01-1", "inProgress")
            }
            // A cooperative carry: two robots gather at PICK, pick, then get the drop leg as an order update at once.
            try rig.publish(
                "\(tasks)/request",
                #"{"id":"K-1","kind":"cooperative_carry","pick":"PICK","drop":"DROP","robots":2,"loadWeightKg":90,"capabilities":["lift"]}"#
            )
            try await waitUntil(timeout: .seconds(40), "K-1 to end\n\(rig.logs)") {
                traffic.status("K-1", "completed") || traffic.status("K-1", "failed")
            }
            #expect(traffic.status("K-1", "completed"), "K-1 did not complete")
            // Every robot busy with a one-robot task (a patrol of 3 waypoints among them), then an emergency: it
            // interrupts one of them, whose task goes back to the queue and completes later.
            try await waitUntil(timeout: .seconds(30), "the charge to complete\n\(rig.logs)") {
                traffic.status("charge-LOW-01-1", "completed")
            }
            try rig.publish(
                "\(tasks)/request", #"{"id":"P-1","kind":"patrol","stops":["W3","W1","DOOR"],"requester":"it"}"#)
            try rig.publish("\(tasks)/request", #"{"id":"P-2","kind":"patrol","stops":["W1","W3","DROP"]}"#)
            try rig.publish("\(tasks)/request", #"{"id":"T-1","pick":"DROP","drop":"W1","priority":"high"}"#)
            try await waitUntil(timeout: .seconds(30), "P-1, P-2 and T-1 under way\n\(rig.logs)") {
                ["P-1", "P-2", "T-1"].allSatisfy { traffic.status($0, "inProgress") }
            }
            try rig.publish(
                "\(tasks)/request", #"{"id":"E-1","kind":"emergency","stops":["BED"],"requester":"fall-sensor"}"#)
            try await waitUntil(timeout: .seconds(30), "E-1 to complete\n\(rig.logs)") {
                traffic.status("E-1", "completed")
            }
            // An assist: the robot waits at W2 until carer-2 confirms on the confirm topic.
            try rig.publish("\(tasks)/request", #"{"id":"A-1","kind":"assist","stops":["W2"],"person":"carer-2"}"#)
            try await waitUntil(timeout: .seconds(30), "the A-1 robot waiting for carer-2\n\(rig.logs)") {
                traffic.event(task: "A-1", containing: "awaiting_confirmation")
            }
            // The wrong person and an unknown task are refused; carer-2's confirmation completes the assist.
            try rig.publish("\(tasks)/A-1/confirm", #"{"person":"visitor"}"#)
            try rig.publish("\(tasks)/NOPE-1/confirm", #"{"person":"carer-2"}"#)
            try rig.publish("\(tasks)/A-1/confirm", #"{"person":"carer-2"}"#)
            try await waitUntil(timeout: .seconds(40), "every task to complete\n\(rig.logs)") {
                ["P-1", "P-2", "T-1", "E-1", "A-1", "charge-LOW-01-1"].allSatisfy { traffic.status($0, "completed") }
            }
            #expect(traffic.status("NOPE-1", "rejected"), "no rejected status for the unknown task's confirmation")
            #expect(!traffic.status("A-1", "rejected"), "the wrong person's refusal overwrote A-1's status")
        }

        /// What the journal must show: the preemption, the person's confirmation, the coalition, and each task
        /// completed exactly once.
        static func checkJournal(_ records: [JournalRecord]) throws {
            let events = records.map(\.event)
            let requeued = events.compactMap { event -> (TaskID, RequeueReason, String)? in
                if case .requeued(let task, _, let reason, let detail) = event { (task, reason, detail) } else { nil }
            }
            let preempted = try #require(requeued.first, "no task was re-queued")
            #expect(requeued.count == 1 && preempted.1 == .preempted, "\(requeued)")
            #expect(["P-1", "P-2", "T-1"].contains(preempted.0))
            #expect(preempted.2.contains("taken for emergency task 'E-1'"), "\(preempted.2)")
            #expect(events.contains(.humanAck(task: "A-1", person: "carer-2")))
            #expect(!events.contains(.humanAck(task: "A-1", person: "visitor")))
            let members = events.compactMap { event -> RobotID? in
                if case .phase("K-1", let robot, "coalition_member") = event { robot } else { nil }
            }
            #expect(Set(members).count == 2, "coalition members: \(members)")
            let rejected = events.compactMap { event -> String? in
                if case .rejected(_, let detail) = event { detail } else { nil }
            }
            #expect(rejected.contains { $0.contains("must be confirmed by carer-2, not visitor") }, "\(rejected)")
            #expect(rejected.contains { $0.contains("unknown task 'NOPE-1'") }, "\(rejected)")
            let tasks = Lifecycle.byTask(records)
            for id: TaskID in ["P-1", "P-2", "T-1", "E-1", "A-1", "charge-LOW-01-1"] {
                let kinds = try #require(tasks[id], "no records of \(id)")
                #expect(kinds.filter { $0 == "completed" }.count == 1 && kinds.last == "completed", "\(id): \(kinds)")
            }
            // The preempted task went back to the queue and was assigned again.
            #expect(tasks[preempted.0]?.contains("reassigned") == true, "\(tasks[preempted.0] ?? [])")
            #expect(events.contains { if case .phase("K-1", _, "gathered") = $0 { true } else { false } })
            #expect(tasks["K-1"]?.last == "completed", "K-1: \(tasks["K-1"] ?? [])")
        }
    }
}

/// The capture of a run (`mosquitto_sub -v` lines), read afresh on every question.
struct Traffic: Sendable {
    let url: URL

    var lines: [Substring] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    /// Whether task `id`'s status topic ever carried `state`.
    func status(_ id: String, _ state: String) -> Bool {
        let topic = "fleetpilot/v1/hall-1/tasks/\(id)/status "
        return lines.contains { $0.hasPrefix(topic) && $0.contains(#""state":"\#(state)""#) }
    }

    /// Whether an event of task `id` mentioning `text` was published on the events topic.
    func event(task id: String, containing text: String) -> Bool {
        lines.contains {
            $0.hasPrefix("fleetpilot/v1/hall-1/events ") && $0.contains(#""task":"\#(id)""#) && $0.contains(text)
        }
    }
}
