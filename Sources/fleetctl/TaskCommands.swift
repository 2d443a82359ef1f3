import ArgumentParser
import Foundation
import Yams

/// A task as `GET /v1/tasks` returns it (the fields fleetctl shows).
struct TaskRecord: Decodable {
    var id: String
    var state: String
    var pick: String
    var drop: String
    var priority: String
    var requester: String
    var robot: String?
    var reason: String?
    var updatedAt: String

    var row: [String] { [id, state, pick + " → " + drop, priority, robot ?? "-", requester, updatedAt] }
    static let header = ["TASK", "STATE", "ROUTE", "PRIORITY", "ROBOT", "REQUESTER", "UPDATED"]
}

/// `GET /v1/tasks` page.
struct TaskPageRecord: Decodable {
    var items: [TaskRecord]
    var total: Int
}

/// `fleetctl tasks [--state S,...] [--limit N]`.
struct Tasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List tasks, newest first (from fleetd's operator API).")

    @OptionGroup var options: OperatorOptions

    @Option(help: "Only tasks in these states, comma-separated (queued, dispatched, inProgress, completed, ...).")
    var state: String?

    @Option(help: "At most this many tasks (1...500).")
    var limit = 100

    func run() async throws {
        try await runOperator("tasks") {
            var path = "/v1/tasks?limit=\(limit)"
            if let state {
                path += "&state=" + (state.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? state)
            }
            let (page, data) = try await options.client().decode(TaskPageRecord.self, path)
            if options.json { return printJSON(data) }
            printTable(TaskRecord.header, page.items.map(\.row))
            if page.total > page.items.count { print("(\(page.items.count) of \(page.total); --limit for more)") }
        }
    }
}

/// `fleetctl submit --pick A --drop B ...` or `fleetctl submit --file task.yaml`.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a transport task (needs an operator token).",
        discussion: """
            From flags, or from a YAML/JSON file with the same keys as POST /v1/tasks (id, pick, drop, priority, \
            loadType, loadWeightKg, capabilities). The task is journaled with the token's name as requester.
            """)

    @OptionGroup var options: OperatorOptions
    @Option(help: "Task id (A-Z a-z 0-9 _ - . :); generated when omitted.") var id: String?
    @Option(help: "Pick station.") var pick: String?
    @Option(help: "Drop station.") var drop: String?
    @Option(help: "low, normal, high or urgent.") var priority: String?
    @Option(help: "Kind of load, e.g. KLT.") var loadType: String?
    @Option(help: "Load weight in kg.") var loadWeightKg: Double?
    @Option(help: "A capability the robot needs (repeatable).") var capability: [String] = []
    @Option(help: "A YAML or JSON file with the task (flags override its values).") var file: String?

    func body() throws -> [String: Any] {
        var object: [String: Any] = [:]
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read --file '\(file)': \(error.localizedDescription)")
            }
            guard let loaded = try? Yams.load(yaml: text) as? [String: Any] else {
                throw ValidationError("--file '\(file)' is not a YAML/JSON mapping of task fields")
            }
            object = loaded
        }
        let flags: [(String, Any?)] = [
            ("id", id), ("pick", pick), ("drop", drop), ("priority", priority), ("loadType", loadType),
            ("loadWeightKg", loadWeightKg), ("capabilities", capability.isEmpty ? nil : capability),
        ]
        for (key, value) in flags { if let value { object[key] = value } }
        guard object["pick"] != nil, object["drop"] != nil else {
            throw ValidationError("give --pick and --drop (or a --file with pick and drop)")
        }
        return object
    }

    func run() async throws {
        let data = try JSONSerialization.data(withJSONObject: try body())
        try await runOperator("submit") {
            let client = try options.client()
            let answer = try await client.send("/v1/tasks", method: "POST", body: data)
            if options.json { return printJSON(answer) }
            if let task = try? JSONDecoder().decode(TaskRecord.self, from: answer) {
                print("task \(task.id) \(task.state)" + (task.robot.map { " (robot \($0))" } ?? ""))
            } else {
                print("task accepted; fleetd holds it until its clock starts")
            }
        }
    }
}

/// `fleetctl cancel TASK [--reason TEXT]`.
struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a task (needs an operator token).")

    @OptionGroup var options: OperatorOptions
    @Argument(help: "The task id.") var task: String
    @Option(help: "Why (journaled with the token's name).") var reason: String?

    func run() async throws {
        let body = try JSONSerialization.data(withJSONObject: reason.map { ["reason": $0] } ?? [:])
        try await runOperator("cancel") {
            let path = "/v1/tasks/\(task.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? task)/cancel"
            let (record, data) = try await options.client().decode(TaskRecord.self, path, method: "POST", body: body)
            if options.json { return printJSON(data) }
            print("task \(record.id) \(record.state)")
        }
    }
}
