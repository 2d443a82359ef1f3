import FleetCore
import FleetMQTT
import FleetRuntime
import Logging
import Testing

/// Hostile or broken clock samples are counted and refused; they never reach the clock's arithmetic.
@Suite struct IngressClockTests {
    static let topics = FleetTopics(site: "hall-1")

    static func decode(_ payload: String, clock: FleetClock, statistics: RuntimeStatistics) -> [ShellInput] {
        var decoder = IngressDecoder(
            topics: topics, interfaceName: "uagv", fleet: [], maxPayloadBytes: 1 << 20, clock: clock,
            statistics: statistics, logger: Logger(label: "test"))
        var inputs: [ShellInput] = []
        decoder.decode(MQTTMessage(topic: topics.clock, payload: Array(payload.utf8)), into: &inputs)
        return inputs
    }

    @Test(
        "out-of-range clock samples are refused",
        arguments: [
            #"{"simTimeMs":1764403200000,"timeScale":1e300,"running":true}"#,
            #"{"simTimeMs":9223372036854775807,"timeScale":240,"running":true}"#,
            #"{"simTimeMs":-5,"timeScale":240,"running":true}"#,
            #"{"simTimeMs":1764403200000,"timeScale":-1,"running":true}"#,
            #"{"simTimeMs":"soon","timeScale":240,"running":true}"#,
        ])
    func refused(payload: String) {
        let clock = FleetClock(mode: .sim)
        let statistics = RuntimeStatistics()
        _ = Self.decode(payload, clock: clock, statistics: statistics)
        #expect(statistics.snapshot.invalidMessages == 1)
        #expect(statistics.snapshot.clockSamples == 0)
        #expect(clock.now() == nil)
    }

    @Test func aValidSampleSetsTheClock() {
        let clock = FleetClock(mode: .sim)
        let statistics = RuntimeStatistics()
        _ = Self.decode(
            #"{"simTimeMs":1764403200000,"timeScale":240,"running":true}"#, clock: clock, statistics: statistics)
        #expect(statistics.snapshot.clockSamples == 1)
        let now = clock.now()
        #expect(now != nil && now!.milliseconds >= 1_764_403_200_000)
    }
}
