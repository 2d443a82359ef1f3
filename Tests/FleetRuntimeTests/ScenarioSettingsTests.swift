import FleetConfig
import FleetCore
import FleetRuntime
import Foundation
import Testing

/// What fleetd takes from a scenario (`fleetd --scenario`, as `fleetctl pilot` starts it).
@Suite("fleetd settings from a scenario")
struct ScenarioSettingsTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Configs/scenarios").path

    @Test("the scenario's coordinator section reaches fleetd's coordinator configuration; what it leaves out stays")
    func coordinatorSection() throws {
        let resolved = try FleetdApplication.resolve(
            FleetdApplication.Overrides(scenarioPath: Self.scenarios + "/eldercare-night.yaml"))
        let coordinator = resolved.configuration.coordinator
        #expect(resolved.configuration.siteId == "care-1")
        #expect(coordinator.confirmationTimeout == 600)
        #expect(coordinator.callResolutionTimeout == 120)
        #expect(coordinator.acknowledgementTimeout == 60)
        #expect(coordinator.arrivalTimeout == 480)
        #expect(coordinator.nurseStation == "nurse-station")
        #expect(coordinator.chargeBelow == CoordinatorConfiguration().chargeBelow)

        let factory = try FleetdApplication.resolve(
            FleetdApplication.Overrides(scenarioPath: Self.scenarios + "/factory-default.yaml"))
        #expect(
            factory.configuration.coordinator.callResolutionTimeout == CoordinatorConfiguration().callResolutionTimeout)
        #expect(factory.configuration.coordinator.confirmationTimeout == CoordinatorConfiguration().confirmationTimeout)
    }
}
