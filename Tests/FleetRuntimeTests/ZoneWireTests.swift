import FleetCore
import FleetMQTT
import FleetRuntime
import FleetStore
import FleetTestKit
import Foundation
import Testing
import VDA5050

@Suite("Zone holds, slowdowns and emergency stops on the wire", .serialized)
struct ZoneWireTests {
    /// The shell tests' line `N1 - N2 - N3` with a slowdown zone at N2 (0.2 m/s) and a hold zone at N3.
    static let layoutYAML =
        ShellHarness.layoutYAML + """

            zones:
              - {id: MID, kind: humanWork, presence: slowdown, presenceSpeed: 0.2, nodes: [N2]}
              - {id: DROP-AREA, kind: humanWork, presence: hold, nodes: [N3]}
            """

    @Test("presence and operator stops become VDA 5050-valid orders and startPause/stopPause, journal first")
    func presenceAndStopsOnTheWire() async throws {
        let harness = try ShellHarness(layoutYAML: Self.layoutYAML)
        let daemon = try await harness.startDaemon()
        let robot = try FakeRobot(port: harness.broker.port, serial: "R-01", at: "N1")
        robot.setAutoFinish(false)
        try await robot.start()
        let (observer, seen) = try await harness.observer()
        try await observer.subscribe("uagv/v2/+/+/instantActions")
        try await waitUntil("robot observed") { daemon.service.counters.states >= 1 }
        let people = try await harness.requester()
        func presence(_ person: String, _ json: String) async throws {
            try await people.publishAndWait(topic: "fleetpilot/v1/site-1/people/\(person)/presence", string: json)
        }
        let instantTopic = "uagv/v2/acme/R-01/instantActions"
        func pauseActions() -> [String] {
            seen.elements.filter { $0.topic == instantTopic }.compactMap {
                (($0.json["actions"] as? [[String: Any]])?.first?["actionType"]) as? String
            }
        }

        // A worker in MID: the order issued now drives 0.2 m/s on both edges touching N2.
        try await presence("w-2", #"{"role":"line_worker","node":"N2"}"#)
        try await seen.waitForElement(timeout: .seconds(30)) { $0.json["kind"] as? String == "zone_slowdown" }
        try await people.publishAndWait(
            topic: "fleetpilot/v1/site-1/tasks/request", string: #"{"id":"T-1","pick":"S1","drop":"S2"}"#)
        let order = try await seen.waitForElement(timeout: .seconds(30)) { $0.topic == "uagv/v2/acme/R-01/order" }
            .element
        let edges = order.json["edges"] as? [[String: Any]] ?? []
        #expect(!edges.isEmpty && edges.allSatisfy { $0["maxSpeed"] as? Double == 0.2 }, "\(edges)")

        // A worker at the drop: the robot, whose released route ends there, gets startPause after zone_hold.
        try await presence("w-1", #"{"role":"line_worker","node":"N3"}"#)
        try await waitUntil(timeout: .seconds(30), "startPause sent") { pauseActions() == ["startPause"] }
        // The worker leaves: stopPause.
        try await presence("w-1", #"{"present":false}"#)
        try await waitUntil(timeout: .seconds(30), "stopPause sent") { pauseActions() == ["startPause", "stopPause"] }

        // An operator's site stop and its release, through the shell like the API does it.
        let shell = try #require(daemon.service.shell)
        #expect(await shell.zoneCommand(.emergencyStop(zone: nil), actor: "alice") == nil)
        #expect(await shell.zoneCommand(.emergencyStop(zone: nil), actor: "bob")?.contains("already") == true)
        #expect(await shell.zoneCommand(.hold(zone: "NOPE"), actor: "bob")?.contains("unknown zone 'NOPE'") == true)
        try await waitUntil(timeout: .seconds(30), "site stop sent") { pauseActions().count == 3 }
        #expect(await shell.zoneCommand(.releaseEmergencyStop(zone: nil), actor: "bob") == nil)
        try await waitUntil(timeout: .seconds(30), "site stop released") {
            pauseActions() == ["startPause", "stopPause", "startPause", "stopPause"]
        }

        // Every pause follows the event line of the record it comes from.
        let messages = seen.elements
        func first(_ kind: String) -> Int? {
            messages.firstIndex { $0.topic.hasSuffix("/events") && $0.json["kind"] as? String == kind }
        }
        let pauses = messages.indices.filter { messages[$0].topic == instantTopic }
        for (index, kind) in zip(pauses, ["zone_hold", "zone_release", "estop", "estop_release"]) {
            let event = try #require(first(kind), "no \(kind) event line")
            #expect(event < index, "\(kind) must precede its instant action")
        }
        let stop = try #require(messages.first { $0.json["kind"] as? String == "estop" })
        #expect((stop.json["data"] as? [String: Any])?["actor"] as? String == "alice")
        #expect((stop.json["data"] as? [String: Any])?["robots"] as? [String] == ["acme/R-01"])

        // Everything sent to the robot passes the official 2.1 schemas.
        let codec = VDA5050Codec()
        var capture = ""
        for message in messages where message.topic.hasPrefix("uagv/v2/") {
            if message.topic.hasSuffix("/instantActions") {
                let decoded = try codec.decode(InstantActions.self, from: message.payload)
                #expect(decoded.actions.count == 1 && decoded.actions[0].blockingType == .hard)
            }
            capture += message.topic + " " + String(decoding: message.payload, as: UTF8.self) + "\n"
        }
        try Self.validate(capture)

        // The journal has the zone records in order, with their actors.
        let journal = try SQLiteJournal(readOnlyPath: harness.configuration.journalPath)
        let kinds = try journal.entries(after: 0, limit: 10_000).map(\.kind).filter {
            $0.hasPrefix("zone_") || $0.hasPrefix("estop")
        }
        journal.close()
        #expect(
            kinds == [
                "zone_presence", "zone_slowdown", "zone_presence", "zone_hold", "zone_presence", "zone_release",
                "estop",
                "estop_release",
            ])

        try await daemon.stop()
        await robot.stop()
        await observer.disconnect()
        await people.disconnect()
    }

    @Test("the pause message is a parameterless HARD instant action for the robot")
    func pauseMapping() throws {
        let robot = RobotID(manufacturer: "acme", serialNumber: "AMR-01")
        let pause = VDA5050Mapping.pause(robot: robot, paused: true, actionId: "zone-startPause-1-1")
        let resume = VDA5050Mapping.pause(robot: robot, paused: false, actionId: "zone-stopPause-2-2")
        #expect(pause.manufacturer == "acme" && pause.serialNumber == "AMR-01")
        #expect(pause.actions.map(\.actionType) == ["startPause"] && resume.actions.map(\.actionType) == ["stopPause"])
        #expect(pause.actions[0].blockingType == .hard && (pause.actions[0].actionParameters ?? []).isEmpty)
    }

    static func validate(_ capture: String) throws {
        let file = NSTemporaryDirectory() + "fleetd-zones-\(UUID().uuidString).txt"
        try capture.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let tool =
            try #require(VDA5050MappingTests.sharedDirectory(), "shared directory not found")
            + "/tools/vda5050-validate"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "vda5050-validate: \(text)")
    }
}
