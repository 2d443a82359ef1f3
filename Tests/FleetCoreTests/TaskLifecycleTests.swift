import FleetCore
import Testing

@Suite struct TaskLifecycleTests {
    static let robot = Fixture.robot(1)

    /// Drives a fresh task into `state` through legal transitions.
    static func task(in state: TaskState) throws -> TransportTask {
        var task = TransportTask(request: Fixture.request("T1"), createdAt: t(0))
        let path: [TaskState] =
            switch state {
            case .requested: []
            case .queued: [.queued]
            case .assigned: [.queued, .assigned]
            case .dispatched: [.queued, .assigned, .dispatched]
            case .inProgress: [.queued, .assigned, .dispatched, .inProgress]
            case .completed: [.queued, .assigned, .dispatched, .inProgress, .completed]
            case .failed: [.queued, .failed]
            case .cancelled: [.queued, .cancelled]
            }
        for step in path { try move(&task, to: step) }
        return task
    }

    /// The one method that leads to `target`; `requested` has none, so nothing can go back to it.
    static func move(_ task: inout TransportTask, to target: TaskState) throws {
        switch target {
        case .requested: throw TaskLifecycleError(task: task.id, from: task.state, to: .requested)
        case .queued:
            if task.state.hasRobot {
                try task.requeue(.robotOffline, detail: "lost", at: t(1))
            } else {
                try task.queue(at: t(1))
            }
        case .assigned: try task.assign(to: robot, at: t(1))
        case .dispatched: try task.dispatch(orderId: "T1#1", at: t(1))
        case .inProgress: try task.start(at: t(1))
        case .completed: try task.complete(at: t(1))
        case .failed: try task.fail(.fault, detail: "broken", at: t(1))
        case .cancelled: try task.cancel(.operatorRequest, detail: "not needed", at: t(1))
        }
    }

    static let pairs = TaskState.allCases.flatMap { from in TaskState.allCases.map { (from, $0) } }

    @Test(arguments: pairs)
    func transitionIsLegalExactlyWhenInTheTable(from: TaskState, to: TaskState) throws {
        var task = try Self.task(in: from)
        #expect(task.state == from)
        let legal = from.legalTargets.contains(to)
        let historyBefore = task.history.count
        do {
            try Self.move(&task, to: to)
            #expect(legal, "\(from) -> \(to) should have been refused")
            #expect(task.state == to)
            #expect(task.history.count == historyBefore + 1)
            #expect(task.history.last?.state == to)
        } catch let error as TaskLifecycleError {
            #expect(!legal, "\(from) -> \(to) should have been allowed")
            #expect(error == TaskLifecycleError(task: "T1", from: from, to: to))
            #expect(task.state == from && task.history.count == historyBefore)
        }
    }

    @Test func errorNamesTaskAndStates() {
        #expect(
            TaskLifecycleError(task: "T9", from: .completed, to: .queued).description
                == "task 'T9' cannot go from completed to queued")
    }

    @Test func requeueReleasesRobotAndCountsAttempts() throws {
        var task = try Self.task(in: .inProgress)
        try task.requeue(.orderRejected, detail: "rejected", at: t(2))
        #expect(task.robot == nil && task.orderId == nil && task.failedAttempts == 1)
        try task.assign(to: Self.robot, at: t(3))
        try task.requeue(.robotOffline, detail: "offline", at: t(4))
        #expect(task.failedAttempts == 1 && task.assignmentCount == 2)
        #expect(
            task.history.map(\.state) == [
                .requested, .queued, .assigned, .dispatched, .inProgress, .queued, .assigned, .queued,
            ])
        #expect(task.history[5].reason == "order_rejected")
    }

    @Test func terminalStatesHaveNoWayOut() {
        for state in TaskState.allCases {
            #expect(state.isTerminal == [.completed, .failed, .cancelled].contains(state))
        }
    }
}
