import FleetCore
import FleetMQTT
import FleetRuntime
import Logging
import Testing

/// Hostile or broken clock samples are counted and refused; they never reach the clock's arithmetic.
@Suite struct IngressClockTests {
    static let topics = FleetTopics(site: "hall-1")

    /// Feeds clock samples to one decoder, as fleetd's ingest does.
    struct Feed {
        var decoder: IngressDecoder

        init(clock: FleetClock, statistics: RuntimeStatistics, clockJumpLimit: Double = .infinity) {
            decoder = IngressDecoder(
                topics: IngressClockTests.topics, interfaceName: "uagv", fleet: [], maxPayloadBytes: 1 << 20,
                clock: clock, clockJumpLimit: clockJumpLimit, statistics: statistics, logger: Logger(label: "test"))
        }

        /// One sample at `ms`; `step` is its `maxStepMs`.
        mutating func sample(_ ms: Int64, running: Bool = true, step: Int64? = nil) -> [ShellInput] {
            var inputs: [ShellInput] = []
            let field = step.map { #","maxStepMs":\#($0)"# } ?? ""
            let payload = #"{"simTimeMs":\#(ms),"timeScale":240,"running":\#(running)\#(field)}"#
            decoder.decode(
                MQTTMessage(topic: IngressClockTests.topics.clock, payload: Array(payload.utf8)), into: &inputs)
            return inputs
        }
    }

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

    @Test func aLargeSimulatorStepIsReportedAsAJumpAtMostOnceASimulatedMinute() {
        let clock = FleetClock(mode: .sim)
        let statistics = RuntimeStatistics()
        var feed = Feed(clock: clock, statistics: statistics, clockJumpLimit: 30)
        func sample(_ ms: Int64, step: Int64?) -> [ShellInput] { feed.sample(ms, step: step) }
        let t0: Int64 = 1_764_403_200_000
        // Regular steps (20 ms ticks at 240x), or a clock that does not say, are no jump; however the samples
        // are spaced when fleetd decodes them.
        #expect(sample(t0, step: nil).isEmpty)
        #expect(sample(t0 + 12_000, step: 4_800).isEmpty)
        #expect(sample(t0 + 300_000, step: nil).isEmpty)
        // One tick of 120 s: the simulator stalled for half a second of wall time.
        let jumped = sample(t0 + 420_000, step: 120_000)
        #expect(jumped == [.event(.clockJumped(seconds: 120))])
        // Within the next simulated minute further jumps are not reported again; after it they are.
        #expect(sample(t0 + 460_000, step: 40_000).isEmpty)
        #expect(sample(t0 + 480_000, step: 31_000) == [.event(.clockJumped(seconds: 31))])
        #expect(statistics.snapshot.clockSamples == 6)
        // A step out of range is refused like any other bad sample.
        #expect(sample(t0 + 490_000, step: -1).isEmpty)
        #expect(statistics.snapshot.invalidMessages == 1)
    }

    @Test func aPreviousRunsStoppedClockIsIgnoredUntilTheSimulationRuns() {
        let clock = FleetClock(mode: .sim)
        let statistics = RuntimeStatistics()
        var feed = Feed(clock: clock, statistics: statistics)
        // The retained last word of an earlier run on the same broker, 8 hours after this run's start.
        #expect(feed.sample(1_764_432_000_000, running: false).isEmpty)
        #expect(clock.now() == nil && statistics.snapshot.clockSamples == 0)
        _ = feed.sample(1_764_403_200_000)
        _ = feed.sample(1_764_403_260_000, running: false)
        // This run's clock: started, then stopped (frozen at its sample).
        #expect(clock.now()?.milliseconds == 1_764_403_260_000)
        #expect(statistics.snapshot.clockSamples == 2)
    }

    @Test func aValidSampleSetsTheClock() {
        let clock = FleetClock(mode: .sim)
        let statistics = RuntimeStatistics()
        var feed = Feed(clock: clock, statistics: statistics)
        _ = feed.sample(1_764_403_200_000)
        #expect(statistics.snapshot.clockSamples == 1)
        let now = clock.now()
        #expect(now != nil && now!.milliseconds >= 1_764_403_200_000)
    }
}
