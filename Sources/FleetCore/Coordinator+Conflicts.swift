extension Coordinator {
    /// How close (metres) a robot must be to its last node to stand on it, for node conflicts.
    public static let conflictRadius = 0.3

    /// Follows which node each robot stands on (its `lastNodeId`, with its position within ``conflictRadius`` of the
    /// node) and journals a `node_conflict` when a robot comes to stand on a node other robots stand on: the
    /// coordinator's own count of node conflicts (B1.18), from what the robots report. Nodes where several robots
    /// may stand (a charger of capacity above 1) are left out, and so are the members of one cooperative carry,
    /// which meet at the load on purpose.
    mutating func trackOccupancy(_ id: RobotID, _ observation: RobotObservation, now: FleetTime) {
        var node: NodeID?
        if let last = observation.lastNodeId, let position = observation.position, let site = layout.node(last),
            site.position.distance(to: position) <= Self.conflictRadius,
            !layout.chargers.contains(where: { $0.node == last && $0.capacity > 1 })
        {
            node = last
        }
        guard occupiedNode[id] != node else { return }
        occupiedNode[id] = node
        guard let node else { return }
        let carry = busy[id].flatMap { coalitions[$0] != nil ? $0 : nil }
        let others = occupiedNode.filter { other in
            other.key != id && other.value == node && (carry == nil || busy[other.key] != carry)
        }.keys
        guard !others.isEmpty else { return }
        journal(.nodeConflict(node: node, robots: (Array(others) + [id]).sorted()), at: now)
    }
}
