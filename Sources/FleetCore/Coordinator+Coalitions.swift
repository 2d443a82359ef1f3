/// A multi-robot task under way: its members and their orders.
public struct Coalition: Sendable, Hashable {
    /// Where a coalition is in its task.
    public enum Phase: String, Sendable, Hashable, Codable {
        /// Members drive to the start (cooperative carry); nobody moves on before all are there.
        case gathering
        /// Members do the work (carry the load together, or each sweep its part of a zone).
        case moving
    }

    /// The current phase.
    public var phase: Phase
    /// Each member's current order.
    public var flights: [RobotID: InFlightDispatch]
    /// Members that finished their part of the current phase.
    public var done: Set<RobotID> = []
    /// Members that reported the order.
    public var acknowledged: Set<RobotID> = []

    /// The members, by id.
    public var members: [RobotID] { flights.keys.sorted() }
}

extension Coordinator {
    /// Forms coalitions for queued multi-robot tasks, highest priority and oldest first. A task takes `robots`
    /// idle robots with the capabilities and the payload share when that many are free, chosen by a minimum-cost
    /// assignment of robots to the task's parts (travel time to the start of each part); otherwise the first such
    /// task holds the capable robots that are idle (they take no other work) until enough are free, so a coalition
    /// is not starved by a stream of single-robot tasks.
    mutating func formCoalitions(now: FleetTime) {
        let waiting = tasks.values.filter { task in
            task.state == .queued && task.request.isMultiRobot
                && !(task.request.earliestStart.map { $0 > now } ?? false)
                && blockingDependency(of: task.request) == nil
        }
        var holding = false
        let ordered = waiting.sorted {
            ($1.request.priority.rank, $0.createdAt, $0.id) < ($0.request.priority.rank, $1.createdAt, $1.id)
        }
        for task in ordered {
            let request = task.request
            let capable = robots.filter { canServe(request, profile: $0.value.profile) }.keys.sorted()
            if capable.count < request.robots {
                let need =
                    request.requiredCapabilities.isEmpty
                    ? "" : " with \(request.requiredCapabilities.sorted().joined(separator: ", "))"
                let detail =
                    "needs \(request.robots) robots\(need) carrying \(request.weightPerRobotKg ?? 0) kg each; "
                    + "the fleet has \(capable.count)"
                update(task.id) { (t) throws(TaskLifecycleError) in try t.fail(.noRobot, detail: detail, at: now) }
                journal(.failed(task: task.id, robot: nil, reason: .noRobot, detail: detail), at: now)
                release(task.id)
                publishStatus(task.id, at: now)
                continue
            }
            let pool = capable.filter { id in
                isCandidate(id, now: now) || (reservations[id] == task.id && isFreeHeld(id, now: now))
            }
            let parts = coalitionParts(request)
            if pool.count >= request.robots, let members = chooseMembers(pool, parts: parts, request: request) {
                form(task.id, members: members, now: now)
                continue
            }
            if !holding {
                holding = true
                for id in pool { reservations[id] = task.id }
            }
            noteWait(task.id, "forming a coalition: \(pool.count) of \(request.robots) robots free", now: now)
        }
        // Robots held for a task that no longer waits are free again.
        for (id, held) in reservations
        where tasks[held]?.request.isMultiRobot == true && tasks[held]?.state != .queued {
            reservations[id] = nil
            allocationDue = true
        }
    }

    /// Whether a robot held for a coalition is idle and available.
    func isFreeHeld(_ id: RobotID, now: FleetTime) -> Bool {
        guard busy[id] == nil, maintenance[id] == nil, let state = robots[id], state.isIdle,
            state.startNode(in: layout) != nil
        else {
            return false
        }
        return state.isAvailable(
            now: now, stateTimeout: configuration.stateTimeout, minimumBattery: configuration.minimumBatteryForWork)
    }

    /// The work nodes of each member: the same pick→drop for a carry, one sweep part each for coverage.
    func coalitionParts(_ request: TaskRequest) -> [[NodeID]] {
        if request.kind == .coverage { return request.coverageParts(in: layout) }
        guard let work = request.workNodes(in: layout) else { return [] }
        return Array(repeating: work, count: request.robots)
    }

    /// The members and their trips: a minimum-cost assignment of `pool` to `parts` by travel time to each part's
    /// start (a pair is forbidden when the robot could not finish with its battery reserve), or `nil`.
    func chooseMembers(_ pool: [RobotID], parts: [[NodeID]], request: TaskRequest) -> [(
        RobotID, [NodeID], TripEstimate
    )]? {
        guard !parts.isEmpty, parts.count <= pool.count else { return nil }
        var costs = CostMatrix(rows: pool.count, columns: parts.count, repeating: .infinity)
        var trips: [[TripEstimate?]] = Array(repeating: Array(repeating: nil, count: parts.count), count: pool.count)
        for (r, id) in pool.enumerated() {
            guard let start = robots[id]?.startNode(in: layout) else { continue }
            for (c, part) in parts.enumerated() {
                guard let trip = trip(through: part, robot: id, from: start),
                    trip.batteryAfter >= configuration.batteryReserve
                else { continue }
                costs[r, c] = trip.toPick.time
                trips[r][c] = trip
            }
        }
        guard let solution = try? LinearAssignment.solve(costs) else { return nil }
        var members: [(RobotID, [NodeID], TripEstimate)] = []
        for (r, column) in solution.columnForRow.enumerated() {
            guard let column else { continue }
            guard let trip = trips[r][column] else { return nil }
            members.append((pool[r], parts[column], trip))
        }
        return members.count == parts.count ? members.sorted { $0.0 < $1.0 } : nil
    }

    /// The trip of one robot from `start` through `work`.
    func trip(through work: [NodeID], robot: RobotID, from start: NodeID) -> TripEstimate? {
        guard let first = work.first, let state = robots[robot] else { return nil }
        let mobility = state.profile.mobility(in: layout)
        guard let toStart = router.route(from: start, to: first, for: mobility),
            let rest = router.route(through: work, for: mobility)
        else { return nil }
        let used = (toStart.distance + rest.distance) * state.profile.batteryPercentPerMetre
        return TripEstimate(
            toPick: toStart, toDrop: rest, batteryAfter: (state.observation?.batteryPercent ?? 0) - used)
    }

    /// Binds the members to the task and sends their first orders: a carry's members drive to the pick station
    /// and pick (the drop leg is released to all of them at once when all have picked); a coverage's members each
    /// sweep their part.
    mutating func form(_ id: TaskID, members: [(RobotID, [NodeID], TripEstimate)], now: FleetTime) {
        guard let leader = members.first?.0, let request = tasks[id]?.request else { return }
        update(id) { (t) throws(TaskLifecycleError) in try t.assign(to: leader, at: now) }
        guard let task = tasks[id] else { return }
        waitReasons[id] = nil
        let eta = members.map(\.2.toPick.time).max() ?? 0
        if let loss = lastLoss.removeValue(forKey: id) {
            journal(
                .reassigned(task: id, from: loss.robot, to: leader, reason: loss.reason, etaPickSeconds: eta), at: now)
        } else {
            journal(.assigned(task: id, robot: leader, etaPickSeconds: eta), at: now)
        }
        let orderId = "\(id)#\(task.assignmentCount)"
        update(id) { (t) throws(TaskLifecycleError) in try t.dispatch(orderId: orderId, at: now) }
        let carry = request.kind == .cooperativeCarry
        var coalition = Coalition(phase: carry ? .gathering : .moving, flights: [:])
        for (robot, part, trip) in members {
            busy[robot] = id
            reservations[robot] = nil
            journal(.phase(task: id, robot: robot, phase: "coalition_member"), at: now)
            var plan: DispatchPlan
            if carry {
                plan = DispatchPlan(
                    request: request, orderId: orderId, route: trip.toPick, workNodes: [part[0]], layout: layout)
                for i in plan.nodes.indices { plan.nodes[i].actions.removeAll { $0.kind == .drop } }
            } else {
                plan = DispatchPlan(
                    request: request, orderId: orderId, route: trip.toPick.appending(trip.toDrop), workNodes: part,
                    layout: layout)
            }
            plan = slowedForPresence(plan)
            coalition.flights[robot] = InFlightDispatch(robot: robot, plan: plan)
            journal(.dispatched(task: id, robot: robot, attempt: 1, plan: plan), at: now)
            pending.append(.dispatch(robot, plan))
            armStateTimer(robot, now: now)
        }
        coalitions[id] = coalition
        orderOwners[orderId] = id
        publishStatus(id, at: now)
        armAcknowledgementTimer(id, attempt: 1, now: now)
    }

    /// Follows one member's order: start, failures, its part done; when every member is done with the
    /// gathering phase the drop leg goes out to all at once, when every member is done with the work the task
    /// completes.
    mutating func trackCoalitionMember(
        _ robot: RobotID, task id: TaskID, _ observation: RobotObservation, now: FleetTime
    ) {
        guard var coalition = coalitions[id], let flight = coalition.flights[robot] else { return }
        let orderId = flight.plan.orderId
        let accepted = observation.order?.orderId == orderId
        if !accepted, let fault = observation.faults.first(where: { $0.orderId == orderId }) {
            let detail = "robot \(robot) rejected order \(orderId): \(fault.type) \(fault.description)"
            loseCoalition(id, reason: .orderRejected, detail: detail, now: now)
            return
        }
        if let fatal = observation.faults.first(where: { $0.level == .fatal }) {
            loseCoalition(id, reason: .robotFault, detail: "robot \(robot) fatal error \(fatal.type)", now: now)
            return
        }
        guard let order = observation.order, order.orderId == orderId,
            order.orderUpdateId >= flight.plan.orderUpdateId
        else { return }
        if coalition.acknowledged.insert(robot).inserted, tasks[id]?.state == .dispatched {
            update(id) { (t) throws(TaskLifecycleError) in try t.start(at: now) }
            journal(.started(task: id, robot: robot, orderId: orderId), at: now)
            publishStatus(id, at: now)
        }
        let planned = flight.plan.actions
        if let failed = planned.first(where: { order.actions[$0.actionId]?.status == .failed }) {
            coalitions[id] = coalition
            let detail = "\(failed.kind.rawValue) by robot \(robot) at station '\(failed.station)' failed"
            endCoalition(id, reason: .actionFailed, detail: detail, now: now)
            return
        }
        let finished = planned.allSatisfy { order.actions[$0.actionId]?.status == .finished }
        if order.remainingNodeCount == 0, finished, !observation.driving, coalition.done.insert(robot).inserted,
            coalition.phase == .gathering
        {
            // Each member's arrival at the start: the evaluator's synchronisation wait runs from the first one to
            // `gathered`.
            journal(.phase(task: id, robot: robot, phase: "arrived"), at: now)
        }
        coalitions[id] = coalition
        guard coalition.done.count == coalition.flights.count else { return }
        let leader = coalition.members[0]
        if coalition.phase == .gathering {
            journal(.phase(task: id, robot: leader, phase: "gathered"), at: now)
            journal(.phase(task: id, robot: leader, phase: "picked"), at: now)
            releaseDropLeg(id, now: now)
        } else {
            update(id) { (t) throws(TaskLifecycleError) in try t.complete(at: now) }
            journal(.completed(task: id, robot: leader, outcome: "ok"), at: now)
            release(id)
            publishStatus(id, at: now)
        }
    }

    /// Sends every member of a gathered carry the order update that drives from the pick to the drop station.
    mutating func releaseDropLeg(_ id: TaskID, now: FleetTime) {
        guard var coalition = coalitions[id], let request = tasks[id]?.request,
            let work = request.workNodes(in: layout), work.count >= 2
        else { return }
        for robot in coalition.members {
            guard var flight = coalition.flights[robot], let mobility = robots[robot]?.profile.mobility(in: layout),
                let leg = router.route(from: work[0], to: work[work.count - 1], for: mobility)
            else { continue }
            var plan = DispatchPlan(
                request: request, orderId: flight.plan.orderId, route: leg, workNodes: [work[0], work[work.count - 1]],
                layout: layout)
            for i in plan.nodes.indices { plan.nodes[i].actions.removeAll { $0.kind == .pick } }
            let offset = flight.plan.nodes.last?.sequenceId ?? 0
            for i in plan.nodes.indices { plan.nodes[i].sequenceId += offset }
            for i in plan.edges.indices { plan.edges[i].sequenceId += offset }
            plan.orderUpdateId = flight.plan.orderUpdateId + 1
            plan = slowedForPresence(plan)
            flight.plan = plan
            flight.picked = true
            coalition.flights[robot] = flight
            journal(.dispatched(task: id, robot: robot, attempt: 1, plan: plan), at: now)
            pending.append(.dispatch(robot, plan))
        }
        coalition.phase = .moving
        coalition.done = []
        coalition.acknowledged = []
        coalitions[id] = coalition
    }

    /// A member was lost: every member's order is cancelled; the task goes back to the queue, or fails when the
    /// load is already up or the attempts are used up.
    mutating func loseCoalition(_ id: TaskID, reason: RequeueReason, detail: String, now: FleetTime) {
        guard let coalition = coalitions[id], let task = tasks[id], let leader = task.robot else { return }
        let picked = coalition.flights.values.contains { $0.picked }
        if picked {
            let robots = coalition.members.map(\.description).joined(separator: ", ")
            endCoalition(
                id, reason: .fault, detail: "\(detail); the load was picked and is on robots \(robots)", now: now)
            return
        }
        if reason.countsAsAttempt, task.failedAttempts + 1 >= configuration.maxFailedAttempts {
            endCoalition(id, reason: .fault, detail: detail, now: now)
            return
        }
        for (robot, flight) in coalition.flights.sorted(by: { $0.key < $1.key }) {
            sendCancel(robot, orderId: flight.plan.orderId)
        }
        update(id) { (t) throws(TaskLifecycleError) in try t.requeue(reason, detail: detail, at: now) }
        journal(.requeued(task: id, robot: leader, reason: reason, detail: detail), at: now)
        lastLoss[id] = (leader, reason)
        release(id)
        publishStatus(id, at: now)
    }

    /// Fails a coalition task for good and cancels every member's order.
    mutating func endCoalition(_ id: TaskID, reason: FailureReason, detail: String, now: FleetTime) {
        guard let coalition = coalitions[id], let leader = tasks[id]?.robot else { return }
        for (robot, flight) in coalition.flights.sorted(by: { $0.key < $1.key }) {
            sendCancel(robot, orderId: flight.plan.orderId)
        }
        update(id) { (t) throws(TaskLifecycleError) in try t.fail(reason, detail: detail, at: now) }
        journal(.failed(task: id, robot: leader, reason: reason, detail: detail), at: now)
        release(id)
        publishStatus(id, at: now)
    }

    /// The acknowledgement timer of a coalition's dispatch: members that never reported the order lose the task.
    mutating func coalitionAcknowledgementDue(_ id: TaskID, attempt: Int, now: FleetTime) {
        guard let coalition = coalitions[id], tasks[id]?.state.hasRobot == true else { return }
        let silent = coalition.members.filter { !coalition.acknowledged.contains($0) && !coalition.done.contains($0) }
        guard !silent.isEmpty, coalition.phase == .gathering || tasks[id]?.state == .dispatched else { return }
        let names = silent.map(\.description).joined(separator: ", ")
        loseCoalition(id, reason: .dispatchTimeout, detail: "robots \(names) did not acknowledge the order", now: now)
    }
}
