import ArgumentParser
import Foundation

/// A zone as `GET /v1/zones` returns it (the fields fleetctl shows).
struct ZoneRecord: Decodable {
    var id: String
    var kind: String
    var state: String
    var presencePolicy: String?
    var presenceSpeed: Double?
    var people: [String]
    var heldBy: String?
    var slowdownSpeed: Double?
    var pausedRobots: [String]

    var row: [String] {
        let policy =
            presencePolicy.map { name in name + (presenceSpeed.map { String(format: " %.2g m/s", $0) } ?? "") } ?? "-"
        var state = self.state
        if let heldBy { state += " by \(heldBy)" }
        if let slowdownSpeed { state += String(format: " (%.2g m/s)", slowdownSpeed) }
        return [
            id, kind, policy, state, people.isEmpty ? "-" : people.joined(separator: ","),
            pausedRobots.isEmpty ? "-" : pausedRobots.joined(separator: ","),
        ]
    }
    static let header = ["ZONE", "KIND", "PRESENCE", "STATE", "PEOPLE", "PAUSED ROBOTS"]
}

/// `GET /v1/zones` and the answers of `POST /v1/estop[/release]`.
struct ZonesRecord: Decodable {
    var siteEmergencyStop: String?
    var zones: [ZoneRecord]
}

/// `fleetctl zones`: a table of the site's zones.
struct Zones: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the site's zones: presence policy, people inside, held/slowed/stopped and by whom.")

    @OptionGroup var options: OperatorOptions

    func run() async throws {
        try await runOperator("zones") {
            let (zones, data) = try await options.client().decode(ZonesRecord.self, "/v1/zones")
            if options.json { return printJSON(data) }
            if let who = zones.siteEmergencyStop {
                print(
                    "SITE EMERGENCY STOP by \(who): every robot paused, assignment halted (`fleetctl estop --release`)")
            }
            printTable(ZoneRecord.header, zones.zones.map(\.row))
        }
    }
}

/// `fleetctl zone hold|release ID`.
struct ZoneHold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone",
        abstract: "Hold or release a zone (needs an operator token).",
        discussion: """
            hold: robots inside the zone or whose route enters it pause (VDA 5050 startPause) and no new order \
            sends a robot in; release: ends your hold (robots resume unless people's presence or an emergency stop \
            still holds the zone).
            """)

    /// What to do with the zone.
    enum Verb: String, ExpressibleByArgument, CaseIterable {
        case hold, release
    }

    @OptionGroup var options: OperatorOptions
    @Argument(help: "hold or release.") var verb: Verb
    @Argument(help: "The zone id (see `fleetctl zones`).") var zone: String

    func run() async throws {
        try await runOperator("zone \(verb.rawValue)") {
            let (record, data) = try await options.client().decode(
                ZoneRecord.self, "/v1/zones/\(try pathSegment(zone))/\(verb.rawValue)", method: "POST")
            if options.json { return printJSON(data) }
            print("zone \(record.id): \(record.row[3]); paused robots: \(record.row[5])")
        }
    }
}

/// `fleetctl estop [--zone ID] [--release]`.
struct EmergencyStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estop",
        abstract: "Emergency stop of the site or of one zone, or its release (needs an operator token).",
        discussion: """
            A software stop on top of the robots' own safety systems: every affected robot gets VDA 5050 \
            startPause at once and stays paused until the stop is released; a site stop also halts assignment.
            """)

    @OptionGroup var options: OperatorOptions
    @Option(help: "Stop only this zone (default: the whole site).") var zone: String?
    @Flag(help: "Release the stop instead.") var release = false

    func run() async throws {
        let suffix = release ? "/release" : ""
        try await runOperator(release ? "estop --release" : "estop") {
            let client = try options.client()
            if let zone {
                let (record, data) = try await client.decode(
                    ZoneRecord.self, "/v1/zones/\(try pathSegment(zone))/estop\(suffix)", method: "POST")
                if options.json { return printJSON(data) }
                let what = release ? "released" : "in force"
                print("emergency stop of zone \(record.id) \(what); paused robots: \(record.row[5])")
            } else {
                let (zones, data) = try await client.decode(ZonesRecord.self, "/v1/estop\(suffix)", method: "POST")
                if options.json { return printJSON(data) }
                if let who = zones.siteEmergencyStop {
                    print("site emergency stop in force (by \(who)): every robot paused, assignment halted")
                } else {
                    print("site emergency stop released: robots resume unless a zone still holds them")
                }
            }
        }
    }
}

/// `id` as one URL path segment; refuses ids that cannot be one (a zone id never contains `/`).
func pathSegment(_ id: String) throws -> String {
    guard !id.isEmpty, !id.contains("/"),
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
    else { throw ValidationError("zone id '\(id)' is empty or contains '/'") }
    return escaped
}
