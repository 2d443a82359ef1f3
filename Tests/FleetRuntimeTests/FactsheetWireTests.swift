import FleetCore
import FleetMQTT
import FleetRuntime
import FleetTestKit
import Foundation
import Testing
import VDA5050

@Suite("Factsheets on the wire", .serialized)
struct FactsheetWireTests {
    static let robot = RobotID(manufacturer: "acme", serialNumber: "R-01")
    static let topic = "uagv/v2/acme/R-01/factsheet"

    static func factsheet(serial: String = "R-01", speedMax: Double, load: Double, actions: [String]) -> Factsheet {
        Factsheet(
            manufacturer: "acme", serialNumber: serial,
            typeSpecification: TypeSpecification(
                seriesName: "Test AMR", agvKinematic: .diff, agvClass: .carrier, maxLoadMass: load,
                localizationTypes: [.natural], navigationTypes: [.autonomous]),
            physicalParameters: PhysicalParameters(
                speedMin: 0.01, speedMax: speedMax, accelerationMax: 0.5, decelerationMax: 0.5, heightMax: 0.5,
                width: 0.6, length: 0.9),
            protocolLimits: ProtocolLimits(timing: Timing(minOrderInterval: 0.1, minStateInterval: 0.05)),
            protocolFeatures: ProtocolFeatures(
                agvActions: actions.map { AGVAction(actionType: $0, actionScopes: [.node]) }))
    }

    @Test("a factsheet narrows the robot's profile in the coordinator; bad ones are counted and refused")
    func factsheetReachesTheCoordinator() async throws {
        let harness = try ShellHarness()
        let daemon = try await harness.startDaemon()
        let robot = try FakeRobot(port: harness.broker.port, serial: "R-01", at: "N1")
        try await robot.start()
        let (observer, seen) = try await harness.observer()
        let publisher = try await harness.requester()
        let codec = VDA5050Codec()
        try await waitUntil(timeout: .seconds(30), "robot observed") { daemon.service.counters.states >= 1 }

        // Implausible (a negative top speed), another robot's, and not a factsheet at all: counted, refused.
        let negative = Self.factsheet(speedMax: -1, load: 20, actions: ["pick"])
        try await publisher.publishAndWait(topic: Self.topic, payload: try codec.encode(negative))
        let other = Self.factsheet(serial: "R-02", speedMax: 0.5, load: 20, actions: ["pick"])
        try await publisher.publishAndWait(topic: Self.topic, payload: try codec.encode(other))
        try await publisher.publishAndWait(topic: Self.topic, string: #"{"version":"2.1.0"}"#)
        try await waitUntil(timeout: .seconds(30), "bad factsheets counted") {
            daemon.service.counters.invalidFactsheets == 3
        }
        #expect(daemon.service.counters.factsheets == 0)
        #expect(await daemon.service.shell?.coordinator.robots[Self.robot]?.profile.maxSpeed == 1)

        // A plausible one, retained as robots publish it: the profile is narrowed, and the change journaled.
        let good = Self.factsheet(speedMax: 0.5, load: 20, actions: ["pick", "drop", "startCharging"])
        try await publisher.publishAndWait(topic: Self.topic, payload: try codec.encode(good), retain: true)
        let event = try await seen.waitForElement(timeout: .seconds(30)) {
            $0.topic.hasSuffix("/events") && $0.json["kind"] as? String == "factsheet"
        }.element
        #expect(event.payloadString.contains("maxSpeed 1.0 -> 0.5 m/s"), "\(event.payloadString)")
        let profile = try #require(await daemon.service.shell?.coordinator.robots[Self.robot]?.profile)
        #expect(profile.maxSpeed == 0.5 && profile.maxPayloadKg == 20)
        #expect(profile.actionTypes == ["pick", "drop", "startCharging"])
        #expect(daemon.service.counters.factsheets == 1)

        // The configured payload is 50 kg, the factsheet's 20 kg: a 30 kg load is refused with the reason.
        try await publisher.publishAndWait(
            topic: "fleetpilot/v1/site-1/tasks/request",
            string: #"{"id":"T-30","pick":"S1","drop":"S2","loadWeightKg":30,"requester":"test"}"#)
        let status = try await seen.waitForElement(timeout: .seconds(30)) {
            $0.topic == "fleetpilot/v1/site-1/tasks/T-30/status" && $0.json["state"] as? String == "failed"
        }.element
        #expect(status.json["reason"] as? String == "no robot can carry 30.0 kg")

        try await daemon.stop()
        // After a restart the narrowed profile is back (the journal's record, then the retained factsheet again).
        let second = try await harness.startDaemon()
        try await waitUntil(timeout: .seconds(30), "profile restored") {
            await second.service.shell?.coordinator.robots[Self.robot]?.profile.maxSpeed == 0.5
        }
        try await second.stop()
        await robot.stop()
        await observer.disconnect()
        await publisher.disconnect()
    }
}
