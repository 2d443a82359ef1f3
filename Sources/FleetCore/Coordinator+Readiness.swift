extension Coordinator {
    /// Prepares an allocation round and returns the queued tasks the allocation policy may consider now.
    ///
    /// Before the policy runs: robots low on battery are sent to free chargers, robots reserved for an emergency
    /// get it, emergencies no idle robot can serve take the best-placed busy robot, multi-robot tasks form their
    /// coalitions, and tasks whose dependencies failed fail. The returned queue leaves out what is not the policy's
    /// to decide: charge tasks, multi-robot tasks, reserved emergencies, tasks before their earliest start, tasks
    /// waiting for another task and tasks with work in a held zone (each of those gets its wait reason published).
    /// While the site is under an emergency stop nothing is assigned: every queued task waits with that reason.
    mutating func readyQueue(now: FleetTime) -> [TransportTask] {
        if let who = zoneControl.siteStop {
            for task in tasks.values.filter({ $0.state == .queued }).sorted(by: { $0.id < $1.id }) {
                noteWait(task.id, "assignment halted: site emergency stop by \(who)", now: now)
            }
            return []
        }
        manageCharging(now: now)
        honourReservations(now: now)
        var ready: [TransportTask] = []
        for task in tasks.values.filter({ $0.state == .queued }).sorted(by: { $0.id < $1.id }) {
            let request = task.request
            if request.kind == .charge || reservedTasks.contains(task.id) { continue }
            if let start = request.earliestStart, start > now {
                noteWait(task.id, "not before \(start)", now: now)
                continue
            }
            if let blocker = blockingDependency(of: request) {
                guard let dependency = tasks[blocker], dependency.state.isTerminal else {
                    noteWait(task.id, "waits for task '\(blocker)' to complete", now: now)
                    continue
                }
                let detail = "task '\(blocker)' it depends on ended \(dependency.state.rawValue)"
                update(task.id) { (t) throws(TaskLifecycleError) in try t.fail(.blocked, detail: detail, at: now) }
                journal(.failed(task: task.id, robot: nil, reason: .blocked, detail: detail), at: now)
                release(task.id)
                publishStatus(task.id, at: now)
                continue
            }
            if let zone = heldZone(among: task.workNodes(in: layout) ?? []) {
                noteWait(task.id, "waits for a held zone: \(holdReason(zone))", now: now)
                continue
            }
            if request.isMultiRobot { continue }
            ready.append(task)
        }
        formCoalitions(now: now)
        preemptForEmergencies(ready, now: now)
        return ready.filter { tasks[$0.id]?.state == .queued && !reservedTasks.contains($0.id) }
    }

    /// The first dependency of `request` that has not completed, or `nil`.
    func blockingDependency(of request: TaskRequest) -> TaskID? {
        request.after.first { tasks[$0]?.state != .completed }
    }

    /// Publishes a queued task's wait reason when it changed, and journals it (`waiting`) when its kind changed:
    /// the reason with its numbers left out, so a countdown such as `free in ~42 s` is not journaled every run.
    mutating func noteWait(_ id: TaskID, _ reason: String, now: FleetTime) {
        guard waitReasons[id] != reason else { return }
        let kind = { (text: String?) in text.map { String($0.filter { !$0.isNumber }) } }
        if kind(waitReasons[id]) != kind(reason) { journal(.waiting(task: id, reason: reason), at: now) }
        waitReasons[id] = reason
        publishStatus(id, reason: reason, at: now)
    }

    /// The route a robot takes from `start` through the request's work nodes, with its battery estimate.
    func plannedTrip(for request: TaskRequest, robot: RobotID, from start: NodeID) -> TripEstimate? {
        guard let work = request.workNodes(in: layout) else { return nil }
        return trip(through: work, robot: robot, from: start)
    }

    // MARK: Charging

    /// How many robots hold (are driving to, or charging at) charger `id`.
    func chargerOccupancy(_ id: String) -> Int { chargeHolds.values.filter { $0 == id }.count }

    /// Sends idle robots under ``CoordinatorConfiguration/chargeBelow`` to the nearest charger with a free place
    /// (a `charge` task the coordinator creates and assigns itself); a robot already charging at a free charger
    /// simply keeps it. A robot whose factsheet does not announce `startCharging` is never sent.
    mutating func manageCharging(now: FleetTime) {
        guard !layout.chargers.isEmpty else { return }
        for id in robots.keys.sorted() where busy[id] == nil && chargeHolds[id] == nil && maintenance[id] == nil {
            guard let robot = robots[id], let observation = robot.observation, robot.connection == .online,
                robot.isIdle, observation.batteryPercent < configuration.chargeBelow, !observation.hasFatalFault,
                robot.profile.canRun(.charge),
                observation.mode == .automatic || observation.mode == .semiautomatic,
                let seen = robot.lastSeen, now.seconds(since: seen) < configuration.stateTimeout,
                let start = robot.startNode(in: layout)
            else { continue }
            let free = layout.chargers.filter { chargerOccupancy($0.id) < $0.capacity }
            if observation.charging, let here = free.first(where: { $0.node == start }) {
                chargeHolds[id] = here.id
                continue
            }
            let mobility = robot.profile.mobility(in: layout)
            let reachable = free.compactMap { charger in
                router.travelTime(from: start, to: charger.node, for: mobility).map { (charger, $0) }
            }
            guard let (charger, _) = reachable.min(by: { ($0.1, $0.0.id) < ($1.1, $1.0.id) }) else { continue }
            let prefix = "charge-\(id.serialNumber)-"
            let round = tasks.keys.filter { $0.rawValue.hasPrefix(prefix) }.count + 1
            let request = TaskRequest(
                id: TaskID(prefix + "\(round)"), kind: .charge, charger: charger.id, priority: .high,
                requester: "coordinator")
            guard let trip = plannedTrip(for: request, robot: id, from: start) else { continue }
            var task = TransportTask(request: request, createdAt: now)
            try? task.queue(at: now)
            tasks[request.id] = task
            journal(.created(request), at: now)
            chargeHolds[id] = charger.id
            assign(request.id, to: id, trip: trip, now: now)
        }
    }

    /// Frees the charger of robots that charged up to ``CoordinatorConfiguration/chargeUntil`` or left it.
    mutating func releaseCharger(of id: RobotID, now: FleetTime) {
        guard let charger = chargeHolds[id], busy[id] == nil, let robot = robots[id],
            let observation = robot.observation
        else { return }
        let node = layout.chargers.first { $0.id == charger }?.node
        let left = robot.isIdle && robot.startNode(in: layout) != node
        if observation.batteryPercent >= configuration.chargeUntil || left || robot.connection != .online {
            chargeHolds[id] = nil
            allocationDue = true
        }
    }

    // MARK: Emergencies

    /// For each ready emergency task that no idle robot can serve, interrupts the best-placed busy robot: the
    /// one nearest to the emergency among robots with the capabilities whose task is neither an emergency nor
    /// carrying a picked load. Its order is cancelled (`cancelOrder`), its task goes back to the queue with the
    /// progress in the `requeued` record, and the robot is reserved for the emergency.
    mutating func preemptForEmergencies(_ ready: [TransportTask], now: FleetTime) {
        for task in ready where task.request.priority == .emergency && tasks[task.id]?.state == .queued {
            guard let stop = task.workNodes(in: layout)?.first else { continue }
            let request = task.request
            let idleCanServe = robots.keys.contains { id in
                isCandidate(id, now: now) && robots[id].map { canServe(request, profile: $0.profile) } == true
            }
            if idleCanServe { continue }
            // A robot held idle for a forming coalition is free to go: it serves the emergency first.
            let held = robots.keys.sorted().compactMap { id -> (RobotID, Double)? in
                guard let holder = reservations[id], tasks[holder]?.request.isMultiRobot == true,
                    isFreeHeld(id, now: now), let state = robots[id], canServe(request, profile: state.profile),
                    let from = state.startNode(in: layout),
                    let time = router.travelTime(from: from, to: stop, for: state.profile.mobility(in: layout))
                else { return nil }
                return (id, time)
            }
            if let (robot, _) = held.min(by: { $0.1 < $1.1 }),
                let start = robots[robot]?.startNode(in: layout),
                let trip = plannedTrip(for: request, robot: robot, from: start)
            {
                reservations[robot] = nil
                assign(task.id, to: robot, trip: trip, now: now)
                continue
            }
            var best: (robot: RobotID, victim: TaskID, time: Double)?
            for (robot, victim) in busy.sorted(by: { $0.key < $1.key }) {
                guard let state = robots[robot], let victimTask = tasks[victim], state.connection == .online,
                    victimTask.request.priority != .emergency, victimTask.request.kind != .charge,
                    !victimTask.request.isMultiRobot, inFlight[victim]?.picked != true,
                    !awaitingConfirmation.contains(victim), canServe(request, profile: state.profile),
                    !(state.observation?.hasFatalFault ?? true), reservations[robot] == nil,
                    let from = state.startNode(in: layout),
                    let time = router.travelTime(from: from, to: stop, for: state.profile.mobility(in: layout))
                else { continue }
                if best == nil || time < best!.time { best = (robot, victim, time) }
            }
            guard let best else { continue }
            let progress = inFlightProgress(best.victim)
            lose(
                best.victim, reason: .preempted,
                detail: "robot \(best.robot) taken for emergency task '\(task.id)'; \(progress)", cancelOrder: true,
                now: now)
            reservations[best.robot] = task.id
            reservedTasks.insert(task.id)
            noteWait(task.id, "robot \(best.robot) interrupted its task and comes", now: now)
        }
    }

    /// Assigns reserved emergencies to their robots once these stopped; drops reservations that no longer hold.
    mutating func honourReservations(now: FleetTime) {
        for (robot, id) in reservations.sorted(by: { $0.key < $1.key }) where tasks[id]?.request.isMultiRobot != true {
            guard tasks[id]?.state == .queued, let state = robots[robot], state.connection == .online else {
                reservations[robot] = nil
                reservedTasks.remove(id)
                continue
            }
            guard busy[robot] == nil, state.isIdle, let start = state.startNode(in: layout),
                let request = tasks[id]?.request, let trip = plannedTrip(for: request, robot: robot, from: start)
            else { continue }
            reservations[robot] = nil
            reservedTasks.remove(id)
            assign(id, to: robot, trip: trip, now: now)
        }
    }

    /// Whether a robot with `profile` has what `request` needs (capabilities, payload per robot), takes its kind
    /// and may enter the zones of its work nodes.
    func canServe(_ request: TaskRequest, profile: RobotProfile) -> Bool {
        guard profile.canCarry(request) else { return false }
        guard profile.allowedZones != nil || layout.zones.contains(where: { $0.kind == .restricted }) else {
            return profile.takes(request.kind)
        }
        return profile.permits(request.kind, in: layout.zones(of: request.workNodes(in: layout) ?? []))
    }

    /// E.g. `progress: 3 of 9 nodes passed, last node N12`.
    func inFlightProgress(_ id: TaskID) -> String {
        guard let flight = inFlight[id], let observation = robots[flight.robot]?.observation else {
            return "progress: not started"
        }
        let total = flight.plan.nodes.count
        let remaining =
            observation.order?.orderId == flight.plan.orderId
            ? observation.order!.remainingNodeCount : total
        let node = observation.lastNodeId.map { ", last node \($0)" } ?? ""
        return "progress: \(total - remaining) of \(total) nodes passed\(node)"
    }

    // MARK: Confirmations

    /// A person confirmed `id`: recorded (`human_ack`, with the operator who entered it if `actor` is given), and
    /// the task completes if its robot already waits.
    mutating func confirm(_ id: TaskID, person: String, actor: String? = nil, now: FleetTime) {
        guard let task = tasks[id], task.request.kind.needsConfirmation, !task.state.isTerminal else {
            let reason =
                tasks[id] == nil
                ? "unknown task '\(id)'"
                : tasks[id]!.state.isTerminal
                    ? "task '\(id)' is already \(tasks[id]!.state.rawValue)"
                    : "task '\(id)' (\(tasks[id]!.request.kind.rawValue)) needs no confirmation"
            journal(.rejected(task: id, detail: "confirmation by \(person) refused: " + reason), at: now)
            pending.append(.rejectRequest(task: id, reason: reason))
            return
        }
        if let expected = task.request.person, expected != person, !mayConfirmInPlace(id, person: person) {
            let reason = "task '\(id)' must be confirmed by \(expected), not \(person)"
            journal(.rejected(task: id, detail: "confirmation refused: " + reason), at: now)
            pending.append(.rejectRequest(task: id, reason: reason))
            return
        }
        guard confirmedBy[id] == nil else { return }
        confirmedBy[id] = person
        journal(.humanAck(task: id, person: person, actor: actor), at: now)
        if awaitingConfirmation.contains(id) { finishConfirmed(id, now: now) }
    }

    /// Whether `person` may confirm `id` in the place of the person it names: the robot's check of a resident's
    /// call may be confirmed by anyone but another resident (staff on scene, an operator entering it, someone
    /// fleetd's roster does not know yet, e.g. right after a restart).
    public func mayConfirmInPlace(_ id: TaskID, person: String) -> Bool {
        guard escalations[id]?.alert == .call else { return false }
        return people[PersonID(person)]?.profile.role != .resident
    }

    /// The robot finished its part at the meeting point: complete if the person already confirmed, else wait
    /// for them (the coordinator owns the timeout).
    mutating func robotWaitsForConfirmation(_ id: TaskID, robot: RobotID, now: FleetTime) {
        guard awaitingConfirmation.insert(id).inserted, let task = tasks[id] else { return }
        let phase = task.request.kind == .handover ? "handover_start" : "awaiting_confirmation"
        journal(.phase(task: id, robot: robot, phase: phase), at: now)
        if confirmedBy[id] != nil {
            finishConfirmed(id, now: now)
        } else {
            let due = now.adding(seconds: configuration.confirmationTimeout)
            pending.append(.startTimer(.confirmationTimeout(id), at: due))
        }
    }

    mutating func finishConfirmed(_ id: TaskID, now: FleetTime) {
        guard let task = tasks[id], task.state == .inProgress, let robot = task.robot else { return }
        if task.request.kind == .handover { journal(.phase(task: id, robot: robot, phase: "handover_end"), at: now) }
        let person = confirmedBy[id]
        update(id) { (t) throws(TaskLifecycleError) in try t.complete(at: now, detail: person) }
        journal(.completed(task: id, robot: robot, outcome: "ok"), at: now)
        release(id)
        publishStatus(id, at: now)
    }

    mutating func confirmationTimedOut(_ id: TaskID, now: FleetTime) {
        guard awaitingConfirmation.contains(id), let task = tasks[id], task.state == .inProgress else { return }
        let who = task.request.person ?? "a person"
        let detail = "no confirmation from \(who) within \(configuration.confirmationTimeout) s"
        update(id) { (t) throws(TaskLifecycleError) in try t.fail(.timeout, detail: detail, at: now) }
        journal(.failed(task: id, robot: task.robot, reason: .timeout, detail: detail), at: now)
        release(id)
        publishStatus(id, at: now)
    }

    // MARK: Recurring patrols

    /// Creates the next round of a recurring patrol that just ended: id `<base>-r<n>`, due `repeatEvery` seconds
    /// after this round's planned start (not before now).
    mutating func scheduleNextRound(after id: TaskID, now: FleetTime) {
        guard let task = tasks[id], let every = task.request.repeatEvery else { return }
        var base = id.rawValue
        var round = 1
        if let dash = base.lastIndex(of: "-"), base[dash...].hasPrefix("-r"),
            let n = Int(base[base.index(dash, offsetBy: 2)...])
        {
            base = String(base[..<dash])
            round = n
        }
        var next = task.request
        next.id = TaskID("\(base)-r\(round + 1)")
        guard tasks[next.id] == nil else { return }
        let planned = (task.request.earliestStart ?? task.createdAt).adding(seconds: every)
        next.earliestStart = max(planned, now)
        if let deadline = task.request.deadline { next.deadline = deadline.adding(seconds: every) }
        next.after = []
        accept(next, now: now)
    }
}

extension TaskRequest {
    /// Whether the task needs several robots at once (a cooperative carry, or a coverage split among robots).
    public var isMultiRobot: Bool { kind == .cooperativeCarry || (kind == .coverage && robots > 1) }
}
