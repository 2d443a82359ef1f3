import FleetCore
import Testing

/// The three allocation policies as they were before costing moved to travel times only (every robot-task pair
/// routed with full ``Route`` values, the fleet re-examined per task): the reference the faster policies must
/// match decision for decision, routes and battery estimates included. Public API only.
enum ReferenceAllocation {
    struct Work {
        var task: TransportTask
        var nodes: [NodeID]
        var legs: [Double: (through: Route, chargerMetres: Double)] = [:]
    }

    enum Check: Equatable {
        case feasible(TripEstimate)
        case incapable, unreachable, lowBattery, late

        var estimate: TripEstimate? {
            if case .feasible(let estimate) = self { return estimate }
            return nil
        }
    }

    struct Estimator {
        let context: AllocationContext

        func work(for task: TransportTask) -> Result<Work, AllocationError> {
            let request = task.request
            let profiles = context.fleet.values.sorted { ($0.maxSpeed, $0.type) > ($1.maxSpeed, $1.type) }
            if !profiles.isEmpty {
                for capability in request.requiredCapabilities.sorted()
                where !profiles.contains(where: { $0.capabilities.contains(capability) }) {
                    return .failure(.noCapability(capability))
                }
                if let kg = request.loadWeightKg, !profiles.contains(where: { $0.maxPayloadKg >= kg }) {
                    return .failure(.payloadTooHeavy(kg: kg))
                }
            }
            guard let nodes = task.workNodes(in: context.router.layout), !nodes.isEmpty else {
                return .failure(.unknownWorkPlace)
            }
            let capable = profiles.filter { $0.canCarry(request) }
            let speed = capable.first?.maxSpeed ?? profiles.first?.maxSpeed ?? 1
            for (from, to) in zip(nodes, nodes.dropFirst())
            where context.router.travelTime(from: from, to: to, robotMaxSpeed: speed) == nil {
                return .failure(.noPath(from: from, to: to))
            }
            if chargerDistance(from: nodes[nodes.count - 1], speed: speed) == nil {
                return .failure(.noChargerReachable(from: nodes[nodes.count - 1]))
            }
            if let deadline = request.deadline, !capable.isEmpty {
                let fastest = capable.compactMap { route(through: nodes, speed: $0.maxSpeed)?.time }.min() ?? 0
                if context.now.adding(seconds: fastest) > deadline { return .failure(.deadlineUnreachable) }
            }
            var work = Work(task: task, nodes: nodes)
            for speed in Set(capable.map(\.maxSpeed)) { work.legs[speed] = leg(nodes, speed: speed) }
            return .success(work)
        }

        func check(_ work: Work, from start: NodeID, profile: RobotProfile, battery: Double, delay: Double = 0)
            -> Check
        {
            let request = work.task.request
            guard profile.canCarry(request) else { return .incapable }
            let speed = profile.maxSpeed
            guard let toStart = context.router.route(from: start, to: work.nodes[0], robotMaxSpeed: speed),
                let leg = work.legs[speed] ?? leg(work.nodes, speed: speed)
            else { return .unreachable }
            let after = battery - (toStart.distance + leg.through.distance) * profile.batteryPercentPerMetre
            guard after - leg.chargerMetres * profile.batteryPercentPerMetre >= context.batteryReserve else {
                return .lowBattery
            }
            let estimate = TripEstimate(toPick: toStart, toDrop: leg.through, batteryAfter: after)
            if let deadline = request.deadline, context.now.adding(seconds: delay + estimate.seconds) > deadline {
                return .late
            }
            return .feasible(estimate)
        }

        static func waitReason(_ checks: [Check]) -> AllocationError {
            if checks.contains(where: { $0.estimate != nil }) { return .noRobotAvailable }
            if checks.contains(.late) { return .deadlineCannotBeMet }
            if checks.contains(.lowBattery) { return .noRobotWithEnoughBattery }
            return .noRobotAvailable
        }

        func leg(_ nodes: [NodeID], speed: Double) -> (through: Route, chargerMetres: Double)? {
            guard let through = route(through: nodes, speed: speed),
                let metres = chargerDistance(from: nodes[nodes.count - 1], speed: speed)
            else { return nil }
            return (through, metres)
        }

        func route(through nodes: [NodeID], speed: Double) -> Route? {
            guard let first = nodes.first else { return nil }
            var total = Route(nodes: [first], edges: [], distance: 0, time: 0)
            for (from, to) in zip(nodes, nodes.dropFirst()) {
                guard let leg = context.router.route(from: from, to: to, robotMaxSpeed: speed) else { return nil }
                total = total.appending(leg)
            }
            return total
        }

        func chargerDistance(from node: NodeID, speed: Double) -> Double? {
            let chargers = context.router.layout.chargers
            if chargers.isEmpty { return 0 }
            return chargers.compactMap {
                context.router.route(from: node, to: $0.node, robotMaxSpeed: speed)?.distance
            }.min()
        }
    }

    static func greedy(_ queue: [TransportTask], _ idle: [AllocationCandidate], _ context: AllocationContext)
        -> [AllocationDecision]
    {
        let estimator = Estimator(context: context)
        var free = idle.sorted { $0.robot < $1.robot }
        var decisions: [AllocationDecision] = []
        for task in NearestRobotPolicy.serviceOrder(queue) {
            let work: Work
            switch estimator.work(for: task) {
            case .failure(let impossible):
                decisions.append(.reject(task.id, impossible))
                continue
            case .success(let w): work = w
            }
            var best: (index: Int, estimate: TripEstimate)?
            var checks: [Check] = []
            for (index, candidate) in free.enumerated() {
                let check = estimator.check(
                    work, from: candidate.startNode, profile: candidate.profile, battery: candidate.batteryPercent)
                checks.append(check)
                if let estimate = check.estimate, best == nil || estimate.toPick.time < best!.estimate.toPick.time {
                    best = (index, estimate)
                }
            }
            if let best {
                decisions.append(.assign(task.id, free[best.index].robot, best.estimate))
                free.remove(at: best.index)
            } else {
                decisions.append(.wait(task.id, Estimator.waitReason(checks)))
            }
        }
        return decisions
    }

    static func optimal(_ queue: [TransportTask], _ idle: [AllocationCandidate], _ context: AllocationContext)
        -> [AllocationDecision]
    {
        let estimator = Estimator(context: context)
        var free = idle.sorted { $0.robot < $1.robot }
        var decided: [TaskID: AllocationDecision] = [:]
        let ordered = OptimalBatchPolicy.serviceOrder(queue)
        var classes: [[Work]] = []
        var lastRank: Int?
        for task in ordered {
            switch estimator.work(for: task) {
            case .failure(let impossible):
                decided[task.id] = .reject(task.id, impossible)
            case .success(let work):
                if lastRank != task.request.priority.rank { classes.append([]) }
                lastRank = task.request.priority.rank
                classes[classes.count - 1].append(work)
            }
        }
        for works in classes {
            let checks = works.map { work in
                free.map { estimator.check(work, from: $0.startNode, profile: $0.profile, battery: $0.batteryPercent) }
            }
            let pairs = solve(checks, robots: free.count)
            var taken = Set<Int>()
            for (column, work) in works.enumerated() {
                if let row = pairs[column], let estimate = checks[column][row].estimate {
                    decided[work.task.id] = .assign(work.task.id, free[row].robot, estimate)
                    taken.insert(row)
                } else {
                    decided[work.task.id] = .wait(work.task.id, Estimator.waitReason(checks[column]))
                }
            }
            free = free.enumerated().filter { !taken.contains($0.offset) }.map(\.element)
        }
        return ordered.compactMap { decided[$0.id] }
    }

    static func solve(_ checks: [[Check]], robots: Int) -> [Int?] {
        var result = [Int?](repeating: nil, count: checks.count)
        let columns = checks.indices.filter { c in checks[c].contains { $0.estimate != nil } }
        let rows = (0..<robots).filter { r in columns.contains { checks[$0][r].estimate != nil } }
        guard !rows.isEmpty, !columns.isEmpty else { return result }
        var largest = 0.0
        for c in columns {
            for r in rows { if let seconds = checks[c][r].estimate?.seconds { largest = max(largest, seconds) } }
        }
        let padding = (largest + 1) * Double(min(rows.count, columns.count) + 1)
        var matrix = CostMatrix(rows: rows.count, columns: columns.count, repeating: padding)
        for (j, c) in columns.enumerated() {
            for (i, r) in rows.enumerated() {
                if let seconds = checks[c][r].estimate?.seconds { matrix[i, j] = seconds }
            }
        }
        guard let solution = try? LinearAssignment.solve(matrix) else { return result }
        for (i, j) in solution.pairs where checks[columns[j]][rows[i]].estimate != nil {
            result[columns[j]] = rows[i]
        }
        return result
    }

    struct Bidder {
        var robot: RobotID
        var profile: RobotProfile
        var node: NodeID
        var freeIn: Double
        var battery: Double
        var idle: Bool
    }

    static func market(_ queue: [TransportTask], _ idle: [AllocationCandidate], _ context: AllocationContext)
        -> [AllocationDecision]
    {
        let estimator = Estimator(context: context)
        let idleIDs = Set(idle.map(\.robot))
        var bidders =
            idle.map {
                Bidder(
                    robot: $0.robot, profile: $0.profile, node: $0.startNode, freeIn: 0, battery: $0.batteryPercent,
                    idle: true)
            }
            + context.busy.filter { !idleIDs.contains($0.robot) }.map {
                Bidder(
                    robot: $0.robot, profile: $0.profile, node: $0.endNode, freeIn: max(0, $0.secondsUntilFree),
                    battery: $0.batteryPercent, idle: false)
            }
        bidders.sort { $0.robot < $1.robot }
        var decisions: [AllocationDecision] = []
        for task in MarketPolicy.serviceOrder(queue) {
            let work: Work
            switch estimator.work(for: task) {
            case .failure(let impossible):
                decisions.append(.reject(task.id, impossible))
                continue
            case .success(let w): work = w
            }
            var best: (index: Int, bid: Double, estimate: TripEstimate)?
            var checks: [Check] = []
            for (index, bidder) in bidders.enumerated() {
                let check = estimator.check(
                    work, from: bidder.node, profile: bidder.profile, battery: bidder.battery, delay: bidder.freeIn)
                checks.append(check)
                guard let estimate = check.estimate else { continue }
                let bid = bidder.freeIn + estimate.seconds
                if best == nil || (bid, bidder.freeIn) < (best!.bid, bidders[best!.index].freeIn) {
                    best = (index, bid, estimate)
                }
            }
            guard let best else {
                decisions.append(.wait(task.id, Estimator.waitReason(checks)))
                continue
            }
            let winner = bidders[best.index]
            if winner.idle {
                decisions.append(.assign(task.id, winner.robot, best.estimate))
            } else {
                decisions.append(.wait(task.id, .reservedFor(winner.robot, freeInSeconds: winner.freeIn)))
            }
            bidders[best.index].node = work.nodes[work.nodes.count - 1]
            bidders[best.index].freeIn = best.bid
            bidders[best.index].battery = best.estimate.batteryAfter
            bidders[best.index].idle = false
        }
        return decisions
    }

    static func allocate(
        _ kind: AllocationPolicyKind, _ queue: [TransportTask], _ idle: [AllocationCandidate],
        _ context: AllocationContext
    ) -> [AllocationDecision] {
        switch kind {
        case .greedy: return greedy(queue, idle, context)
        case .optimal: return optimal(queue, idle, context)
        case .market: return market(queue, idle, context)
        }
    }
}

/// Random snapshots on the test sites (and a rougher one with one-way edges, speed limits, two chargers and an
/// unreachable corner) decided by each policy and by ``ReferenceAllocation``: the decisions must be identical.
@Suite struct AllocationEquivalenceTests {
    /// A 5 x 5 grid (8 m apart) with random one-way, missing and slow (0.3 m/s) edges, a human-work zone over
    /// the middle row (0.4 m/s), node `Z` that only leads in and node `Y` that only leads out. Stations sit on
    /// the nodes that can reach `R00` and be reached from it (as validation demands), chargers on the first and
    /// last of those.
    static func roughSite(seed: UInt64) -> SiteLayout {
        var rng = SplitMix64(seed: seed)
        var nodes: [SiteNode] = []
        var edges: [EdgeSpec] = []
        for r in 0..<5 {
            for c in 0..<5 {
                nodes.append(
                    SiteNode(
                        id: "R\(r)\(c)", x: Double(8 * c) + .random(in: -1...1, using: &rng), y: Double(8 * r),
                        mapId: "m"))
                for (dr, dc) in [(0, 1), (1, 0)] where r + dr < 5 && c + dc < 5 {
                    // Row 0 and column 0 stay two-way, so every site has stations to choose from.
                    let roll = r + dr == 0 || c + dc == 0 ? 9 : Int.random(in: 0..<10, using: &rng)
                    if roll == 0 { continue }
                    let (from, to) =
                        roll == 1 ? ("R\(r + dr)\(c + dc)", "R\(r)\(c)") : ("R\(r)\(c)", "R\(r + dr)\(c + dc)")
                    edges.append(
                        EdgeSpec(
                            id: "E\(r)\(c)-\(dr)\(dc)", from: from, to: to, maxSpeed: roll == 2 ? 0.3 : nil,
                            bidirectional: roll > 2))
                }
            }
        }
        nodes.append(SiteNode(id: "Z", x: -10, y: -10, mapId: "m"))
        nodes.append(SiteNode(id: "Y", x: -10, y: 10, mapId: "m"))
        edges.append(EdgeSpec(id: "EZ", from: "Z", to: "R00"))
        edges.append(EdgeSpec(id: "EY", from: "R00", to: "Y"))
        let zone = Zone(
            id: "middle", kind: .humanWork, area: .nodes(["R20", "R21", "R22", "R23", "R24", "Y"]), speedLimit: 0.4)
        let bare = try! SiteLayout(siteId: "rough", nodes: nodes, edges: edges, zones: [zone])
        let router = SiteRouter(layout: bare)
        let connected = nodes.map(\.id).filter {
            router.travelTime(from: "R00", to: $0, robotMaxSpeed: 1) != nil
                && router.travelTime(from: $0, to: "R00", robotMaxSpeed: 1) != nil
        }
        return try! SiteLayout(
            siteId: "rough", nodes: nodes, edges: edges,
            stations: connected.map { Station(id: "S" + $0.dropFirst(), node: $0, kind: .lineSide) },
            chargers: [Charger(id: "CH-A", node: connected[0]), Charger(id: "CH-B", node: connected.last!)],
            zones: [zone])
    }

    static let fast = RobotProfile(type: "AMR-fast", capabilities: ["tow"], maxPayloadKg: 60, maxSpeed: 2.0)
    static let thirsty = RobotProfile(type: "AMR", maxPayloadKg: 100, maxSpeed: 0.5, batteryPercentPerMetre: 0.8)

    static func snapshot(on layout: SiteLayout, rng: inout SplitMix64)
        -> (queue: [TransportTask], idle: [AllocationCandidate], context: AllocationContext)
    {
        let nodes = layout.nodes.map(\.id)
        let stations = layout.stations.map(\.id)
        let profiles = [PolicySite.amr, PolicySite.lifter, Self.thirsty, Self.fast]
        let count = Int.random(in: 1...10, using: &rng)
        var idle: [AllocationCandidate] = []
        var busy: [BusyRobot] = []
        for n in 1...count {
            let profile = profiles.randomElement(using: &rng)!
            let node = nodes.randomElement(using: &rng)!
            let battery = Double.random(in: 15...100, using: &rng)
            if Bool.random(using: &rng) {
                idle.append(PolicySite.candidate(n, at: node, battery: battery, profile: profile))
            } else {
                busy.append(
                    BusyRobot(
                        robot: Fixture.robot(n), profile: profile, endNode: node,
                        secondsUntilFree: Double.random(in: -5...90, using: &rng), batteryPercent: battery))
            }
        }
        // Now and then a robot both idle and listed busy, or idle without being in the fleet.
        if let first = idle.first, Int.random(in: 0..<5, using: &rng) == 0 {
            busy.append(
                BusyRobot(
                    robot: first.robot, profile: first.profile, endNode: first.startNode, secondsUntilFree: 10,
                    batteryPercent: first.batteryPercent))
        }
        var context = PolicySite.context(
            layout, fleet: idle, busy: busy, reserve: 10, now: Double.random(in: 0...20, using: &rng))
        if Int.random(in: 0..<8, using: &rng) == 0 {
            idle.append(
                PolicySite.candidate(
                    99, at: nodes.randomElement(using: &rng)!,
                    profile: RobotProfile(type: "stranger", maxPayloadKg: 50, maxSpeed: 0.7)))
        }
        if Int.random(in: 0..<20, using: &rng) == 0 { context.fleet = [:] }
        let queue = (1...Int.random(in: 1...12, using: &rng)).map { n -> TransportTask in
            let pick = stations.randomElement(using: &rng)!
            var drop = stations.randomElement(using: &rng)!
            while drop == pick { drop = stations.randomElement(using: &rng)! }
            let roll = Int.random(in: 0..<20, using: &rng)
            let priority = [TaskPriority.normal, .normal, .high, .low].randomElement(using: &rng)!
            let deadline = Int.random(in: 0..<4, using: &rng) == 0 ? t(Double.random(in: 10...150, using: &rng)) : nil
            let id = TaskID("T\(n)")
            let request: TaskRequest
            switch roll {
            case 0:
                request = TaskRequest(
                    id: id, pick: pick, drop: drop, requiredCapabilities: ["lift"], priority: priority,
                    deadline: deadline)
            case 1:
                request = TaskRequest(
                    id: id, pick: pick, drop: drop, requiredCapabilities: ["tow", "lift"], priority: priority)
            case 2: request = TaskRequest(id: id, pick: pick, drop: drop, loadWeightKg: 80, priority: priority)
            case 3: request = TaskRequest(id: id, pick: pick, drop: drop, loadWeightKg: 900)
            case 4: request = TaskRequest(id: id, pick: pick, drop: drop, requiredCapabilities: ["weld"])
            case 5:
                let stops = (0..<Int.random(in: 1...4, using: &rng)).map { _ in stations.randomElement(using: &rng)! }
                request = TaskRequest(id: id, kind: .patrol, stops: stops, priority: priority, deadline: deadline)
            case 6: request = TaskRequest(id: id, kind: .assist, stops: [pick], priority: .urgent, deadline: deadline)
            case 7: request = TaskRequest(id: id, pick: pick, drop: "nowhere")
            case 8: request = TaskRequest(id: id, kind: .patrol, stops: [pick, pick, drop])
            case 9: request = TaskRequest(id: id, kind: .coverage, zone: "middle")
            default:
                request = TaskRequest(
                    id: id, pick: pick, drop: drop, requiredCapabilities: roll == 10 ? ["tow"] : [],
                    priority: priority, deadline: deadline)
            }
            return PolicySite.queued(request, at: Double(Int.random(in: 0...5, using: &rng)))
        }
        return (queue, idle, context)
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func decisionsMatchTheRouteByRouteReference(kind: AllocationPolicyKind) {
        var rng = SplitMix64(seed: 2026 &+ UInt64(kind.rawValue.count))
        var assigned = 0
        var reasons = Set<String>()
        for snapshot in 0..<600 {
            let layout =
                switch snapshot % 3 {
                case 0: PolicySite.grid
                case 1: PolicySite.line
                default: Self.roughSite(seed: UInt64(snapshot))
                }
            let (queue, idle, context) = Self.snapshot(on: layout, rng: &rng)
            let expected = ReferenceAllocation.allocate(kind, queue, idle, context)
            let actual = kind.makePolicy().allocate(queue: queue, idle: idle, context: context)
            #expect(actual == expected, "\(kind) snapshot \(snapshot)")
            if actual != expected { return }
            for decision in actual {
                switch decision {
                case .assign: assigned += 1
                case .wait(_, let error), .reject(_, let error): reasons.insert("\(error)".prefix(20).description)
                }
            }
        }
        // The snapshots must exercise assignments and the reasons not to assign.
        #expect(assigned > 500)
        #expect(reasons.count >= 7, "\(reasons.sorted())")
    }
}
