import FleetMQTT
import FleetTestKit
import Foundation
import Testing

@Suite("MQTTClient errors")
struct MQTTClientErrorTests {
    @Test("wrong credentials are refused with a clear error; right ones work")
    func passwordFile() async throws {
        let broker = try MosquittoBroker(.init(allowAnonymous: false, users: ["robot": "s3cret", "fleetd": "other"]))
        for (username, password) in [("robot", "wrong"), ("nobody", "s3cret")] {
            let client = try MQTTClient(
                configuration: MQTTConfiguration(
                    port: broker.port, clientID: Support.clientID("bad"), username: username, password: password))
            let error = try await #require(throws: MQTTError.self) { try await client.connect() }
            guard case .connectionRefused = error else { Issue.record("unexpected error \(error)"); continue }
            let text = error.description
            #expect(text.hasPrefix("connect to 127.0.0.1:\(broker.port) refused by broker: "))
            #expect(text.contains("not authorised") || text.contains("bad username or password"), "\(text)")
            #expect(!client.isConnected)
            // Retrying at once gets the same answer, not "already in progress".
            await #expect(throws: error) { try await client.connect() }
        }
        let anonymous = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "anon"))
        await #expect(throws: MQTTError.self) { try await anonymous.connect() }

        let good = try MQTTClient(
            configuration: MQTTConfiguration(
                port: broker.port, clientID: Support.clientID("good"), username: "robot", password: "s3cret"))
        try await good.connect()
        let received = AsyncCollector(good.messages)
        try await good.subscribe("auth/#")
        try await good.publishAndWait(topic: "auth/ok", string: "hello")
        #expect(try await received.waitForCount(1)[0].payloadString == "hello")
        await good.disconnect()
    }

    @Test("connecting where nothing listens fails with 'connection refused' and the address")
    func connectionRefused() async throws {
        let reserved = FreePort.refusing()
        defer { reserved.close() }
        let port = reserved.port
        let client = try MQTTClient(configuration: MQTTConfiguration(port: port, clientID: Support.clientID("x")))
        let error = try await #require(throws: MQTTError.self) { try await client.connect() }
        #expect(error == .connectFailed(address: "127.0.0.1:\(port)", reason: "connection refused"))
        #expect(error.description == "connect to 127.0.0.1:\(port) failed: connection refused")
        // A failed connect can be retried, and fails the same way.
        await #expect(throws: MQTTError.connectFailed(address: "127.0.0.1:\(port)", reason: "connection refused")) {
            try await client.connect()
        }
    }

    @Test("a server that never sends CONNACK makes connect time out")
    func connectTimeout() async throws {
        let listener = try SilentListener()
        let client = try MQTTClient(
            configuration: MQTTConfiguration(port: listener.port, clientID: Support.clientID("x")))
        let started = ContinuousClock.now
        var error = try await #require(throws: MQTTError.self) { try await client.connect(timeout: .milliseconds(300)) }
        if case .connectFailed = error {
            // On a saturated CI machine libmosquitto has once failed the TCP connect itself ("unknown error")
            // before any CONNACK could be awaited; a second attempt must then show the timeout.
            error = try await #require(throws: MQTTError.self) { try await client.connect(timeout: .milliseconds(300)) }
        }
        #expect(error == .timedOut(operation: "connect to 127.0.0.1:\(listener.port)", after: .milliseconds(300)))
        // The timeout, not the server, ends the wait; the bound only catches a hang (a loaded CI machine took
        // 4 s for this 300 ms timeout, and 32 s with a second test suite running beside it, so no tighter
        // wall-clock assertion belongs in a unit test).
        #expect(ContinuousClock.now - started < .seconds(120))
        await client.disconnect()
    }

    @Test("malformed topics and filters are rejected before sending; the client keeps working")
    func badTopics() async throws {
        let broker = try MosquittoBroker()
        let client = try await Support.connectedClient(broker)
        for topic in ["a/+/b", "a/#", "+", "", "a\u{0}b", "bell\u{7}"] {
            let error = try #require(throws: MQTTError.self) { try client.publish(topic: topic, string: "x") }
            guard case .invalidTopic(let rejected, _) = error else { Issue.record("\(error)"); continue }
            #expect(rejected == topic)
            #expect(error.description.hasPrefix("invalid topic '\(topic)': "))
            await #expect(throws: MQTTError.self) { try await client.publishAndWait(topic: topic, string: "x") }
        }
        for filter in ["a/#/b", "a/b#", "a+/b", "", "#/"] {
            let error = try await #require(throws: MQTTError.self) { try await client.subscribe(filter) }
            guard case .invalidTopicFilter(let rejected, _) = error else { Issue.record("\(error)"); continue }
            #expect(rejected == filter)
        }
        let error = try await #require(throws: MQTTError.self) { try await client.subscribe("a/#/b") }
        #expect(error.description == "invalid topic filter 'a/#/b': '#' is only allowed as the last level")
        // Still connected and working; valid wildcard filters pass.
        let received = AsyncCollector(client.messages)
        try await client.subscribe("ok/+/x/#", qos: .atLeastOnce)
        try await client.subscribe("+")
        try await client.publishAndWait(topic: "ok/1/x/y/z", string: "fine")
        #expect(try await received.waitForCount(1)[0].topic == "ok/1/x/y/z")
        #expect(client.isConnected)
        await client.disconnect()
    }

    static let dynamicSecurityPlugin = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so"

    @Test(
        "a subscription the broker refuses (SUBACK 0x80, MQTT 5: 0x87) is an error",
        .enabled(if: FileManager.default.fileExists(atPath: dynamicSecurityPlugin)),
        arguments: [MQTTProtocolVersion.v311, .v5])
    func refusedSubscription(version: MQTTProtocolVersion) async throws {
        // mosquitto 2.0's acl_file never refuses a SUBSCRIBE; the dynamic-security plugin with
        // `subscribe: false` as default access does, for every client without a role.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynsec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("dynsec.json")
        let json = """
            {"defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true, "subscribe": false,
             "unsubscribe": true}, "clients": [], "groups": [], "roles": []}
            """
        try json.write(to: file, atomically: true, encoding: .utf8)
        let broker = try MosquittoBroker(
            .init(extraLines: ["plugin \(Self.dynamicSecurityPlugin)", "plugin_opt_config_file \(file.path)"]))
        let client = try await Support.connectedClient(broker, protocolVersion: version)
        let error = try await #require(throws: MQTTError.self) { try await client.subscribe("secret/#") }
        #expect(error == .subscriptionRefused(filter: "secret/#", code: version == .v5 ? 0x87 : 0x80))
        #expect(error.description.hasPrefix("subscribe to 'secret/#' failed: refused by broker"))
        // The client stays usable.
        try await client.publishAndWait(topic: "secret/x", string: "still connected")
        #expect(client.isConnected)
        await client.disconnect()
    }

    @Test("operations on a client that is not connected fail with notConnected")
    func notConnected() async throws {
        let client = try MQTTClient(configuration: MQTTConfiguration(port: 1, clientID: "idle"))
        #expect(throws: MQTTError.notConnected(operation: "publish to 'a'")) {
            try client.publish(topic: "a", string: "")
        }
        await #expect(throws: MQTTError.notConnected(operation: "subscribe to 'a/#'")) {
            try await client.subscribe("a/#")
        }
        #expect(throws: MQTTError.self) { try MQTTClient(configuration: MQTTConfiguration(port: 0, clientID: "p")) }
        #expect(throws: MQTTError.self) {
            try MQTTClient(configuration: MQTTConfiguration(clientID: "b", bufferingPolicy: .dropNewest(0)))
        }
        #expect(throws: MQTTError.self) {
            try MQTTClient(
                configuration: MQTTConfiguration(
                    clientID: "t", tls: MQTTTLSConfiguration(caFile: "/nonexistent/ca.crt")))
        }
    }
}

/// A TCP listener that accepts connections (in the kernel backlog) but never answers.
final class SilentListener {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw TestTimeout("cannot listen: errno \(errno)")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
