extension Coordinator {
    // MARK: The roster

    mutating func registerPerson(_ id: PersonID, profile: PersonProfile) {
        if people[id] == nil {
            people[id] = PersonState(id: id, profile: profile)
        } else {
            people[id]!.profile = profile
        }
    }

    /// A presence report: present or not and, if given, the new location. Reports for people not on the roster
    /// are ignored (the roster comes from the scenario or the site's configuration).
    mutating func presence(_ id: PersonID, present: Bool, location: PersonLocation?, now: FleetTime) {
        guard var person = people[id] else { return }
        person.present = present
        if let location { person.location = location }
        person.lastSeen = now
        people[id] = person
        updateOccupancy(of: id, now: now)
    }

    // MARK: Calls and alerts

    /// A resident's call becomes an `assist` task to the call's station (priority high, requester
    /// `call:<resident>`, confirmed by the resident: the robot's check settles the call when the resident confirms
    /// it) with the chain at level 0 and its resolution timer; a fall alert becomes an `emergency`
    /// task (requester `fall:<resident>`) and is escalated to a person at once.
    mutating func raise(
        _ id: TaskID, alert: AlertKind, resident: PersonID, station: StationID, detectedAt: FleetTime?,
        now: FleetTime
    ) {
        let what = alert == .call ? "call" : "fall alert"
        var problem: String?
        if id.rawValue.isEmpty {
            problem = "\(what) id is empty"
        } else if tasks[id] != nil || escalations[id] != nil {
            problem = "task '\(id)' already exists"
        } else if layout.station(station) == nil {
            problem = "unknown station '\(station)'"
        }
        if let problem {
            journal(.rejected(task: id, detail: "\(what) refused: \(problem)"), at: now)
            pending.append(.rejectRequest(task: id, reason: problem))
            return
        }
        let request: TaskRequest
        switch alert {
        case .call:
            journal(.call(task: id, resident: resident, station: station), at: now)
            request = TaskRequest(
                id: id, kind: .assist, stops: [station], person: resident.rawValue, priority: .high,
                requester: "call:\(resident)")
        case .fall:
            journal(.alert(task: id, resident: resident, station: station, detectedAt: detectedAt ?? now), at: now)
            request = TaskRequest(
                id: id, kind: .emergency, stops: [station], priority: .emergency, requester: "fall:\(resident)")
        }
        escalations[id] = Escalation(
            task: id, alert: alert, resident: resident, station: station, raisedAt: now, detectedAt: detectedAt)
        openEscalations.insert(id)
        accept(request, now: now)
        switch alert {
        case .call:
            let due = now.adding(seconds: configuration.callResolutionTimeout)
            pending.append(.startTimer(.escalation(id, level: 0), at: due))
        case .fall:
            escalate(id, reason: .fallAlert, now: now)
        }
    }

    // MARK: People's answers

    /// A person acknowledged a call or alert (`human_ack` with the level): the chain waits for them to arrive,
    /// for at most ``CoordinatorConfiguration/arrivalTimeout``. Later acknowledgements of the same step add nothing.
    mutating func acknowledge(_ id: TaskID, person: PersonID, now: FleetTime) {
        guard var escalation = openEscalation(id, person: person, answer: "acknowledgement", now: now),
            escalation.acknowledgedBy == nil
        else { return }
        escalation.acknowledgedBy = person
        escalation.acknowledgedAt = now
        escalations[id] = escalation
        journal(.acknowledged(task: id, person: person, level: escalation.level), at: now)
        if let limit = configuration.arrivalTimeout {
            pending.append(.startTimer(.arrival(id, level: escalation.level), at: now.adding(seconds: limit)))
        }
    }

    /// A person declined a call or alert (`human_rejected`): they are skipped from now on, and if the chain was
    /// waiting for them, it moves on at once. The resident who called declining the robot's check means the
    /// robot cannot settle it: the call goes to a person at once (`escalated`, reason `needs_person`).
    mutating func decline(_ id: TaskID, person: PersonID, now: FleetTime) {
        if let call = escalations[id], call.alert == .call, call.resident == person {
            guard !call.isResolved else {
                refuse(id, "rejection by \(person) refused: ", "the call '\(id)' is already resolved", now: now)
                return
            }
            if !call.reachedPerson { escalate(id, reason: .needsPerson, now: now) }
            return
        }
        guard var escalation = openEscalation(id, person: person, answer: "rejection", now: now) else { return }
        escalation.declined.insert(person)
        let withdrawn = escalation.acknowledgedBy == person
        if withdrawn {
            escalation.acknowledgedBy = nil
            escalation.acknowledgedAt = nil
        }
        escalations[id] = escalation
        journal(.humanRejected(task: id, person: person, level: escalation.level), at: now)
        if withdrawn || (escalation.acknowledgedBy == nil && escalation.current == person) {
            escalate(id, reason: .rejected, now: now)
        }
    }

    /// A person arrived on scene (`human_arrived`, the first arrival only): a call or alert is resolved, and the
    /// robot's part with it (confirmed if the robot waits there, cancelled if it has not arrived yet).
    mutating func arrive(_ id: TaskID, person: PersonID, now: FleetTime) {
        guard let task = tasks[id] else {
            refuse(id, "arrival of \(person) refused: ", "unknown task '\(id)'", now: now)
            return
        }
        guard let role = people[person]?.profile.role ?? (person == configuration.nurseStation ? .nurse : nil) else {
            refuse(id, "arrival refused: ", "unknown person '\(person)'", now: now)
            return
        }
        guard role != .resident else {
            refuse(id, "arrival refused: ", "\(person) is a resident", now: now)
            return
        }
        guard var escalation = escalations[id] else {
            guard !task.state.isTerminal else {
                refuse(id, "arrival of \(person) refused: ", "task '\(id)' is already \(task.state.rawValue)", now: now)
                return
            }
            journal(.humanArrived(task: id, person: person), at: now)
            return
        }
        guard escalation.arrived == nil else { return }
        escalation.arrived = person
        escalations[id] = escalation
        journal(.humanArrived(task: id, person: person), at: now)
        resolve(id, by: person, now: now)
    }

    /// The open call or alert `id` if `person` may answer it; otherwise the answer is refused (journaled as
    /// `rejected`, and ``Directive/rejectRequest(task:reason:)``) and the result is `nil`.
    mutating func openEscalation(_ id: TaskID, person: PersonID, answer: String, now: FleetTime) -> Escalation? {
        let prefix = "\(answer) by \(person) refused: "
        guard let escalation = escalations[id] else {
            refuse(id, prefix, tasks[id] == nil ? "unknown task '\(id)'" : "task '\(id)' is no call or alert", now: now)
            return nil
        }
        guard !escalation.isResolved else {
            refuse(id, prefix, "the \(escalation.alert.rawValue) '\(id)' is already resolved", now: now)
            return nil
        }
        guard let role = people[person]?.profile.role ?? (person == configuration.nurseStation ? .nurse : nil) else {
            refuse(id, prefix, "unknown person '\(person)'", now: now)
            return nil
        }
        guard role != .resident else {
            refuse(id, prefix, "\(person) is a resident", now: now)
            return nil
        }
        return escalation
    }

    mutating func refuse(_ id: TaskID, _ prefix: String, _ reason: String, now: FleetTime) {
        journal(.rejected(task: id, detail: prefix + reason), at: now)
        pending.append(.rejectRequest(task: id, reason: reason))
    }
}
