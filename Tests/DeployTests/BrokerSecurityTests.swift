import FleetMQTT
import FleetTestKit
import Foundation
import Testing

/// The shipped broker configuration with ACLs from the real credential generator, against a real mosquitto.
///
/// "Gets nothing through" is shown by delivery, not by acknowledgements: mosquitto acknowledges a denied
/// publish (and, in 2.0.11, may acknowledge a denied subscription) and then drops it. Each check publishes the
/// forbidden message with QoS 1 and waits for its PUBACK (so the broker has handled it), then sends a permitted
/// marker and waits for that at the watcher: had the forbidden message been forwarded, it would have arrived first.
@Suite("Deploy: broker security", .serialized)
struct BrokerSecurityTests {
    static let fleetYAML = """
        siteId: hall-1
        site: sites/factory-hall.yaml
        fleet:
          - {type: AMR, manufacturer: acme, serialPrefix: AMR-, count: 3, maxPayloadKg: 60, maxSpeed: 1.2}
        """

    static func smallSite() async throws -> SiteBroker {
        let folder = try DeployEnvironment.temporaryDirectory("fleet")
        let file = folder.appendingPathComponent("fleetd.yaml")
        try fleetYAML.write(to: file, atomically: true, encoding: .utf8)
        return try await SiteBroker(generatorArguments: ["--fleet", file.path, "--people", "2", "--simulator"])
    }

    static func state(_ serial: String, _ marker: String) -> String {
        "{\"manufacturer\":\"acme\",\"serialNumber\":\"\(serial)\",\"marker\":\"\(marker)\"}"
    }

    @Test("an anonymous client is refused on both listeners")
    func anonymousRefused() async throws {
        let broker = try await Self.smallSite()
        for tls in [false, true] {
            let client = try broker.client(nil, tls: tls)
            await #expect(throws: MQTTError.self, "anonymous connect (tls \(tls)) must fail") {
                try await client.connect(timeout: .seconds(5))
            }
            await client.disconnect()
        }
        let robot = try broker.credentials.account("robots/acme/AMR-01.env")
        let wrong = try MQTTClient(
            configuration: MQTTConfiguration(
                port: broker.plainPort, clientID: "wrong-password", username: robot.username, password: "not-it",
                reconnect: .disabled))
        await #expect(throws: MQTTError.self) { try await wrong.connect(timeout: .seconds(5)) }
        await wrong.disconnect()
    }

    @Test("a robot publishes its own state over TLS and fleetd sees it")
    func robotOwnState() async throws {
        let broker = try await Self.smallSite()
        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        try await fleetd.subscribe("uagv/v2/+/+/state", qos: .atLeastOnce)
        let (robot, _) = try await broker.connected("robots/acme/AMR-01.env")
        try await robot.publishAndWait(
            topic: "uagv/v2/acme/AMR-01/state", string: Self.state("AMR-01", "own"), qos: .atLeastOnce)
        let (message, _) = try await seen.waitForElement { $0.payloadString.contains("own") }
        #expect(message.topic == "uagv/v2/acme/AMR-01/state")
        await robot.disconnect()
        await fleetd.disconnect()
    }

    @Test("a robot cannot publish another robot's state nor read another robot's orders")
    func robotCannotImpersonate() async throws {
        let broker = try await Self.smallSite()
        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        for topic in ["state", "connection", "factsheet"] {
            try await fleetd.subscribe("uagv/v2/+/+/\(topic)", qos: .atLeastOnce)
        }
        let (robot1, robot1Inbox) = try await broker.connected("robots/acme/AMR-01.env")
        let (robot2, robot2Inbox) = try await broker.connected("robots/acme/AMR-02.env")

        // Forged state and connection of AMR-02, then AMR-01's own state as the marker.
        try await robot1.publishAndWait(
            topic: "uagv/v2/acme/AMR-02/state", string: Self.state("AMR-02", "forged"), qos: .atLeastOnce)
        try await robot1.publishAndWait(
            topic: "uagv/v2/acme/AMR-02/connection", string: "{\"connectionState\":\"OFFLINE\",\"marker\":\"forged\"}",
            qos: .atLeastOnce)
        try await robot1.publishAndWait(
            topic: "uagv/v2/acme/AMR-01/state", string: Self.state("AMR-01", "marker"), qos: .atLeastOnce)
        try await seen.waitForElement { $0.payloadString.contains("marker") }
        #expect(!seen.elements.contains { $0.payloadString.contains("forged") }, "fleetd saw a forged message")

        // AMR-01 subscribes to AMR-02's orders (mosquitto may acknowledge it) and gets none of them.
        try? await robot1.subscribe("uagv/v2/acme/AMR-02/order", qos: .atLeastOnce)
        try? await robot1.subscribe("uagv/v2/acme/+/instantActions", qos: .atLeastOnce)
        try await robot1.subscribe("uagv/v2/acme/AMR-01/order", qos: .atLeastOnce)
        try await robot2.subscribe("uagv/v2/acme/AMR-02/order", qos: .atLeastOnce)
        try await fleetd.publishAndWait(
            topic: "uagv/v2/acme/AMR-02/order", string: "{\"orderId\":\"for-AMR-02\"}", qos: .atLeastOnce)
        try await fleetd.publishAndWait(
            topic: "uagv/v2/acme/AMR-02/instantActions", string: "{\"actions\":\"for-AMR-02\"}", qos: .atLeastOnce)
        try await robot2Inbox.waitForElement { $0.payloadString.contains("for-AMR-02") }
        try await fleetd.publishAndWait(
            topic: "uagv/v2/acme/AMR-01/order", string: "{\"orderId\":\"for-AMR-01\"}", qos: .atLeastOnce)
        try await robot1Inbox.waitForElement { $0.payloadString.contains("for-AMR-01") }
        #expect(
            !robot1Inbox.elements.contains { $0.payloadString.contains("for-AMR-02") },
            "AMR-01 read AMR-02's order or instant actions")
        await robot1.disconnect()
        await robot2.disconnect()
        await fleetd.disconnect()
    }

    @Test("a person's device uses its own topics and cannot publish orders")
    func personCannotPublishOrders() async throws {
        let broker = try await Self.smallSite()
        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        try await fleetd.subscribe("fleetpilot/v1/hall-1/#", qos: .atLeastOnce)
        let (robot, robotInbox) = try await broker.connected("robots/acme/AMR-01.env")
        try await robot.subscribe("uagv/v2/acme/AMR-01/order", qos: .atLeastOnce)
        try await robot.subscribe("uagv/v2/acme/AMR-01/instantActions", qos: .atLeastOnce)
        let (person, personInbox) = try await broker.connected("people/person-001.env")
        try await person.subscribe("fleetpilot/v1/hall-1/people/person-001/#", qos: .atLeastOnce)

        for topic in ["uagv/v2/acme/AMR-01/order", "uagv/v2/acme/AMR-01/instantActions"] {
            try await person.publishAndWait(topic: topic, string: "{\"from\":\"person\"}", qos: .atLeastOnce)
        }
        for topic in ["fleetpilot/v1/hall-1/people/person-002/ack", "fleetpilot/v1/hall-1/tasks/request"] {
            try await person.publishAndWait(topic: topic, string: "{\"from\":\"person-forged\"}", qos: .atLeastOnce)
        }
        try await person.publishAndWait(
            topic: "fleetpilot/v1/hall-1/people/person-001/ack", string: "{\"from\":\"person-own\"}",
            qos: .atLeastOnce)
        try await seen.waitForElement { $0.payloadString.contains("person-own") }
        #expect(!seen.elements.contains { $0.payloadString.contains("person-forged") })

        try await fleetd.publishAndWait(
            topic: "uagv/v2/acme/AMR-01/order", string: "{\"from\":\"fleetd\"}", qos: .atLeastOnce)
        try await robotInbox.waitForElement { $0.payloadString.contains("fleetd") }
        #expect(!robotInbox.elements.contains { $0.payloadString.contains("person") }, "a person's order got through")

        try await fleetd.publishAndWait(
            topic: "fleetpilot/v1/hall-1/people/person-001/notify", string: "{\"to\":\"person-001\"}",
            qos: .atLeastOnce)
        try await personInbox.waitForElement { $0.topic.hasSuffix("person-001/notify") }
        await person.disconnect()
        await robot.disconnect()
        await fleetd.disconnect()
    }

    /// What a person's device publishes under `people/{id}/` (README "People's devices").
    static let personDeviceKinds = ["presence", "ack", "reject", "arrived", "confirm", "call", "alert"]

    @Test("a person's device publishes every people/{id}/ message and reads task status, but not tasks/{id}/confirm")
    func personDeviceContract() async throws {
        let broker = try await Self.smallSite()
        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        try await fleetd.subscribe("fleetpilot/v1/hall-1/#", qos: .atLeastOnce)
        let (person, personInbox) = try await broker.connected("people/person-001.env")
        try await person.subscribe("fleetpilot/v1/hall-1/tasks/+/status", qos: .atLeastOnce)
        try await person.subscribe("fleetpilot/v1/hall-1/people/person-001/notify", qos: .atLeastOnce)

        // tasks/{id}/confirm names the person in its body, so a device could confirm for anyone: it is refused.
        try await person.publishAndWait(
            topic: "fleetpilot/v1/hall-1/tasks/T-1/confirm", string: #"{"person":"person-002","marker":"forged"}"#,
            qos: .atLeastOnce)
        for kind in Self.personDeviceKinds {
            try await person.publishAndWait(
                topic: "fleetpilot/v1/hall-1/people/person-001/\(kind)", string: #"{"marker":"own-\#(kind)"}"#,
                qos: .atLeastOnce)
        }
        try await seen.waitForElement { $0.payloadString.contains("own-alert") }
        for kind in Self.personDeviceKinds {
            #expect(seen.elements.contains { $0.payloadString.contains("own-\(kind)") }, "\(kind) did not get through")
        }
        #expect(!seen.elements.contains { $0.payloadString.contains("forged") }, "tasks/{id}/confirm got through")

        // fleetd's answers reach the device: the task's status and its notifications.
        try await fleetd.publishAndWait(
            topic: "fleetpilot/v1/hall-1/tasks/T-1/status", string: #"{"state":"completed"}"#, qos: .atLeastOnce)
        try await personInbox.waitForElement { $0.topic == "fleetpilot/v1/hall-1/tasks/T-1/status" }
        try await fleetd.publishAndWait(
            topic: "fleetpilot/v1/hall-1/people/person-001/notify", string: #"{"task":"CALL-1"}"#, qos: .atLeastOnce)
        try await personInbox.waitForElement { $0.topic.hasSuffix("person-001/notify") }
        await person.disconnect()
        await fleetd.disconnect()
    }

    @Test("fleet-sim's account publishes the messages of the people it simulates and reads their notifications")
    func simulatorSpeaksForSimulatedPeople() async throws {
        let broker = try await Self.smallSite()
        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        try await fleetd.subscribe("fleetpilot/v1/hall-1/#", qos: .atLeastOnce)
        let (sim, simInbox) = try await broker.connected("fleet-sim.env")
        try await sim.subscribe("fleetpilot/v1/hall-1/people/+/notify", qos: .atLeastOnce)
        for kind in Self.personDeviceKinds {
            try await sim.publishAndWait(
                topic: "fleetpilot/v1/hall-1/people/carer-3/\(kind)", string: #"{"marker":"sim-\#(kind)"}"#,
                qos: .atLeastOnce)
        }
        try await seen.waitForElement { $0.payloadString.contains("sim-alert") }
        for kind in Self.personDeviceKinds {
            #expect(seen.elements.contains { $0.payloadString.contains("sim-\(kind)") }, "\(kind) did not get through")
        }
        try await fleetd.publishAndWait(
            topic: "fleetpilot/v1/hall-1/people/carer-3/notify", string: #"{"task":"CALL-2"}"#, qos: .atLeastOnce)
        try await simInbox.waitForElement { $0.topic.hasSuffix("carer-3/notify") }
        await sim.disconnect()
        await fleetd.disconnect()
    }

    @Test("the evaluator reads events and cannot publish anything")
    func evaluatorReadOnly() async throws {
        let broker = try await Self.smallSite()
        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        try await fleetd.subscribe("fleetpilot/v1/hall-1/#", qos: .atLeastOnce)
        try await fleetd.subscribe("uagv/v2/+/+/state", qos: .atLeastOnce)
        let (robot, robotInbox) = try await broker.connected("robots/acme/AMR-01.env")
        try await robot.subscribe("uagv/v2/acme/AMR-01/order", qos: .atLeastOnce)
        let (evaluator, evaluatorInbox) = try await broker.connected("evaluator.env")
        try await evaluator.subscribe("fleetpilot/v1/hall-1/events", qos: .atLeastOnce)
        try? await evaluator.subscribe("fleetpilot/v1/hall-1/tasks/#", qos: .atLeastOnce)

        for topic in [
            "fleetpilot/v1/hall-1/events", "fleetpilot/v1/hall-1/tasks/request", "fleetpilot/v1/hall-1/tasks/cancel",
            "uagv/v2/acme/AMR-01/order", "uagv/v2/acme/AMR-01/state",
        ] {
            try await evaluator.publishAndWait(topic: topic, string: "{\"from\":\"evaluator\"}", qos: .atLeastOnce)
        }
        try await fleetd.publishAndWait(
            topic: "fleetpilot/v1/hall-1/tasks/T1/status", string: "{\"task\":\"T1\"}", qos: .atLeastOnce)
        try await fleetd.publishAndWait(
            topic: "fleetpilot/v1/hall-1/events", string: "{\"event\":\"from-fleetd\"}", qos: .atLeastOnce)
        try await fleetd.publishAndWait(
            topic: "uagv/v2/acme/AMR-01/order", string: "{\"order\":\"from-fleetd\"}", qos: .atLeastOnce)
        try await seen.waitForElement { $0.payloadString.contains("from-fleetd") }
        try await robotInbox.waitForElement { $0.payloadString.contains("from-fleetd") }
        #expect(!seen.elements.contains { $0.payloadString.contains("evaluator") }, "the evaluator published")
        #expect(!robotInbox.elements.contains { $0.payloadString.contains("evaluator") }, "the evaluator sent an order")
        try await evaluatorInbox.waitForElement { $0.payloadString.contains("from-fleetd") }
        #expect(evaluatorInbox.elements.allSatisfy { $0.topic == "fleetpilot/v1/hall-1/events" })
        await evaluator.disconnect()
        await robot.disconnect()
        await fleetd.disconnect()
    }

    @Test("a client without TLS cannot reach the TLS listener, even with valid credentials")
    func plainClientRefusedByTLSListener() async throws {
        let broker = try await Self.smallSite()
        let robot = try broker.credentials.account("robots/acme/AMR-01.env")
        let plain = try MQTTClient(
            configuration: MQTTConfiguration(
                port: broker.tlsPort, clientID: "plain-to-tls", username: robot.username, password: robot.password,
                reconnect: .disabled))
        await #expect(throws: MQTTError.self) { try await plain.connect(timeout: .seconds(3)) }
        await plain.disconnect()
        let secure = try broker.client("robots/acme/AMR-01.env")
        try await secure.connect(timeout: .seconds(5))
        await secure.disconnect()
    }

    @Test("the generator's ACL for 500 robots loads, and a robot among them works")
    func fiveHundredRobots() async throws {
        let folder = try DeployEnvironment.temporaryDirectory("fleet500")
        let file = folder.appendingPathComponent("fleetd.yaml")
        try Self.fleetYAML.replacingOccurrences(of: "count: 3", with: "count: 500").write(
            to: file, atomically: true, encoding: .utf8)
        let start = ContinuousClock.now
        let broker = try await SiteBroker(generatorArguments: ["--fleet", file.path, "--people", "20"])
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(10), "generating 500 accounts and starting the broker took \(elapsed)")
        let acl = try String(
            contentsOf: broker.credentials.directory.appendingPathComponent("mosquitto/acl"), encoding: .utf8)
        #expect(acl.components(separatedBy: "\nuser acme/AMR-").count - 1 == 500)
        let passwd = try String(
            contentsOf: broker.credentials.directory.appendingPathComponent("mosquitto/passwd"), encoding: .utf8)
        #expect(passwd.split(separator: "\n").count == 500 + 20 + 2)

        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        try await fleetd.subscribe("uagv/v2/+/+/state", qos: .atLeastOnce)
        let (robot, _) = try await broker.connected("robots/acme/AMR-371.env")
        try await robot.publishAndWait(
            topic: "uagv/v2/acme/AMR-372/state", string: Self.state("AMR-372", "forged"), qos: .atLeastOnce)
        try await robot.publishAndWait(
            topic: "uagv/v2/acme/AMR-371/state", string: Self.state("AMR-371", "own"), qos: .atLeastOnce)
        let (message, _) = try await seen.waitForElement { $0.payloadString.contains("own") }
        #expect(message.topic == "uagv/v2/acme/AMR-371/state")
        #expect(!seen.elements.contains { $0.payloadString.contains("forged") })
        await robot.disconnect()
        await fleetd.disconnect()
    }

    @Test("fleet-sim logs every vehicle in with its own account over TLS (settings file, no secrets in flags)")
    func fleetSimWithGeneratedCredentials() async throws {
        let broker = try await Self.smallSite()
        let (fleetd, seen) = try await broker.connected("fleetd.env", tls: false)
        try await fleetd.subscribe("uagv/v2/+/+/state", qos: .atLeastOnce)
        let credentials = broker.credentials.directory.appendingPathComponent("credentials")
        let settings = broker.directory.appendingPathComponent("fleet-sim.env")
        try
            (String(contentsOf: credentials.appendingPathComponent("fleet-sim.env"), encoding: .utf8)
            + "FLEETSIM_MQTT_CA_FILE=\(broker.certificates.caFile)\n"
            + "FLEETSIM_MQTT_VEHICLE_CREDENTIALS=\(credentials.path)\n")
            .write(to: settings, atomically: true, encoding: .utf8)
        let scenario = DeployEnvironment.repository.appendingPathComponent("Configs/scenarios/factory-default.yaml")
        let sim = try await DeployEnvironment.run(
            try DeployEnvironment.program("fleet-sim"),
            [
                "--scenario", scenario.path, "--broker", "127.0.0.1:\(broker.tlsPort)", "--robots", "3", "--no-demand",
                "--duration", "10s", "--drain-timeout", "1", "--mqtt-settings", settings.path,
            ])
        #expect(sim.status == 0, "\(sim.output)\nbroker log:\n\(broker.log)")
        try await seen.waitForCount(3)
        #expect(
            Set(seen.elements.map(\.topic)) == Set((1...3).map { "uagv/v2/acme/AMR-0\($0)/state" }),
            "\(seen.elements.map(\.topic))")
        #expect(broker.log.contains("u'acme/AMR-02'"), "vehicles log in as themselves")
        await fleetd.disconnect()
    }
}
