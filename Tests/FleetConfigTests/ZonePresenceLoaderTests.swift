import FleetConfig
import FleetCore
import Foundation
import Testing

/// Zones' `presence` and `presenceSpeed` keys: parsed, and every mistake reported at its line and field.
@Suite struct ZonePresenceLoaderTests {
    static func yaml(zone: String) -> String {
        SiteLayoutLoaderTests.good.replacingOccurrences(
            of: "  - {id: Z, kind: humanWork, speedLimit: 0.5, nodes: [B]}", with: zone)
    }

    static func error(_ yaml: String) -> String? {
        do {
            _ = try SiteLayoutLoader().load(yaml: yaml, file: "site.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func policiesAreParsed() throws {
        let loader = SiteLayoutLoader()
        let slow = try loader.load(
            yaml: Self.yaml(zone: "  - {id: Z, kind: humanWork, presence: slowdown, presenceSpeed: 0.3, nodes: [B]}"),
            file: "site.yaml")
        #expect(slow.zones.first?.presence == .slowdown(speed: 0.3))
        let hold = try loader.load(
            yaml: Self.yaml(zone: "  - {id: Z, kind: humanWork, presence: hold, nodes: [B]}"), file: "site.yaml")
        #expect(hold.zones.first?.presence == .hold)
        let none = try loader.load(
            yaml: Self.yaml(zone: "  - {id: Z, kind: logical, presence: none, nodes: [B]}"), file: "site.yaml")
        #expect(none.zones.first?.presence == nil)
        #expect(try loader.load(yaml: SiteLayoutLoaderTests.good, file: "site.yaml").zones.first?.presence == nil)
    }

    @Test(arguments: [
        (
            "  - {id: Z, kind: humanWork, presence: slowdown, nodes: [B]}",
            "site.yaml:16: zones[0].presenceSpeed: presence 'slowdown' needs presenceSpeed (m/s, > 0)"
        ),
        (
            "  - {id: Z, kind: humanWork, presence: hold, presenceSpeed: 0.3, nodes: [B]}",
            "site.yaml:16: zones[0].presenceSpeed: presenceSpeed applies only to presence 'slowdown', not 'hold'"
        ),
        (
            "  - {id: Z, kind: humanWork, presence: pause, nodes: [B]}",
            "site.yaml:16: zones[0].presence: unknown value 'pause' (expected one of: slowdown, hold, none)"
        ),
        (
            "  - {id: Z, kind: humanWork, presence: slowdown, presenceSpeed: fast, nodes: [B]}",
            "site.yaml:16: zones[0].presenceSpeed: expected a number, got 'fast'"
        ),
        (
            "  - {id: Z, kind: humanWork, presence: slowdown, presenceSpeed: 0, nodes: [B]}",
            "site.yaml:16: zones[0].presenceSpeed: zone 'Z' has invalid presence speed 0.0 (must be a finite number > 0)"
        ),
        (
            "  - {id: Z, kind: humanWork, presence: slowdown, presenceSpeed: -1, nodes: [B]}",
            "site.yaml:16: zones[0].presenceSpeed: zone 'Z' has invalid presence speed -1.0 (must be a finite number > 0)"
        ),
        (
            "  - {id: Z, kind: humanWork, presense: hold, nodes: [B]}",
            "site.yaml:16: zones[0].presense: unknown key 'presense'"
        ),
    ])
    func mistakesNameLineAndField(zone: String, expected: String) {
        #expect(Self.error(Self.yaml(zone: zone)) == expected)
    }

    @Test func factoryHallCellsSlowDownWhilePeopleAreThere() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Configs/sites/factory-hall.yaml").path
        let layout = try SiteLayoutLoader().load(path: path)
        let cells = try #require(layout.zones.first { $0.id == "ASSEMBLY-CELLS" })
        #expect(cells.kind == .humanWork && cells.presence == .slowdown(speed: 0.3))
        #expect(cells.speedLimit == 0.5)
    }
}
