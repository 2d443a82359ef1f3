import FleetCore
import Foundation
import VDA5050

extension SimVehicle {
    /// The longest internal integration step, in simulated seconds.
    static let maxStep = 0.05

    /// Advances the vehicle by `dt` simulated seconds ending at `now`: actions, driving, battery and charging.
    public mutating func advance(by dt: Double, now: FleetTime) {
        var remaining = dt
        while remaining > 1e-9 {
            let h = min(remaining, Self.maxStep)
            step(h)
            remaining -= h
        }
    }

    private mutating func step(_ h: Double) {
        guard !brokenDown else {
            speed = 0
            return
        }
        runActions(h)
        let wasDriving = driving
        if !paused, canDrive, let edge = edges.first, edge.released, nodes.first?.released == true {
            drive(h)
        } else {
            speed = 0
        }
        if wasDriving != driving { outbox.state = true }
        if !cancelActionIds.isEmpty, nodes.isEmpty, edges.isEmpty, running == nil, actionQueue.isEmpty {
            for cancel in cancelActionIds { setStatus(cancel, .finished) }
            cancelActionIds = []
        }
        updateCharging(h)
    }

    /// Driving is blocked by queued node actions and by running HARD or SOFT actions.
    private var canDrive: Bool {
        actionQueue.isEmpty && (running == nil || running!.action.blockingType == .none)
    }

    private mutating func runActions(_ h: Double) {
        var budget = h
        while true {
            if var current = running {
                current.remaining -= budget
                if current.remaining > 1e-9 {
                    running = current
                    return
                }
                budget = -current.remaining
                finish(current.action)
                running = nil
            }
            guard !actionQueue.isEmpty else { return }
            let next = actionQueue.removeFirst()
            setStatus(next.actionId, .running)
            running = (next, spec.duration(of: next.actionType))
        }
    }

    private mutating func finish(_ action: Action) {
        let parameter = { (key: String) -> String? in
            guard case .string(let v)? = action.actionParameters?.first(where: { $0.key == key })?.value else {
                return nil
            }
            return v
        }
        switch action.actionType {
        case "pick":
            loads.append(Load(loadId: parameter("loadId"), loadType: parameter("loadType")))
        case "assist", "handover":
            if let person = parameter("person") {
                let task = orderId.lastIndex(of: ".").map { String(orderId[..<$0]) } ?? orderId
                outbox.meetings.append(SimMeeting(task: task, person: person, station: parameter("stationId")))
            }
        case "drop":
            if !loads.isEmpty { loads.removeLast() }
        default:
            break
        }
        setStatus(action.actionId, .finished)
        outbox.notes.append("finished \(action.actionType) \(action.actionId)")
    }

    /// Length and speed limit of `edges[k]`.
    private func geometry(_ k: Int) -> (length: Double, maxSpeed: Double) {
        let edge = edges[k]
        let from = k == 0 ? lastNodePosition : nodePosition(nodes[k - 1]) ?? lastNodePosition
        let to = nodePosition(nodes[k]) ?? from
        let siteEdge = site.edge(from: edge.startNodeId, to: edge.endNodeId)
        let length = edge.length ?? siteEdge?.length ?? from.distance(to: to)
        let limit = edge.maxSpeed ?? siteEdge?.maxSpeed ?? spec.maxSpeed
        return (max(length, 0), min(limit, spec.maxSpeed) * speedFactor)
    }

    /// Whether the vehicle stops at `nodes[k]`: it has actions, or it ends the released base.
    private func stops(at k: Int) -> Bool {
        !nodes[k].actions.isEmpty || k + 1 >= nodes.count || k + 1 >= edges.count || !nodes[k + 1].released
            || !edges[k + 1].released
    }

    private mutating func drive(_ h: Double) {
        // Look ahead over the run of edges up to the next stop: trapezoidal profile with speed caps per edge.
        var cap = Double.infinity
        var ahead = 0.0
        var k = 0
        while k < edges.count, k < nodes.count {
            let (length, limit) = geometry(k)
            cap = min(cap, (limit * limit + 2 * spec.deceleration * ahead).squareRoot())
            ahead += k == 0 ? length - edgeProgress : length
            if stops(at: k) { break }
            k += 1
        }
        let stopDistance = max(ahead, 0)
        cap = min(cap, (2 * spec.deceleration * stopDistance).squareRoot())
        var newSpeed = min(speed + spec.acceleration * h, cap)
        var distance = (speed + newSpeed) / 2 * h
        if distance >= stopDistance - 1e-4 {
            distance = stopDistance
            newSpeed = 0
        }
        speed = newSpeed
        odometer += distance
        battery = max(0, battery - distance * spec.batteryPercentPerMetre)
        edgeProgress += distance
        startEdgeActions()
        while let edge = edges.first, !nodes.isEmpty {
            let length = geometry(0).length
            guard edgeProgress >= length - 1e-9 else { break }
            let overflow = max(0, edgeProgress - length)
            let atStop = stops(at: 0)
            for action in edge.actions { setStatus(action.actionId, .finished) }
            edges.removeFirst()
            reach(nodes.removeFirst())
            edgeProgress = atStop ? 0 : overflow
            if atStop { speed = 0 }
            if atStop || edges.isEmpty { break }
            startEdgeActions()
        }
        updatePose()
    }

    private mutating func startEdgeActions() {
        guard let edge = edges.first else { return }
        for action in edge.actions
        where actionStates.first(where: { $0.actionId == action.actionId })?.actionStatus
            == .waiting
        {
            setStatus(action.actionId, .running)
        }
    }

    private mutating func updatePose() {
        guard !edges.isEmpty, let next = nodes.first, let target = nodePosition(next) else {
            position = lastNodePosition
            return
        }
        let length = geometry(0).length
        let fraction = length > 0 ? min(1, edgeProgress / length) : 1
        position = SitePoint(
            x: lastNodePosition.x + (target.x - lastNodePosition.x) * fraction,
            y: lastNodePosition.y + (target.y - lastNodePosition.y) * fraction)
        if target != lastNodePosition {
            theta = atan2(target.y - lastNodePosition.y, target.x - lastNodePosition.x)
        }
    }

    private mutating func updateCharging(_ h: Double) {
        let canCharge = isIdle && site.chargerNodes.contains(lastNodeId) && speed == 0
        if canCharge && battery < 100 {
            if !charging {
                charging = true
                outbox.state = true
                outbox.notes.append("charging started at \(lastNodeId)")
            }
            battery = min(100, battery + spec.chargePercentPerSecond * h)
        } else if charging {
            charging = false
            outbox.state = true
            outbox.notes.append("charging stopped")
        }
    }
}
