import FleetConfig
import FleetCore
import FleetMQTT
import FleetSim
import FleetTestKit
import Foundation
import Testing
import VDA5050

@Suite("Fleet simulation over a real mosquitto", .timeLimit(.minutes(2)))
struct FleetSimulationTests {
    static func scenario() -> Scenario {
        Scenario(
            name: "it", site: TestSite.layout, siteId: "test", start: TestSite.t0, duration: 3600, timeScale: 10,
            stateInterval: 5,
            fleet: [ScenarioFleetEntry(type: "AMR", manufacturer: "acme", serialPrefix: "AMR-", count: 3, maxSpeed: 1)],
            actionDurations: ["pick": 5, "drop": 5])
    }

    @Test("3 vehicles: an order is accepted and completed; ONLINE is retained; a graceful stop publishes OFFLINE")
    func endToEnd() async throws {
        let broker = try MosquittoBroker()
        var options = FleetSimOptions(scenario: Self.scenario())
        options.port = broker.port
        options.demand = false
        let simulation = FleetSimulation(options: options)
        let running = Task { try await simulation.run() }
        let codec = VDA5050Codec()
        let observer = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "observer"))
        try await observer.connect()
        let messages = AsyncCollector(observer.messages)
        try await observer.subscribe("uagv/v2/acme/+/state")
        try await observer.subscribe("fleetpilot/v1/test/clock")
        let robot = RobotID(manufacturer: "acme", serialNumber: "AMR-02")
        let stateTopic = VDA5050TopicName(manufacturer: "acme", serialNumber: "AMR-02", topic: .state).string
        @Sendable func state(_ m: MQTTMessage) -> State? {
            m.topic == stateTopic ? (try? VDA5050Codec().decode(State.self, from: m.payload)) : nil
        }
        let first = try await messages.waitForElement(timeout: .seconds(20)) { state($0) != nil }
        let start = try #require(state(first.element)).lastNodeId
        let target = start == "C" ? "B" : "C"
        let route = try #require(SiteRouter(layout: TestSite.layout).route(from: start, to: target, robotMaxSpeed: 1))
        var order = TestSite.order("IT-1", path: route.nodes, actions: [target: [TestSite.action("drop", "d1")]])
        order.serialNumber = robot.serialNumber
        try observer.publish(
            topic: VDA5050TopicName(manufacturer: "acme", serialNumber: "AMR-02", topic: .order).string,
            payload: try codec.encode(order))
        let accepted = try await messages.waitForElement(from: first.index, timeout: .seconds(10)) {
            state($0)?.orderId == "IT-1"
        }
        let done = try await messages.waitForElement(from: accepted.index, timeout: .seconds(30)) {
            guard let s = state($0) else { return false }
            return s.orderId == "IT-1" && s.nodeStates.isEmpty && s.lastNodeId == target
                && s.actionStates.contains { $0.actionId == "d1" && $0.actionStatus == .finished }
        }
        #expect(done.index > accepted.index)
        #expect(messages.elements.contains { $0.topic == "fleetpilot/v1/test/clock" })

        let late = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "late"))
        try await late.connect()
        let retained = AsyncCollector(late.messages)
        try await late.subscribe("uagv/v2/+/+/connection", qos: .atLeastOnce)
        let online = try await retained.waitForCount(3)
        #expect(
            online.allSatisfy {
                (try? codec.decode(Connection.self, from: $0.payload))?.connectionState == .online && $0.retain
            })
        await late.disconnect()

        simulation.stop()
        let report = try await running.value
        #expect(report.interrupted)
        #expect(report.messagesPublished > 0)
        let after = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "after"))
        try await after.connect()
        let final = AsyncCollector(after.messages)
        try await after.subscribe("uagv/v2/+/+/connection", qos: .atLeastOnce)
        let offline = try await final.waitForCount(3)
        #expect(
            offline.allSatisfy { (try? codec.decode(Connection.self, from: $0.payload))?.connectionState == .offline })
        await after.disconnect()
        await observer.disconnect()
    }
}
