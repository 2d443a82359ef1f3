import ArgumentParser
import FleetCore
import FleetEvaluation
import FleetMQTT
import Foundation

/// `fleet-eval live --broker HOST:PORT --site ID`: subscribes to `fleetpilot/v1/{site}/events` and redraws a
/// KPI table every few seconds from the records received so far.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live", abstract: "Show live KPIs from a running fleetd's event topic.")

    @Option(name: .long, help: "The broker, HOST:PORT.")
    var broker: String = "127.0.0.1:1883"

    @Option(name: .long, help: "The site id (fleetpilot/v1/{site}/events).")
    var site: String

    @Option(name: .long, help: "The scenario file, for targets and warm-up (optional).")
    var scenario: String?

    @Option(name: .long, help: "Seconds between refreshes.")
    var refresh: Double = 2

    func run() async throws {
        let parts = broker.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), port > 0 else {
            throw ValidationError("--broker must be HOST:PORT, e.g. 127.0.0.1:1883")
        }
        let input = try scenario.map { try RunInput(scenarioPath: $0) }
        let topic = "fleetpilot/v1/\(site)/events"
        let client: MQTTClient
        do {
            client = try MQTTClient(
                configuration: MQTTConfiguration(
                    host: String(parts[0]), port: port, clientID: "fleet-eval-live-\(getpid())", keepAlive: 30))
            try await client.connect()
            try await client.subscribe(topic, qos: .atLeastOnce)
        } catch {
            FileHandle.standardError.write(
                Data("fleet-eval: cannot subscribe to \(topic) at \(broker): \(error)\n".utf8))
            throw ExitCode(1)
        }
        var records: [JournalRecord] = []
        var undecodable = 0
        var lastDraw = Date.distantPast
        var iterator = client.messages.makeAsyncIterator()
        while let batch = await iterator.nextBatch() {
            for message in batch {
                let read = JournalReader.read(jsonl: Data(message.payload))
                records += read.records
                undecodable += read.undecodable
            }
            guard Date().timeIntervalSince(lastDraw) >= refresh, !records.isEmpty else { continue }
            lastDraw = Date()
            var settings = input?.settings ?? EvaluationSettings()
            settings.runSeconds = nil
            if settings.runStart == nil || settings.runStart! > records[0].time { settings.runStart = records[0].time }
            let run = RunEvaluation(
                records: records, undecodable: undecodable, targets: input?.targets ?? [], settings: settings)
            let title =
                "\(topic)  \(records.count) records  window \(Format2.hours(run.window.hours)) h  "
                + "overall so far: \(run.overall.rawValue)"
            let table = KPITable.render(run.kpis.filter { $0.estimate != nil }, title: title)
            FileHandle.standardOutput.write(Data(("\u{1B}[H\u{1B}[2J" + table + "\n").utf8))
        }
    }
}

/// Small formatting helpers of the executable.
enum Format2 {
    /// Hours with two decimals.
    static func hours(_ value: Double) -> String { String(format: "%.2f", value) }
}
