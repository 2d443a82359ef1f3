import FleetConfig
import FleetCore
import Foundation
import Testing

@Suite struct SiteLayoutLoaderTests {
    let loader = SiteLayoutLoader()

    static let good = """
        site: mini
        mapId: m1
        nodes:
          - {id: A, x: 0, y: 0}
          - {id: B, x: 3, y: 4, theta: 1.5}
        edges:
          - {id: AB, from: A, to: B, bidirectional: true, maxSpeed: 2}
        stations:
          - {id: S1, node: A, kind: pick}
          - {id: S2, node: B, kind: lineSide}
        chargers:
          - {id: C1, node: B}
        parking:
          - {id: P1, node: A}
        zones:
          - {id: Z, kind: humanWork, speedLimit: 0.5, nodes: [B]}
        """

    private func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try loader.load(yaml: yaml, file: "site.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func loadsAValidFile() throws {
        let layout = try loader.load(yaml: Self.good, file: "site.yaml")
        #expect(layout.siteId == "mini")
        #expect(layout.nodes.count == 2 && layout.edges.count == 2)
        #expect(layout.edge("AB~rev")?.length == 5)
        #expect(layout.edge("AB")?.maxSpeed == 0.5)
        #expect(layout.node("B")?.theta == 1.5 && layout.node("B")?.mapId == "m1")
        #expect(layout.chargers.first?.capacity == 1)
    }

    @Test(arguments: [
        (
            "  - {id: B, x: abc, y: 4, theta: 1.5}", "site.yaml:5: nodes[1].x: expected a number, got 'abc'"
        ),
        (
            "  - {id: B, y: 4}", "site.yaml:5: nodes[1].x: missing required key 'x'"
        ),
        (
            "  - {id: B, x: 1, y: 4, colour: red}", "site.yaml:5: nodes[1].colour: unknown key 'colour'"
        ),
    ])
    func nodeErrorsNameLineAndField(replacement: String, expected: String) throws {
        let yaml = Self.good.replacingOccurrences(of: "  - {id: B, x: 3, y: 4, theta: 1.5}", with: replacement)
        #expect(error(yaml)?.description == expected)
    }

    @Test func unknownNodeReferenceNamesTheField() {
        let yaml = Self.good.replacingOccurrences(of: "to: B, bidirectional", with: "to: N99, bidirectional")
        let e = error(yaml)
        guard case .invalid(let file, let line, let field, let reason) = e else {
            Issue.record("expected invalid, got \(String(describing: e))")
            return
        }
        #expect(file == "site.yaml" && line == 7 && field == "edges[0].to")
        #expect(reason.hasPrefix("edge 'AB' references unknown node 'N99'"))
    }

    @Test("a node orientation outside [-π, π] is refused with its line (VDA 5050 orders cannot carry it)")
    func thetaOutOfRange() {
        let yaml = Self.good.replacingOccurrences(of: "theta: 1.5", with: "theta: 3.1416")
        #expect(
            error(yaml)?.description == "site.yaml:5: nodes[1].theta: 3.1416 is not an angle in [-π, π] radians")
        #expect(error(Self.good.replacingOccurrences(of: "theta: 1.5", with: "theta: -3.14159")) == nil)
    }

    @Test func wrongKindListsAllowedValues() {
        let yaml = Self.good.replacingOccurrences(of: "kind: pick", with: "kind: teleport")
        #expect(
            error(yaml)?.description
                == "site.yaml:9: stations[0].kind: unknown value 'teleport' (expected one of: pick, drop, lineSide, "
                + "kitting, dock, storage, room, nurseStation, pharmacy, commonRoom, waypoint)")
    }

    @Test func missingTopLevelKey() {
        let yaml = Self.good.replacingOccurrences(of: "mapId: m1\n", with: "")
        #expect(error(yaml)?.description == "site.yaml:1: mapId: missing required key 'mapId'")
    }

    @Test func yamlSyntaxErrorHasLineAndColumn() {
        let e = error("site: x\nnodes:\n  - {id: A, x: 0\n  - y\n")
        guard case .syntax(let file, let line, _, _) = e else {
            Issue.record("expected a syntax error, got \(String(describing: e))")
            return
        }
        #expect(file == "site.yaml" && line >= 3)
    }

    @Test func duplicateIdPointsAtTheSecondEntry() {
        let yaml = Self.good.replacingOccurrences(of: "  - {id: S2, node: B", with: "  - {id: S1, node: B")
        #expect(
            error(yaml)?.description.hasPrefix("site.yaml:10: stations[1]: station id 'S1' is used more than once")
                == true)
    }

    @Test func unreadableFileIsReported() {
        #expect(throws: ConfigError.self) { try loader.load(path: "/nonexistent/site.yaml") }
    }

    @Test func shippedFactoryHallLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Configs/sites/factory-hall.yaml").path
        let layout = try loader.load(path: path)
        #expect(layout.siteId == "factory-hall" && layout.mapIds == ["hall-1"])
        #expect((40...60).contains(layout.nodes.count))
        #expect(layout.stations.filter { $0.kind == .lineSide }.count >= 10)
        #expect(layout.stations.contains { $0.kind == .kitting })
        #expect(layout.chargers.count == 4 && !layout.parkingSpots.isEmpty)
        #expect(layout.zones.contains { $0.kind == .humanWork })
        let router = SiteRouter(layout: layout)
        for a in layout.stations {
            for b in layout.stations {
                #expect(router.route(from: a.node, to: b.node, robotMaxSpeed: 1.2) != nil)
            }
        }
    }
}
