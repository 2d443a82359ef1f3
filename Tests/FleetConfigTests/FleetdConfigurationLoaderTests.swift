import FleetConfig
import FleetCore
import Foundation
import Testing

@Suite("fleetd configuration loader")
struct FleetdConfigurationLoaderTests {
    static let minimal = """
        siteId: hall-1
        site: sites/factory-hall.yaml
        """

    @Test("the shipped Configs/fleetd.yaml loads, every key mapped")
    func shippedFile() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = repo.appendingPathComponent("Configs/fleetd.yaml").path
        let config = try FleetdConfigurationLoader(environment: [:]).load(path: path)
        #expect(config.siteId == "hall-1")
        #expect(config.siteLayoutPath.hasSuffix("Configs/sites/factory-hall.yaml"))
        #expect(FileManager.default.fileExists(atPath: config.siteLayoutPath))
        #expect(
            config.broker.port == 1883 && config.broker.clientId == "fleetd" && config.broker.keepAliveSeconds == 15)
        #expect(config.interfaceName == "uagv")
        #expect(config.journalSynchronous == .full && config.clock == .wall)
        #expect(config.coordinator == CoordinatorConfiguration())
        #expect(config.robots.count == 20)
        #expect(config.robots.first?.id.description == "acme/AMR-01")
        #expect(config.maxPayloadBytes == 262_144)
    }

    @Test("defaults, and credentials from the environment")
    func defaultsAndEnvironment() throws {
        let loader = FleetdConfigurationLoader(environment: ["FLEETD_MQTT_USERNAME": "u", "FLEETD_MQTT_PASSWORD": "p"])
        let config = try loader.load(yaml: Self.minimal, file: "f.yaml", baseDirectory: "/etc/fleetd")
        #expect(config.siteLayoutPath == "/etc/fleetd/sites/factory-hall.yaml")
        #expect(config.broker.username == "u" && config.broker.password == "p")
        #expect(config.clock == .wall && config.fleet.isEmpty)
        #expect(config.broker.persistentSession, "a restart must not lose queued task requests by default")
        let clean = try loader.load(
            yaml: Self.minimal + "\nbroker:\n  persistentSession: false\n", file: "f.yaml", baseDirectory: "/")
        #expect(!clean.broker.persistentSession)
    }

    @Test("coordinator keys map onto CoordinatorConfiguration")
    func coordinatorKeys() throws {
        let yaml =
            Self.minimal + """

                coordinator:
                  stateTimeout: 30
                  dispatchAcknowledgementTimeout: 7
                  maxDispatchSends: 4
                  maxFailedAttempts: 2
                  minimumBatteryForWork: 25
                  batteryReserve: 5
                  batteryThresholds: [50, 10]
                  positionSampleInterval: 0
                  chargeBelow: 25
                  chargeUntil: 90
                  confirmationTimeout: 45
                  proximityWarning: 1.5
                clock: sim
                journal: {path: /tmp/j.sqlite, synchronous: normal}
                """
        let config = try FleetdConfigurationLoader(environment: [:]).load(yaml: yaml, file: "f.yaml")
        var expected = CoordinatorConfiguration(
            stateTimeout: 30, dispatchAcknowledgementTimeout: 7, maxDispatchSends: 4, maxFailedAttempts: 2,
            minimumBatteryForWork: 25, batteryReserve: 5, batteryThresholds: [10, 50],
            positionSampleInterval: nil, chargeBelow: 25, chargeUntil: 90, confirmationTimeout: 45)
        expected.proximityWarning = 1.5
        #expect(config.coordinator == expected)
        #expect(config.clock == .sim && config.journalPath == "/tmp/j.sqlite" && config.journalSynchronous == .normal)
    }

    @Test("charging thresholds must leave room to charge; the error names the line and field")
    func chargingThresholds() {
        let yaml = Self.minimal + "\ncoordinator:\n  chargeBelow: 50\n  chargeUntil: 40\n"
        #expect {
            try FleetdConfigurationLoader(environment: [:]).load(yaml: yaml, file: "f.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("f.yaml:5") && text.contains("coordinator.chargeUntil")
                && text.contains("must be above chargeBelow (50.0)")
        }
    }

    @Test("fleet entries may limit robots to zones and task kinds; a wrong kind names the line and the choices")
    func fleetLimits() throws {
        let yaml =
            Self.minimal + """

                fleet:
                  - {type: sweeper, manufacturer: acme, serialPrefix: SW-, count: 2, maxPayloadKg: 1, maxSpeed: 0.8,
                     allowedZones: [HALL], kinds: [patrol, coverage]}
                  - {type: AMR, manufacturer: acme, serialPrefix: AMR-, count: 1, maxPayloadKg: 60, maxSpeed: 1.2}
                """
        let config = try FleetdConfigurationLoader(environment: [:]).load(yaml: yaml, file: "f.yaml")
        let sweeper = try #require(config.robots.first { $0.id.serialNumber == "SW-01" }).profile
        #expect(sweeper.allowedZones == ["HALL"] && sweeper.taskKinds == [.patrol, .coverage])
        let amr = try #require(config.robots.first { $0.id.serialNumber == "AMR-01" }).profile
        #expect(amr.allowedZones == nil && amr.taskKinds == nil)
        let bad =
            Self.minimal + """

                fleet:
                  - type: AMR
                    manufacturer: acme
                    serialPrefix: AMR-
                    count: 1
                    maxPayloadKg: 60
                    maxSpeed: 1.2
                    kinds: [transport, dancing]
                """
        #expect {
            try FleetdConfigurationLoader(environment: [:]).load(yaml: bad, file: "f.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("f.yaml:10") && text.contains("fleet[0].kinds[1]") && text.contains("'dancing'")
        }
    }

    @Test(
        "allocation: the policy and its minimum interval, over the coordinator settings",
        arguments: AllocationPolicyKind.allCases)
    func allocationPolicy(kind: AllocationPolicyKind) throws {
        let yaml =
            Self.minimal + """

                coordinator:
                  batteryReserve: 15
                allocation:
                  policy: \(kind.rawValue)   # greedy, optimal or market
                  minimumInterval: 2
                """
        let config = try FleetdConfigurationLoader(environment: [:]).load(yaml: yaml, file: "f.yaml")
        #expect(config.coordinator.allocationPolicy == kind)
        #expect(config.coordinator.allocationMinimumInterval == 2 && config.coordinator.batteryReserve == 15)
        let defaults = try FleetdConfigurationLoader(environment: [:]).load(yaml: Self.minimal, file: "f.yaml")
        #expect(defaults.coordinator.allocationPolicy == .greedy)
        #expect(defaults.coordinator.allocationMinimumInterval == 0.5)
        let policyOnly = try FleetdConfigurationLoader(environment: [:]).load(
            yaml: Self.minimal + "\nallocation: {policy: \(kind.rawValue)}\n", file: "f.yaml")
        #expect(policyOnly.coordinator.allocationPolicy == kind)
        #expect(policyOnly.coordinator.allocationMinimumInterval == 0.5)
    }

    @Test("a scenario names its allocation policy, so one scenario and seed can be run under each")
    func scenarioAllocation() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = repo.appendingPathComponent("Configs/scenarios/factory-default.yaml").path
        let shipped = try ScenarioLoader().load(path: path)
        #expect(shipped.allocationPolicy == .greedy && shipped.allocationMinimumInterval == nil)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let line = "allocation: {policy: greedy}"
        #expect(text.contains(line))
        let optimal = try ScenarioLoader().load(
            yaml: text.replacingOccurrences(of: line, with: "allocation: {policy: optimal, minimumInterval: 1}"),
            file: path)
        #expect(optimal.allocationPolicy == .optimal && optimal.allocationMinimumInterval == 1)
        #expect(optimal.seed == shipped.seed)
        let unnamed = try ScenarioLoader().load(yaml: text.replacingOccurrences(of: line, with: ""), file: path)
        #expect(unnamed.allocationPolicy == nil)
        #expect {
            _ = try ScenarioLoader().load(
                yaml: text.replacingOccurrences(of: line, with: "allocation: {policy: cheapest}"), file: path)
        } throws: { error in
            guard case .invalid(_, let errorLine, let field, _) = error as? ConfigError else { return false }
            let expected = text.components(separatedBy: "\n").firstIndex { $0.hasPrefix(line) }.map { $0 + 1 }
            return field == "allocation.policy" && errorLine == expected
        }
    }

    @Test("a bad allocation policy names the file, line, field and the choices")
    func allocationPolicyMessage() {
        let yaml = Self.minimal + "\nallocation:\n  policy: fastest\n"
        #expect {
            _ = try FleetdConfigurationLoader(environment: [:]).load(yaml: yaml, file: "fleetd.yaml")
        } throws: { error in
            "\(error)"
                == "fleetd.yaml:4: allocation.policy: unknown value 'fastest' (expected one of: greedy, optimal, market)"
        }
    }

    @Test(
        "errors name the line and the field",
        arguments: [
            ("siteId: hall-1\nsite: a.yaml\nbroker:\n  port: abc\n", 4, "broker.port"),
            ("siteId: hall-1\nsite: a.yaml\nbrokr: {}\n", 3, "brokr"),
            ("siteId: hall-1\nsite: a.yaml\nclock: moon\n", 3, "clock"),
            ("site: a.yaml\n", 1, "siteId"),
            ("siteId: a/b\nsite: a.yaml\n", 1, "siteId"),
            ("siteId: h\nsite: a.yaml\ncoordinator:\n  stateTimeout: -1\n", 4, "coordinator.stateTimeout"),
            (
                "siteId: h\nsite: a.yaml\nfleet:\n  - {type: AMR, manufacturer: acme, serialPrefix: A-, maxPayloadKg: 1, maxSpeed: 1}\n",
                4, "fleet[0].count"
            ),
            (
                "siteId: h\nsite: a.yaml\nfleet:\n  - type: AMR\n    manufacturer: ac me\n    serialPrefix: A-\n    count: 1\n    maxPayloadKg: 1\n    maxSpeed: 1\n",
                5, "fleet[0].manufacturer"
            ),
            ("siteId: h\nsite: a.yaml\nlimits:\n  maxPayloadBytes: 10\n", 4, "limits.maxPayloadBytes"),
            ("siteId: h\nsite: a.yaml\nallocation:\n  policy: fastest\n", 4, "allocation.policy"),
            ("siteId: h\nsite: a.yaml\nallocation:\n  policy: [greedy]\n", 4, "allocation.policy"),
            (
                "siteId: h\nsite: a.yaml\nallocation:\n  policy: optimal\n  minimumInterval: -1\n", 5,
                "allocation.minimumInterval"
            ),
            ("siteId: h\nsite: a.yaml\nallocation:\n  minimumInterval: soon\n", 4, "allocation.minimumInterval"),
            ("siteId: h\nsite: a.yaml\nallocation:\n  polcy: market\n", 4, "allocation.polcy"),
            ("siteId: h\nsite: a.yaml\nallocation: market\n", 3, "allocation"),
        ])
    func errors(yaml: String, line: Int, field: String) {
        #expect {
            _ = try FleetdConfigurationLoader(environment: [:]).load(yaml: yaml, file: "bad.yaml")
        } throws: { error in
            guard case .invalid(let file, let errorLine, let errorField, _) = error as? ConfigError else {
                return false
            }
            return file == "bad.yaml" && errorLine == line && errorField == field
        }
    }

    @Test("TLS settings from the file (paths relative to it) and the environment (which wins)")
    func tlsSettings() throws {
        let yaml =
            Self.minimal + """

                broker:
                  host: broker.site.example
                  port: 8883
                  tls: {caFile: tls/ca.crt, certFile: /etc/tls/fleetd.crt, keyFile: /etc/tls/fleetd.key}
                """
        let config = try FleetdConfigurationLoader(environment: [:]).load(
            yaml: yaml, file: "f.yaml", baseDirectory: "/etc/fleetpilot")
        #expect(
            config.broker.tls
                == BrokerTLS(
                    caFile: "/etc/fleetpilot/tls/ca.crt", certFile: "/etc/tls/fleetd.crt",
                    keyFile: "/etc/tls/fleetd.key"))
        #expect(config.broker.transportProblem == nil)
        let environment = [
            "FLEETD_MQTT_CA_FILE": "/run/ca.pem", "FLEETD_MQTT_USERNAME": "fleetd", "FLEETD_MQTT_PASSWORD": "pw",
        ]
        let fromEnvironment = try FleetdConfigurationLoader(environment: environment).load(
            yaml: Self.minimal, file: "f.yaml")
        #expect(fromEnvironment.broker.tls == BrokerTLS(caFile: "/run/ca.pem"))
        #expect(fromEnvironment.broker.username == "fleetd" && fromEnvironment.broker.password == "pw")
    }

    @Test("a broker on another machine without TLS is refused unless allowInsecure")
    func insecureRemoteBroker() throws {
        let loader = FleetdConfigurationLoader(environment: [:])
        let remote = try loader.load(
            yaml: Self.minimal + "\nbroker: {host: 10.20.0.5, port: 1883}\n", file: "f.yaml")
        let refusal = try #require(remote.broker.transportProblem)
        #expect(refusal.description.contains("refusing to connect to broker 10.20.0.5:1883 without TLS"))
        #expect(refusal.description.contains("broker.allowInsecure: true"))
        let allowed = try loader.load(
            yaml: Self.minimal + "\nbroker: {host: 10.20.0.5, allowInsecure: true}\n", file: "f.yaml")
        #expect(allowed.broker.transportProblem == nil)
        for host in ["127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"] {
            #expect(BrokerTransportPolicy.isLoopback(host), "\(host)")
        }
        for host in ["10.0.0.1", "broker", "127.0.0.1.example.com", "128.0.0.1", "::2"] {
            #expect(!BrokerTransportPolicy.isLoopback(host), "\(host)")
        }
        let fromFlags = FleetdConfiguration.Broker(host: "mqtt.example.com", port: 1883)
        #expect(fromFlags.transportProblem != nil, "a --broker override is checked too (by FleetdService)")
    }

    @Test(
        "TLS errors name the field",
        arguments: [
            ("broker:\n  tls: {certFile: a.crt}\n", 4, "broker.tls.caFile"),
            ("broker:\n  tls: {caFile: ca.crt, certFile: a.crt}\n", 4, "broker.tls"),
            ("broker:\n  tls: {caFile: ca.crt, cafile: x}\n", 4, "broker.tls.cafile"),
            ("broker:\n  allowInsecure: maybe\n", 4, "broker.allowInsecure"),
        ])
    func tlsErrors(yaml: String, line: Int, field: String) {
        #expect {
            _ = try FleetdConfigurationLoader(environment: [:]).load(yaml: Self.minimal + "\n" + yaml, file: "bad.yaml")
        } throws: { error in
            guard case .invalid(_, let errorLine, let errorField, _) = error as? ConfigError else { return false }
            return errorLine == line && errorField == field
        }
    }

    @Test("a missing file names the file")
    func missingFile() {
        #expect(throws: ConfigError.self) { try FleetdConfigurationLoader().load(path: "/nonexistent/fleetd.yaml") }
    }
}
