import ArgumentParser
import Foundation

/// A robot as `GET /v1/robots` returns it (the fields fleetctl shows).
struct RobotRecord: Decodable {
    var id: String
    var type: String
    var status: String
    var unavailableReason: String?
    var task: String?
    var battery: Double?
    var paused: Bool
    var x: Double?
    var y: Double?
    var lastNode: String?

    var row: [String] {
        [
            id, type, status + (paused ? " (paused)" : ""), task ?? "-",
            battery.map { String(format: "%.0f%%", $0) } ?? "-",
            x.flatMap { x in y.map { String(format: "%.1f, %.1f", x, $0) } } ?? "-", lastNode ?? "-",
            unavailableReason ?? "",
        ]
    }
    static let header = ["ROBOT", "TYPE", "STATUS", "TASK", "BATTERY", "POSITION", "NODE", "WHY"]
}

/// `fleetctl robots [--status S]`.
struct Robots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the fleet's robots (from fleetd's operator API).")

    @OptionGroup var options: OperatorOptions

    @Option(help: "Only robots with this status: available, busy, unavailable, offline, maintenance.")
    var status: String?

    func run() async throws {
        try await runOperator("robots") {
            let path = "/v1/robots" + (status.map { "?status=\($0)" } ?? "")
            let (robots, data) = try await options.client().decode([RobotRecord].self, path)
            if options.json { return printJSON(data) }
            printTable(RobotRecord.header, robots.map(\.row))
        }
    }
}

/// `fleetctl pause ROBOT` / `fleetctl resume ROBOT`: VDA 5050 `startPause` / `stopPause`.
struct RobotPause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a robot (VDA 5050 startPause; needs an operator token).")

    @OptionGroup var options: OperatorOptions
    @Argument(help: "The robot, manufacturer/serial (e.g. acme/AMR-01).") var robot: String

    func run() async throws { try await sendRobotCommand("pause", robot: robot, options: options) }
}

/// `fleetctl resume ROBOT`.
struct RobotResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused robot (VDA 5050 stopPause; needs an operator token).")

    @OptionGroup var options: OperatorOptions
    @Argument(help: "The robot, manufacturer/serial (e.g. acme/AMR-01).") var robot: String

    func run() async throws { try await sendRobotCommand("resume", robot: robot, options: options) }
}

func sendRobotCommand(_ verb: String, robot: String, options: OperatorOptions) async throws {
    let parts = robot.split(separator: "/")
    guard parts.count == 2 else { throw ValidationError("robot '\(robot)' is not manufacturer/serial") }
    try await runOperator(verb) {
        let data = try await options.client().send("/v1/robots/\(parts[0])/\(parts[1])/\(verb)", method: "POST")
        if options.json { return printJSON(data) }
        let action = verb == "pause" ? "startPause" : "stopPause"
        print("\(action) sent to \(robot); `fleetctl robots` shows it paused once the robot reports it")
    }
}
