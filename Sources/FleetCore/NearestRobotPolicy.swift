/// The first allocation policy: each queued task, by priority then arrival, gets the idle robot that reaches its
/// pick station soonest on the graph, among robots with the capabilities and payload it needs and with battery
/// to spare after the whole trip. Ties go to the smaller robot id.
public struct NearestRobotPolicy: AllocationPolicy {
    /// Creates the policy.
    public init() {}

    /// See ``AllocationPolicy/allocate(queue:idle:context:)``.
    public func allocate(
        queue: [TransportTask], idle: [AllocationCandidate], context: AllocationContext
    ) -> [AllocationDecision] {
        var free = idle.sorted { $0.robot < $1.robot }
        var decisions: [AllocationDecision] = []
        for task in Self.serviceOrder(queue) {
            let request = task.request
            if let impossible = Self.permanentProblem(request, context: context) {
                decisions.append(.reject(task.id, impossible))
                continue
            }
            guard let pick = context.router.layout.station(request.pick)?.node,
                let drop = context.router.layout.station(request.drop)?.node
            else {
                decisions.append(.reject(task.id, .noRoute(from: request.pick, to: request.drop)))
                continue
            }
            var best: (index: Int, estimate: TripEstimate)?
            var capableSeen = false
            var unreachableDrop = false
            for (index, candidate) in free.enumerated() where candidate.canCarry(request) {
                capableSeen = true
                let speed = candidate.profile.maxSpeed
                guard let toPick = context.router.route(from: candidate.startNode, to: pick, robotMaxSpeed: speed)
                else { continue }
                guard let toDrop = context.router.route(from: pick, to: drop, robotMaxSpeed: speed) else {
                    unreachableDrop = true
                    continue
                }
                let used = (toPick.distance + toDrop.distance) * candidate.profile.batteryPercentPerMetre
                let after = candidate.batteryPercent - used
                guard after >= context.batteryReserve else { continue }
                // `free` is sorted by robot id, so a strict `<` keeps the smaller id on equal times.
                if best == nil || toPick.time < best!.estimate.toPick.time {
                    best = (index, TripEstimate(toPick: toPick, toDrop: toDrop, batteryAfter: after))
                }
            }
            if let best {
                decisions.append(.assign(task.id, free[best.index].robot, best.estimate))
                free.remove(at: best.index)
            } else if unreachableDrop {
                decisions.append(.reject(task.id, .noRoute(from: request.pick, to: request.drop)))
            } else {
                decisions.append(.wait(task.id, capableSeen ? .noRobotWithEnoughBattery : .noRobotAvailable))
            }
        }
        return decisions
    }

    /// A reason no registered robot could ever do `request`, or `nil`.
    static func permanentProblem(_ request: TaskRequest, context: AllocationContext) -> AllocationError? {
        let profiles = context.fleet.values
        for capability in request.requiredCapabilities.sorted()
        where !profiles.contains(where: { $0.capabilities.contains(capability) }) {
            return .noCapability(capability)
        }
        if let kg = request.loadWeightKg, !profiles.contains(where: { $0.maxPayloadKg >= kg }) {
            return .payloadTooHeavy(kg: kg)
        }
        return nil
    }
}
