/// The allocation policies a site can choose in its configuration (`allocation.policy`).
public enum AllocationPolicyKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// ``NearestRobotPolicy``: each task in service order takes the nearest feasible idle robot, after every event.
    case greedy
    /// ``OptimalBatchPolicy``: minimum total travel time per priority class, solved at a bounded rate.
    case optimal
    /// ``MarketPolicy``: sequential auction in which busy robots bid too; a task may wait for a busy robot.
    case market

    /// A new instance of the policy.
    public func makePolicy() -> any AllocationPolicy {
        switch self {
        case .greedy: return NearestRobotPolicy()
        case .optimal: return OptimalBatchPolicy()
        case .market: return MarketPolicy()
        }
    }

    /// The configuration value, e.g. `optimal`.
    public var description: String { rawValue }
}
