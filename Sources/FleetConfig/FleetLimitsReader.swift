import FleetCore
import Yams

/// Reads the per-robot limits of a fleet entry, shared by fleetd's `fleet` list and a scenario's `fleet`:
/// `allowedZones: [ZONE, ...]` (the zones the robots may enter; a `restricted` zone admits only robots that list it)
/// and `kinds: [patrol, coverage, ...]` (the task kinds they take).
struct FleetLimitsReader {
    let reader: YAMLNodeReader

    /// The limits of the entry `m` at field path `f`; `nil` for a key that is absent.
    func limits(_ m: Node.Mapping, _ f: String) throws(ConfigError) -> (
        allowedZones: Set<String>?, taskKinds: Set<TaskKind>?
    ) {
        let r = reader
        var zones: Set<String>?
        if m.contains(where: { $0.key.scalar?.string == "allowedZones" }) {
            var set: Set<String> = []
            for (i, item) in try r.sequence(m, "allowedZones", "\(f).allowedZones").enumerated() {
                set.insert(try r.string(item, "\(f).allowedZones[\(i)]"))
            }
            zones = set
        }
        var kinds: Set<TaskKind>?
        if m.contains(where: { $0.key.scalar?.string == "kinds" }) {
            var set: Set<TaskKind> = []
            for (i, item) in try r.sequence(m, "kinds", "\(f).kinds").enumerated() {
                let name = try r.string(item, "\(f).kinds[\(i)]")
                guard let kind = TaskKind(rawValue: name), kind != .charge else {
                    throw r.invalid(
                        item, "\(f).kinds[\(i)]",
                        "'\(name)' is not a task kind a robot can be limited to (\(TaskKind.choices), charge excepted)")
                }
                set.insert(kind)
            }
            guard !set.isEmpty else {
                throw r.invalid(m.first { $0.key.scalar?.string == "kinds" }?.value, "\(f).kinds", "lists no kind")
            }
            kinds = set
        }
        return (zones, kinds)
    }
}
