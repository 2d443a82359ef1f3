import FleetCore

/// The evaluation window of one run (catalogue B0): `W = [T0 + warmup, T1 − cooldown]`, where `[T0, T1]` is the
/// run (the scenario's start and length, or the journal's first and last record).
///
/// Tasks created in `W` are the population of the task KPIs; they are followed until `T1`, and tasks still open at
/// `T1` are right-censored there.
public struct EvaluationWindow: Sendable, Hashable, Codable {
    /// The run's start `T0`.
    public var runStart: FleetTime
    /// The run's end `T1` (the censoring time).
    public var runEnd: FleetTime
    /// Seconds cut at the start.
    public var warmup: Double
    /// Seconds cut at the end.
    public var cooldown: Double

    /// Creates a window.
    /// - Parameters:
    ///   - runStart: `T0`.
    ///   - runEnd: `T1`.
    ///   - warmup: Seconds cut at the start.
    ///   - cooldown: Seconds cut at the end.
    public init(runStart: FleetTime, runEnd: FleetTime, warmup: Double = 0, cooldown: Double = 0) {
        self.runStart = runStart
        self.runEnd = runEnd
        self.warmup = warmup
        self.cooldown = cooldown
    }

    /// `T0 + warmup`.
    public var start: FleetTime { runStart.adding(seconds: warmup) }
    /// `T1 − cooldown` (never before ``start``).
    public var end: FleetTime { max(start, runEnd.adding(seconds: -cooldown)) }
    /// `W` as a range.
    public var range: ClosedRange<FleetTime> { start...end }
    /// `|W|` in seconds.
    public var seconds: Double { end.seconds(since: start) }
    /// `|W|` in hours.
    public var hours: Double { seconds / 3600 }

    /// Whether `time` lies in `W`.
    /// - Parameter time: An instant.
    /// - Returns: `true` inside `[start, end]`.
    public func contains(_ time: FleetTime) -> Bool { time >= start && time <= end }

    /// `W` cut into consecutive batches of `length` seconds (the last one may be shorter; batches under half the
    /// length are merged into the previous one), for batch means and hourly charts.
    /// - Parameter length: The batch length in seconds.
    /// - Returns: The batches.
    public func batches(of length: Double) -> [ClosedRange<FleetTime>] {
        guard seconds > 0, length > 0 else { return [] }
        var result: [ClosedRange<FleetTime>] = []
        var from = start
        while from < end {
            let to = min(end, from.adding(seconds: length))
            if to.seconds(since: from) < length / 2, let last = result.popLast() {
                result.append(last.lowerBound...to)
            } else {
                result.append(from...to)
            }
            from = to
        }
        return result
    }
}

/// How a run is evaluated: the window cuts, the confidence level and the batch length for batch means.
public struct EvaluationSettings: Sendable, Hashable, Codable {
    /// Seconds cut at the start of the run.
    public var warmup: Double
    /// Seconds cut at the end of the run.
    public var cooldown: Double
    /// The confidence level of every interval.
    public var level: Double
    /// The batch length in seconds for batch means (throughput, utilisation over time).
    public var batchSeconds: Double
    /// The run's start, when known from the scenario (otherwise the first record).
    public var runStart: FleetTime?
    /// The run's length in seconds, when known from the scenario (otherwise up to the last record).
    public var runSeconds: Double?
    /// Seed used by resampling methods.
    public var seed: UInt64
    /// How far a patrol round may start from its scheduled `earliest` and still count as on schedule (± seconds).
    public var scheduleTolerance: Double = 300
    /// Within how many seconds of its detection a fall alert must reach a person (escalation compliance).
    public var fallEscalationSeconds: Double = 60
    /// Resamples of the bootstrap intervals.
    public var bootstrapResamples: Int = 2000
    /// JIT window: a delivery counts as in its window from `jitEarly` seconds before its due time (B2.1); `nil`
    /// (no `early:` on a `jit_window_adherence` target): deadlines are latest times, not delivery windows, and the
    /// KPI is not computed.
    public var jitEarly: Double?
    /// JIT window: ... up to `jitLate` seconds after its due time.
    public var jitLate: Double = 0
    /// Load types that make a handover a medication delivery (B3.5).
    public var medicationLoadTypes: Set<String> = ["medication"]
    /// The scenario's residents: a handover to one of them is a medication delivery (B3.5).
    public var residents: Set<String> = []
    /// The patrol coverage interval Δ in seconds (B3.6); `nil`: the shortest `repeatEvery` of the patrols, else 1 h.
    public var patrolInterval: Double?
    /// The protective separation S_p in metres below which a person near a robot is a violation (B1.16, ISO/TS
    /// 15066 speed and separation monitoring): the `distance` option of a `human_proximity_violations` target.
    public var proximitySeparation = 0.5

    /// Creates settings.
    /// - Parameters:
    ///   - warmup: Seconds cut at the start.
    ///   - cooldown: Seconds cut at the end.
    ///   - level: The confidence level.
    ///   - batchSeconds: The batch length for batch means.
    ///   - runStart: The run's start.
    ///   - runSeconds: The run's length.
    ///   - seed: The resampling seed.
    public init(
        warmup: Double = 0, cooldown: Double = 0, level: Double = 0.95, batchSeconds: Double = 3600,
        runStart: FleetTime? = nil, runSeconds: Double? = nil, seed: UInt64 = 1
    ) {
        self.warmup = warmup
        self.cooldown = cooldown
        self.level = level
        self.batchSeconds = batchSeconds
        self.runStart = runStart
        self.runSeconds = runSeconds
        self.seed = seed
    }
}
