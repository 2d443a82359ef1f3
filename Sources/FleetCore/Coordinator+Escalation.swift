extension Coordinator {
    /// Who a call or alert goes to, in order: present, on-shift caregivers nearest to the station first (by the
    /// walk along the site graph; people whose location is unknown last, then by id), the same for nurses, and
    /// last ``CoordinatorConfiguration/nurseStation``. People who declined are left out.
    /// - Parameters:
    ///   - escalation: the call or alert.
    ///   - now: the current time (shifts and presence are judged at it).
    /// - Returns: the chain; never empty (the nurse station ends it).
    public func escalationChain(for escalation: Escalation, now: FleetTime) -> [PersonID] {
        let target = layout.station(escalation.station)?.node
        func ranked(_ role: PersonRole) -> [PersonID] {
            people.values
                .filter {
                    $0.profile.role == role && $0.isReachable(at: now) && !escalation.declined.contains($0.id)
                        && $0.id != configuration.nurseStation
                }
                .map { ($0.id, walk(from: $0.location, to: target)) }
                .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
                .map(\.0)
        }
        return ranked(.caregiver) + ranked(.nurse) + [configuration.nurseStation]
    }

    /// Metres from a person's location to `node` along the site graph; infinity when unknown.
    func walk(from location: PersonLocation?, to node: NodeID?) -> Double {
        guard let node, let start = location?.node(in: layout) else { return .infinity }
        return router.route(from: start, to: node, robotMaxSpeed: 1)?.distance ?? .infinity
    }

    /// Notifies the next person of the chain (``escalationChain(for:now:)``) about the open call or alert `id`:
    /// journals `escalated`, sends ``Directive/notifyPerson(_:_:)`` and starts the acknowledgement timer. The next
    /// person is the first of the chain not yet notified in this round; after the nurse station the chain goes
    /// round again, so a call is never left waiting without someone being asked.
    mutating func escalate(_ id: TaskID, reason: EscalationReason, now: FleetTime) {
        guard openEscalations.contains(id), var escalation = escalations[id] else { return }
        let chain = escalationChain(for: escalation, now: now)
        let roundStart = escalation.notified.lastIndex(of: configuration.nurseStation).map { $0 + 1 } ?? 0
        let asked = Set(escalation.notified[roundStart...])
        let person = chain.first { !asked.contains($0) } ?? configuration.nurseStation
        escalation.level += 1
        escalation.notified.append(person)
        escalation.stepStartedAt = now
        escalation.acknowledgedBy = nil
        escalation.acknowledgedAt = nil
        escalations[id] = escalation
        journal(.escalated(task: id, person: person, level: escalation.level, reason: reason), at: now)
        let notification = PersonNotification(
            task: id, alert: escalation.alert, resident: escalation.resident, station: escalation.station,
            level: escalation.level, reason: reason)
        pending.append(.notifyPerson(person, notification))
        let due = now.adding(seconds: configuration.acknowledgementTimeout)
        pending.append(.startTimer(.escalation(id, level: escalation.level), at: due))
    }

    /// The call or alert is resolved; the chain stops. When a person on scene resolved it, the robot's part ends
    /// too: confirmed by them if the robot already waits there, else cancelled (the robot is not needed).
    mutating func resolve(_ id: TaskID, by person: PersonID?, now: FleetTime) {
        guard openEscalations.remove(id) != nil else { return }
        escalations[id]?.resolvedAt = now
        guard let person, let task = tasks[id], !task.state.isTerminal else { return }
        if awaitingConfirmation.contains(id), task.request.kind.needsConfirmation, confirmedBy[id] == nil {
            confirm(id, person: person.rawValue, now: now)
        } else if !awaitingConfirmation.contains(id) {
            cancel(id, reason: .system, detail: "\(person) is on scene before a robot arrived", now: now)
        }
    }

    /// Whether the robot's task resolved call `id`: completed (assist done and confirmed), confirmed by a person,
    /// or withdrawn by the resident or an operator.
    func taskResolvesCall(_ id: TaskID) -> Bool {
        guard escalations[id]?.alert == .call, let task = tasks[id] else { return false }
        if task.state == .completed || confirmedBy[id] != nil { return true }
        if task.state == .cancelled, let actor = task.history.last?.reason {
            return actor != CancellationReason.system.rawValue
        }
        return false
    }

    /// After every event: resolves calls whose task resolved them, and escalates calls still with the robot
    /// whose task ended without resolving them, or that no robot is available to check.
    mutating func reviewEscalations(now: FleetTime) {
        for id in openEscalations.sorted() {
            guard let escalation = escalations[id], let task = tasks[id] else { continue }
            if taskResolvesCall(id) {
                resolve(id, by: nil, now: now)
                continue
            }
            guard !escalation.reachedPerson else { continue }
            switch task.state {
            case .failed:
                let reason: EscalationReason =
                    switch task.history.last?.reason {
                    case FailureReason.actionFailed.rawValue: .needsPerson
                    case FailureReason.noRobot.rawValue: .noRobot
                    default: .robotFailed
                    }
                escalate(id, reason: reason, now: now)
            case .cancelled:
                escalate(id, reason: .robotFailed, now: now)
            case .queued where !robotCanCome(for: task.request, now: now):
                escalate(id, reason: .noRobot, now: now)
            default:
                break
            }
        }
    }

    /// Whether any robot that could serve `request` is available (online, fresh, automatic, charged enough),
    /// busy or not.
    func robotCanCome(for request: TaskRequest, now: FleetTime) -> Bool {
        robots.values.contains { robot in
            robot.isAvailable(
                now: now, stateTimeout: configuration.stateTimeout, minimumBattery: configuration.minimumBatteryForWork)
                && canServe(request, profile: robot.profile)
        }
    }

    /// ``TimerID/escalation(_:level:)`` ran out: the call is not resolved (level 0) or the person notified did
    /// not acknowledge; the chain moves on unless the step was acknowledged or has already moved on.
    mutating func escalationDue(_ id: TaskID, level: Int, now: FleetTime) {
        guard openEscalations.contains(id), let escalation = escalations[id], escalation.level == level,
            escalation.acknowledgedBy == nil
        else { return }
        escalate(id, reason: level == 0 ? .notResolved : .noAcknowledgement, now: now)
    }

    /// ``TimerID/arrival(_:level:)`` ran out: the person who acknowledged is not on scene; the next one is asked.
    mutating func arrivalDue(_ id: TaskID, level: Int, now: FleetTime) {
        guard openEscalations.contains(id), let escalation = escalations[id], escalation.level == level,
            escalation.arrived == nil, let acknowledged = escalation.acknowledgedAt,
            let limit = configuration.arrivalTimeout, now.seconds(since: acknowledged) >= limit
        else { return }
        escalate(id, reason: .notArrived, now: now)
    }

    /// After a restart: re-arms the timer of every open call and alert for what is left of its current step (a
    /// step already over fires at once), and escalates what the previous run left without a person.
    mutating func resumeEscalations(now: FleetTime) {
        for id in openEscalations.sorted() {
            guard let escalation = escalations[id] else { continue }
            if escalation.alert == .fall, escalation.level == 0, escalation.acknowledgedBy == nil {
                escalate(id, reason: .fallAlert, now: now)
            } else if let acknowledged = escalation.acknowledgedAt {
                if let limit = configuration.arrivalTimeout {
                    let due = max(acknowledged.adding(seconds: limit), now)
                    pending.append(.startTimer(.arrival(id, level: escalation.level), at: due))
                }
            } else {
                let wait =
                    escalation.level == 0 ? configuration.callResolutionTimeout : configuration.acknowledgementTimeout
                let due = max(escalation.stepStartedAt.adding(seconds: wait), now)
                pending.append(.startTimer(.escalation(id, level: escalation.level), at: due))
            }
        }
        reviewEscalations(now: now)
    }
}
