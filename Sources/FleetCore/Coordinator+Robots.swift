extension Coordinator {
    mutating func observe(_ id: RobotID, _ observation: RobotObservation, now: FleetTime) {
        guard var robot = robots[id] else { return }
        let wasCandidate = isCandidate(id, now: now)
        recordChanges(id, from: robot.observation, to: observation, now: now)
        trackOccupancy(id, observation, now: now)
        trackProximity(id, observation, now: now)
        if staleReported.remove(id) != nil { journal(.connection(robot: id, state: .online), at: now) }
        robot.observation = observation
        robot.lastSeen = now
        robots[id] = robot
        armStateTimer(id, now: now)
        trackOrder(of: id, observation, now: now)
        releaseCharger(of: id, now: now)
        let candidate = isCandidate(id, now: now)
        if candidate != wasCandidate || (candidate && tasks.values.contains { $0.state == .queued }) {
            allocationDue = true
        }
        if busy[id] == nil, chargeHolds[id] == nil, robots[id]!.isIdle,
            observation.batteryPercent < configuration.chargeBelow
        {
            allocationDue = true
        }
        if reservations[id] != nil, robots[id]!.isIdle { allocationDue = true }
    }

    mutating func connection(_ id: RobotID, _ state: ConnectionState, now: FleetTime) {
        guard let robot = robots[id] else { return }
        if state != .online { endProximity(id, now: now) }
        if robot.connection != state {
            // A robot paused by a zone or site stop that comes back is told again (it may have missed or forgotten it).
            if state == .online, zoneControl.paused[id] != nil { sendPause(id, now: now) }
            robots[id]!.connection = state
            journal(.connection(robot: id, state: RobotLink(rawValue: state.rawValue)!), at: now)
        }
        if state != .online, let task = busy[id] {
            lose(task, reason: .robotOffline, detail: "robot \(id) connection \(state.rawValue)", now: now)
        }
        allocationDue = true
    }

    mutating func timerFired(_ timer: TimerID, now: FleetTime) {
        switch timer {
        case .robotStateTimeout(let id):
            stateTimerArmed.remove(id)
            guard let robot = robots[id] else { return }
            if let seen = robot.lastSeen, now.seconds(since: seen) < configuration.stateTimeout {
                armStateTimer(id, now: now)
                return
            }
            if robot.lastSeen != nil, staleReported.insert(id).inserted {
                journal(.connection(robot: id, state: .stale), at: now)
            }
            endProximity(id, now: now)
            if let task = busy[id] {
                let silence = robot.lastSeen.map { "\(now.seconds(since: $0)) s" } ?? "since the coordinator started"
                lose(task, reason: .robotStale, detail: "no state from robot \(id) for \(silence)", now: now)
            }
        case .allocation:
            allocationTimerFired(now: now)
        case .taskReady:
            allocationDue = true
        case .confirmationTimeout(let id):
            confirmationTimedOut(id, now: now)
        case .escalation(let id, let level):
            escalationDue(id, level: level, now: now)
        case .arrival(let id, let level):
            arrivalDue(id, level: level, now: now)
        case .dispatchAcknowledgement(let id, let attempt):
            if coalitions[id] != nil {
                coalitionAcknowledgementDue(id, attempt: attempt, now: now)
                return
            }
            guard tasks[id]?.state == .dispatched, var flight = inFlight[id], flight.sends == attempt else { return }
            if flight.sends < configuration.maxDispatchSends {
                flight.sends += 1
                inFlight[id] = flight
                journal(.dispatched(task: id, robot: flight.robot, attempt: flight.sends, plan: flight.plan), at: now)
                pending.append(.dispatch(flight.robot, flight.plan))
                armAcknowledgementTimer(id, attempt: flight.sends, now: now)
            } else {
                let detail =
                    "robot \(flight.robot) did not acknowledge order \(flight.plan.orderId) after \(flight.sends) sends"
                lose(id, reason: .dispatchTimeout, detail: detail, cancelOrder: true, now: now)
            }
        }
    }

    /// Journals what is worth keeping about a robot: mode, raised and cleared faults, safety stops (emergency stop
    /// and protective field violation, start and end), battery threshold crossings and charging changes, and
    /// position samples at the configured rate.
    mutating func recordChanges(_ id: RobotID, from old: RobotObservation?, to new: RobotObservation, now: FleetTime) {
        if old?.mode != new.mode { journal(.mode(robot: id, mode: new.mode), at: now) }
        let oldFaults = Set((old?.faults ?? []).map { FaultKey(type: $0.type, level: $0.level) })
        let newFaults = Set(new.faults.map { FaultKey(type: $0.type, level: $0.level) })
        for fault in new.faults where !oldFaults.contains(FaultKey(type: fault.type, level: fault.level)) {
            journal(
                .fault(robot: id, code: fault.type, level: fault.level, raised: true, detail: fault.description),
                at: now)
        }
        for fault in (old?.faults ?? []) where !newFaults.contains(FaultKey(type: fault.type, level: fault.level)) {
            journal(.fault(robot: id, code: fault.type, level: fault.level, raised: false, detail: ""), at: now)
        }
        let stops = [
            ("estop", old?.safety.eStop ?? false, new.safety.eStop),
            ("field_violation", old?.safety.fieldViolation ?? false, new.safety.fieldViolation),
        ]
        for (type, was, active) in stops where was != active {
            journal(.safetyStop(robot: id, type: type, active: active), at: now)
        }
        let thresholds = configuration.batteryThresholds
        func band(_ soc: Double) -> Int { thresholds.filter { soc >= $0 }.count }
        if old == nil || band(old!.batteryPercent) != band(new.batteryPercent) || old!.charging != new.charging {
            journal(.battery(robot: id, soc: new.batteryPercent, charging: new.charging), at: now)
        }
        if let interval = configuration.positionSampleInterval, let position = new.position, let map = new.mapId,
            lastPositionSample[id].map({ now.seconds(since: $0) >= interval }) ?? true
        {
            lastPositionSample[id] = now
            // The report's age on arrival: transport and queueing plus any offset between the robot's clock and
            // fleetd's (data quality, B1.20).
            let age = new.reportedAt.map { Double(now.milliseconds - $0.milliseconds) / 1000 }
            journal(
                .position(robot: id, x: position.x, y: position.y, map: map, node: new.lastNodeId, age: age), at: now)
        }
    }
}

/// Identity of a fault for raise/clear detection.
struct FaultKey: Hashable {
    var type: String
    var level: FaultLevel
}
