extension Coordinator {
    /// Follows the robot's order: acceptance, pick, completion, failed actions, rejections and fatal errors.
    /// Also cancels orders of ours the robot still runs although the task was taken away from it.
    mutating func trackOrder(of id: RobotID, _ observation: RobotObservation, now: FleetTime) {
        cancelStaleOrder(of: id, observation)
        if let taskId = busy[id], coalitions[taskId] != nil {
            trackCoalitionMember(id, task: taskId, observation, now: now)
            return
        }
        guard let taskId = busy[id], var flight = inFlight[taskId], let task = tasks[taskId] else { return }
        let orderId = flight.plan.orderId
        // A rejection leaves the robot on its previous order (VDA 5050 2.1 §6.6.4), so an error naming our order
        // counts as one only while the robot has not taken the order; once it runs it, such errors (a failed
        // action, a warning) are handled below like any other.
        let accepted = observation.order?.orderId == orderId
        if !accepted, let fault = observation.faults.first(where: { $0.orderId == orderId }) {
            let detail = "robot \(id) rejected order \(orderId): \(fault.type) \(fault.description)"
            lose(taskId, reason: .orderRejected, detail: detail, now: now)
            return
        }
        if let fatal = observation.faults.first(where: { $0.level == .fatal }) {
            let detail = "robot \(id) fatal error \(fatal.type): \(fatal.description)"
            lose(taskId, reason: .robotFault, detail: detail, cancelOrder: true, now: now)
            return
        }
        guard let order = observation.order, order.orderId == orderId else { return }
        if task.state == .dispatched, order.orderUpdateId >= flight.plan.orderUpdateId {
            update(taskId) { (t) throws(TaskLifecycleError) in try t.start(at: now) }
            journal(.started(task: taskId, robot: id, orderId: orderId), at: now)
            publishStatus(taskId, at: now)
        }
        guard tasks[taskId]?.state == .inProgress else { return }
        let planned = flight.plan.actions
        if let failed = planned.first(where: { order.actions[$0.actionId]?.status == .failed }) {
            let result = order.actions[failed.actionId]?.resultDescription ?? "no result given"
            let detail = "\(failed.kind.rawValue) at station '\(failed.station)' failed: \(result)"
            update(taskId) { (t) throws(TaskLifecycleError) in try t.fail(.actionFailed, detail: detail, at: now) }
            journal(.failed(task: taskId, robot: id, reason: .actionFailed, detail: detail), at: now)
            if order.remainingNodeCount > 0 { sendCancel(id, orderId: orderId) }
            release(taskId)
            publishStatus(taskId, at: now)
            return
        }
        if !flight.picked, let pick = planned.first(where: { $0.kind == .pick }),
            order.actions[pick.actionId]?.status == .finished
        {
            flight.picked = true
            inFlight[taskId] = flight
            journal(.phase(task: taskId, robot: id, phase: "picked"), at: now)
        }
        if task.request.kind == .patrol {
            journalVisits(taskId, request: task.request, flight: &flight, reached: order.lastNodeSequenceId, now: now)
        }
        let allDone = planned.allSatisfy { order.actions[$0.actionId]?.status == .finished }
        if order.remainingNodeCount == 0, allDone, !observation.driving {
            if task.request.kind.needsConfirmation {
                robotWaitsForConfirmation(taskId, robot: id, now: now)
                return
            }
            update(taskId) { (t) throws(TaskLifecycleError) in try t.complete(at: now) }
            journal(.completed(task: taskId, robot: id, outcome: "ok"), at: now)
            release(taskId)
            publishStatus(taskId, at: now)
            scheduleNextRound(after: taskId, now: now)
        }
    }

    /// Journals each stop of a patrol round the robot has passed, once and in order, as phase `visited:<station>`:
    /// stop `k` is the first node of the plan at or after stop `k - 1`'s node that is the stop's node, and it is
    /// passed once the robot's `lastNodeSequenceId` reaches that node's sequence id. The evaluator measures room
    /// coverage and revisit gaps from these visits.
    mutating func journalVisits(
        _ id: TaskID, request: TaskRequest, flight: inout InFlightDispatch, reached: Int, now: FleetTime
    ) {
        guard flight.visited < request.stops.count else { return }
        var from = 0
        var passed = 0
        for stop in request.stops {
            guard let node = layout.station(stop)?.node,
                let index = flight.plan.nodes[from...].firstIndex(where: { $0.nodeId == node }),
                flight.plan.nodes[index].sequenceId <= reached
            else { break }
            passed += 1
            from = index
            if passed > flight.visited {
                journal(.phase(task: id, robot: flight.robot, phase: "visited:\(stop)"), at: now)
            }
        }
        if passed > flight.visited {
            flight.visited = passed
            inFlight[id] = flight
        }
    }

    /// A robot that comes back still running one of our orders whose task went elsewhere (or ended) is told to
    /// cancel it, once, so no load is moved twice.
    /// Cancels an order of ours the robot still runs although it no longer serves a task of the robot (a task
    /// that was re-queued, cancelled or given to another robot); each (robot, order) is cancelled once.
    mutating func cancelStaleOrder(of id: RobotID, _ observation: RobotObservation) {
        guard let order = observation.order, !order.isFinished, orderOwners[order.orderId] != nil else { return }
        let task = busy[id] ?? ""
        let current = inFlight[task]?.plan.orderId ?? coalitions[task]?.flights[id]?.plan.orderId
        guard current != order.orderId, !cancelsSent.contains(Self.cancelKey(id, order.orderId)) else { return }
        sendCancel(id, orderId: order.orderId)
    }

    /// The key of a sent cancel: coalition members share an order id, so it names the robot too.
    static func cancelKey(_ robot: RobotID, _ orderId: String) -> String { "\(robot)|\(orderId)" }

    /// The robot lost the task: re-queue it, or fail it when it has used up its attempts.
    /// - Parameter cancelOrder: also tell the robot to drop the order (when it may still be executing it).
    mutating func lose(
        _ id: TaskID, reason: RequeueReason, detail: String, cancelOrder: Bool = false, now: FleetTime
    ) {
        guard let task = tasks[id], task.state.hasRobot, let robot = task.robot else { return }
        if coalitions[id] != nil {
            loseCoalition(id, reason: reason, detail: detail, now: now)
            return
        }
        let flight = inFlight[id]
        if task.request.kind == .charge {
            // A charge trip is not worth keeping: the coordinator creates a new one when the robot is back.
            update(id) { (t) throws(TaskLifecycleError) in try t.cancel(.system, detail: detail, at: now) }
            journal(.canceled(task: id, actor: .system, detail: detail), at: now)
            if cancelOrder, let flight { sendCancel(robot, orderId: flight.plan.orderId) }
            release(id)
            publishStatus(id, at: now)
            return
        }
        if flight?.picked == true {
            // The load is on this robot: another robot cannot pick it up again at the pick station, so the task
            // cannot simply go back to the queue. It fails, and the detail tells people where the load is.
            let text = "\(detail); the load was already picked and is on robot \(robot)"
            update(id) { (t) throws(TaskLifecycleError) in try t.fail(.fault, detail: text, at: now) }
            journal(.failed(task: id, robot: robot, reason: .fault, detail: text), at: now)
        } else if reason.countsAsAttempt, task.failedAttempts + 1 >= configuration.maxFailedAttempts {
            let failure: FailureReason =
                switch reason {
                case .orderRejected: .rejected
                case .dispatchTimeout: .timeout
                default: .fault
                }
            let text = "\(detail) (attempt \(task.failedAttempts + 1) of \(configuration.maxFailedAttempts))"
            update(id) { (t) throws(TaskLifecycleError) in try t.fail(failure, detail: text, at: now) }
            journal(.failed(task: id, robot: robot, reason: failure, detail: text), at: now)
        } else {
            update(id) { (t) throws(TaskLifecycleError) in try t.requeue(reason, detail: detail, at: now) }
            journal(.requeued(task: id, robot: robot, reason: reason, detail: detail), at: now)
            lastLoss[id] = (robot, reason)
        }
        if cancelOrder, let flight { sendCancel(robot, orderId: flight.plan.orderId) }
        release(id)
        publishStatus(id, at: now)
    }
}
