/// What a robot's VDA 5050 factsheet (2.0 or 2.1) tells the coordinator: its series, top speed, payload and the
/// actions it can run. The coordinator combines it with the configured profile (``RobotProfile/narrowed(by:)``).
public struct RobotFactsheet: Sendable, Hashable, Codable {
    /// The highest plausible top speed in m/s; a factsheet above it is refused as implausible.
    public static let plausibleMaxSpeed = 25.0
    /// The highest plausible payload in kg; a factsheet above it is refused as implausible.
    public static let plausibleMaxLoadKg = 100_000.0

    /// `typeSpecification.seriesName`.
    public var series: String
    /// `physicalParameters.speedMax`, in m/s.
    public var maxSpeed: Double
    /// The heaviest load in kg: `typeSpecification.maxLoadMass`, or the largest `maxWeight` of the
    /// `loadSpecification.loadSets` when that is smaller.
    public var maxLoadKg: Double
    /// The action types of `protocolFeatures.agvActions` the robot runs on a node (scope `NODE`).
    public var actionTypes: Set<String>

    /// Creates a factsheet summary.
    public init(series: String, maxSpeed: Double, maxLoadKg: Double, actionTypes: Set<String>) {
        self.series = series
        self.maxSpeed = maxSpeed
        self.maxLoadKg = maxLoadKg
        self.actionTypes = actionTypes
    }

    /// What makes the factsheet implausible, naming the field and the value, or `nil` when it is usable: a top
    /// speed that is not above 0 and at most ``plausibleMaxSpeed`` m/s, a payload that is negative, not finite or
    /// above ``plausibleMaxLoadKg``, an empty series name.
    public var problem: String? {
        if !(maxSpeed > 0 && maxSpeed <= Self.plausibleMaxSpeed) {
            return "physicalParameters.speedMax \(maxSpeed) is not a top speed in m/s (above 0, at most "
                + "\(Self.plausibleMaxSpeed))"
        }
        if !(maxLoadKg >= 0 && maxLoadKg <= Self.plausibleMaxLoadKg) {
            return "typeSpecification.maxLoadMass \(maxLoadKg) is not a payload in kg (0 to \(Self.plausibleMaxLoadKg))"
        }
        if series.isEmpty { return "typeSpecification.seriesName is empty" }
        return nil
    }
}

extension RobotProfile {
    /// The profile a robot configured with this one has once it published `factsheet`. The rule: where both give a
    /// limit the stricter wins (top speed and payload: the smaller of the configured value and the factsheet's);
    /// the factsheet alone says which actions the robot can run (``actionTypes``); the configuration alone gives
    /// the type, capabilities, zones, task kinds and battery model. So the configuration can restrict a robot
    /// below what it can do, and a factsheet can never widen what the configuration allows.
    public func narrowed(by factsheet: RobotFactsheet) -> RobotProfile {
        var profile = self
        profile.maxSpeed = min(maxSpeed, factsheet.maxSpeed)
        profile.maxPayloadKg = min(maxPayloadKg, factsheet.maxLoadKg)
        profile.actionTypes = actionTypes.map { $0.intersection(factsheet.actionTypes) } ?? factsheet.actionTypes
        return profile
    }

    /// What differs from `old` to this profile in speed, payload and actions, e.g.
    /// `maxSpeed 1.5 -> 1.2 m/s; maxPayloadKg 100 -> 80 kg; actions any -> drop, pick`; `no change` when nothing.
    public func changes(from old: RobotProfile) -> String {
        var parts: [String] = []
        if old.maxSpeed != maxSpeed { parts.append("maxSpeed \(old.maxSpeed) -> \(maxSpeed) m/s") }
        if old.maxPayloadKg != maxPayloadKg { parts.append("maxPayloadKg \(old.maxPayloadKg) -> \(maxPayloadKg) kg") }
        if old.actionTypes != actionTypes {
            func list(_ actions: Set<String>?) -> String {
                guard let actions else { return "any" }
                return actions.isEmpty ? "none" : actions.sorted().joined(separator: ", ")
            }
            parts.append("actions \(list(old.actionTypes)) -> \(list(actionTypes))")
        }
        return parts.isEmpty ? "no change" : parts.joined(separator: "; ")
    }
}
