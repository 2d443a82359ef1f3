import FleetConfig
import FleetCore
import FleetSim
import Foundation

/// A small care site: the nurse station NS at A(0,0), rooms R1 at B(10,0), R2 at C(20,0), R3 at D(30,0), in a row;
/// the zone HALL is B and C.
enum CareSite {
    static let layout: SiteLayout = {
        let nodes = [
            SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "C", x: 20, y: 0, mapId: "m"), SiteNode(id: "D", x: 30, y: 0, mapId: "m"),
            SiteNode(id: "P", x: 0, y: -5, mapId: "m"),
        ]
        let edges = [
            EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true),
            EdgeSpec(id: "BC", from: "B", to: "C", bidirectional: true),
            EdgeSpec(id: "CD", from: "C", to: "D", bidirectional: true),
            EdgeSpec(id: "AP", from: "A", to: "P", bidirectional: true),
        ]
        return try! SiteLayout(
            siteId: "care", nodes: nodes, edges: edges,
            stations: [
                Station(id: "NS", node: "A", kind: .lineSide), Station(id: "R1", node: "B", kind: .lineSide),
                Station(id: "R2", node: "C", kind: .lineSide), Station(id: "R3", node: "D", kind: .lineSide),
            ],
            parkingSpots: [ParkingSpot(id: "PK", node: "P")],
            zones: [Zone(id: "HALL", kind: .logical, area: .nodes(["B", "C"]))])
    }()

    static let map = SimWalkingMap(layout: layout)

    /// A scenario on the care site with `people`, `demand` and `faults` and two robots.
    static func scenario(
        people: [ScenarioPeopleGroup] = [], demand: [ScenarioDemand] = [], faults: [ScenarioFault] = [],
        robots: Int = 2, seed: UInt64 = 5
    ) -> Scenario {
        var scenario = Scenario(
            name: "care-test", site: layout, siteId: "care", seed: seed, start: TestSite.t0, duration: 3600,
            fleet: [
                ScenarioFleetEntry(type: "AMR", manufacturer: "acme", serialPrefix: "AMR-", count: robots, maxSpeed: 1)
            ], demand: demand)
        scenario.people = people
        scenario.faults = faults
        return scenario
    }

    /// The notification fleetd sends for call or alert `task` at `station`.
    static func notification(_ task: String, station: String = "R2", alert: AlertKind = .call) -> [UInt8] {
        let note = PersonNotification(
            task: TaskID(task), alert: alert, resident: "res-01", station: station, level: 1,
            reason: alert == .call ? .notResolved : .fallAlert)
        return Array(try! JSONEncoder().encode(note))
    }

    /// The JSON object of a message.
    static func object(_ message: SimPersonMessage) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(message.json.utf8))) as? [String: Any] ?? [:]
    }
}
