import FleetRuntime
import Testing

@Suite struct FleetTopicsTests {
    @Test func topicsLiveUnderTheSite() {
        let topics = FleetTopics(site: "hall-1")
        #expect(topics.taskRequest == "fleetpilot/v1/hall-1/tasks/request")
        #expect(topics.taskStatus("T-7") == "fleetpilot/v1/hall-1/tasks/T-7/status")
        #expect(topics.events == "fleetpilot/v1/hall-1/events")
        #expect(topics.clock == "fleetpilot/v1/hall-1/clock")
    }
}
