import FleetCore
import FleetMQTT
import FleetStore
import Foundation
import Logging
import VDA5050

extension CoordinatorShell {
    /// Performs one directive list: all journal records in one durable append, each published on the events
    /// topic, then the side effects in order. If the append fails nothing else is done and the shell stops for
    /// good (``fatalFailure``): a decision that is not durable must not reach a robot or a requester, and the
    /// coordinator in memory has already taken it, so only a restart from the journal makes the two agree again.
    func perform(_ directives: [Directive], now: FleetTime) {
        guard !directives.isEmpty else { return }
        var entries: [NewJournalEntry] = []
        for case .journal(let record) in directives { entries.append(JournalCodec.entry(for: record)) }
        if !entries.isEmpty {
            let sequences: [Int64]
            do {
                sequences = try journal.append(entries)
            } catch {
                statistics.update { $0.journalFailures += 1 }
                logger.critical(
                    "journal append of \(entries.count) records failed, side effects skipped, stopping: \(error)",
                    metadata: ["journal.path": "\(journal.path)"])
                isStopped = true
                fatalFailure = "journal append failed: \(error)"
                return
            }
            statistics.update {
                $0.journalRecords += entries.count
                $0.journalBatches += 1
            }
            for (entry, sequence) in zip(entries, sequences) {
                send(topics.events, JournalCodec.eventLine(entry, sequence: sequence), qos: .atMostOnce, retain: false)
            }
        }
        for directive in directives {
            switch directive {
            case .journal: continue
            case .notifyPerson(let person, let notification): notify(person, notification)
            case .dispatch(let robot, let plan): dispatch(plan, to: robot, now: now)
            case .cancelOrder(let robot, let orderId): cancel(orderId, on: robot, now: now)
            case .publishTaskStatus(let id, let status):
                publishStatus(
                    id, state: status.state.rawValue, robot: status.robot, reason: status.reason, time: status.time)
            case .startTimer(let timer, let due): timers.schedule(timer, at: due)
            case .rejectRequest(let id, let reason): reject(id, reason: reason, now: now)
            case .setPaused(let robot, let paused): pause(robot, paused: paused, now: now)
            }
        }
    }

    private func dispatch(_ plan: DispatchPlan, to robot: RobotID, now: FleetTime) {
        let previous = sentPlans[robot].flatMap { $0.orderId == plan.orderId ? $0 : nil }
        let wire = VDA5050Mapping.stitched(plan, after: previous)
        let order = headers.stamp(
            VDA5050Mapping.order(for: wire, robot: robot),
            at: VDA5050Timestamp(millisecondsSince1970: now.milliseconds))
        // An update is checked against the message it updates (stitching, update ids), like the robot will.
        let problems = validator.validate(order, previous: previous.map { VDA5050Mapping.order(for: $0, robot: robot) })
        sentPlans[robot] = problems.isEmpty ? wire : sentPlans[robot]
        guard problems.isEmpty else {
            statistics.update { $0.invalidOrders += 1 }
            logger.error(
                "order \(plan.orderId) failed validation, not sent: \(problems.map(\.description).joined(separator: "; "))",
                metadata: ["robot.id": "\(robot)", "task.id": "\(plan.taskId)"])
            return
        }
        if publish(order, topic: .order, robot: robot) {
            statistics.update { $0.ordersPublished += 1 }
            logger.debug("order \(plan.orderId) sent", metadata: ["robot.id": "\(robot)", "task.id": "\(plan.taskId)"])
        }
    }

    private func cancel(_ orderId: String, on robot: RobotID, now: FleetTime) {
        cancelsSent += 1
        let message = headers.stamp(
            VDA5050Mapping.cancelOrder(robot: robot, orderId: orderId, sequence: cancelsSent),
            at: VDA5050Timestamp(millisecondsSince1970: now.milliseconds))
        if publish(message, topic: .instantActions, robot: robot) {
            statistics.update { $0.instantActionsPublished += 1 }
        }
    }

    /// Sends `startPause` or `stopPause` for the coordinator (a held or stopped zone, a site stop, or their end);
    /// action ids are `zone-startPause-<ms>-<n>`, unique for the run.
    private func pause(_ robot: RobotID, paused: Bool, now: FleetTime) {
        pausesSent += 1
        let type = paused ? "startPause" : "stopPause"
        let message = headers.stamp(
            VDA5050Mapping.pause(
                robot: robot, paused: paused, actionId: "zone-\(type)-\(now.milliseconds)-\(pausesSent)"),
            at: VDA5050Timestamp(millisecondsSince1970: now.milliseconds))
        if publish(message, topic: .instantActions, robot: robot) {
            statistics.update { $0.instantActionsPublished += 1 }
            logger.notice("\(type) sent for a zone or site stop", metadata: ["robot.id": "\(robot)"])
        }
    }

    private func reject(_ id: TaskID, reason: String, now: FleetTime) {
        if let task = core.tasks[id] {
            statistics.update { $0.refusedForExistingTask += 1 }
            logger.warning(
                "refused request for existing task (status stays \(task.state.rawValue)): \(reason)",
                metadata: ["task.id": "\(id)"])
            return
        }
        statistics.update { $0.rejectedRequests += 1 }
        logger.warning("rejected task request: \(reason)", metadata: ["task.id": "\(id)"])
        publishStatus(id, state: "rejected", robot: nil, reason: reason, time: now)
    }

    /// Publishes the notification on `people/{id}/notify`, QoS 1, not retained (an old call must not reach a
    /// device that connects later): `{"alert":"fall","level":1,"reason":"fall_alert","resident":"res-4",...}`.
    private func notify(_ person: PersonID, _ notification: PersonNotification) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(notification), let text = String(data: data, encoding: .utf8) else {
            statistics.update { $0.publishFailures += 1 }
            logger.error("notification not encodable", metadata: ["person.id": "\(person)"])
            return
        }
        if send(topics.personNotify(person.rawValue), text, qos: .atLeastOnce, retain: false) {
            statistics.update { $0.notificationsPublished += 1 }
            logger.info(
                "notified \(person) of \(notification.alert.rawValue) \(notification.task) (level \(notification.level))",
                metadata: ["person.id": "\(person)", "task.id": "\(notification.task)"])
        }
    }

    private func publishStatus(_ id: TaskID, state: String, robot: RobotID?, reason: String?, time: FleetTime) {
        let text = TaskRequestDecoder.status(id: id.rawValue, state: state, robot: robot, reason: reason, time: time)
        if send(topics.taskStatus(id.rawValue), text, qos: .atLeastOnce, retain: true) {
            statistics.update { $0.statusesPublished += 1 }
        }
    }

    private func publish<M: VDA5050Message>(_ message: M, topic: VDA5050Topic, robot: RobotID) -> Bool {
        let name = VDA5050TopicName(
            interfaceName: interfaceName, manufacturer: robot.manufacturer, serialNumber: robot.serialNumber,
            topic: topic)
        do {
            try publisher.publish(topic: name.string, payload: try codec.encode(message), qos: .atMostOnce)
            return true
        } catch {
            statistics.update { $0.publishFailures += 1 }
            logger.error(
                "publish failed: \(error)", metadata: ["mqtt.topic": "\(name.string)", "robot.id": "\(robot)"])
            return false
        }
    }

    @discardableResult
    private func send(_ topic: String, _ text: String, qos: MQTTQoS, retain: Bool) -> Bool {
        do {
            try publisher.publish(topic: topic, string: text, qos: qos, retain: retain)
            return true
        } catch {
            statistics.update { $0.publishFailures += 1 }
            logger.error("publish failed: \(error)", metadata: ["mqtt.topic": "\(topic)"])
            return false
        }
    }
}
