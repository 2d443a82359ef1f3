import FleetMQTT
import FleetTestKit
import Foundation
import Testing

@Suite("MQTTClient against a real mosquitto")
struct MQTTClientTests {
    @Test(
        "round trip", arguments: [MQTTProtocolVersion.v311, .v5], [MQTTQoS.atMostOnce, .atLeastOnce, .exactlyOnce])
    func roundTrip(version: MQTTProtocolVersion, qos: MQTTQoS) async throws {
        let broker = try MosquittoBroker()
        let subscriber = try await Support.connectedClient(broker, prefix: "sub", protocolVersion: version)
        let publisher = try await Support.connectedClient(broker, prefix: "pub", protocolVersion: version)
        try await subscriber.subscribe("fleet/+/state", qos: qos)
        let received = AsyncCollector(subscriber.messages)
        for index in 0..<20 {
            try await publisher.publishAndWait(topic: "fleet/r\(index)/state", string: "m\(index)", qos: qos)
        }
        let messages = try await received.waitForCount(20)
        #expect(messages.map(\.payloadString) == (0..<20).map { "m\($0)" })
        #expect(messages.allSatisfy { $0.qos == qos && !$0.retain })
        #expect(messages[3].topic == "fleet/r3/state")
        #expect(subscriber.receivedMessageCount == 20)
        await publisher.disconnect()
        await subscriber.disconnect()
    }

    @Test("a retained message reaches a late subscriber")
    func retainedMessage() async throws {
        let broker = try MosquittoBroker()
        let publisher = try await Support.connectedClient(broker, prefix: "pub")
        try await publisher.publishAndWait(topic: "fleet/site/config", string: "v1", qos: .atLeastOnce, retain: true)
        let late = try await Support.connectedClient(broker, prefix: "late")
        let received = AsyncCollector(late.messages)
        try await late.subscribe("fleet/#", qos: .atLeastOnce)
        let message = try await received.waitForCount(1)[0]
        #expect(message.topic == "fleet/site/config")
        #expect(message.payloadString == "v1")
        #expect(message.retain)
        await late.disconnect()
        await publisher.disconnect()
    }

    @Test("the last will of a killed client process is delivered and retained")
    func lastWill() async throws {
        let broker = try MosquittoBroker()
        let watcher = try await Support.connectedClient(broker, prefix: "watcher")
        let received = AsyncCollector(watcher.messages)
        try await watcher.subscribe("uagv/v2/acme/AMR-07/connection", qos: .atLeastOnce)
        let robotID = Support.clientID("robot")
        let robot = try ChildProcess(
            "mosquitto_sub",
            [
                "-h", "127.0.0.1", "-p", "\(broker.port)", "-i", robotID, "-t", "robot/in",
                "--will-topic", "uagv/v2/acme/AMR-07/connection", "--will-payload", "CONNECTIONBROKEN",
                "--will-qos", "1", "--will-retain",
            ])
        try await broker.waitForLog(containing: "as \(robotID)")
        robot.send(signal: SIGKILL)
        let will = try await received.waitForCount(1)[0]
        #expect(will.payloadString == "CONNECTIONBROKEN")
        #expect(will.topic == "uagv/v2/acme/AMR-07/connection")
        // Retained: a subscriber arriving later still gets it, flagged as retained.
        let late = try await Support.connectedClient(broker, prefix: "late")
        let lateReceived = AsyncCollector(late.messages)
        try await late.subscribe("uagv/v2/+/+/connection")
        let retained = try await lateReceived.waitForCount(1)[0]
        #expect(retained.retain && retained.payloadString == "CONNECTIONBROKEN")
        await late.disconnect()
        await watcher.disconnect()
    }

    @Test("reconnects after a broker restart, renews subscriptions and receives again")
    func reconnectAfterRestart() async throws {
        let broker = try MosquittoBroker()
        let subscriber = try await Support.connectedClient(broker, prefix: "sub")
        let events = AsyncCollector(subscriber.events)
        let received = AsyncCollector(subscriber.messages)
        try await subscriber.subscribe("fleet/#", qos: .atLeastOnce)
        let publisher = try await Support.connectedClient(broker, prefix: "pub")
        try await publisher.publishAndWait(topic: "fleet/a", string: "before")
        try await received.waitForCount(1)

        try broker.restart()
        let lost = try await events.waitForElement(timeout: .seconds(10)) {
            if case .disconnected = $0 { true } else { false }
        }
        try await events.waitForElement(from: lost.index + 1, timeout: .seconds(10)) {
            if case .connected = $0 { true } else { false }
        }
        try await waitUntil(timeout: .seconds(10), "the publisher to reconnect") { publisher.isConnected }
        // The renewed SUBSCRIBE may still be in flight: publish until one arrives.
        try await waitUntil(timeout: .seconds(10), "a message after the restart") {
            try? publisher.publish(topic: "fleet/a", string: "after", qos: .atLeastOnce)
            try await Task.sleep(for: .milliseconds(50))
            return received.elements.contains { $0.payloadString == "after" }
        }
        #expect(events.elements.contains { if case .reconnecting = $0 { true } else { false } })
        await publisher.disconnect()
        await subscriber.disconnect()
    }
}
