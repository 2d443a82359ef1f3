/// A robot's open human-proximity episode (B1.16).
struct ProximityEpisode: Sendable, Hashable {
    /// When the robot first reported a person closer than the warning distance.
    var since: FleetTime
    /// The closest distance reported since, in metres.
    var closest: Double
    /// Whether the robot was at its assist's or handover's meeting point meanwhile (working with a person there).
    var collaborative: Bool
}

extension Coordinator {
    /// Follows the person distance a robot reports: an episode starts when it drops below
    /// ``CoordinatorConfiguration/proximityWarning`` and ends, journaled as `human_proximity` with the closest
    /// distance and its length, when the robot reports no person that close any more (or its link is lost).
    mutating func trackProximity(_ id: RobotID, _ observation: RobotObservation, now: FleetTime) {
        guard let distance = observation.humanDistance, distance < configuration.proximityWarning else {
            endProximity(id, now: now)
            return
        }
        let collaborative = isAtMeetingPoint(id, observation)
        if var episode = proximity[id] {
            episode.closest = min(episode.closest, distance)
            episode.collaborative = episode.collaborative || collaborative
            proximity[id] = episode
        } else {
            proximity[id] = ProximityEpisode(since: now, closest: distance, collaborative: collaborative)
        }
    }

    /// Ends `id`'s open proximity episode, if any, with a `human_proximity` record.
    mutating func endProximity(_ id: RobotID, now: FleetTime) {
        guard let episode = proximity.removeValue(forKey: id) else { return }
        journal(
            .humanProximity(
                robot: id, distance: episode.closest, seconds: now.seconds(since: episode.since),
                collaborative: episode.collaborative),
            at: now)
    }

    /// Whether `id` stands at the meeting point of the assist or handover it is doing: a person that close is
    /// the one it works with.
    func isAtMeetingPoint(_ id: RobotID, _ observation: RobotObservation) -> Bool {
        guard let task = busy[id].flatMap({ tasks[$0] }),
            task.request.kind == .assist || task.request.kind == .handover,
            let stop = task.request.stops.first, let node = layout.station(stop)?.node
        else { return false }
        return observation.lastNodeId == node
    }
}
