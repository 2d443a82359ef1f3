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
    /// Battery percentage a robot must still have, by estimate, at the end of a trip and the way on to the
    /// nearest charger.
    public var batteryReserve: Double
    /// Battery levels whose crossing is journaled (`battery` records).
    public var batteryThresholds: [Double]
    /// Minimum seconds between two `position` records of one robot; `nil` turns them off.
    public var positionSampleInterval: Double?
    /// Metres: a person a robot reports closer than this (VDA 5050 `information` `HUMAN_PROXIMITY`) starts a
    /// proximity episode, journaled as `human_proximity` with its closest distance when it ends (B1.16).
    public var proximityWarning: Double = 2.0
    /// The allocation policy a daemon builds from this configuration (`allocation.policy`); see
    /// ``AllocationPolicyKind/makePolicy()``.
    public var allocationPolicy: AllocationPolicyKind
    /// Minimum seconds between two runs of a rate-limited policy (``AllocationPolicy/isRateLimited``): the first
    /// event that makes an allocation due starts a timer, and one run at its end covers every event in between.
    /// 0 runs the policy after every event (`allocation.minimumInterval`).
    public var allocationMinimumInterval: Double
    /// Battery percentage below which an idle robot is sent to charge (a `charge` task).
    public var chargeBelow: Double
    /// Battery percentage a charging robot reaches before it takes work again and frees its charger.
    public var chargeUntil: Double
    /// Seconds a robot waits at the meeting point for a person's confirmation (assist, handover) before the task
    /// fails with reason `timeout`.
    public var confirmationTimeout: Double
    /// Seconds a resident's call may stay unresolved (the robot checking) before the nearest reachable caregiver
    /// is notified (the chain's X).
    public var callResolutionTimeout: Double
    /// Seconds a notified person has to acknowledge a call or alert before the next person is notified (Y).
    public var acknowledgementTimeout: Double
    /// Seconds after an acknowledgement by which the person must be on scene (`human_arrived`) before the next
    /// person is notified; `nil` waits for them without limit.
    public var arrivalTimeout: Double?
    /// Who is notified when no caregiver or nurse is present and on shift, and last in every round of the chain:
    /// the nurse station's own device, which is always staffed.
    public var nurseStation: PersonID

    /// Creates a configuration.
    public init(
        stateTimeout: Double = 10, dispatchAcknowledgementTimeout: Double = 5, maxDispatchSends: Int = 3,
        maxFailedAttempts: Int = 3, minimumBatteryForWork: Double = 20, batteryReserve: Double = 10,
        batteryThresholds: [Double] = [10, 20, 30, 50, 80], positionSampleInterval: Double? = 5,
        allocationPolicy: AllocationPolicyKind = .greedy, allocationMinimumInterval: Double = 0.5,
        chargeBelow: Double = 30, chargeUntil: Double = 80, confirmationTimeout: Double = 120,
        callResolutionTimeout: Double = 120, acknowledgementTimeout: Double = 60, arrivalTimeout: Double? = 600,
        nurseStation: PersonID = "nurse-station"
    ) {
        self.stateTimeout = stateTimeout
        self.dispatchAcknowledgementTimeout = dispatchAcknowledgementTimeout
        self.maxDispatchSends = maxDispatchSends
        self.maxFailedAttempts = maxFailedAttempts
        self.minimumBatteryForWork = minimumBatteryForWork
        self.batteryReserve = batteryReserve
        self.batteryThresholds = batteryThresholds
        self.positionSampleInterval = positionSampleInterval
        self.allocationPolicy = allocationPolicy
        self.allocationMinimumInterval = allocationMinimumInterval
        self.chargeBelow = chargeBelow
        self.chargeUntil = chargeUntil
        self.confirmationTimeout = confirmationTimeout
        self.callResolutionTimeout = callResolutionTimeout
        self.acknowledgementTimeout = acknowledgementTimeout
        self.arrivalTimeout = arrivalTimeout
        self.nurseStation = nurseStation
    }
}
