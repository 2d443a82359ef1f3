/// Why a pilot run could not start or did not finish; every message says what to do about it.
enum PilotError: Error, CustomStringConvertible {
    /// A program the run needs is missing.
    case missingExecutable(name: String, searched: [String], hint: String)
    /// A program could not be started.
    case spawnFailed(name: String, path: String, reason: String)
    /// The private broker did not come up.
    case brokerFailed(String)
    /// fleetd did not print `fleetd ready` in time, or exited before it did.
    case fleetdNotReady(reason: String, log: String)
    /// fleetd exited while the scenario was running.
    case fleetdDied(status: Int32, log: String)
    /// The results folder cannot be used.
    case outputDirectory(path: String, reason: String)
    /// The traffic capture could not connect or subscribe.
    case capture(String)
    /// The run was interrupted (SIGINT/SIGTERM).
    case interrupted

    var description: String {
        switch self {
        case .missingExecutable(let name, let searched, let hint):
            return "cannot find '\(name)' (looked in \(searched.joined(separator: ", "))); \(hint)"
        case .spawnFailed(let name, let path, let reason):
            return "cannot start \(name) (\(path)): \(reason)"
        case .brokerFailed(let reason):
            return "the private mosquitto broker did not start: \(reason)"
        case .fleetdNotReady(let reason, let log):
            return "fleetd did not become ready: \(reason)\n--- fleetd.log (last lines) ---\n\(log)"
        case .fleetdDied(let status, let log):
            return "fleetd exited early (status \(status))\n--- fleetd.log (last lines) ---\n\(log)"
        case .outputDirectory(let path, let reason):
            return "cannot use results folder '\(path)': \(reason)"
        case .capture(let reason):
            return "the traffic capture failed: \(reason)"
        case .interrupted:
            return "interrupted"
        }
    }
}
