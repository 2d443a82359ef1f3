import ArgumentParser
import Foundation

/// A person as `GET /v1/people` returns them (the fields fleetctl shows).
struct PersonRecord: Decodable {
    struct Notification: Decodable {
        var task: String
        var acknowledged: Bool
    }

    var id: String
    var role: String
    var skills: [String]
    var present: Bool
    var onShift: Bool?
    var node: String?
    var station: String?
    var notifications: [Notification]
    var confirmations: [String]

    var row: [String] {
        let waiting =
            notifications.map { $0.task + ($0.acknowledged ? " (on the way)" : " (notified)") }
            + confirmations.map { "\($0) (confirm)" }
        return [
            id, role, present ? "yes" : "no", onShift.map { $0 ? "yes" : "no" } ?? "-",
            station ?? node ?? "-", skills.isEmpty ? "-" : skills.joined(separator: ","),
            waiting.isEmpty ? "-" : waiting.joined(separator: ", "),
        ]
    }
    static let header = ["PERSON", "ROLE", "PRESENT", "ON SHIFT", "WHERE", "SKILLS", "WAITING FOR THEM"]
}

/// One page of `GET /v1/people`.
struct PersonPageRecord: Decodable {
    var items: [PersonRecord]
    var total: Int
}

/// `fleetctl people [--role R] [--present true|false]`.
struct People: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the people on the site's roster (from fleetd's operator API).",
        discussion: """
            People come from the scenario or register with a presence message that has a 'role'. WAITING FOR \
            THEM lists the open calls and alerts a person was notified of and the tasks waiting for their \
            confirmation.
            """)

    @OptionGroup var options: OperatorOptions

    @Option(help: "Only people with this role: line_worker, team_lead, caregiver, nurse, resident.")
    var role: String?

    @Option(help: "Only people present (true) or absent (false).")
    var present: Bool?

    func run() async throws {
        try await runOperator("people") {
            let client = try options.client()
            var filters = ""
            if let role { filters += "&role=\(role)" }
            if let present { filters += "&present=\(present)" }
            var people: [PersonRecord] = []
            var pages: [Any] = []
            repeat {
                let path = "/v1/people?limit=500&offset=\(people.count)" + filters
                let (page, data) = try await client.decode(PersonPageRecord.self, path)
                people += page.items
                let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                pages += object?["items"] as? [Any] ?? []
                if page.items.isEmpty || people.count >= page.total { break }
            } while true
            if options.json {
                return printJSON(try JSONSerialization.data(withJSONObject: pages, options: [.sortedKeys]))
            }
            printTable(PersonRecord.header, people.map(\.row))
        }
    }
}

/// A call or alert as `GET /v1/alerts` returns it.
struct AlertRecord: Decodable {
    var task: String
    var alert: String
    var resident: String
    var station: String
    var raisedAt: String
    var level: Int
    var notified: [String]
    var acknowledgedBy: String?
    var robot: String?
    var taskState: String?

    var row: [String] {
        [
            task, alert, resident, station, String(level), notified.isEmpty ? "-" : notified.joined(separator: ", "),
            acknowledgedBy ?? "-", robot.map { "\($0) (\(taskState ?? "?"))" } ?? (taskState ?? "-"), raisedAt,
        ]
    }
    static let header = [
        "TASK", "ALERT", "RESIDENT", "STATION", "LEVEL", "NOTIFIED", "ACKNOWLEDGED BY", "ROBOT", "RAISED",
    ]
}

/// `fleetctl alerts`: calls and fall alerts waiting for a person.
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List residents' calls and fall alerts not yet resolved, with their escalation.")

    @OptionGroup var options: OperatorOptions

    func run() async throws {
        try await runOperator("alerts") {
            let (alerts, data) = try await options.client().decode([AlertRecord].self, "/v1/alerts")
            if options.json { return printJSON(data) }
            if alerts.isEmpty { return print("no open calls or alerts") }
            printTable(AlertRecord.header, alerts.map(\.row))
        }
    }
}
