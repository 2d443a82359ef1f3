extension Coordinator {
    mutating func accept(_ request: TaskRequest, now: FleetTime) {
        var problem =
            tasks[request.id] != nil ? "task '\(request.id)' already exists" : request.problem(in: layout)
        if problem == nil, let unknown = request.after.first(where: { tasks[$0] == nil }) {
            problem = "unknown task '\(unknown)' in 'after'"
        }
        if problem == nil, request.kind == .charge, request.requester != "coordinator" {
            problem = "charge tasks are created by the coordinator (configure chargeBelow/chargeUntil instead)"
        }
        if let problem {
            journal(.rejected(task: request.id, detail: problem), at: now)
            pending.append(.rejectRequest(task: request.id, reason: problem))
            return
        }
        var task = TransportTask(request: request, createdAt: now)
        try? task.queue(at: now)
        tasks[request.id] = task
        journal(.created(request), at: now)
        publishStatus(request.id, at: now)
        if let start = request.earliestStart, start > now {
            pending.append(.startTimer(.taskReady(request.id), at: start))
        }
        allocationDue = true
    }

    mutating func cancel(_ id: TaskID, reason: CancellationReason, detail: String, now: FleetTime) {
        guard let task = tasks[id] else {
            let reason = "unknown task '\(id)'"
            journal(.rejected(task: id, detail: "cancel refused: " + reason), at: now)
            pending.append(.rejectRequest(task: id, reason: reason))
            return
        }
        guard !task.state.isTerminal else {
            let reason = "task '\(id)' is already \(task.state.rawValue)"
            journal(.rejected(task: id, detail: "cancel refused: " + reason), at: now)
            pending.append(.rejectRequest(task: id, reason: reason))
            return
        }
        let flight = inFlight[id]
        update(id) { (task) throws(TaskLifecycleError) in try task.cancel(reason, detail: detail, at: now) }
        journal(.canceled(task: id, actor: reason, detail: detail), at: now)
        if let flight { sendCancel(flight.robot, orderId: flight.plan.orderId) }
        release(id)
        publishStatus(id, at: now)
    }

    mutating func register(_ id: RobotID, profile: RobotProfile) {
        let narrowed = factsheets[id].map { profile.narrowed(by: $0) } ?? profile
        if robots[id] == nil { robots[id] = RobotState(id: id, profile: narrowed) }
        robots[id]!.profile = narrowed
        configuredProfiles[id] = profile
        allocationDue = true
    }

    /// A robot published its factsheet: a plausible one that differs from the last is kept, the robot's profile
    /// becomes its configured one narrowed by it, and a `factsheet` record says what changed.
    mutating func takeFactsheet(_ factsheet: RobotFactsheet, of id: RobotID, now: FleetTime) {
        guard factsheet.problem == nil, factsheets[id] != factsheet else { return }
        factsheets[id] = factsheet
        let old = robots[id]?.profile
        if robots[id] != nil, let configured = configuredProfiles[id] {
            robots[id]!.profile = configured.narrowed(by: factsheet)
        }
        var changes = "robot not registered"
        if let old, let new = robots[id]?.profile { changes = new.changes(from: old) }
        journal(.factsheet(robot: id, factsheet: factsheet, changes: changes), at: now)
        allocationDue = true
    }

    mutating func sendCancel(_ robot: RobotID, orderId: String) {
        cancelsSent.insert(Self.cancelKey(robot, orderId))
        pending.append(.cancelOrder(robot, orderId: orderId))
    }

    /// Runs the allocation policy over queued tasks and idle available robots, and acts on its decisions.
    mutating func allocate(now: FleetTime) {
        let queue = readyQueue(now: now)
        guard !queue.isEmpty else { return }
        let context = AllocationContext(
            router: router, fleet: robots.mapValues(\.profile), batteryReserve: configuration.batteryReserve, now: now,
            busy: policy.considersBusyRobots ? busyRobots(now: now) : [])
        for decision in policy.allocate(queue: queue, idle: allocationCandidates(now: now), context: context) {
            switch decision {
            case .assign(let task, let robot, let trip):
                guard tasks[task]?.state == .queued else { continue }
                if let zone = heldZone(among: trip.toPick.nodes + trip.toDrop.nodes) {
                    noteWait(task, "the route of robot \(robot) passes a held zone: \(holdReason(zone))", now: now)
                } else if isCandidate(robot, now: now) {
                    assign(task, to: robot, trip: trip, now: now)
                } else if waitReasons[task] == nil {
                    // A policy that names a robot it may not use must not leave the task silent.
                    noteWait(task, AllocationError.noRobotAvailable.description, now: now)
                }
            case .wait(let task, let error):
                noteWait(task, error.description, now: now)
            case .reject(let task, let error):
                guard tasks[task]?.state == .queued else { continue }
                update(task) { (t) throws(TaskLifecycleError) in
                    try t.fail(.noRobot, detail: error.description, at: now)
                }
                journal(.failed(task: task, robot: nil, reason: .noRobot, detail: error.description), at: now)
                release(task)
                publishStatus(task, at: now)
            }
        }
    }

    mutating func assign(_ id: TaskID, to robot: RobotID, trip: TripEstimate, now: FleetTime) {
        update(id) { (t) throws(TaskLifecycleError) in try t.assign(to: robot, at: now) }
        guard let task = tasks[id] else { return }
        busy[robot] = id
        waitReasons[id] = nil
        if let loss = lastLoss.removeValue(forKey: id) {
            journal(
                .reassigned(
                    task: id, from: loss.robot, to: robot, reason: loss.reason, etaPickSeconds: trip.toPick.time),
                at: now)
        } else {
            journal(.assigned(task: id, robot: robot, etaPickSeconds: trip.toPick.time), at: now)
        }
        let orderId = "\(id)#\(task.assignmentCount)"
        let plan = slowedForPresence(DispatchPlan(request: task.request, orderId: orderId, trip: trip, layout: layout))
        update(id) { (t) throws(TaskLifecycleError) in try t.dispatch(orderId: orderId, at: now) }
        inFlight[id] = InFlightDispatch(robot: robot, plan: plan)
        orderOwners[orderId] = id
        journal(.dispatched(task: id, robot: robot, attempt: 1, plan: plan), at: now)
        pending.append(.dispatch(robot, plan))
        publishStatus(id, at: now)
        armAcknowledgementTimer(id, attempt: 1, now: now)
        armStateTimer(robot, now: now)
    }

    mutating func armAcknowledgementTimer(_ id: TaskID, attempt: Int, now: FleetTime) {
        let due = now.adding(seconds: configuration.dispatchAcknowledgementTimeout)
        pending.append(.startTimer(.dispatchAcknowledgement(id, attempt: attempt), at: due))
    }

    mutating func armStateTimer(_ robot: RobotID, now: FleetTime) {
        guard stateTimerArmed.insert(robot).inserted else { return }
        let base = robots[robot]?.lastSeen ?? now
        pending.append(.startTimer(.robotStateTimeout(robot), at: base.adding(seconds: configuration.stateTimeout)))
    }
}
