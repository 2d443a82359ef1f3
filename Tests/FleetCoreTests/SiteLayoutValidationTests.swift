import FleetCore
import Testing

@Suite struct SiteLayoutValidationTests {
    private func problems(
        nodes: [SiteNode], edges: [EdgeSpec] = [], stations: [Station] = [], chargers: [Charger] = [],
        zones: [Zone] = []
    ) -> [String] {
        do {
            _ = try SiteLayout(
                siteId: "s", nodes: nodes, edges: edges, stations: stations, chargers: chargers, zones: zones)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    private let ab = [SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 5, y: 0, mapId: "m")]

    @Test func unknownNodeIsNamed() {
        let found = problems(nodes: ab, edges: [EdgeSpec(id: "E7", from: "A", to: "N99")])
        #expect(found == ["edge 'E7' references unknown node 'N99'"])
    }

    @Test func duplicateIdsAreReportedOnce() {
        let found = problems(
            nodes: ab + [SiteNode(id: "A", x: 1, y: 1, mapId: "m")],
            edges: [EdgeSpec(id: "E", from: "A", to: "B"), EdgeSpec(id: "E", from: "B", to: "A")])
        #expect(found == ["node id 'A' is used more than once", "edge id 'E' is used more than once"])
    }

    @Test func bidirectionalExpansionCollisionIsADuplicate() {
        let found = problems(
            nodes: ab,
            edges: [
                EdgeSpec(id: "E", from: "A", to: "B", bidirectional: true), EdgeSpec(id: "E~rev", from: "B", to: "A"),
            ])
        #expect(found == ["edge id 'E~rev' is used more than once"])
    }

    @Test func nonFiniteCoordinatesAndBadNumbers() {
        let found = problems(
            nodes: [SiteNode(id: "A", x: .nan, y: 0, mapId: "m"), SiteNode(id: "B", x: 1, y: .infinity, mapId: "m")],
            edges: [EdgeSpec(id: "E", from: "A", to: "B", length: -1, maxSpeed: 0)],
            chargers: [Charger(id: "C", node: "A", capacity: 0)])
        #expect(found.contains("node 'A' has a coordinate that is not a finite number"))
        #expect(found.contains("node 'B' has a coordinate that is not a finite number"))
        #expect(found.contains("edge 'E' has invalid length -1.0 (must be a finite number >= 0)"))
        #expect(found.contains("edge 'E' has invalid speed limit 0.0 (must be a finite number > 0)"))
        #expect(found.contains("charger 'C' has capacity 0 (must be at least 1)"))
    }

    @Test func unreachableStationsAreReported() {
        let found = problems(
            nodes: ab + [SiteNode(id: "C", x: 9, y: 0, mapId: "m")],
            edges: [
                EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true), EdgeSpec(id: "BC", from: "B", to: "C"),
            ],
            stations: [Station(id: "S1", node: "A", kind: .pick), Station(id: "S3", node: "C", kind: .drop)])
        #expect(found == ["station 'S3' at node 'C' is not reachable both ways from station 'S1'"])
    }

    @Test func zonesAreChecked() {
        let found = problems(
            nodes: ab,
            zones: [
                Zone(id: "Z1", kind: .humanWork, area: .polygon(mapId: "m", vertices: [SitePoint(x: 0, y: 0)])),
                Zone(id: "Z2", kind: .logical, area: .nodes(["Q"]), speedLimit: -1),
            ])
        #expect(
            found == [
                "zone 'Z1' needs a polygon of at least 3 finite vertices",
                "zone 'Z2' has invalid speed limit -1.0 (must be a finite number > 0)",
                "zone 'Z2' references unknown node 'Q'",
            ])
    }

    @Test func emptyLayoutIsRefused() {
        #expect(problems(nodes: []) == ["the layout defines no nodes"])
    }

    @Test func lengthDefaultsToStraightLine() throws {
        let layout = try SiteLayout(siteId: "s", nodes: ab, edges: [EdgeSpec(id: "E", from: "A", to: "B")])
        #expect(layout.edge("E")?.length == 5)
        #expect(layout.nearestNode(to: SitePoint(x: 4, y: 1), mapId: "m")?.id == "B")
        #expect(layout.nearestNode(to: SitePoint(x: 4, y: 1), mapId: "other") == nil)
    }
}
