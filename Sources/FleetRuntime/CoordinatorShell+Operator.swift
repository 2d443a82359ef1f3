import FleetCore
import Foundation
import VDA5050

extension CoordinatorShell {
    /// The coordinator's current time, `nil` before its clock started.
    public var now: FleetTime? { clock.now() }

    /// Hands a person's confirmation to the coordinator, like one from the MQTT confirm topic: journaled as
    /// `human_ack` (or, if refused, as `rejected`) and logged with the actor.
    /// - Parameters:
    ///   - id: the task.
    ///   - person: who confirms.
    ///   - actor: who sent it (token name).
    /// - Returns: the coordinator's reason when it refused the confirmation, else `nil`.
    public func confirm(_ id: TaskID, person: String, actor: String) -> String? {
        guard !isStopped else { return "fleetd is stopping" }
        guard isActive, let now = clock.now() else {
            waiting.append(.event(.taskConfirmed(id, person: person)))
            return nil
        }
        let directives = core.handle(.taskConfirmed(id, person: person), now: now)
        perform(directives, now: now)
        let refusal = directives.lazy.compactMap { directive -> String? in
            if case .rejectRequest(_, let reason) = directive { return reason } else { return nil }
        }.first
        let outcome = refusal.map { " refused: \($0)" } ?? ""
        logger.notice(
            "confirmation by \(person) sent by operator '\(actor)'\(outcome)",
            metadata: ["task.id": "\(id)", "actor": "\(actor)"])
        return refusal
    }

    /// Sends the robot the VDA 5050 instant action `startPause` or `stopPause` (blocking type `HARD`).
    ///
    /// The coordinator's state does not change: the robot confirms by reporting `paused` in its state, and a
    /// paused robot keeps its task (its order simply waits). Logged with the actor; not journaled (the journal has
    /// no record kind for robot commands yet).
    /// - Parameters:
    ///   - robot: the robot.
    ///   - paused: `true` for `startPause`, `false` for `stopPause`.
    ///   - actor: who asked (token name).
    /// - Throws: the MQTT client's error if the message could not be published.
    public func setPaused(_ robot: RobotID, paused: Bool, actor: String) throws {
        let type = paused ? "startPause" : "stopPause"
        let time = now ?? FleetTime(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let message = headers.stamp(
            VDA5050Mapping.pause(
                robot: robot, paused: paused,
                actionId: "\(type)-\(time.milliseconds)-\(UUID().uuidString.prefix(8))"),
            at: VDA5050Timestamp(millisecondsSince1970: time.milliseconds))
        let name = VDA5050TopicName(
            interfaceName: interfaceName, manufacturer: robot.manufacturer, serialNumber: robot.serialNumber,
            topic: .instantActions)
        do {
            try publisher.publish(topic: name.string, payload: try codec.encode(message), qos: .atMostOnce)
        } catch {
            statistics.update { $0.publishFailures += 1 }
            throw error
        }
        statistics.update { $0.instantActionsPublished += 1 }
        logger.notice("\(type) sent by operator '\(actor)'", metadata: ["robot.id": "\(robot)", "actor": "\(actor)"])
    }

    /// Hands an operator's zone command to the coordinator: hold or release a zone, stop or release a zone or the
    /// whole site. The coordinator journals it with `actor` (`zone_hold`, `zone_release`, `estop`,
    /// `estop_release`) and sends `startPause`/`stopPause` to the robots concerned at once.
    /// - Parameters:
    ///   - command: what to do.
    ///   - actor: who asked (token name).
    /// - Returns: why the coordinator refused it (unknown zone, nothing to release, ...), or `nil` when it took it.
    public func zoneCommand(_ command: ZoneCommand, actor: String) -> String? {
        guard !isStopped else { return "fleetd is stopping" }
        if let refusal = core.zoneCommandRefusal(command, actor: actor) { return refusal }
        guard isActive, let now = clock.now() else {
            waiting.append(.event(.zoneCommand(command, actor: actor)))
            return nil
        }
        perform(core.handle(.zoneCommand(command, actor: actor), now: now), now: now)
        logger.notice(
            "zone command \(command) by operator '\(actor)'",
            metadata: ["zone": "\(command.zone ?? "site")", "actor": "\(actor)"])
        return nil
    }
}
