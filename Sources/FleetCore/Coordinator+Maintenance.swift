/// Why and since when an operator took a robot out of service.
public struct RobotMaintenance: Sendable, Hashable {
    /// Who took it out (the operator's token name).
    public var actor: String
    /// Why, free text (may be empty).
    public var reason: String
    /// When the maintenance began.
    public var since: FleetTime

    /// Creates a maintenance record.
    /// - Parameters:
    ///   - actor: who took the robot out of service.
    ///   - reason: why.
    ///   - since: when.
    public init(actor: String, reason: String, since: FleetTime) {
        self.actor = actor
        self.reason = reason
        self.since = since
    }
}

extension Coordinator {
    /// Takes a robot out of service or puts it back (``FleetEvent/robotMaintenance(_:active:actor:reason:)``).
    ///
    /// Taking it out journals `maintenance_start` with the actor, then hands its work back: its task is re-queued
    /// with the progress in the `requeued` record (reason `maintenance`) and its order cancelled on the robot
    /// (`cancelOrder`); a coalition it belongs to is re-queued as a whole (every member's order cancelled); a
    /// charge trip is cancelled and its charger freed; a reservation for an emergency or a forming coalition is
    /// dropped, so those tasks look for another robot. As everywhere, a task whose load the robot already picked
    /// cannot go back to the queue: it fails, and its detail says which robot holds the load. Until
    /// `maintenance_end` the robot gets no task, no charge trip and no reservation. Repeating either command
    /// changes nothing and journals nothing; an unknown robot is ignored (the API refuses it before).
    mutating func setMaintenance(_ id: RobotID, active: Bool, actor: String, reason: String, now: FleetTime) {
        guard robots[id] != nil else { return }
        guard active else {
            guard maintenance.removeValue(forKey: id) != nil else { return }
            journal(.maintenance(robot: id, active: false, actor: actor, reason: reason), at: now)
            allocationDue = true
            return
        }
        guard maintenance[id] == nil else { return }
        maintenance[id] = RobotMaintenance(actor: actor, reason: reason, since: now)
        journal(.maintenance(robot: id, active: true, actor: actor, reason: reason), at: now)
        if let task = busy[id] {
            let why = reason.isEmpty ? "" : ": \(reason)"
            let detail = "robot \(id) taken into maintenance by '\(actor)'\(why); \(inFlightProgress(task))"
            lose(task, reason: .maintenance, detail: detail, cancelOrder: true, now: now)
        }
        chargeHolds[id] = nil
        if let held = reservations.removeValue(forKey: id) {
            reservedTasks.remove(held)
        }
        allocationDue = true
    }
}
