import FleetCore
import FleetTestKit
import Foundation
import Testing

/// A broker with a capture, fleetd and fleet-sim for one test, each a real process; everything is stopped in
/// ``stop()`` (and, as a safety net, when the objects go away).
final class FleetRig: @unchecked Sendable {
    /// The test's private broker.
    let broker: MosquittoBroker
    /// The test's folder (journal, capture).
    let directory: URL
    /// The scenario file.
    let scenario: String
    /// `mosquitto_sub -v -t '#'` writing into `traffic.log`.
    let capture: ChildProcess
    /// The running fleetd, if started.
    var fleetd: ChildProcess?
    /// The running fleet-sim, if started.
    var sim: ChildProcess?

    /// Starts a broker and the capture.
    init(label: String, scenario: String = IntegrationEnvironment.factoryScenario) async throws {
        broker = try MosquittoBroker(MosquittoBroker.Configuration(maxQueuedMessages: 10000))
        directory = try IntegrationEnvironment.temporaryDirectory(label)
        self.scenario = scenario
        let traffic = directory.appendingPathComponent("traffic.log").path
        capture = try ChildProcess(
            "/bin/sh", ["-c", "exec mosquitto_sub -h 127.0.0.1 -p \(broker.port) -q 1 -v -t '#' > '\(traffic)'"])
        try await broker.waitForLog(containing: "New client connected")
    }

    /// `127.0.0.1:port`.
    var brokerAddress: String { "127.0.0.1:\(broker.port)" }
    /// The journal file.
    var journalPath: String { directory.appendingPathComponent("journal.sqlite").path }
    /// The capture file.
    var trafficURL: URL { directory.appendingPathComponent("traffic.log") }

    /// Starts fleetd on the journal and waits for `fleetd ready`.
    /// - Parameter config: A fleetd configuration file (e.g. one that turns the operator API on), if any.
    func startFleetd(config: String? = nil) async throws {
        let daemon = try ChildProcess(
            try IntegrationEnvironment.program("fleetd"),
            (config.map { ["--config", $0] } ?? [])
                + ["--scenario", scenario, "--broker", brokerAddress, "--clock", "sim", "--journal", journalPath])
        fleetd = daemon
        try await daemon.waitForOutput(containing: "fleetd ready", timeout: .seconds(90))
    }

    /// Starts fleet-sim with `arguments` after the scenario and broker.
    func startSim(_ arguments: [String]) throws {
        sim = try ChildProcess(
            try IntegrationEnvironment.program("fleet-sim"),
            ["--scenario", scenario, "--broker", brokerAddress] + arguments)
    }

    /// Waits for fleet-sim to exit and returns its status.
    func waitForSim(timeout: Duration) async throws -> Int32 {
        guard let sim else { return -1 }
        return try await sim.waitForExit(timeout: timeout)
    }

    /// Publishes one message with `mosquitto_pub` (QoS 1).
    func publish(_ topic: String, _ payload: String) throws {
        let pub = try ChildProcess(
            "mosquitto_pub", ["-h", "127.0.0.1", "-p", String(broker.port), "-q", "1", "-t", topic, "-m", payload])
        _ = try IntegrationEnvironment.waitBlocking(pub, seconds: 10)
    }

    /// Stops fleet-sim, fleetd (SIGTERM), the capture and the broker.
    func stop() async {
        for child in [sim, fleetd, capture].compactMap({ $0 }) where child.isRunning {
            child.send(signal: SIGTERM)
            if (try? await child.waitForExit(timeout: .seconds(10))) == nil { child.send(signal: SIGKILL) }
        }
        broker.stop()
    }

    /// The journal's records.
    func records() throws -> [JournalRecord] { try IntegrationEnvironment.records(journal: journalPath) }

    /// What each process printed, for failure messages.
    var logs: String {
        "--- fleetd ---\n\(fleetd?.outputText.suffix(3000) ?? "")\n--- fleet-sim ---\n\(sim?.outputText.suffix(3000) ?? "")"
    }
}
