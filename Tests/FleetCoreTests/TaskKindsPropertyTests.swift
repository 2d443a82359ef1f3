import FleetCore
import Testing

/// Invariants of the coordinator over seeded random runs with every task kind: robots that follow their orders
/// (a node per step), drop out and come back, drain their batteries, people who confirm or do not, operators who
/// cancel, emergencies, coalitions and timers firing when due. Robot 4 may not enter zone HALL: no order sent to
/// it ever contains a HALL node (other than the node it starts from).
@Suite struct TaskKindsPropertyTests {
    /// A robot as the test plays it: where it is, its current order and how far along it is.
    struct PlayedRobot {
        var id: RobotID
        var node: NodeID
        var battery: Double = 90
        var online = true
        var plan: DispatchPlan?
        var reached = 0
        var cancelled = false

        var observation: RobotObservation {
            var order: OrderProgress?
            if let plan {
                let done = reached >= plan.nodes.count - 1
                var actions: [String: ActionProgress] = [:]
                for (i, node) in plan.nodes.enumerated() {
                    for action in node.actions {
                        let status: ActionStatus =
                            cancelled ? .failed : (i <= reached && (i < reached || done) ? .finished : .waiting)
                        actions[action.actionId] = ActionProgress(status)
                    }
                }
                order = OrderProgress(
                    orderId: plan.orderId, orderUpdateId: plan.orderUpdateId,
                    lastNodeSequenceId: plan.nodes[min(reached, plan.nodes.count - 1)].sequenceId,
                    remainingNodeCount: cancelled ? 0 : plan.nodes.count - 1 - reached, actions: actions)
            }
            let position = TaskKindsTests.layout.node(node)!.position
            let charging = TaskKindsTests.layout.chargers.contains { $0.node == node } && !moving
            return RobotObservation(
                position: position, mapId: "m", lastNodeId: node, batteryPercent: battery, charging: charging,
                driving: moving, order: order)
        }

        var moving: Bool {
            guard let plan, !cancelled else { return false }
            return reached < plan.nodes.count - 1
        }
    }

    /// What a run exercised: completions by kind and notable journal events.
    struct Coverage {
        var completed: [TaskKind: Int] = [:]
        var events: [String: Int] = [:]
    }

    /// One seeded run; returns the invariant violations found.
    static func run(seed: UInt64, steps: Int, policy: AllocationPolicyKind = .greedy) -> [String] {
        var coverage = Coverage()
        return run(seed: seed, steps: steps, policy: policy, coverage: &coverage)
    }

    /// One seeded run; returns the invariant violations found and adds to `coverage`.
    static func run(
        seed: UInt64, steps: Int, policy: AllocationPolicyKind = .greedy, coverage: inout Coverage
    ) -> [String] {
        var random = SplitMix64(seed: seed)
        var c = Coordinator(
            layout: TaskKindsTests.layout, configuration: TaskKindsTests.config, policy: policy.makePolicy())
        var clock = 0.0
        let nodes = TaskKindsTests.layout.nodes.map(\.id)
        var played: [PlayedRobot] = (1...4).map { n in
            PlayedRobot(id: TaskKindsTests.robot(n), node: nodes[Int.random(in: 0..<nodes.count, using: &random)])
        }
        var timers: [(TimerID, FleetTime)] = []
        var lastReason: [TaskID: String?] = [:]
        var problems: [String] = []
        var taskCount = 0
        let confined = TaskKindsTests.robot(4)
        var confinedProfile = TaskKindsTests.amr
        confinedProfile.allowedZones = []
        let hall = Set(
            TaskKindsTests.layout.zones.filter { $0.id == "HALL" }.flatMap { zone in
                TaskKindsTests.layout.nodes.filter { zone.contains($0) }.map(\.id)
            })

        func apply(_ out: [Directive]) {
            for directive in out {
                switch directive {
                case .dispatch(let robot, let plan):
                    if robot == confined,
                        let entered = plan.nodes.dropFirst().first(where: { hall.contains($0.nodeId) })
                    {
                        problems.append(
                            "seed \(seed): order \(plan.orderId) takes \(robot) into HALL at \(entered.nodeId)")
                    }
                    guard let i = played.firstIndex(where: { $0.id == robot }) else { continue }
                    if played[i].plan?.orderId == plan.orderId,
                        plan.orderUpdateId > (played[i].plan?.orderUpdateId ?? 0)
                    {
                        played[i].plan = plan
                        played[i].reached = 0
                    } else if !played[i].moving {
                        played[i].plan = plan
                        played[i].reached = 0
                        played[i].cancelled = false
                    }
                case .cancelOrder(let robot, let orderId):
                    if let i = played.firstIndex(where: { $0.id == robot }), played[i].plan?.orderId == orderId {
                        played[i].cancelled = true
                    }
                case .startTimer(let id, let at): timers.append((id, at))
                case .publishTaskStatus(let id, let status): lastReason[id] = status.reason
                case .journal(let record):
                    switch record.event {
                    case .completed(let id, _, _):
                        if let kind = c.tasks[id]?.request.kind { coverage.completed[kind, default: 0] += 1 }
                    case .requeued(_, _, let reason, _): coverage.events["requeued:\(reason.rawValue)", default: 0] += 1
                    case .phase(_, _, let phase): coverage.events["phase:\(phase)", default: 0] += 1
                    case .failed(_, _, let reason, _): coverage.events["failed:\(reason.rawValue)", default: 0] += 1
                    default: coverage.events[record.event.kind, default: 0] += 1
                    }
                default: break
                }
            }
        }
        func feed(_ event: FleetEvent) { apply(c.handle(event, now: t(clock))) }
        for robot in played {
            feed(.robotRegistered(robot.id, robot.id == confined ? confinedProfile : TaskKindsTests.amr))
            feed(.robotObserved(robot.id, robot.observation))
        }
        let stations = TaskKindsTests.layout.stations.map(\.id)
        func station() -> StationID { stations[Int.random(in: 0..<stations.count, using: &random)] }

        for step in 0..<steps {
            clock += Double.random(in: 0.5...4, using: &random)
            let roll = Int.random(in: 0..<100, using: &random)
            switch roll {
            case 0..<14:
                taskCount += 1
                let id = TaskID("T\(taskCount)")
                let kind = TaskKind.allCases.filter { $0 != .charge }.randomElement(using: &random)!
                var request = TaskRequest(id: id, kind: kind, requester: "prop")
                switch kind {
                case .transport, .cooperativeCarry:
                    var drop = station()
                    let pick = station()
                    while drop == pick { drop = station() }
                    request.stops = [pick, drop]
                    if kind == .cooperativeCarry { request.robots = 2 }
                case .patrol: request.stops = [station(), station()]
                case .assist, .handover: request.stops = [station()]
                case .emergency:
                    request.stops = [station()]
                    request.priority = .emergency
                case .coverage:
                    request.zone = "HALL"
                    request.robots = Int.random(in: 1...2, using: &random)
                case .charge: break
                }
                if Int.random(in: 0..<5, using: &random) == 0, taskCount > 1 {
                    request.after = [TaskID("T\(taskCount - 1)")]
                }
                if Int.random(in: 0..<6, using: &random) == 0 { request.earliestStart = t(clock + 20) }
                feed(.taskRequested(request))
            case 14..<18:
                guard taskCount > 0 else { continue }
                let id = TaskID("T\(Int.random(in: 1...taskCount, using: &random))")
                feed(.taskCancelRequested(id, .operatorRequest, detail: "prop"))
            case 18..<24:
                let waiting = c.tasks.values.filter { $0.request.kind.needsConfirmation && !$0.state.isTerminal }
                if let task = waiting.sorted(by: { $0.id < $1.id }).first {
                    feed(.taskConfirmed(task.id, person: task.request.person ?? "p1"))
                }
            case 24..<27:
                let i = Int.random(in: 0..<played.count, using: &random)
                played[i].online.toggle()
                if !played[i].online {
                    played[i].plan = nil
                }
                feed(.robotConnection(played[i].id, played[i].online ? .online : .connectionBroken))
                if played[i].online { feed(.robotObserved(played[i].id, played[i].observation)) }
            default:
                // Every online robot moves one node along its order, drains or charges, and reports.
                for i in played.indices where played[i].online {
                    if played[i].moving {
                        played[i].reached += 1
                        played[i].node = played[i].plan!.nodes[played[i].reached].nodeId
                        played[i].battery = max(0, played[i].battery - Double.random(in: 0...3, using: &random))
                    } else if played[i].observation.charging {
                        played[i].battery = min(100, played[i].battery + 8)
                    }
                    feed(.robotObserved(played[i].id, played[i].observation))
                }
            }
            // Timers that are due fire.
            let due = timers.filter { $0.1 <= t(clock) }
            timers.removeAll { $0.1 <= t(clock) }
            for (id, _) in due { feed(.timerFired(id)) }
            problems += check(c, lastReason: lastReason, step: step, seed: seed)
            if problems.count > 5 { break }
        }
        return problems
    }

    /// The invariants at one point of a run.
    static func check(_ c: Coordinator, lastReason: [TaskID: String?], step: Int, seed: UInt64) -> [String] {
        var problems: [String] = []
        let at = "seed \(seed) step \(step)"
        for (robot, id) in c.busy {
            guard let task = c.tasks[id], task.state.hasRobot else {
                problems.append("\(at): robot \(robot) bound to \(id) in state \(c.tasks[id]?.state.rawValue ?? "-")")
                continue
            }
            if let coalition = c.coalitions[id] {
                if !coalition.members.contains(robot) {
                    problems.append("\(at): \(robot) bound to \(id) outside its coalition")
                }
            } else if task.robot != robot {
                problems.append("\(at): task \(id) has robot \(task.robot?.description ?? "-"), busy says \(robot)")
            }
        }
        for task in c.tasks.values where task.state.hasRobot {
            let members = c.coalitions[task.id]?.members ?? task.robot.map { [$0] } ?? []
            if members.isEmpty { problems.append("\(at): task \(task.id) \(task.state.rawValue) without a robot") }
            for member in members where c.busy[member] != task.id {
                problems.append(
                    "\(at): task \(task.id) member \(member) is bound to \(c.busy[member]?.rawValue ?? "nothing")")
            }
            if task.request.isMultiRobot, members.count != task.request.robots {
                problems.append("\(at): coalition \(task.id) has \(members.count) of \(task.request.robots) robots")
            }
        }
        for task in c.tasks.values where task.state == .queued && task.request.kind != .charge {
            if (lastReason[task.id] ?? nil) == nil {
                problems.append("\(at): queued task \(task.id) (\(task.request.kind.rawValue)) without a reason")
            }
        }
        return problems
    }

    @Test(arguments: AllocationPolicyKind.allCases, 0..<40)
    func randomRunsKeepTheInvariants(policy: AllocationPolicyKind, seed: Int) {
        let problems = Self.run(seed: UInt64(seed), steps: 300, policy: policy)
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
    }

    /// The random runs are only worth something if they reach the interesting paths: every kind completes,
    /// emergencies preempt, coalitions gather, people confirm, confirmations time out, robots charge.
    @Test(arguments: AllocationPolicyKind.allCases)
    func randomRunsReachEveryPath(policy: AllocationPolicyKind) {
        var coverage = Coverage()
        for seed in 0..<20 { _ = Self.run(seed: UInt64(seed), steps: 300, policy: policy, coverage: &coverage) }
        for kind in TaskKind.allCases {
            #expect(coverage.completed[kind, default: 0] > 0, "no \(kind.rawValue) task completed: \(coverage)")
        }
        for event in [
            "requeued:preempted", "phase:gathered", "phase:coalition_member", "human_ack", "failed:timeout",
            "phase:handover_end", "failed:blocked",
        ] {
            #expect(coverage.events[event, default: 0] > 0, "never saw \(event): \(coverage.events)")
        }
    }
}
