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
                clock: sim
                journal: {path: /tmp/j.sqlite, synchronous: normal}
                """
        let config = try FleetdConfigurationLoader(environment: [:]).load(yaml: yaml, file: "f.yaml")
        #expect(
            config.coordinator
                == CoordinatorConfiguration(
                    stateTimeout: 30, dispatchAcknowledgementTimeout: 7, maxDispatchSends: 4, maxFailedAttempts: 2,
                    minimumBatteryForWork: 25, batteryReserve: 5, batteryThresholds: [10, 50],
                    positionSampleInterval: nil))
        #expect(config.clock == .sim && config.journalPath == "/tmp/j.sqlite" && config.journalSynchronous == .normal)
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

    @Test("a missing file names the file")
    func missingFile() {
        #expect(throws: ConfigError.self) { try FleetdConfigurationLoader().load(path: "/nonexistent/fleetd.yaml") }
    }
}
