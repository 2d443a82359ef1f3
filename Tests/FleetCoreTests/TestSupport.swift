import FleetCore

/// A small deterministic PRNG (SplitMix64) so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Manual clock: seconds since an arbitrary epoch.
func t(_ seconds: Double) -> FleetTime { FleetTime(milliseconds: 1_700_000_000_000).adding(seconds: seconds) }

enum Fixture {
    /// ```
    /// A(0,0) - B(10,0) - C(20,0) - D(30,0)
    ///            |
    ///          E(10,10)
    /// ```
    /// Stations: PICK at A, DROP at D, SIDE at E. All edges bidirectional, no limits.
    static let layout: SiteLayout = try! SiteLayout(
        siteId: "test",
        nodes: [
            SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "C", x: 20, y: 0, mapId: "m"), SiteNode(id: "D", x: 30, y: 0, mapId: "m"),
            SiteNode(id: "E", x: 10, y: 10, mapId: "m"),
        ],
        edges: [
            EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true),
            EdgeSpec(id: "BC", from: "B", to: "C", bidirectional: true),
            EdgeSpec(id: "CD", from: "C", to: "D", bidirectional: true),
            EdgeSpec(id: "BE", from: "B", to: "E", bidirectional: true),
        ],
        stations: [
            Station(id: "PICK", node: "A", kind: .pick), Station(id: "DROP", node: "D", kind: .drop),
            Station(id: "SIDE", node: "E", kind: .lineSide),
        ])

    static let amr = RobotProfile(type: "AMR", capabilities: ["tow"], maxPayloadKg: 100, maxSpeed: 1.0)

    static func robot(_ n: Int) -> RobotID { RobotID(manufacturer: "acme", serialNumber: "AMR-\(n)") }

    static func idle(at node: NodeID, battery: Double = 90, order: OrderProgress? = nil) -> RobotObservation {
        let position = layout.node(node)!.position
        return RobotObservation(
            position: position, mapId: "m", lastNodeId: node, batteryPercent: battery, order: order)
    }

    static func request(
        _ id: TaskID, from pick: StationID = "PICK", to drop: StationID = "DROP", priority: TaskPriority = .normal,
        capabilities: Set<String> = [], kg: Double? = nil
    ) -> TaskRequest {
        TaskRequest(
            id: id, pick: pick, drop: drop, loadWeightKg: kg, requiredCapabilities: capabilities, priority: priority,
            requester: "test")
    }
}

extension Array where Element == Directive {
    var journalKinds: [String] {
        compactMap { if case .journal(let record) = $0 { return record.event.kind } else { return nil } }
    }

    var records: [JournalRecord] {
        compactMap { if case .journal(let record) = $0 { return record } else { return nil } }
    }

    var dispatches: [(RobotID, DispatchPlan)] {
        compactMap { if case .dispatch(let robot, let plan) = $0 { return (robot, plan) } else { return nil } }
    }

    var cancels: [String] {
        compactMap { if case .cancelOrder(_, let order) = $0 { return order } else { return nil } }
    }

    var timers: [(TimerID, FleetTime)] {
        compactMap { if case .startTimer(let id, let at) = $0 { return (id, at) } else { return nil } }
    }

    var rejections: [String] {
        compactMap { if case .rejectRequest(_, let reason) = $0 { return reason } else { return nil } }
    }

    /// Every side effect is preceded by the journal record it follows from: a dispatch by the `dispatched`
    /// record of the same order, a cancel by at least one record.
    var journalBeforeEffects: Bool {
        for (i, directive) in enumerated() {
            let before = Array(self[..<i]).records
            switch directive {
            case .dispatch(_, let plan):
                let journaled = before.contains {
                    if case .dispatched(_, _, _, let p) = $0.event { p.orderId == plan.orderId } else { false }
                }
                if !journaled { return false }
            case .cancelOrder:
                if before.isEmpty { return false }
            default:
                continue
            }
        }
        return true
    }
}

/// Progress as a robot reports it for `plan`: `passed` nodes reached, actions with the given states.
func progress(
    _ plan: DispatchPlan, passed: Int, pick: ActionStatus = .waiting, drop: ActionStatus = .waiting,
    result: String? = nil
) -> OrderProgress {
    let passed = Swift.min(passed, plan.nodes.count)
    var actions: [String: ActionProgress] = [:]
    for action in plan.actions {
        actions[action.actionId] = ActionProgress(action.kind == .pick ? pick : drop, resultDescription: result)
    }
    return OrderProgress(
        orderId: plan.orderId, orderUpdateId: plan.orderUpdateId,
        lastNodeSequenceId: plan.nodes[Swift.max(0, passed - 1)].sequenceId,
        remainingNodeCount: plan.nodes.count - passed, actions: actions)
}
