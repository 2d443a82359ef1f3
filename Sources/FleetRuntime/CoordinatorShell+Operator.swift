import FleetCore
import Foundation
import VDA5050

extension CoordinatorShell {
    /// The coordinator's current time, `nil` before its clock started.
    public var now: FleetTime? { clock.now() }

    /// Hands a person's confirmation to the coordinator, like one from the MQTT confirm topic: journaled as
    /// `human_ack` with the person and the actor (or, if refused, as `rejected`) and logged with the actor.
    /// - Parameters:
    ///   - id: the task.
    ///   - person: who confirms.
    ///   - actor: who sent it (token name).
    /// - Returns: the coordinator's reason when it refused the confirmation, else `nil`.
    public func confirm(_ id: TaskID, person: String, actor: String) -> String? {
        guard !isStopped else { return "fleetd is stopping" }
        guard isActive, let now = clock.now() else {
            waiting.append(.event(.taskConfirmed(id, person: person, actor: actor)))
            return nil
        }
        let directives = core.handle(.taskConfirmed(id, person: person, actor: actor), now: now)
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
    /// paused robot keeps its task (its order simply waits). Journaled first (`pause` or `resume`, with the actor),
    /// then published, and logged with the actor.
    /// - Parameters:
    ///   - robot: the robot.
    ///   - paused: `true` for `startPause`, `false` for `stopPause`.
    ///   - actor: who asked (token name).
    /// - Throws: ``OperatorCommandError`` if fleetd is stopping or the journal append failed, else the MQTT
    ///   client's error if the message could not be published.
    public func setPaused(_ robot: RobotID, paused: Bool, actor: String) throws {
        guard !isStopped else { throw OperatorCommandError("fleetd is stopping") }
        let type = paused ? "startPause" : "stopPause"
        let time = now ?? FleetTime(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        perform(
            [.journal(JournalRecord(time: time, event: .pause(robot: robot, paused: paused, actor: actor)))], now: time)
        if let failure = fatalFailure { throw OperatorCommandError(failure) }
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

extension CoordinatorShell {
    /// Takes a robot out of service (`active`) or puts it back, like every other input: the coordinator journals
    /// `maintenance_start` / `maintenance_end` with the actor, re-queues the robot's task and cancels its order.
    /// Before the clock starts the command waits with the other inputs.
    /// - Parameters:
    ///   - robot: the robot.
    ///   - active: `true` takes it out of service, `false` ends the maintenance.
    ///   - actor: who asked (token name).
    ///   - reason: why, free text (may be empty).
    /// - Throws: ``OperatorCommandError`` if fleetd is stopping or the journal append failed.
    public func setMaintenance(_ robot: RobotID, active: Bool, actor: String, reason: String) throws {
        guard !isStopped else { throw OperatorCommandError("fleetd is stopping") }
        submit([.event(.robotMaintenance(robot, active: active, actor: actor, reason: reason))])
        if let failure = fatalFailure { throw OperatorCommandError(failure) }
        let what = active ? "maintenance started" : "maintenance ended"
        let why = reason.isEmpty ? "" : ": \(reason)"
        logger.notice("\(what) by operator '\(actor)'\(why)", metadata: ["robot.id": "\(robot)", "actor": "\(actor)"])
    }
}

/// An operator command the shell could not carry out (it is stopping, or its journal failed).
public struct OperatorCommandError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates an error.
    /// - Parameter description: what went wrong.
    public init(_ description: String) { self.description = description }
}
