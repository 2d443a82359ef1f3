import FleetMQTT
import FleetTestKit
import Testing

@Suite("MQTTClient over TLS")
struct MQTTClientTLSTests {
    @Test("a client trusting the test CA connects and round-trips", arguments: [false, true])
    func tlsRoundTrip(requireClientCertificate: Bool) async throws {
        let certificates = try TestCertificates()
        let broker = try MosquittoBroker(.init(tls: .init(certificates, requireCertificate: requireClientCertificate)))
        let port = try #require(broker.tlsPort)
        let tls = MQTTTLSConfiguration(
            caFile: certificates.caFile,
            certFile: requireClientCertificate ? certificates.clientCertFile : nil,
            keyFile: requireClientCertificate ? certificates.clientKeyFile : nil)
        let client = try MQTTClient(
            configuration: MQTTConfiguration(port: port, clientID: Support.clientID("tls"), tls: tls))
        try await client.connect()
        let received = AsyncCollector(client.messages)
        try await client.subscribe("secure/#", qos: .atLeastOnce)
        try await client.publishAndWait(topic: "secure/hello", string: "over TLS")
        #expect(try await received.waitForCount(1)[0].payloadString == "over TLS")
        await client.disconnect()
    }

    @Test("TLS connections without the client certificate or with an unknown CA fail")
    func tlsFailures() async throws {
        let certificates = try TestCertificates()
        let otherCA = try TestCertificates()
        let broker = try MosquittoBroker(.init(tls: .init(certificates, requireCertificate: true)))
        let port = try #require(broker.tlsPort)
        for tls in [
            MQTTTLSConfiguration(caFile: certificates.caFile),
            MQTTTLSConfiguration(
                caFile: otherCA.caFile, certFile: certificates.clientCertFile, keyFile: certificates.clientKeyFile),
        ] {
            let client = try MQTTClient(
                configuration: MQTTConfiguration(
                    port: port, clientID: Support.clientID("tls"), tls: tls, reconnect: .disabled))
            let error = try await #require(throws: MQTTError.self) { try await client.connect(timeout: .seconds(5)) }
            #expect(error.description.contains("127.0.0.1:\(port)"), "\(error)")
            await client.disconnect()
        }
    }
}
