extension Coordinator {
    /// Runs the allocation now, or, for a rate-limited policy (``AllocationPolicy/isRateLimited``), makes sure one
    /// run happens at the end of the interval: the first event that makes an allocation due starts the
    /// ``TimerID/allocation`` timer, later events until it fires add nothing, and its firing runs the policy once
    /// over everything that happened meanwhile. Nothing waits longer than
    /// ``CoordinatorConfiguration/allocationMinimumInterval``.
    mutating func allocateAtBoundedRate(now: FleetTime) {
        let interval = configuration.allocationMinimumInterval
        guard policy.isRateLimited, interval > 0 else {
            allocate(now: now)
            return
        }
        guard !allocationTimerArmed else { return }
        allocationTimerArmed = true
        pending.append(.startTimer(.allocation, at: now.adding(seconds: interval)))
    }

    /// The ``TimerID/allocation`` timer ran out: run the batched allocation.
    mutating func allocationTimerFired(now: FleetTime) {
        allocationTimerArmed = false
        allocate(now: now)
        allocationDue = false
    }

    /// Idle, available robots without a task, by id, as the policy sees them.
    func allocationCandidates(now: FleetTime) -> [AllocationCandidate] {
        // Filtered first, then sorted: with most of a large fleet busy, only the few candidates are sorted.
        robots.compactMap { id, robot -> AllocationCandidate? in
            guard isCandidate(id, now: now), let start = robot.startNode(in: layout) else { return nil }
            return AllocationCandidate(
                robot: id, profile: robot.profile, startNode: start,
                batteryPercent: robot.observation?.batteryPercent ?? 0)
        }.sorted { $0.robot < $1.robot }
    }

    /// Robots running one of our orders that will be free for new work when it ends, by id: available now, and
    /// with at least ``CoordinatorConfiguration/minimumBatteryForWork`` left by estimate at the end of the order.
    func busyRobots(now: FleetTime) -> [BusyRobot] {
        busy.keys.sorted().compactMap { id -> BusyRobot? in
            guard let task = busy[id], let flight = inFlight[task], flight.robot == id, let robot = robots[id],
                let end = flight.plan.nodes.last?.nodeId,
                robot.isAvailable(
                    now: now, stateTimeout: configuration.stateTimeout,
                    minimumBattery: configuration.minimumBatteryForWork)
            else { return nil }
            let left = Self.remaining(of: flight.plan, robot: robot)
            let battery = (robot.observation?.batteryPercent ?? 0) - left.metres * robot.profile.batteryPercentPerMetre
            guard battery >= configuration.minimumBatteryForWork else { return nil }
            return BusyRobot(
                robot: id, profile: robot.profile, endNode: end, secondsUntilFree: left.seconds, batteryPercent: battery
            )
        }
    }

    /// Metres and seconds of `plan` the robot still has to drive: the edges after the last node it reported for
    /// this order (the whole plan before it accepted it), at its top speed or the edge's limit.
    static func remaining(of plan: DispatchPlan, robot: RobotState) -> (metres: Double, seconds: Double) {
        var passed = -1
        if let order = robot.observation?.order, order.orderId == plan.orderId { passed = order.lastNodeSequenceId }
        var metres = 0.0
        var seconds = 0.0
        for edge in plan.edges where edge.sequenceId > passed {
            let speed = min(edge.maxSpeed ?? robot.profile.maxSpeed, robot.profile.maxSpeed)
            metres += edge.length
            seconds += speed > 0 ? edge.length / speed : 0
        }
        return (metres, seconds)
    }
}
