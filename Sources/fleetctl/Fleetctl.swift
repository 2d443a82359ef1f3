import ArgumentParser

/// `fleetctl`: the command line for FleetPilot. Today it runs pilots; task and fleet commands follow.
@main
struct Fleetctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetctl",
        abstract: "The FleetPilot command line.",
        discussion: """
            `fleetctl pilot SCENARIO` runs a whole pilot on this machine: a private mosquitto broker, fleetd \
            (following the simulation clock), a traffic capture and fleet-sim, then writes the journal, the \
            traffic log and a summary into a results folder.
            """,
        subcommands: [Pilot.self]
    )
}
