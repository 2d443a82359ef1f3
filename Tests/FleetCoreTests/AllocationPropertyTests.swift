import FleetCore
import Testing

/// A coordinator driven by a seeded random sequence of events on ``PolicySite/grid``: task requests (some
/// impossible, some with deadlines or capabilities), robots taking, running and finishing orders, draining and
/// recharging, dropping off the network and coming back, cancellations, and time passing with its timers.
struct RandomFleetRun {
    struct SimRobot {
        var id: RobotID
        var profile: RobotProfile
        var node: NodeID
        var battery: Double
        var online = true
        var plan: DispatchPlan?
        var accepted = false
        var lastOrder: OrderProgress?
        var lastReport = -100.0
    }

    var coordinator: Coordinator
    var rng: SplitMix64
    var now = 0.0
    var timers: [(id: TimerID, due: Double)] = []
    var robots: [SimRobot] = []
    var lastStatus: [TaskID: TaskStatus] = [:]
    var requested = 0
    var problems: [String] = []

    static let stations = PolicySite.grid.stations.map(\.id)

    init(kind: AllocationPolicyKind, seed: UInt64) {
        let configuration = CoordinatorConfiguration(
            positionSampleInterval: nil, allocationPolicy: kind, allocationMinimumInterval: 0.5)
        coordinator = Coordinator(layout: PolicySite.grid, configuration: configuration, policy: kind.makePolicy())
        rng = SplitMix64(seed: seed)
        let nodes = PolicySite.grid.nodes.map(\.id)
        for n in 1...5 {
            let profile = n <= 2 ? PolicySite.lifter : PolicySite.amr
            robots.append(
                SimRobot(
                    id: Fixture.robot(n), profile: profile, node: nodes.randomElement(using: &rng)!,
                    battery: Double.random(in: 30...100, using: &rng)))
        }
        for robot in robots { send(.robotRegistered(robot.id, robot.profile)) }
        for i in robots.indices { report(i) }
    }

    /// The coordinator's clock.
    var time: FleetTime { t(now) }

    mutating func send(_ event: FleetEvent) {
        let before = coordinator.busy
        let out = coordinator.handle(event, now: time)
        var journaled = Set<String>()
        for directive in out {
            switch directive {
            case .journal(let record):
                if case .dispatched(_, _, _, let plan) = record.event { journaled.insert(plan.orderId) }
            case .startTimer(let id, let due): timers.append((id, due.seconds(since: t(0))))
            case .publishTaskStatus(let id, let status): lastStatus[id] = status
            case .dispatch(let robot, let plan):
                if !journaled.contains(plan.orderId) { problems.append("\(plan.orderId) sent before it was journaled") }
                if let held = before[robot], held != plan.taskId, coordinator.tasks[held]?.robot == robot,
                    coordinator.tasks[held]?.state.hasRobot == true
                {
                    problems.append("robot \(robot) got \(plan.taskId) while holding \(held) on \(event)")
                }
                if coordinator.busy[robot] != plan.taskId {
                    problems.append("\(plan.taskId) dispatched to \(robot), which is not bound to it")
                }
                if let i = robots.firstIndex(where: { $0.id == robot }), robots[i].online {
                    if robots[i].plan?.orderId != plan.orderId { robots[i].accepted = false }
                    robots[i].plan = plan
                }
            case .cancelOrder(let robot, let orderId):
                if let i = robots.firstIndex(where: { $0.id == robot }), robots[i].plan?.orderId == orderId {
                    robots[i].plan = nil
                }
            default: continue
            }
        }
        checkBindings()
    }

    /// No robot holds two tasks, no task is bound to two robots.
    mutating func checkBindings() {
        var holder: [RobotID: TaskID] = [:]
        for task in coordinator.tasks.values where task.state.hasRobot {
            guard let robot = task.robot else {
                problems.append("\(task.id) is \(task.state) without a robot")
                continue
            }
            if let other = holder.updateValue(task.id, forKey: robot) {
                problems.append("robot \(robot) holds \(other) and \(task.id)")
            }
        }
        let bound = coordinator.busy.values.sorted()
        if Set(bound).count != bound.count { problems.append("a task is bound to two robots: \(bound)") }
        for (robot, task) in coordinator.busy where coordinator.tasks[task]?.robot != robot {
            problems.append("busy map binds \(robot) to \(task), which is not bound to it")
        }
    }

    /// The robot's state message, as the simulated vehicle would send it.
    mutating func report(_ i: Int) {
        guard robots[i].online else { return }
        let node = robots[i].node
        var observation = RobotObservation(
            position: PolicySite.grid.node(node)!.position, mapId: "m", lastNodeId: node,
            batteryPercent: robots[i].battery, order: robots[i].lastOrder)
        if let plan = robots[i].plan {
            observation.order = progress(plan, passed: robots[i].accepted ? 1 : 0)
            observation.driving = robots[i].accepted
            if !robots[i].accepted { observation.order = robots[i].lastOrder }
        }
        robots[i].lastReport = now
        send(.robotObserved(robots[i].id, observation))
    }

    /// The robot moves its order on: accepts it, or finishes it at the last node.
    mutating func advance(_ i: Int) {
        guard let plan = robots[i].plan else { return report(i) }
        if !robots[i].accepted {
            robots[i].accepted = true
        } else {
            let metres = plan.edges.reduce(0) { $0 + $1.length }
            robots[i].battery = max(0, robots[i].battery - metres * robots[i].profile.batteryPercentPerMetre)
            robots[i].node = plan.nodes.last!.nodeId
            robots[i].lastOrder = progress(plan, passed: plan.nodes.count, pick: .finished, drop: .finished)
            robots[i].plan = nil
            robots[i].accepted = false
        }
        report(i)
    }

    /// Lets `seconds` pass: fires due timers in order, robots report every few seconds.
    mutating func pass(_ seconds: Double) {
        let end = now + seconds
        while true {
            let due = timers.enumerated().filter { $0.element.due <= end }.min { $0.element.due < $1.element.due }
            guard let (index, timer) = due else { break }
            timers.remove(at: index)
            now = max(now, timer.due)
            send(.timerFired(timer.id))
        }
        now = end
        for i in robots.indices where now - robots[i].lastReport >= 4 { report(i) }
    }

    mutating func request() {
        requested += 1
        let pick = Self.stations.randomElement(using: &rng)!
        var drop = Self.stations.randomElement(using: &rng)!
        while drop == pick { drop = Self.stations.randomElement(using: &rng)! }
        let roll = Int.random(in: 0..<20, using: &rng)
        let request = TaskRequest(
            id: TaskID("T\(requested)"), pick: pick, drop: drop, loadWeightKg: roll == 0 ? 900 : nil,
            requiredCapabilities: roll == 1 ? ["crane"] : roll < 5 ? ["lift"] : [],
            priority: TaskPriority.allCases.filter { $0.rank <= 3 }.randomElement(using: &rng)!,
            deadline: roll >= 17 ? time.adding(seconds: Double.random(in: 10...200, using: &rng)) : nil,
            requester: "property")
        send(.taskRequested(request))
    }

    mutating func step() {
        let i = Int.random(in: 0..<robots.count, using: &rng)
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<30: request()
        case 30..<60: advance(i)
        case 60..<68:
            robots[i].online.toggle()
            send(.robotConnection(robots[i].id, robots[i].online ? .online : .connectionBroken))
            report(i)
        case 68..<76:
            guard requested > 0 else { break }
            let id = TaskID("T\(Int.random(in: 1...requested, using: &rng))")
            send(.taskCancelRequested(id, .requester, detail: "property test"))
        case 76..<84:
            robots[i].battery = Double.random(in: 15...100, using: &rng)
            report(i)
        default: pass(Double.random(in: 0.1...3, using: &rng))
        }
        pass(Double.random(in: 0...0.4, using: &rng))
    }

    /// Tasks neither terminal, nor bound to a robot, nor queued with a published reason. While an allocation timer
    /// runs, queued tasks may still wait for their first decision.
    func silentTasks(strict: Bool) -> [TaskID] {
        let allocationPending = timers.contains { $0.id == .allocation }
        return coordinator.tasks.values.compactMap { task -> TaskID? in
            if task.state.isTerminal || task.state.hasRobot { return nil }
            if task.state == .queued, lastStatus[task.id]?.reason != nil { return nil }
            if task.state == .queued, !strict, allocationPending { return nil }
            return task.id
        }.sorted()
    }
}

@Suite struct AllocationPropertyTests {
    static let seeds: [UInt64] = Array(1...200)

    @Test(arguments: AllocationPolicyKind.allCases)
    func randomEventSequencesKeepTheInvariants(kind: AllocationPolicyKind) {
        var decided = 0
        for seed in Self.seeds {
            var run = RandomFleetRun(kind: kind, seed: seed &* 7919 &+ UInt64(kind.rawValue.count))
            for _ in 0..<100 {
                run.step()
                let silent = run.silentTasks(strict: false)
                if !silent.isEmpty { run.problems.append("tasks without a reason at \(run.now): \(silent)") }
                if !run.problems.isEmpty { break }
            }
            run.pass(1)
            let silent = run.silentTasks(strict: true)
            if !silent.isEmpty { run.problems.append("tasks without a reason at the end: \(silent)") }
            #expect(run.problems.isEmpty, "\(kind) seed \(seed): \(run.problems.prefix(3))")
            if !run.problems.isEmpty { return }
            decided += run.coordinator.tasks.values.filter { $0.state != .queued }.count
        }
        // The runs must exercise allocation, not just queue everything.
        #expect(decided > 2000)
    }

    /// On random snapshots of one priority class, the optimal policy serves at least as many tasks as greedy, and
    /// when both serve as many, its total travel time is never larger.
    @Test func optimalNeverCostsMoreThanGreedyOnTheSameSnapshot() {
        var rng = SplitMix64(seed: 42)
        let nodes = PolicySite.grid.nodes.map(\.id)
        let stations = RandomFleetRun.stations
        let thirsty = RobotProfile(type: "AMR", maxPayloadKg: 100, maxSpeed: 0.5, batteryPercentPerMetre: 0.8)
        var strictlyBetter = 0
        for snapshot in 0..<500 {
            let robots = (1...Int.random(in: 1...8, using: &rng)).map { n in
                PolicySite.candidate(
                    n, at: nodes.randomElement(using: &rng)!, battery: Double.random(in: 20...100, using: &rng),
                    profile: [PolicySite.amr, PolicySite.lifter, thirsty].randomElement(using: &rng)!)
            }
            let tasks = (1...Int.random(in: 1...10, using: &rng)).map { n -> TransportTask in
                let pick = stations.randomElement(using: &rng)!
                var drop = stations.randomElement(using: &rng)!
                while drop == pick { drop = stations.randomElement(using: &rng)! }
                let roll = Int.random(in: 0..<10, using: &rng)
                return PolicySite.task(
                    TaskID("T\(n)"), pick, drop, capabilities: roll == 0 ? ["lift"] : [],
                    deadline: roll == 1 ? t(Double.random(in: 30...120, using: &rng)) : nil, at: Double(n))
            }
            let context = PolicySite.context(PolicySite.grid, fleet: robots)
            let greedy = Self.served(NearestRobotPolicy().allocate(queue: tasks, idle: robots, context: context))
            let optimal = Self.served(OptimalBatchPolicy().allocate(queue: tasks, idle: robots, context: context))
            #expect(optimal.count >= greedy.count, "snapshot \(snapshot)")
            if optimal.count == greedy.count {
                #expect(optimal.cost <= greedy.cost + 1e-6, "snapshot \(snapshot)")
                if optimal.cost < greedy.cost - 1e-6 { strictlyBetter += 1 }
            }
        }
        #expect(strictlyBetter > 20)
    }

    /// Number of assignments and their total travel seconds; checks that no robot got two tasks.
    static func served(_ decisions: [AllocationDecision]) -> (count: Int, cost: Double) {
        var robots = Set<RobotID>()
        var cost = 0.0
        for case .assign(_, let robot, let trip) in decisions {
            #expect(robots.insert(robot).inserted, "robot \(robot) assigned twice")
            cost += trip.seconds
        }
        return (robots.count, cost)
    }
}
