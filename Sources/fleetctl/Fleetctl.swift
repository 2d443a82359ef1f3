import ArgumentParser
import FleetEvaluation
import Foundation

/// `fleetctl`: the command line for FleetPilot. Today it runs pilots and summarises journals; task and fleet
/// commands follow.
@main
struct Fleetctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetctl",
        abstract: "The FleetPilot command line.",
        discussion: """
            `fleetctl pilot SCENARIO` runs a whole pilot on this machine: a private mosquitto broker, fleetd \
            (following the simulation clock), a traffic capture and fleet-sim, then writes the journal, the \
            traffic log and a summary into a results folder. `fleetctl summary JOURNAL` summarises a journal.
            """,
        subcommands: [Pilot.self, Summary.self, BrokerCredentials.self]
            + [
                Robots.self, Tasks.self, Submit.self, Cancel.self, Confirm.self, RobotPause.self, RobotResume.self,
                Watch.self, Zones.self, ZoneHold.self, EmergencyStop.self,
            ] + [People.self, Alerts.self, Maintenance.self]
    )
}

/// `fleetctl summary JOURNAL`: the run summary of an existing journal (SQLite or JSONL export).
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a run's journal (journal.sqlite or journal.jsonl): tasks, times, utilisation.",
        discussion: "Exits 1 when the journal has tasks that never finished."
    )

    @Argument(help: "The journal: an SQLite journal, or its JSONL export (*.jsonl).")
    var journal: String

    @Flag(help: "Print summary.json instead of the table.")
    var json = false

    @Option(help: "The scenario name shown in the summary.")
    var scenario: String?

    func validate() throws {
        guard FileManager.default.fileExists(atPath: journal) else {
            throw ValidationError("journal '\(journal)' does not exist")
        }
    }

    func run() throws {
        let read: JournalReader.Result
        do {
            read = try JournalReader.read(path: journal)
        } catch {
            printError("fleetctl summary: cannot read '\(journal)': \(error)")
            throw ExitCode(2)
        }
        for problem in read.problems.prefix(3) { printError("fleetctl summary: undecodable entry: \(problem)") }
        let summary = RunSummary(
            analysis: RunAnalysis(records: read.records), scenario: scenario, undecodable: read.undecodable)
        if json {
            FileHandle.standardOutput.write(try summary.jsonData())
        } else {
            print(SummaryTable.render(summary), terminator: "")
        }
        if !summary.allTasksAccountedFor { throw ExitCode(1) }
    }
}
