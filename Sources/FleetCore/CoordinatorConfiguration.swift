/// Tunables of the ``Coordinator``. Defaults suit a simulated factory hall.
public struct CoordinatorConfiguration: Sendable, Hashable, Codable {
    /// Seconds without an observation after which a robot counts as lost and its task is re-queued.
    public var stateTimeout: Double
    /// Seconds to wait for a robot to report a dispatched order before sending it again.
    public var dispatchAcknowledgementTimeout: Double
    /// How many times an order is sent for one assignment before the task is re-queued.
    public var maxDispatchSends: Int
    /// Rejections or faults after which a task fails instead of being re-queued.
    public var maxFailedAttempts: Int
    /// Battery percentage below which a robot takes no new work.
    public var minimumBatteryForWork: Double
    /// Battery percentage a robot must still have, by estimate, at the end of a trip.
    public var batteryReserve: Double
    /// Battery levels whose crossing is journaled (`battery` records).
    public var batteryThresholds: [Double]
    /// Minimum seconds between two `position` records of one robot; `nil` turns them off.
    public var positionSampleInterval: Double?

    /// Creates a configuration.
    public init(
        stateTimeout: Double = 10, dispatchAcknowledgementTimeout: Double = 5, maxDispatchSends: Int = 3,
        maxFailedAttempts: Int = 3, minimumBatteryForWork: Double = 20, batteryReserve: Double = 10,
        batteryThresholds: [Double] = [10, 20, 30, 50, 80], positionSampleInterval: Double? = 5
    ) {
        self.stateTimeout = stateTimeout
        self.dispatchAcknowledgementTimeout = dispatchAcknowledgementTimeout
        self.maxDispatchSends = maxDispatchSends
        self.maxFailedAttempts = maxFailedAttempts
        self.minimumBatteryForWork = minimumBatteryForWork
        self.batteryReserve = batteryReserve
        self.batteryThresholds = batteryThresholds
        self.positionSampleInterval = positionSampleInterval
    }
}
