import FleetCore

/// A simulation scenario: the site, the fleet, the demand and the KPI targets of one run (`Configs/scenarios/`).
///
/// Loaded and validated by ``ScenarioLoader``; a `Scenario` value always refers to stations its site defines.
public struct Scenario: Sendable {
    /// The scenario's name, e.g. `factory-default`.
    public var name: String
    /// A one-line description.
    public var description: String?
    /// The file the scenario was loaded from (empty when built in code).
    public var file: String
    /// The resolved path of the site layout file.
    public var sitePath: String
    /// The site layout.
    public var site: SiteLayout
    /// The site id used in FleetPilot topics (`fleetpilot/v1/{siteId}/...`).
    public var siteId: String
    /// The seed of every random choice of the simulation.
    public var seed: UInt64
    /// The simulated start time.
    public var start: FleetTime
    /// The simulated length in seconds.
    public var duration: Double
    /// Simulated seconds per wall second.
    public var timeScale: Double
    /// Simulated seconds between periodic state messages of each vehicle.
    public var stateInterval: Double
    /// The fleet, one entry per vehicle type.
    public var fleet: [ScenarioFleetEntry]
    /// Simulated seconds per action type (e.g. `pick`, `drop`): ``defaultActionDurations`` with the scenario's
    /// `actions` over them.
    public var actionDurations: [String: Double]
    /// The node actions simulated vehicles run and how many simulated seconds each takes, unless a scenario's
    /// `actions` says otherwise: `pick` and `drop` 15 s, the custom `assist` and `handover` 5 s (a person's
    /// confirmation is separate). `startCharging` is built into every vehicle.
    public static let defaultActionDurations: [String: Double] = ["pick": 15, "drop": 15, "assist": 5, "handover": 5]
    /// Demand streams (Poisson arrivals of tasks).
    public var demand: [ScenarioDemand]
    /// KPI targets for the evaluator.
    public var targets: [ScenarioTarget]
    /// The people at the site (`people:`), simulated by fleet-sim and registered with fleetd through their devices.
    public var people: [ScenarioPeopleGroup] = []
    /// Faults injected during the run (`faults:`).
    public var faults: [ScenarioFault] = []
    /// Coordinator settings fleetd takes from the scenario (`coordinator:`), over its configuration's.
    public var coordinator = ScenarioCoordinator()
    /// The evaluator's window cuts.
    public var evaluation = ScenarioEvaluation()
    /// The allocation policy fleetd runs the scenario with (`allocation.policy`), when the scenario names one; the
    /// same scenario and seed can be run under each policy by changing only this key.
    public var allocationPolicy: AllocationPolicyKind?
    /// Minimum seconds between two runs of a rate-limited policy (`allocation.minimumInterval`), when given.
    public var allocationMinimumInterval: Double?

    /// Creates a scenario; ``ScenarioLoader`` is the usual way.
    public init(
        name: String, description: String? = nil, file: String = "", sitePath: String = "", site: SiteLayout,
        siteId: String, seed: UInt64 = 1, start: FleetTime, duration: Double, timeScale: Double = 1,
        stateInterval: Double = 15, fleet: [ScenarioFleetEntry], actionDurations: [String: Double] = [:],
        demand: [ScenarioDemand] = [], targets: [ScenarioTarget] = []
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.sitePath = sitePath
        self.site = site
        self.siteId = siteId
        self.seed = seed
        self.start = start
        self.duration = duration
        self.timeScale = timeScale
        self.stateInterval = stateInterval
        self.fleet = fleet
        self.actionDurations = actionDurations
        self.demand = demand
        self.targets = targets
    }

    /// The robots of the fleet, in fleet order: entry `{manufacturer, serialPrefix, count}` yields serial numbers
    /// `{serialPrefix}01`, `02`, ... (three digits from 100 on).
    ///
    /// - Parameter total: Overrides the fleet size (e.g. `--robots N`): the entries keep their share of the fleet,
    ///   rounded down, and the remainder goes to the first entries. `nil` keeps each entry's `count`.
    /// - Returns: Each robot's identity with its fleet entry.
    public func robots(total: Int? = nil) -> [(id: RobotID, entry: ScenarioFleetEntry)] {
        var counts = fleet.map(\.count)
        if let total, !fleet.isEmpty {
            let configured = max(1, counts.reduce(0, +))
            counts = counts.map { $0 * total / configured }
            var index = 0
            while counts.reduce(0, +) < total {
                counts[index % counts.count] += 1
                index += 1
            }
        }
        var result: [(id: RobotID, entry: ScenarioFleetEntry)] = []
        for (entry, count) in zip(fleet, counts) where count > 0 {
            for index in 1...count {
                result.append(
                    (RobotID(manufacturer: entry.manufacturer, serialNumber: entry.serialNumber(index)), entry))
            }
        }
        return result
    }
}

/// One vehicle type of a scenario's fleet.
public struct ScenarioFleetEntry: Sendable, Hashable {
    /// Vehicle type, e.g. `AMR`.
    public var type: String
    /// Manufacturer (the VDA 5050 topic level).
    public var manufacturer: String
    /// Serial number prefix; the index is appended (`AMR-` → `AMR-01`).
    public var serialPrefix: String
    /// How many vehicles of this type.
    public var count: Int
    /// Capabilities the vehicles offer.
    public var capabilities: [String]
    /// Heaviest load in kilograms.
    public var maxPayloadKg: Double
    /// Top speed in m/s.
    public var maxSpeed: Double
    /// Acceleration in m/s².
    public var acceleration: Double
    /// Deceleration in m/s² (defaults to the acceleration).
    public var deceleration: Double
    /// Battery drain in percentage points per metre driven.
    public var batteryPercentPerMetre: Double
    /// Charging rate in percentage points per second.
    public var chargePercentPerSecond: Double
    /// The range the initial battery charge is drawn from (uniform, percent).
    public var initialBattery: ClosedRange<Double>
    /// The zones the vehicles may enter (``FleetCore/RobotProfile/allowedZones``), `nil` for the default rule.
    public var allowedZones: Set<String>?
    /// The task kinds the vehicles take, `nil` for all.
    public var taskKinds: Set<TaskKind>?

    /// Creates a fleet entry.
    public init(
        type: String, manufacturer: String, serialPrefix: String, count: Int, capabilities: [String] = [],
        maxPayloadKg: Double = 50, maxSpeed: Double = 1, acceleration: Double = 0.5, deceleration: Double? = nil,
        batteryPercentPerMetre: Double = 0.01, chargePercentPerSecond: Double = 0.05,
        initialBattery: ClosedRange<Double> = 100...100
    ) {
        self.type = type
        self.manufacturer = manufacturer
        self.serialPrefix = serialPrefix
        self.count = count
        self.capabilities = capabilities
        self.maxPayloadKg = maxPayloadKg
        self.maxSpeed = maxSpeed
        self.acceleration = acceleration
        self.deceleration = deceleration ?? acceleration
        self.batteryPercentPerMetre = batteryPercentPerMetre
        self.chargePercentPerSecond = chargePercentPerSecond
        self.initialBattery = initialBattery
    }

    /// The serial number of the vehicle with 1-based `index`: two digits, three from 100 on (`AMR-07`, `AMR-123`).
    public func serialNumber(_ index: Int) -> String {
        serialPrefix + (index < 10 ? "0\(index)" : "\(index)")
    }
}

/// One demand stream: tasks arriving as a Poisson process between station sets.
public struct ScenarioDemand: Sendable, Hashable {
    /// Task kind, `transport` by default.
    public var kind: String
    /// Mean arrivals per simulated hour.
    public var ratePerHour: Double
    /// Station ids to pick up at (resolved from ids or a station kind).
    public var pick: [StationID]
    /// Station ids to drop off at.
    public var drop: [StationID]
    /// Load type, e.g. `KLT`.
    public var loadType: String?
    /// Load weight in kilograms.
    public var loadWeightKg: Double?
    /// Priority: `low`, `normal`, `high` or `urgent`.
    public var priority: String
    /// Deadline after the request, in simulated minutes.
    public var deadlineMinutes: Double?
    /// Capabilities the task needs.
    public var capabilities: [String]
    /// Who requests the task (the `requester` field).
    public var requester: String
    /// The stations of a kind without pick and drop (`stops:`): a patrol's waypoints, every round visiting all of
    /// them in this order; for assist, handover and emergency the candidate stations, each task going to one of
    /// them drawn by the seed.
    public var stops: [StationID] = []
    /// Robots a cooperative carry or coverage task needs (`robots:`).
    public var robots: Int?
    /// The zone of a coverage task (`zone:`).
    public var zone: String?
    /// The role of the person an assist or handover is for (`personRole:`): fleet-sim picks a person of that role
    /// (for a resident, the one whose room is the task's station).
    public var personRole: PersonRole?
    /// Minutes after the request before the task may start (`earliestStartMinutes:`, a time window's opening).
    public var earliestStartMinutes: Double?
    /// Fixed or periodic arrivals (`schedule:`), in addition to Poisson arrivals at ``ratePerHour`` (which may be 0).
    public var schedule: ScenarioSchedule?
    /// Periods of a higher Poisson rate (`bursts:`).
    public var bursts: [ScenarioBurst] = []
    /// The line of the entry in the scenario file.
    public var line: Int?

    /// Creates a demand stream.
    public init(
        kind: String = "transport", ratePerHour: Double, pick: [StationID], drop: [StationID],
        loadType: String? = nil, loadWeightKg: Double? = nil, priority: String = "normal",
        deadlineMinutes: Double? = nil, capabilities: [String] = [], requester: String = "fleet-sim"
    ) {
        self.kind = kind
        self.ratePerHour = ratePerHour
        self.pick = pick
        self.drop = drop
        self.loadType = loadType
        self.loadWeightKg = loadWeightKg
        self.priority = priority
        self.deadlineMinutes = deadlineMinutes
        self.capabilities = capabilities
        self.requester = requester
    }
}

/// A KPI target as written in the scenario (`targets:`); the evaluator gives the fields their meaning.
///
/// `type` is a comparison type of the evaluation catalogue (B5): `rate_ge`, `rate_le`, `percentile_le`,
/// `percentile_ge`, `mean_ge`, `mean_le`, `event_rate_le`, `zero_tolerance` or `improvement`; without it the
/// evaluator infers the type from the KPI and `comparison` (`>=`, `<=`, `==`).
public struct ScenarioTarget: Sendable, Hashable {
    /// The comparison types the loader accepts in `type`.
    public static let types: Set<String> = [
        "rate_ge", "rate_le", "percentile_le", "percentile_ge", "mean_ge", "mean_le", "event_rate_le",
        "zero_tolerance", "improvement",
    ]
    /// The operators the loader accepts in `comparison`.
    public static let comparisons: Set<String> = [">=", "<=", "=="]

    /// The KPI's id, e.g. `success_rate`.
    public var kpi: String?
    /// The comparison, e.g. `>=`.
    public var comparison: String?
    /// The threshold (for `improvement`, the relative change, e.g. -0.10).
    public var threshold: Double?
    /// The comparison type (see above).
    public var type: String?
    /// Whether the target is a hard gate (zero-tolerance targets always are).
    public var gate: Bool
    /// Reliability R for zero tolerance (success-run rule).
    public var reliability: Double?
    /// Confidence C for zero tolerance.
    public var confidence: Double?
    /// The baseline value for `improvement`.
    public var baseline: Double?
    /// Every scalar field of the entry as text, for fields the evaluator defines later.
    public var raw: [String: String]
    /// The line of the entry in the scenario file.
    public var line: Int?

    /// Creates a target.
    public init(
        kpi: String? = nil, comparison: String? = nil, threshold: Double? = nil, type: String? = nil,
        gate: Bool = false, reliability: Double? = nil, confidence: Double? = nil, baseline: Double? = nil,
        raw: [String: String] = [:], line: Int? = nil
    ) {
        self.kpi = kpi
        self.comparison = comparison
        self.threshold = threshold
        self.type = type
        self.gate = gate
        self.reliability = reliability
        self.confidence = confidence
        self.baseline = baseline
        self.raw = raw
        self.line = line
    }
}

/// How the evaluator cuts the run (`evaluation:`): warm-up and cool-down in seconds.
public struct ScenarioEvaluation: Sendable, Hashable {
    /// Seconds cut at the start of the run.
    public var warmup: Double
    /// Seconds cut at the end of the run.
    public var cooldown: Double

    /// Creates the settings.
    public init(warmup: Double = 0, cooldown: Double = 0) {
        self.warmup = warmup
        self.cooldown = cooldown
    }
}

/// Coordinator settings a scenario sets for its run (`coordinator:`); `nil` fields keep fleetd's configuration.
///
/// All times are simulated seconds (fleetd runs on fleet-sim's clock in a pilot).
public struct ScenarioCoordinator: Sendable, Hashable {
    /// Seconds a robot waits for a person's confirmation of an assist or handover
    /// (``FleetCore/CoordinatorConfiguration/confirmationTimeout``).
    public var confirmationTimeout: Double?
    /// Seconds a resident's call may stay unresolved before a caregiver is notified
    /// (``FleetCore/CoordinatorConfiguration/callResolutionTimeout``).
    public var callResolutionTimeout: Double?
    /// Seconds a notified person has to acknowledge before the next one is notified
    /// (``FleetCore/CoordinatorConfiguration/acknowledgementTimeout``).
    public var acknowledgementTimeout: Double?
    /// Seconds after an acknowledgement by which the person must be on scene; `.some(nil)` (`none` in the file)
    /// waits without limit (``FleetCore/CoordinatorConfiguration/arrivalTimeout``).
    public var arrivalTimeout: Double??
    /// The nurse station's person id, last in every escalation chain
    /// (``FleetCore/CoordinatorConfiguration/nurseStation``).
    public var nurseStation: PersonID?

    /// Creates settings; every `nil` keeps fleetd's own value.
    public init(
        confirmationTimeout: Double? = nil, callResolutionTimeout: Double? = nil,
        acknowledgementTimeout: Double? = nil, arrivalTimeout: Double?? = nil, nurseStation: PersonID? = nil
    ) {
        self.confirmationTimeout = confirmationTimeout
        self.callResolutionTimeout = callResolutionTimeout
        self.acknowledgementTimeout = acknowledgementTimeout
        self.arrivalTimeout = arrivalTimeout
        self.nurseStation = nurseStation
    }

    /// Sets the given fields on `configuration`, keeping the others.
    public func apply(to configuration: inout CoordinatorConfiguration) {
        if let confirmationTimeout { configuration.confirmationTimeout = confirmationTimeout }
        if let callResolutionTimeout { configuration.callResolutionTimeout = callResolutionTimeout }
        if let acknowledgementTimeout { configuration.acknowledgementTimeout = acknowledgementTimeout }
        if let arrivalTimeout { configuration.arrivalTimeout = arrivalTimeout }
        if let nurseStation { configuration.nurseStation = nurseStation }
    }
}
