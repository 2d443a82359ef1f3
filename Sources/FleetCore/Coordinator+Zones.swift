extension Coordinator {
    // MARK: What the API shows

    /// Every zone of the layout with its live state, in layout order.
    public var zoneStatuses: [ZoneStatus] {
        var byZone: [String: [RobotID]] = [:]
        for (robot, cause) in zoneControl.paused {
            if let zone = cause.zone { byZone[zone, default: []].append(robot) }
        }
        return layout.zones.map { zone in
            ZoneStatus(
                zone: zone, people: peopleInside(zone), presenceActive: zoneControl.occupants[zone.id] != nil,
                operatorHold: zoneControl.operatorHolds[zone.id], emergencyStop: zoneControl.stops[zone.id],
                pausedRobots: (byZone[zone.id] ?? []).sorted())
        }
    }

    /// The operator who stopped the whole site, `nil` when the site is not under an emergency stop.
    public var siteEmergencyStop: String? { zoneControl.siteStop }

    /// Robots the coordinator paused (zone holds, zone and site emergency stops), with the reason.
    public var pausedRobots: [RobotID: PauseCause] { zoneControl.paused }

    /// Why `command` by `actor` would change nothing or is not allowed (unknown zone, already held, nothing to
    /// release, a reserved actor name), or `nil` when the coordinator takes it.
    /// - Parameters:
    ///   - command: the command.
    ///   - actor: the operator's name (the API token's name).
    /// - Returns: a message a person can act on, or `nil`.
    public func zoneCommandRefusal(_ command: ZoneCommand, actor: String) -> String? {
        if actor.isEmpty { return "the operator's name is empty" }
        if actor == ZoneControl.presenceActor || actor == ZoneControl.coordinatorActor {
            return "the name '\(actor)' is reserved for the coordinator's own records"
        }
        if let id = command.zone, !layout.zones.contains(where: { $0.id == id }) {
            let known = layout.zones.map(\.id).joined(separator: ", ")
            return "unknown zone '\(id)' (zones of site \(layout.siteId): \(known.isEmpty ? "none" : known))"
        }
        let control = zoneControl
        switch command {
        case .hold(let zone):
            if let who = control.operatorHolds[zone] { return "zone '\(zone)' is already held by \(who)" }
        case .release(let zone):
            guard control.operatorHolds[zone] == nil, control.occupants[zone] == nil else { return nil }
            var reason = "zone '\(zone)' is not held (no operator hold, nobody reported inside)"
            if let who = control.stops[zone] {
                reason += "; it is under an emergency stop by \(who), released only by an emergency stop release"
            }
            return reason
        case .emergencyStop(let zone?):
            if let who = control.stops[zone] { return "zone '\(zone)' is already under an emergency stop by \(who)" }
        case .emergencyStop(nil):
            if let who = control.siteStop { return "the site is already under an emergency stop by \(who)" }
        case .releaseEmergencyStop(let zone?):
            if control.stops[zone] == nil { return "zone '\(zone)' is not under an emergency stop" }
        case .releaseEmergencyStop(nil):
            if control.siteStop == nil { return "the site is not under an emergency stop" }
        }
        return nil
    }

    // MARK: Operator commands

    /// Applies an operator's zone command (refused commands change nothing): journals `zone_hold`, `zone_release`,
    /// `estop` or `estop_release` with the actor and the robots paused or resumed, then pauses or resumes them.
    mutating func zoneCommand(_ command: ZoneCommand, actor: String, now: FleetTime) {
        guard zoneCommandRefusal(command, actor: actor) == nil else { return }
        switch command {
        case .hold(let zone):
            zoneControl.operatorHolds[zone] = actor
            let people = occupantCount(zone)
            applyZoneChange(pausing: true, now: now) {
                .zoneHold(zone: zone, actor: actor, people: people, robots: $0)
            }
        case .release(let zone):
            let held = zoneControl.operatorHolds.removeValue(forKey: zone) != nil
            let policy = layout.zones.first { $0.id == zone }?.presence
            let cleared = zoneControl.occupants.removeValue(forKey: zone) != nil
            if cleared { journal(.zonePresence(zone: zone, people: []), at: now) }
            if held || (cleared && policy == .hold) {
                applyZoneChange(pausing: false, now: now) {
                    .zoneRelease(zone: zone, actor: actor, people: 0, robots: $0)
                }
            }
            if cleared, case .slowdown = policy {
                journal(.zoneClear(zone: zone, actor: actor, people: 0, robots: []), at: now)
            }
        case .emergencyStop(let zone):
            if let zone { zoneControl.stops[zone] = actor } else { zoneControl.siteStop = actor }
            applyZoneChange(pausing: true, now: now) { .emergencyStop(zone: zone, actor: actor, robots: $0) }
        case .releaseEmergencyStop(let zone):
            if let zone { zoneControl.stops[zone] = nil } else { zoneControl.siteStop = nil }
            applyZoneChange(pausing: false, now: now) { .emergencyStopRelease(zone: zone, actor: actor, robots: $0) }
        }
        allocationDue = true
    }

    // MARK: People's presence

    /// Updates which zones with a presence policy `id` is in (present people only) and journals `zone_presence`
    /// for each zone whose people changed; a zone's first person starts its policy (`zone_hold` or
    /// `zone_slowdown` by `presence`), its last person leaving ends it (`zone_release` or `zone_clear`).
    mutating func updateOccupancy(of id: PersonID, now: FleetTime) {
        guard let person = people[id] else { return }
        let node = person.present ? person.location?.node(in: layout).flatMap { layout.node($0) } : nil
        for zone in layout.zones where zone.presence != nil {
            let inside = node.map { zone.contains($0) } ?? false
            var set = zoneControl.occupants[zone.id] ?? []
            let changed = inside ? set.insert(id).inserted : set.remove(id) != nil
            guard changed else { continue }
            zoneControl.occupants[zone.id] = set.isEmpty ? nil : set
            journal(.zonePresence(zone: zone.id, people: set.sorted()), at: now)
            // The policy starts with the first person in and ends with the last one out.
            guard set.count == (inside ? 1 : 0) else { continue }
            let active = inside
            let actor = ZoneControl.presenceActor
            switch zone.presence {
            case .hold:
                applyZoneChange(pausing: active, now: now) {
                    active
                        ? .zoneHold(zone: zone.id, actor: actor, people: set.count, robots: $0)
                        : .zoneRelease(zone: zone.id, actor: actor, people: set.count, robots: $0)
                }
                allocationDue = true
            case .slowdown(let speed):
                let affected = robots.keys.sorted().filter { robot in
                    nodesAhead(of: robot).contains { layout.node($0).map(zone.contains) ?? false }
                }
                journal(
                    active
                        ? .zoneSlowdown(zone: zone.id, actor: actor, people: set.count, speed: speed, robots: affected)
                        : .zoneClear(zone: zone.id, actor: actor, people: set.count, robots: affected),
                    at: now)
            case nil:
                break
            }
        }
    }

    // MARK: Pauses

    /// After a zone change: brings every robot's pause in line, journals the zone's record with the robots the
    /// change paused (`pausing`) or resumed, and individual `robot_paused`/`robot_resumed` records for any robot
    /// that went the other way; then sends the pauses and resumptions.
    mutating func applyZoneChange(pausing: Bool, now: FleetTime, _ record: ([RobotID]) -> JournalEvent) {
        let (paused, resumed) = reconcilePauses(robots.keys.sorted())
        journal(record(pausing ? paused : resumed), at: now)
        journalIndividually(paused: pausing ? [] : paused, resumed: pausing ? resumed : [], now: now)
        sendPauses(paused: paused, resumed: resumed, now: now)
        if !resumed.isEmpty { allocationDue = true }
    }

    /// Reviews pauses at the end of an event while anything is held, stopped or paused: the robot the event is
    /// about (every robot for other events) and every robot just sent an order; zone changes review themselves.
    /// A paused robot that reports itself not paused long after its `startPause` is told again.
    mutating func reviewPauses(after event: FleetEvent, now: FleetTime) {
        var ids: [RobotID]
        switch event {
        case .robotObserved(let id, _), .robotRegistered(let id, _), .robotConnection(let id, _): ids = [id]
        case .personPresence, .zoneCommand: ids = []
        default: ids = robots.keys.sorted()
        }
        for case .dispatch(let robot, _) in pending where !ids.contains(robot) { ids.append(robot) }
        guard !ids.isEmpty else { return }
        let (paused, resumed) = reconcilePauses(ids)
        journalIndividually(paused: paused, resumed: resumed, now: now)
        sendPauses(paused: paused, resumed: resumed, now: now)
        if case .robotObserved(let id, let observation) = event, !paused.contains(id) {
            repeatPauseIfIgnored(id, observation, now: now)
        }
        if !resumed.isEmpty { allocationDue = true }
    }

    /// Sets each robot's pause to what the zones ask for; returns the robots newly paused and newly resumed.
    mutating func reconcilePauses(_ ids: [RobotID]) -> (paused: [RobotID], resumed: [RobotID]) {
        var paused: [RobotID] = []
        var resumed: [RobotID] = []
        for id in ids {
            let want = pauseCause(for: id)
            let have = zoneControl.paused[id]
            guard want != have else { continue }
            zoneControl.paused[id] = want
            if have == nil { paused.append(id) } else if want == nil { resumed.append(id) }
        }
        return (paused, resumed)
    }

    /// Why robot `id` must be paused now, or `nil`: the site's emergency stop; a zone emergency stop it was paused
    /// for (it stays paused until the stop is released); else the first held zone (in layout order) it is in or
    /// its released route still enters.
    func pauseCause(for id: RobotID) -> PauseCause? {
        guard robots[id] != nil else { return nil }
        if zoneControl.siteStop != nil { return .site }
        if let current = zoneControl.paused[id], let zone = current.zone, zoneControl.stops[zone] != nil {
            return current
        }
        let held = layout.zones.filter(isHeld)
        guard !held.isEmpty else { return nil }
        let ahead = nodesAhead(of: id).compactMap { layout.node($0) }
        return held.first { zone in ahead.contains(where: zone.contains) }.map { .zone($0.id) }
    }

    /// Whether robots must not drive in `zone`: stopped, held by an operator, or a `hold` zone with people in it.
    func isHeld(_ zone: Zone) -> Bool {
        zoneControl.stops[zone.id] != nil || zoneControl.operatorHolds[zone.id] != nil
            || (zone.presence == .hold && zoneControl.occupants[zone.id] != nil)
    }

    /// The node the robot is at and the nodes of its released order it has not passed yet.
    func nodesAhead(of id: RobotID) -> [NodeID] {
        guard let state = robots[id] else { return [] }
        var nodes = state.startNode(in: layout).map { [$0] } ?? []
        guard let task = busy[id] else { return nodes }
        let flight = coalitions[task]?.flights[id] ?? inFlight[task].flatMap { $0.robot == id ? $0 : nil }
        guard let plan = flight?.plan else { return nodes }
        var passed = -1
        if let order = state.observation?.order, order.orderId == plan.orderId { passed = order.lastNodeSequenceId }
        nodes += plan.nodes.lazy.filter { $0.sequenceId > passed }.map(\.nodeId)
        return nodes
    }

    mutating func journalIndividually(paused: [RobotID], resumed: [RobotID], now: FleetTime) {
        for id in paused {
            let cause = zoneControl.paused[id]
            journal(.robotPause(robot: id, paused: true, zone: cause?.zone, actor: actor(of: cause)), at: now)
        }
        for id in resumed {
            journal(.robotPause(robot: id, paused: false, zone: nil, actor: ZoneControl.coordinatorActor), at: now)
        }
    }

    mutating func sendPauses(paused: [RobotID], resumed: [RobotID], now: FleetTime) {
        for id in paused { sendPause(id, now: now) }
        for id in resumed {
            zoneControl.pauseSent[id] = nil
            pending.append(.setPaused(id, false))
        }
    }

    /// Sends `startPause` and notes when.
    mutating func sendPause(_ id: RobotID, now: FleetTime) {
        zoneControl.pauseSent[id] = now
        pending.append(.setPaused(id, true))
    }

    /// A robot the coordinator paused that still reports itself not paused
    /// ``CoordinatorConfiguration/dispatchAcknowledgementTimeout`` after the last `startPause` (instant actions go
    /// with QoS 0 and may be lost) is sent `startPause` again.
    mutating func repeatPauseIfIgnored(_ id: RobotID, _ observation: RobotObservation, now: FleetTime) {
        guard zoneControl.paused[id] != nil, !observation.paused else { return }
        if let sent = zoneControl.pauseSent[id], now.seconds(since: sent) < configuration.dispatchAcknowledgementTimeout
        {
            return
        }
        sendPause(id, now: now)
    }

    /// Who is behind a pause: the stopping or holding operator, or `presence`.
    func actor(of cause: PauseCause?) -> String {
        switch cause {
        case .site: return zoneControl.siteStop ?? ZoneControl.coordinatorActor
        case .zone(let zone):
            return zoneControl.stops[zone] ?? zoneControl.operatorHolds[zone] ?? ZoneControl.presenceActor
        case nil: return ZoneControl.coordinatorActor
        }
    }

    // MARK: Assignment

    /// The first held zone (layout order) containing one of `nodes`, or `nil`.
    func heldZone(among nodes: [NodeID]) -> Zone? {
        guard !zoneControl.isQuiet else { return nil }
        let held = layout.zones.filter(isHeld)
        guard !held.isEmpty else { return nil }
        let places = nodes.compactMap { layout.node($0) }
        return held.first { zone in places.contains(where: zone.contains) }
    }

    /// E.g. `zone 'CELLS' is held by the presence of 2 people` or `... is under an emergency stop by alice`.
    func holdReason(_ zone: Zone) -> String {
        if let who = zoneControl.stops[zone.id] { return "zone '\(zone.id)' is under an emergency stop by \(who)" }
        if let who = zoneControl.operatorHolds[zone.id] { return "zone '\(zone.id)' is held by operator \(who)" }
        let count = occupantCount(zone.id)
        return "zone '\(zone.id)' is held by the presence of \(count) \(count == 1 ? "person" : "people")"
    }

    /// `plan` with every edge that has an end inside a `slowdown` zone with people in it limited to the zone's
    /// presence speed (orders issued or updated while people are there).
    func slowedForPresence(_ plan: DispatchPlan) -> DispatchPlan {
        guard !zoneControl.occupants.isEmpty else { return plan }
        let slow = layout.zones.compactMap { zone -> (Zone, Double)? in
            guard zoneControl.occupants[zone.id] != nil, case .slowdown(let speed) = zone.presence else {
                return nil
            }
            return (zone, speed)
        }
        guard !slow.isEmpty else { return plan }
        var plan = plan
        for i in plan.edges.indices {
            guard let a = layout.node(plan.edges[i].startNodeId), let b = layout.node(plan.edges[i].endNodeId) else {
                continue
            }
            for (zone, speed) in slow where zone.contains(a) || zone.contains(b) {
                plan.edges[i].maxSpeed = min(plan.edges[i].maxSpeed ?? speed, speed)
            }
        }
        return plan
    }

    // MARK: Helpers

    func occupantCount(_ zone: String) -> Int { zoneControl.occupants[zone]?.count ?? 0 }

    /// The people inside `zone`: the tracked occupants of a zone with a presence policy, else the present people
    /// whose location lies in it.
    func peopleInside(_ zone: Zone) -> [PersonID] {
        if zone.presence != nil { return (zoneControl.occupants[zone.id] ?? []).sorted() }
        return people.values.filter { person in
            person.present
                && (person.location?.node(in: layout).flatMap { layout.node($0) }.map(zone.contains) ?? false)
        }.map(\.id).sorted()
    }

    // MARK: Replay

    /// Applies a zone record during replay: people from `zone_presence` (which decide presence holds and slowdowns),
    /// operator holds, stops, and the paused robots.
    mutating func replayZone(_ event: JournalEvent) {
        let presence = ZoneControl.presenceActor
        switch event {
        case .zonePresence(let zone, let people):
            zoneControl.occupants[zone] = people.isEmpty ? nil : Set(people)
        case .zoneHold(let zone, let actor, _, let robots):
            if actor != presence { zoneControl.operatorHolds[zone] = actor }
            for robot in robots { zoneControl.paused[robot] = .zone(zone) }
        case .zoneRelease(let zone, let actor, _, let robots):
            if actor != presence { zoneControl.operatorHolds[zone] = nil }
            for robot in robots { zoneControl.paused[robot] = nil }
        case .zoneSlowdown, .zoneClear:
            break  // the slowdown follows the zone's people, restored from `zone_presence`
        case .emergencyStop(let zone, let actor, let robots):
            if let zone { zoneControl.stops[zone] = actor } else { zoneControl.siteStop = actor }
            let cause = zone.map { PauseCause.zone($0) } ?? .site
            for robot in robots { zoneControl.paused[robot] = cause }
        case .emergencyStopRelease(let zone, _, let robots):
            if let zone { zoneControl.stops[zone] = nil } else { zoneControl.siteStop = nil }
            for robot in robots { zoneControl.paused[robot] = nil }
        case .robotPause(let robot, let paused, let zone, _):
            zoneControl.paused[robot] = paused ? (zone.map { PauseCause.zone($0) } ?? .site) : nil
        default:
            break
        }
    }

    /// After replay: tells every robot the coordinator had paused to stay paused (it may have restarted too), then
    /// reviews every robot's pause against the restored zones.
    mutating func resumeZones(now: FleetTime) {
        for id in zoneControl.paused.keys.sorted() { sendPause(id, now: now) }
        guard !zoneControl.isQuiet else { return }
        let (paused, resumed) = reconcilePauses(robots.keys.sorted())
        journalIndividually(paused: paused, resumed: resumed, now: now)
        sendPauses(paused: paused, resumed: resumed, now: now)
    }
}
