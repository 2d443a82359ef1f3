import FleetMQTT
import FleetTestKit
import Foundation

/// Helpers shared by the FleetMQTT suites.
enum Support {
    /// A unique client id per call, so parallel tests never collide.
    static func clientID(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8))"
    }

    /// A connected client for `broker`.
    static func connectedClient(
        _ broker: MosquittoBroker, prefix: String = "test", protocolVersion: MQTTProtocolVersion = .v311,
        reconnect: MQTTReconnectPolicy = MQTTReconnectPolicy(initialDelay: .milliseconds(50), maxDelay: .seconds(1)),
        bufferingPolicy: MQTTBufferingPolicy = .unbounded
    ) async throws -> MQTTClient {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                port: broker.port, clientID: clientID(prefix), protocolVersion: protocolVersion, reconnect: reconnect,
                bufferingPolicy: bufferingPolicy))
        try await client.connect(timeout: .seconds(5))
        return client
    }
}
