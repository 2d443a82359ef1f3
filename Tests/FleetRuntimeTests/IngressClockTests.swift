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

    @Test func aSampleFarPastTheClocksTimeIsReportedAsAJump() {
        let clock = FleetClock(mode: .sim)
        let statistics = RuntimeStatistics()
        var decoder = IngressDecoder(
            topics: Self.topics, interfaceName: "uagv", fleet: [], maxPayloadBytes: 1 << 20, clock: clock,
            clockJumpLimit: 30, statistics: statistics, logger: Logger(label: "test"))
        func sample(_ ms: Int64) -> [ShellInput] {
            var inputs: [ShellInput] = []
            let payload = #"{"simTimeMs":\#(ms),"timeScale":240,"running":true}"#
            decoder.decode(MQTTMessage(topic: Self.topics.clock, payload: Array(payload.utf8)), into: &inputs)
            return inputs
        }
        let t0: Int64 = 1_764_403_200_000
        #expect(sample(t0).isEmpty)
        // A regular step (50 ms of wall time at 240x) is no jump.
        #expect(sample(t0 + 12_000).isEmpty)
        // 100 s at once: the simulator (or fleetd) stalled for about 0.4 s of wall time.
        let jumped = sample(t0 + 112_000)
        #expect(jumped.count == 1)
        guard case .event(.clockJumped(let seconds))? = jumped.first else {
            Issue.record("expected a clock jump, got \(jumped)")
            return
        }
        // Less whatever fleetd extrapolated since the previous sample (wall time since then, at 240x).
        #expect(seconds > 90 && seconds <= 100, "\(seconds)")
        #expect(statistics.snapshot.clockSamples == 3)
        // The wall clock never reports jumps.
        #expect(FleetClock(mode: .wall).take(.init(simTimeMs: t0, timeScale: 1)) == nil)
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
