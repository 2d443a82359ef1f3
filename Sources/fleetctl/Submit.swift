import ArgumentParser
import FleetCore
import Foundation
import Yams

/// `fleetctl submit --kind patrol --stops A,B,C ...` or `fleetctl submit --file task.yaml`.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a task of any kind (needs an operator token).",
        discussion: """
            From flags, or from a YAML/JSON file with the same keys as POST /v1/tasks and the MQTT request \\
            (id, kind, pick, drop, stops, zone, robots, person, priority, loadType, loadWeightKg, capabilities, \\
            deadline, earliestStart, after, repeatEvery); flags override the file. Examples:
              fleetctl submit --pick LS-01 --drop KIT-1
              fleetctl submit --kind patrol --stops LS-01,LS-02,KIT-1 --repeat-every 1800
              fleetctl submit --kind cooperative_carry --pick DOCK-IN-1 --drop SM-1 --robots 2 --load-weight-kg 90
              fleetctl submit --kind assist --stops LS-02 --person carer-2
              fleetctl submit --kind emergency --stops LS-03
            The fields are checked here as fleetd checks them; fleetd checks the stations and journals the task \\
            with the token's name as requester.
            """)

    @OptionGroup var options: OperatorOptions
    @Option(help: "Task id (A-Z a-z 0-9 _ - . :); generated when omitted.") var id: String?
    @Option(
        help: "transport (default), patrol, assist, handover, cooperative_carry, coverage or emergency.")
    var kind: String?
    @Option(help: "Pick station (transport, cooperative_carry).") var pick: String?
    @Option(help: "Drop station (transport, cooperative_carry).") var drop: String?
    @Option(help: "Stations, comma-separated: patrol waypoints, or the station of an assist/handover/emergency.")
    var stops: String?
    @Option(help: "The zone to cover (coverage).") var zone: String?
    @Option(help: "Robots needed at once (cooperative_carry: default 2; coverage: default 1).") var robots: Int?
    @Option(help: "The person who confirms (assist, handover).") var person: String?
    @Option(help: "low, normal, high, urgent or emergency.") var priority: String?
    @Option(help: "Kind of load, e.g. KLT.") var loadType: String?
    @Option(help: "Load weight in kg.") var loadWeightKg: Double?
    @Option(help: "A capability the robot needs (repeatable).") var capability: [String] = []
    @Option(help: "Deadline, ISO 8601 (e.g. 2026-11-29T08:30:00Z).") var deadline: String?
    @Option(help: "Not before this time, ISO 8601.") var earliestStart: String?
    @Option(help: "Task ids that must complete first, comma-separated.") var after: String?
    @Option(help: "A patrol recurs this many seconds after each round's start.") var repeatEvery: Double?
    @Option(help: "A YAML or JSON file with the task (flags override its values).") var file: String?

    /// The flag of each field, for error messages.
    static let flags: [String: String] = [
        "id": "--id", "kind": "--kind", "pick": "--pick", "drop": "--drop", "stops": "--stops", "zone": "--zone",
        "robots": "--robots", "person": "--person", "priority": "--priority", "loadType": "--load-type",
        "loadWeightKg": "--load-weight-kg", "capabilities": "--capability", "deadline": "--deadline",
        "earliestStart": "--earliest-start", "after": "--after", "repeatEvery": "--repeat-every",
    ]

    /// The submission from the file and the flags, checked like fleetd checks it.
    func submission() throws -> TaskSubmission {
        var task = TaskSubmission()
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read --file '\(file)': \(error.localizedDescription)")
            }
            do {
                task = try YAMLDecoder().decode(TaskSubmission.self, from: text)
            } catch let problem as TaskSubmission.Problem {
                throw ValidationError("--file '\(file)': \(problem)")
            } catch {
                var cause = "\(error)"
                if case DecodingError.dataCorrupted(let context) = error,
                    let problem = context.underlyingError as? TaskSubmission.Problem
                {
                    throw ValidationError("--file '\(file)': \(problem)")
                }
                cause = cause.prefix(200).description
                throw ValidationError("--file '\(file)' is not a YAML/JSON mapping of task fields (\(cause))")
            }
        }
        func list(_ text: String?) -> [String]? {
            text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        }
        task.id = id ?? task.id
        task.kind = kind ?? task.kind
        task.pick = pick ?? task.pick
        task.drop = drop ?? task.drop
        task.stops = list(stops) ?? task.stops
        task.zone = zone ?? task.zone
        task.robots = robots ?? task.robots
        task.person = person ?? task.person
        task.priority = priority ?? task.priority
        task.loadType = loadType ?? task.loadType
        task.loadWeightKg = loadWeightKg ?? task.loadWeightKg
        task.capabilities = capability.isEmpty ? task.capabilities : capability
        task.deadline = deadline ?? task.deadline
        task.earliestStart = earliestStart ?? task.earliestStart
        task.after = list(after) ?? task.after
        task.repeatEvery = repeatEvery ?? task.repeatEvery
        var check = task
        check.id = check.id ?? "fleetctl-check"
        do {
            _ = try check.request(time: Self.time)
        } catch {
            let flag = error.field.flatMap { Self.flags[$0] }.map { " (\($0))" } ?? ""
            throw ValidationError("invalid task: \(error)\(flag)")
        }
        return task
    }

    /// An ISO 8601 time with or without fractional seconds.
    static func time(_ text: String) -> FleetTime? {
        for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()] {
            if let date = try? Date(text, strategy: style) { return FleetTime(seconds: date.timeIntervalSince1970) }
        }
        return nil
    }

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(try submission())
        try await runOperator("submit") {
            let client = try options.client()
            let answer = try await client.send("/v1/tasks", method: "POST", body: data)
            if options.json { return printJSON(answer) }
            if let task = try? JSONDecoder().decode(TaskRecord.self, from: answer) {
                print(
                    "\(task.kind ?? "transport") task \(task.id) \(task.state)"
                        + (task.robot.map { " (robot \($0))" } ?? ""))
            } else {
                print("task accepted; fleetd holds it until its clock starts")
            }
        }
    }
}
