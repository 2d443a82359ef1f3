import FleetMQTT
import FleetTestKit
import Testing

@Suite("MQTTClient buffering and lifecycle")
struct MQTTClientLifecycleTests {
    @Test("a bounded buffer drops and counts when the consumer does not read", arguments: [true, false])
    func boundedBuffer(dropNewest: Bool) async throws {
        let broker = try MosquittoBroker()
        let policy: MQTTBufferingPolicy = dropNewest ? .dropNewest(10) : .dropOldest(10)
        let subscriber = try await Support.connectedClient(broker, prefix: "sub", bufferingPolicy: policy)
        try await subscriber.subscribe("load/#")
        let publisher = try await Support.connectedClient(broker, prefix: "pub")
        for index in 0..<50 { try publisher.publish(topic: "load/\(index)", string: "m\(index)") }
        try await waitUntil("50 messages to arrive (have \(subscriber.receivedMessageCount))") {
            subscriber.receivedMessageCount == 50
        }
        #expect(subscriber.droppedMessageCount == 40)
        #expect(subscriber.bufferedMessageCount == 10)
        var iterator = subscriber.messages.makeAsyncIterator()
        var kept: [String] = []
        for _ in 0..<10 { kept.append(try #require(await iterator.next()).payloadString) }
        #expect(kept == (dropNewest ? 0..<10 : 40..<50).map { "m\($0)" })
        #expect(subscriber.bufferedMessageCount == 0)
        await publisher.disconnect()
        await subscriber.disconnect()
        #expect(await iterator.next() == nil)
    }

    @Test("nextBatch hands out everything buffered at once")
    func batches() async throws {
        let broker = try MosquittoBroker()
        let client = try await Support.connectedClient(broker)
        try await client.subscribe("batch/#", qos: .atLeastOnce)
        for index in 0..<5 { try await client.publishAndWait(topic: "batch/\(index)", string: "\(index)") }
        try await waitUntil { client.receivedMessageCount == 5 }
        var iterator = client.messages.makeAsyncIterator()
        let first = try #require(await iterator.next())
        let rest = try #require(await iterator.nextBatch())
        #expect([first.payloadString] + rest.map(\.payloadString) == ["0", "1", "2", "3", "4"])
        await client.disconnect()
        #expect(await iterator.nextBatch() == nil)
    }

    @Test("disconnect is idempotent, ends both sequences and closes the client")
    func disconnectEndsSequences() async throws {
        let broker = try MosquittoBroker()
        let client = try await Support.connectedClient(broker)
        let messages = AsyncCollector(client.messages)
        let events = AsyncCollector(client.events)
        try await client.subscribe("x/#")
        await client.disconnect()
        await client.disconnect()
        try await messages.waitForFinish()
        try await events.waitForFinish()
        #expect(events.elements.first == .connected(sessionPresent: false))
        #expect(events.elements.last == .closed)
        #expect(!client.isConnected)
        #expect(throws: MQTTError.clientClosed) { try client.publish(topic: "x/1", string: "late") }
        await #expect(throws: MQTTError.clientClosed) { try await client.subscribe("x/#") }
        await #expect(throws: MQTTError.clientClosed) { try await client.connect() }
    }

    @Test("a graceful disconnect does not trigger the last will")
    func gracefulDisconnectKeepsWillQuiet() async throws {
        let broker = try MosquittoBroker()
        let watcher = try await Support.connectedClient(broker, prefix: "watcher")
        let received = AsyncCollector(watcher.messages)
        try await watcher.subscribe("status/#", qos: .atLeastOnce)
        let robot = try MQTTClient(
            configuration: MQTTConfiguration(
                port: broker.port, clientID: Support.clientID("robot"),
                will: MQTTWill(topic: "status/robot", payload: Array("gone".utf8), qos: .atLeastOnce)))
        try await robot.connect()
        await robot.disconnect()
        try await watcher.publishAndWait(topic: "status/marker", string: "marker")
        try await received.waitForElement { $0.topic == "status/marker" }
        #expect(!received.elements.contains { $0.topic == "status/robot" })
        await watcher.disconnect()
    }

    @Test("dropping a connected client without disconnect neither crashes nor hangs, and ends its messages")
    func deinitWithoutDisconnect() async throws {
        let broker = try MosquittoBroker()
        var client: MQTTClient? = try await Support.connectedClient(broker)
        try await client!.subscribe("deinit/#")
        let messages = AsyncCollector(client!.messages)
        client = nil
        try await messages.waitForFinish()
        // Never connected, never used.
        _ = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "unused"))
    }

    @Test("with reconnect disabled a lost connection stays down until connect is called again")
    func reconnectDisabled() async throws {
        let broker = try MosquittoBroker()
        let client = try await Support.connectedClient(broker, reconnect: .disabled)
        let events = AsyncCollector(client.events)
        try broker.restart()
        try await events.waitForElement { if case .disconnected = $0 { true } else { false } }
        try await waitUntil("the network run to end") {
            do throws(MQTTError) {
                try await client.connect(timeout: .seconds(2))
                return true
            } catch {
                return false
            }
        }
        #expect(client.isConnected)
        #expect(!events.elements.contains { if case .reconnecting = $0 { true } else { false } })
        await client.disconnect()
    }

    @Test("unsubscribe stops delivery")
    func unsubscribe() async throws {
        let broker = try MosquittoBroker()
        let client = try await Support.connectedClient(broker)
        let received = AsyncCollector(client.messages)
        try await client.subscribe("u/a", qos: .atLeastOnce)
        try await client.subscribe("u/b", qos: .atLeastOnce)
        try await client.unsubscribe("u/a")
        try await client.publishAndWait(topic: "u/a", string: "not for us")
        try await client.publishAndWait(topic: "u/b", string: "marker")
        try await received.waitForElement { $0.topic == "u/b" }
        #expect(received.elements.map(\.topic) == ["u/b"])
        await client.disconnect()
    }
}
