import FleetCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's notion of now: the wall clock, or the simulator's clock topic (`--clock sim`, the convention ROS
/// calls `use_sim_time`).
///
/// On the simulated clock, now is the last sample's `simTimeMs` plus the wall time elapsed since it arrived
/// times `timeScale` (the wall time capped at ``maximumExtrapolation``; frozen while the simulation is not
/// running), and never earlier than a time already handed out. Before the first sample there is no now.
public final class FleetClock: Sendable {
    /// The fastest simulation the clock follows (simulated seconds per wall second); faster samples are refused.
    public static let maximumTimeScale: Double = 100_000
    /// The latest simulated instant the clock accepts (about year 37,000): keeps every sum far from overflow.
    public static let maximumSimTimeMs: Int64 = 1 << 50

    /// Which clock.
    public enum Mode: String, Sendable, Hashable {
        /// The machine's wall clock.
        case wall
        /// The simulator's clock topic.
        case sim
    }

    /// One sample of the clock topic: `{"simTimeMs":1764403200000,"timeScale":120.0,"running":true,"maxStepMs":480}`.
    public struct Sample: Sendable, Hashable, Decodable {
        /// Simulated milliseconds since the epoch.
        public var simTimeMs: Int64
        /// Simulated seconds per wall second.
        public var timeScale: Double
        /// Whether simulated time advances.
        public var running: Bool
        /// The largest single step of simulated time the simulator made since its previous sample, if it says.
        public var maxStepMs: Int64?

        /// Creates a sample.
        public init(simTimeMs: Int64, timeScale: Double, running: Bool = true, maxStepMs: Int64? = nil) {
            self.simTimeMs = simTimeMs
            self.timeScale = timeScale
            self.running = running
            self.maxStepMs = maxStepMs
        }
    }

    private struct Anchor {
        var sample: Sample
        var arrived: ContinuousClock.Instant
        /// The latest time handed out, in simulated milliseconds.
        var floor: Int64
    }

    /// The longest wall time simulated time is extrapolated past the last sample (4 sample periods of 50 ms).
    public static let maximumExtrapolation = Duration.milliseconds(200)

    /// The mode.
    public let mode: Mode
    private let anchor = Mutex<Anchor?>(nil)

    /// Creates a clock.
    /// - Parameter mode: wall or simulated.
    public init(mode: Mode) {
        self.mode = mode
    }

    /// Takes a sample of the clock topic (ignored on the wall clock).
    /// - Parameter sample: the sample.
    public func take(_ sample: Sample) {
        guard mode == .sim else { return }
        let arrived = ContinuousClock.now
        anchor.withLock { current in
            current = Anchor(sample: sample, arrived: arrived, floor: current?.floor ?? sample.simTimeMs)
        }
    }

    /// The current time, or `nil` on the simulated clock before its first sample.
    public func now() -> FleetTime? {
        switch mode {
        case .wall:
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            return FleetTime(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
        case .sim:
            let now = ContinuousClock.now
            // Never backwards: if the projection ran ahead of a late sample, hold until the simulation catches up
            // (without carrying the overshoot into the next projection).
            return anchor.withLock { current in
                guard var anchor = current else { return nil }
                anchor.floor = max(anchor.floor, Self.project(anchor, at: now))
                current = anchor
                return FleetTime(milliseconds: anchor.floor)
            }
        }
    }

    private static func project(_ anchor: Anchor, at instant: ContinuousClock.Instant) -> Int64 {
        guard anchor.sample.running else { return anchor.sample.simTimeMs }
        // Extrapolate at most `maximumExtrapolation` past the last sample: if the samples stop arriving (the
        // simulator stalls, or fleetd's ingress is behind) simulated time stops too instead of racing ahead of
        // the robots' states and timing them out.
        let elapsed = min(anchor.arrived.duration(to: instant), maximumExtrapolation).components
        let wallMs = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        // Samples are range-checked in the ingress; clamp anyway so no value can overflow the arithmetic.
        let advance = min(max(wallMs * anchor.sample.timeScale, 0), Double(maximumSimTimeMs))
        return anchor.sample.simTimeMs &+ Int64(advance)
    }
}
