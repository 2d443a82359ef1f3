import FleetEvaluation
import FleetStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One pilot run: broker, capture, fleetd, fleet-sim, in that order; then stop in reverse, export the journal and
/// summarise it.
struct PilotRun {
    /// What a finished run produced.
    struct Outcome {
        /// The summary.
        var summary: RunSummary
        /// The summary as a table for the terminal.
        var table: String
        /// Why the run counts as failed (empty when it passed).
        var problems: [String]
    }

    /// The scenario file.
    let scenario: URL
    /// The scenario's name.
    let scenarioName: String
    /// The results folder.
    let directory: URL
    /// An existing broker to use; `nil` starts a private one.
    let broker: BrokerAddress?
    /// Flags passed through to fleet-sim.
    let simulatorArguments: [String]

    private func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs the scenario. On a thrown error the caller kills the children still registered.
    func execute() async throws -> Outcome {
        let fleetd = try Executables.fleetProgram("fleetd")
        let simulator = try Executables.fleetProgram("fleet-sim")
        let mosquitto = broker == nil ? try Executables.mosquitto() : nil
        try prepareDirectory()
        note("results folder \(directory.path)")

        var privateBroker: PrivateBroker?
        if let mosquitto {
            privateBroker = try await PrivateBroker.start(executable: mosquitto, directory: directory)
            note("mosquitto listening on \(privateBroker!.address)")
        }
        let address = broker ?? BrokerAddress(host: "127.0.0.1", port: privateBroker!.port)
        let capture = try await TrafficCapture(host: address.host, port: address.port, path: file("traffic.log"))

        let daemon = try SpawnedProcess(
            name: "fleetd", path: fleetd,
            arguments: [
                "--scenario", scenario.path, "--broker", address.text, "--clock", "sim",
                "--journal", file("journal.sqlite"),
            ],
            output: .file(file("fleetd.log")))
        try await waitUntilReady(daemon)
        note("fleetd ready (pid \(daemon.pid))")

        let sim = try SpawnedProcess(
            name: "fleet-sim", path: simulator,
            arguments: ["--scenario", scenario.path, "--broker", address.text] + simulatorArguments, output: .pipe)
        let relay = try OutputRelay(fd: sim.outputPipe!, logPath: file("fleet-sim.log"))
        let started = ContinuousClock.now
        let simStatus = try await waitForSimulator(sim, daemon: daemon)
        await relay.join()
        note("fleet-sim exited with status \(simStatus) after \(started.duration(to: .now).formatted(.units()))")

        let daemonStatus = await daemon.stop(grace: .seconds(10))
        if daemonStatus != 0 { note("fleetd exited with status \(daemonStatus) on SIGTERM") }
        let captured = await capture.stop()
        note("captured \(captured) MQTT messages")
        await privateBroker?.stop()
        return try summarise(simStatus: simStatus)
    }

    private func prepareDirectory() throws(PilotError) {
        let manager = FileManager.default
        if manager.fileExists(atPath: file("journal.sqlite")) {
            throw .outputDirectory(
                path: directory.path, reason: "it already holds a run (journal.sqlite); use another --out")
        }
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .outputDirectory(path: directory.path, reason: "\(error.localizedDescription)")
        }
    }

    private func waitUntilReady(_ daemon: SpawnedProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            if let log = try? String(contentsOfFile: file("fleetd.log"), encoding: .utf8), log.contains("fleetd ready")
            {
                return
            }
            if let status = daemon.exitStatus {
                throw PilotError.fleetdNotReady(
                    reason: "it exited with status \(status)", log: tail(file("fleetd.log")))
            }
            if ContinuousClock.now >= deadline {
                throw PilotError.fleetdNotReady(reason: "no 'fleetd ready' within 30 s", log: tail(file("fleetd.log")))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func waitForSimulator(_ sim: SpawnedProcess, daemon: SpawnedProcess) async throws -> Int32 {
        while true {
            if let status = sim.exitStatus { return status }
            if let status = daemon.exitStatus {
                await sim.stop(grace: .seconds(3))
                throw PilotError.fleetdDied(status: status, log: tail(file("fleetd.log")))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func summarise(simStatus: Int32) throws -> Outcome {
        let journal = try SQLiteJournal(readOnlyPath: file("journal.sqlite"))
        defer { journal.close() }
        let lines = try journal.exportJSONL(to: file("journal.jsonl"))
        note("exported \(lines) journal records to journal.jsonl")
        let read = try JournalReader.read(journal)
        let summary = RunSummary(
            analysis: RunAnalysis(records: read.records), scenario: scenarioName, undecodable: read.undecodable)
        try summary.jsonData().write(to: URL(fileURLWithPath: file("summary.json")))
        var problems: [String] = []
        if simStatus != 0 {
            problems.append("fleet-sim exited with status \(simStatus) (see \(file("fleet-sim.log")))")
        }
        if summary.tasks.open > 0 {
            problems.append(
                "\(summary.tasks.open) task(s) not finished: \(summary.tasks.openTaskIDs.prefix(20).joined(separator: " "))"
            )
        }
        if summary.tasks.created == 0 { problems.append("the journal holds no tasks") }
        for problem in read.problems.prefix(3) { note("undecodable journal entry: \(problem)") }
        return Outcome(summary: summary, table: SummaryTable.render(summary), problems: problems)
    }

    private func note(_ message: String) { printError("fleetctl: \(message)") }

    /// The last lines of a log file.
    private func tail(_ path: String, lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
