/// What a bearer token may do, from least to most.
public enum APIRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Reads only.
    case viewer
    /// Reads, and operates robots and tasks.
    case `operator`
    /// Everything, including site-wide emergency stops and configuration.
    case admin

    /// Whether this role includes everything `other` may do.
    public func includes(_ other: APIRole) -> Bool { self >= other }

    /// Orders roles by privilege.
    public static func < (lhs: APIRole, rhs: APIRole) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .operator: return 1
        case .admin: return 2
        }
    }
}
