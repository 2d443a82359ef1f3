import ArgumentParser
import FleetCore
import Foundation

/// A task as `GET /v1/tasks` returns it (the fields fleetctl shows).
struct TaskRecord: Decodable {
    var id: String
    var state: String
    var kind: String?
    var pick: String?
    var drop: String?
    var stops: [String]?
    var zone: String?
    var robots: Int?
    var priority: String
    var requester: String
    var robot: String?
    var reason: String?
    var updatedAt: String

    /// `LS-01 → KIT-1`, `A → B → C`, `zone HALL`.
    var route: String {
        if let pick, let drop { return pick + " → " + drop }
        if let zone { return "zone " + zone }
        return (stops ?? []).joined(separator: " → ")
    }

    var row: [String] {
        let what = (kind ?? "transport") + ((robots ?? 1) > 1 ? " ×\(robots!)" : "")
        return [id, state, what, route, priority, robot ?? "-", requester, updatedAt]
    }
    static let header = ["TASK", "STATE", "KIND", "ROUTE", "PRIORITY", "ROBOT", "REQUESTER", "UPDATED"]
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

/// `fleetctl confirm TASK --person P`.
struct Confirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Confirm an assist or handover on a person's behalf (needs an operator token).",
        discussion: """
            Journaled as human_ack with the person; the task completes once its robot has also done its part. \
            People confirm from their devices on MQTT fleetpilot/v1/{site}/tasks/{id}/confirm.
            """)

    @OptionGroup var options: OperatorOptions
    @Argument(help: "The task id.") var task: String
    @Option(help: "Who confirms (must be the task's person if it names one).") var person: String

    func validate() throws {
        guard !person.isEmpty else { throw ValidationError("--person must not be empty") }
    }

    func run() async throws {
        let body = try JSONEncoder().encode(TaskSubmission.Confirmation(person: person))
        try await runOperator("confirm") {
            let path = "/v1/tasks/\(task.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? task)/confirm"
            let (record, data) = try await options.client().decode(TaskRecord.self, path, method: "POST", body: body)
            if options.json { return printJSON(data) }
            print("task \(record.id) confirmed by \(person); \(record.state)")
        }
    }
}
