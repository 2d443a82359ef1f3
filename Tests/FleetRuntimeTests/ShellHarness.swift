import FleetConfig
import FleetCore
import FleetMQTT
import FleetRuntime
import FleetStore
import FleetTestKit
import Foundation
import Logging
import ServiceLifecycle

/// A real broker, a real SQLite journal in a temp directory, and a way to run `FleetdService`s on them.
final class ShellHarness: Sendable {
    static let layoutYAML = """
        site: test
        mapId: m1
        nodes:
          - {id: N1, x: 0, y: 0}
          - {id: N2, x: 5, y: 0}
          - {id: N3, x: 10, y: 0}
        edges:
          - {id: E1, from: N1, to: N2, bidirectional: true}
          - {id: E2, from: N2, to: N3, bidirectional: true}
        stations:
          - {id: S1, node: N2, kind: pick}
          - {id: S2, node: N3, kind: drop}
        """

    let broker: MosquittoBroker
    let directory: String
    let layout: SiteLayout
    let configuration: FleetdConfiguration

    init(maxPayloadBytes: Int = 4096, layoutYAML: String = ShellHarness.layoutYAML) throws {
        broker = try MosquittoBroker()
        directory = NSTemporaryDirectory() + "fleetd-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        layout = try SiteLayoutLoader().load(yaml: layoutYAML, file: "test-layout.yaml")
        configuration = FleetdConfiguration(
            siteId: "site-1", siteLayoutPath: "test-layout.yaml",
            broker: FleetdConfiguration.Broker(port: broker.port, clientId: "fleetd-test"),
            journalPath: directory + "/journal.sqlite", journalSynchronous: .normal,
            fleet: [
                FleetdConfiguration.FleetEntry(
                    type: "AMR", manufacturer: "acme", serialPrefix: "R-", count: 1, maxPayloadKg: 50, maxSpeed: 1)
            ], maxPayloadBytes: maxPayloadBytes)
    }

    deinit {
        broker.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A running daemon: its service, the group to stop it, the task running the group, and its journal.
    struct Daemon {
        let service: FleetdService
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let journal: SQLiteJournal

        func stop() async throws {
            await group.triggerGracefulShutdown()
            try await task.value
            journal.close()
        }
    }

    func startDaemon() async throws -> Daemon {
        let journal = try SQLiteJournal(
            path: configuration.journalPath, options: SQLiteJournal.Options(synchronous: .normal))
        var logger = Logger(label: "fleetd-test")
        logger.logLevel = .warning
        let service = FleetdService(configuration: configuration, layout: layout, journal: journal, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: service)], logger: logger))
        let task = Task { try await group.run() }
        try await waitUntil(timeout: .seconds(90), "fleetd ready") { service.isReady }
        return Daemon(service: service, group: group, task: task, journal: journal)
    }

    /// An observer subscribed to everything fleetd publishes, in arrival order.
    func observer() async throws -> (client: MQTTClient, messages: AsyncCollector<MQTTMessage>) {
        let client = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "observer"))
        try await client.connect()
        try await client.subscribe("fleetpilot/v1/site-1/#", qos: .atLeastOnce)
        try await client.subscribe("uagv/v2/+/+/order")
        return (client, AsyncCollector(client.messages))
    }

    /// A requester client.
    func requester() async throws -> MQTTClient {
        let client = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "requester"))
        try await client.connect()
        return client
    }

    /// The journal's kinds for `task`, in order.
    func journalKinds(task: String) throws -> [String] {
        let journal = try SQLiteJournal(readOnlyPath: configuration.journalPath)
        defer { journal.close() }
        return try journal.entries(forTask: task).map(\.kind)
    }
}

extension MQTTMessage {
    /// The payload parsed as a JSON object (empty if it is none).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] ?? [:]
    }
}
