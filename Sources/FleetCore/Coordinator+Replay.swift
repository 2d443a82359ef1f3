/// A journal record that could not be applied during replay (the record is skipped, replay goes on).
public struct ReplayProblem: Sendable, Hashable, CustomStringConvertible {
    /// Position of the record in the replayed sequence.
    public var index: Int
    /// The record's kind.
    public var kind: String
    /// What was wrong.
    public var reason: String

    /// Creates a problem.
    public init(index: Int, kind: String, reason: String) {
        self.index = index
        self.kind = kind
        self.reason = reason
    }

    /// E.g. `record 12 (started): task 'T3' cannot go from queued to inProgress`.
    public var description: String { "record \(index) (\(kind)): \(reason)" }
}

extension Coordinator {
    /// Rebuilds tasks, assignments and in-flight orders from a journal written by an earlier run, through the
    /// same lifecycle checks as live handling. Robot records are not needed: robots re-register and report.
    ///
    /// Call on a fresh coordinator, register the robots, then call ``resume(now:)`` to re-arm timers.
    /// - Parameter records: the journal, in append order.
    /// - Returns: records that could not be applied (an empty array for a consistent journal).
    @discardableResult
    public mutating func replay(records: [JournalRecord]) -> [ReplayProblem] {
        var problems: [ReplayProblem] = []
        for (index, record) in records.enumerated() {
            do {
                try apply(record)
            } catch {
                problems.append(ReplayProblem(index: index, kind: record.event.kind, reason: "\(error)"))
            }
        }
        pending = []
        return problems
    }

    /// Carries on after ``replay(records:)``: publishes every task's status again (the journal is written before
    /// the status goes out, so a crash in between leaves a status topic behind the journal; readers take a repeated
    /// status as it is), re-arms acknowledgement and state timers for orders in flight,
    /// re-queues tasks that were assigned but never dispatched, tells robots paused for a zone or site stop to stay
    /// paused, allocates queued work, and re-arms the timers of open calls and alerts (their escalation chains go on
    /// where they stood).
    /// - Parameter now: the current time.
    /// - Returns: directives to perform, as from ``handle(_:now:)``.
    public mutating func resume(now: FleetTime) -> [Directive] {
        pending = []
        for id in tasks.keys.sorted() {
            publishStatus(id, at: tasks[id]?.history.last?.time ?? now)
        }
        for task in tasks(in: .assigned) {
            lose(task.id, reason: .coordinatorRestart, detail: "coordinator restarted before dispatch", now: now)
        }
        for (id, flight) in inFlight.sorted(by: { $0.key < $1.key }) {
            if tasks[id]?.state == .dispatched { armAcknowledgementTimer(id, attempt: flight.sends, now: now) }
            armStateTimer(flight.robot, now: now)
        }
        for (id, coalition) in coalitions.sorted(by: { $0.key < $1.key }) {
            armAcknowledgementTimer(id, attempt: 1, now: now)
            for robot in coalition.members { armStateTimer(robot, now: now) }
        }
        for task in tasks(in: .queued) {
            if let start = task.request.earliestStart, start > now {
                pending.append(.startTimer(.taskReady(task.id), at: start))
            }
        }
        for id in awaitingConfirmation.sorted() where confirmedBy[id] == nil {
            pending.append(
                .startTimer(.confirmationTimeout(id), at: now.adding(seconds: configuration.confirmationTimeout)))
        }
        resumeZones(now: now)
        allocate(now: now)
        resumeEscalations(now: now)
        return pending
    }

    private mutating func apply(_ record: JournalRecord) throws {
        let t = record.time
        func step(_ id: TaskID, _ body: (inout TransportTask) throws(TaskLifecycleError) -> Void) throws {
            guard var task = tasks[id] else { throw ReplayError("unknown task '\(id)'") }
            try body(&task)
            tasks[id] = task
        }
        switch record.event {
        case .created(let request):
            guard tasks[request.id] == nil else { throw ReplayError("task '\(request.id)' created twice") }
            var task = TransportTask(request: request, createdAt: t)
            try task.queue(at: t)
            tasks[request.id] = task
            if request.kind == .charge, let charger = request.charger {
                // The robot is known from the assignment that follows; keep the charger reserved meanwhile.
                pendingChargeReplay[request.id] = charger
            }
        case .assigned(let id, let robot, _), .reassigned(let id, _, let robot, _, _):
            try step(id) { (task) throws(TaskLifecycleError) in try task.assign(to: robot, at: t) }
            busy[robot] = id
            lastLoss[id] = nil
            if let charger = pendingChargeReplay.removeValue(forKey: id) { chargeHolds[robot] = charger }
        case .dispatched(let id, let robot, let attempt, let plan):
            if tasks[id]?.state == .assigned {
                try step(id) { (task) throws(TaskLifecycleError) in try task.dispatch(orderId: plan.orderId, at: t) }
            }
            if var coalition = coalitions[id] {
                let picked = plan.orderUpdateId > 0
                coalition.flights[robot] = InFlightDispatch(robot: robot, plan: plan, sends: attempt, picked: picked)
                if picked { coalition.phase = .moving }
                coalitions[id] = coalition
            } else {
                inFlight[id] = InFlightDispatch(
                    robot: robot, plan: plan, sends: attempt, picked: inFlight[id]?.picked ?? false)
            }
            orderOwners[plan.orderId] = id
        case .started(let id, _, _):
            try step(id) { (task) throws(TaskLifecycleError) in try task.start(at: t) }
        case .phase(let id, let robot, let phase):
            switch phase {
            case "picked": inFlight[id]?.picked = true
            case "coalition_member":
                let carry = tasks[id]?.request.kind == .cooperativeCarry
                if coalitions[id] == nil {
                    coalitions[id] = Coalition(phase: carry ? .gathering : .moving, flights: [:])
                }
                busy[robot] = id
            case "awaiting_confirmation", "handover_start": awaitingConfirmation.insert(id)
            case let name where name.hasPrefix("visited:"): inFlight[id]?.visited += 1
            default: break
            }
        case .humanAck(let id, let person, _):
            confirmedBy[id] = person
        case .call(let id, let resident, let station), .alert(let id, let resident, let station, _):
            guard escalations[id] == nil else { throw ReplayError("call or alert '\(id)' raised twice") }
            var detected: FleetTime?
            if case .alert(_, _, _, let time) = record.event { detected = time }
            escalations[id] = Escalation(
                task: id, alert: detected == nil ? .call : .fall, resident: resident, station: station, raisedAt: t,
                detectedAt: detected)
            openEscalations.insert(id)
        case .escalated(let id, let person, let level, _):
            guard var escalation = escalations[id] else { throw ReplayError("no call or alert '\(id)'") }
            escalation.level = level
            escalation.notified.append(person)
            escalation.stepStartedAt = t
            escalation.acknowledgedBy = nil
            escalation.acknowledgedAt = nil
            escalations[id] = escalation
        case .acknowledged(let id, let person, _):
            guard var escalation = escalations[id] else { throw ReplayError("no call or alert '\(id)'") }
            escalation.acknowledgedBy = person
            escalation.acknowledgedAt = t
            escalations[id] = escalation
        case .humanRejected(let id, let person, _):
            guard var escalation = escalations[id] else { throw ReplayError("no call or alert '\(id)'") }
            escalation.declined.insert(person)
            if escalation.acknowledgedBy == person {
                escalation.acknowledgedBy = nil
                escalation.acknowledgedAt = nil
            }
            escalations[id] = escalation
        case .humanArrived(let id, let person):
            guard escalations[id] != nil, escalations[id]?.arrived == nil else { break }
            escalations[id]?.arrived = person
            escalations[id]?.resolvedAt = t
            openEscalations.remove(id)
        case .completed(let id, _, _):
            try step(id) { (task) throws(TaskLifecycleError) in try task.complete(at: t) }
            release(id)
        case .failed(let id, _, let reason, let detail):
            try step(id) { (task) throws(TaskLifecycleError) in try task.fail(reason, detail: detail, at: t) }
            release(id)
        case .canceled(let id, let actor, let detail):
            try step(id) { (task) throws(TaskLifecycleError) in try task.cancel(actor, detail: detail, at: t) }
            release(id)
        case .requeued(let id, let robot, let reason, let detail):
            try step(id) { (task) throws(TaskLifecycleError) in try task.requeue(reason, detail: detail, at: t) }
            release(id)
            lastLoss[id] = (robot, reason)
        case .waiting(let id, let reason):
            waitReasons[id] = reason
        case .factsheet(let robot, let factsheet, _):
            factsheets[robot] = factsheet
            if robots[robot] != nil, let configured = configuredProfiles[robot] {
                robots[robot]!.profile = configured.narrowed(by: factsheet)
            }
        case .zonePresence, .zoneHold, .zoneRelease, .zoneSlowdown, .zoneClear, .emergencyStop, .emergencyStopRelease,
            .robotPause:
            replayZone(record.event)
        case .maintenance(let robot, let active, let actor, let reason):
            maintenance[robot] = active ? RobotMaintenance(actor: actor, reason: reason, since: t) : nil
        case .rejected, .connection, .mode, .fault, .battery, .position, .pause, .safetyStop, .nodeConflict,
            .clockJump, .humanProximity:
            break
        }
        if let id = record.event.task, openEscalations.contains(id), taskResolvesCall(id) {
            openEscalations.remove(id)
            escalations[id]?.resolvedAt = t
        }
    }
}

/// A journal that does not fit the lifecycle (e.g. a record for a task never created).
struct ReplayError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
