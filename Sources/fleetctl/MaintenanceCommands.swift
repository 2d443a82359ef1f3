import ArgumentParser
import Foundation

/// `fleetctl maintenance ROBOT [--end] [--reason TEXT]`.
struct Maintenance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take a robot out of service, or put it back with --end (needs an operator token).",
        discussion: """
            A robot in maintenance gets no task: its current task goes back to the queue (its order is cancelled \
            on the robot) and another robot serves it. fleetd journals maintenance_start / maintenance_end with \
            your token's name.
            """)

    @OptionGroup var options: OperatorOptions
    @Argument(help: "The robot, manufacturer/serial (e.g. acme/AMR-01).") var robot: String
    @Flag(help: "End the maintenance: the robot takes work again.") var end = false
    @Option(help: "Why (journaled with the command).") var reason: String?

    func run() async throws {
        let parts = robot.split(separator: "/")
        guard parts.count == 2 else { throw ValidationError("robot '\(robot)' is not manufacturer/serial") }
        try await runOperator("maintenance") {
            let path = "/v1/robots/\(parts[0])/\(parts[1])/maintenance" + (end ? "/end" : "")
            let body = try reason.map { try JSONSerialization.data(withJSONObject: ["reason": $0]) }
            let (after, data) = try await options.client().decode(RobotRecord.self, path, method: "POST", body: body)
            if options.json { return printJSON(data) }
            if end {
                print("\(robot) is back in service (status \(after.status))")
            } else {
                print("\(robot) is in maintenance; its task, if it had one, went back to the queue")
            }
        }
    }
}
