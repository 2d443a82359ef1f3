import FleetCore
import Foundation

/// A delay drawn from a log-normal distribution given by its median and 90th percentile, in simulated seconds
/// (`{median: 45s, p90: 2m}` in a scenario).
///
/// Log-normal because human response times are right-skewed: most answers come quickly, a few take much longer.
public struct ScenarioDelay: Sendable, Hashable {
    /// The median delay in seconds (> 0).
    public var median: Double
    /// The 90th percentile in seconds (>= `median`).
    public var p90: Double

    /// Creates a delay distribution.
    public init(median: Double, p90: Double) {
        self.median = median
        self.p90 = p90
    }

    /// The log-normal's sigma: `ln(p90 / median) / z(0.9)`, 0 when the two are equal (a fixed delay).
    public var sigma: Double { median > 0 && p90 > median ? log(p90 / median) / 1.2815515655446004 : 0 }

    /// The delay for a standard normal draw `z`: `median * exp(sigma * z)`.
    public func value(standardNormal z: Double) -> Double { median * exp(sigma * z) }
}

/// How a person answers what FleetPilot asks of them (a notification, a confirmation request).
public struct ScenarioResponse: Sendable, Hashable {
    /// The time until the person answers, when they answer.
    public var delay: ScenarioDelay
    /// The probability (0...1) that the person does not answer at all (busy, device out of reach).
    public var noAnswer: Double
    /// The probability (0...1) that the person rejects instead of acknowledging: a notification (`response`), or,
    /// for residents, the robot's check of their call (`confirm`: "I need a person").
    public var reject: Double

    /// Creates a response model.
    public init(delay: ScenarioDelay, noAnswer: Double = 0, reject: Double = 0) {
        self.delay = delay
        self.noAnswer = noAnswer
        self.reject = reject
    }
}

/// A shift of a scenario's people, as offsets from the scenario's start in seconds (`{start: 0h, end: 8h}`).
public struct ScenarioShift: Sendable, Hashable {
    /// Seconds after the scenario's start when the shift begins.
    public var start: Double
    /// Seconds after the scenario's start when the shift ends (> `start`).
    public var end: Double

    /// Creates a shift.
    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }

    /// The shift as absolute times for a scenario starting at `origin`.
    public func window(from origin: FleetTime) -> ShiftWindow {
        ShiftWindow(start: origin.adding(seconds: start), end: origin.adding(seconds: end))
    }
}

/// One group of people of a scenario (`people:`): same role, skills, shifts and behaviour.
///
/// Ids are `{idPrefix}01`, `{idPrefix}02`, ... like robots' serial numbers, or `id` itself for a group of one.
public struct ScenarioPeopleGroup: Sendable, Hashable {
    /// The group's role.
    public var role: PersonRole
    /// The id prefix (`carer-` gives `carer-01`, ...); with `count == 1` and ``id`` set, the id itself.
    public var idPrefix: String
    /// A single person's id (`id: nurse-station`), instead of a prefix.
    public var id: String?
    /// How many people.
    public var count: Int
    /// Skills, e.g. `medication`, `lift-assist`.
    public var skills: [String]
    /// Shifts; empty means always on shift.
    public var shifts: [ScenarioShift]
    /// Stations the people are at: a resident's room (person `i` gets station `i` modulo the list), the stations
    /// a worker moves between.
    public var stations: [StationID]
    /// A zone the people work in (their presence is reported there; human-presence zone policies apply).
    public var zone: String?
    /// Mean simulated seconds a person stays at a station before walking to another one; `nil`: they stay.
    public var dwell: Double?
    /// Walking speed in m/s (for arriving where a notification sends them).
    public var walkSpeed: Double
    /// How they answer notifications (escalations: acknowledge or reject); `nil`: they never answer.
    public var response: ScenarioResponse?
    /// How they confirm a robot's assist or handover they are part of; `nil`: they never confirm.
    public var confirm: ScenarioResponse?
    /// Simulated seconds a person needs on scene to resolve a call or alert after arriving.
    public var resolve: ScenarioDelay?
    /// Call-button presses per person and simulated hour (residents), Poisson.
    public var callsPerHour: Double
    /// Falls per person and simulated hour (residents; reported by a sensor as an alert), Poisson.
    public var fallsPerHour: Double
    /// The line of the entry in the scenario file.
    public var line: Int?

    /// Creates a group.
    public init(
        role: PersonRole, idPrefix: String, id: String? = nil, count: Int = 1, skills: [String] = [],
        shifts: [ScenarioShift] = [], stations: [StationID] = [], zone: String? = nil, dwell: Double? = nil,
        walkSpeed: Double = 1.0, response: ScenarioResponse? = nil, confirm: ScenarioResponse? = nil,
        resolve: ScenarioDelay? = nil, callsPerHour: Double = 0, fallsPerHour: Double = 0, line: Int? = nil
    ) {
        self.role = role
        self.idPrefix = idPrefix
        self.id = id
        self.count = count
        self.skills = skills
        self.shifts = shifts
        self.stations = stations
        self.zone = zone
        self.dwell = dwell
        self.walkSpeed = walkSpeed
        self.response = response
        self.confirm = confirm
        self.resolve = resolve
        self.callsPerHour = callsPerHour
        self.fallsPerHour = fallsPerHour
        self.line = line
    }

    /// The people's ids, in order: ``id`` for a named group of one, else `{idPrefix}01`, `02`, ... (three digits
    /// from 100 on).
    public var personIDs: [PersonID] {
        if let id, count == 1 { return [PersonID(id)] }
        guard count > 0 else { return [] }
        return (1...count).map { PersonID(idPrefix + ($0 < 10 ? "0\($0)" : "\($0)")) }
    }

    /// The station of the `index`-th person (0-based): stations are dealt round robin; `nil` without stations.
    public func homeStation(_ index: Int) -> StationID? {
        stations.isEmpty ? nil : stations[index % stations.count]
    }
}

/// What goes wrong on purpose during a run (`faults:`), to test how the coordinator copes.
public enum ScenarioFaultKind: String, Sendable, Hashable, CaseIterable {
    /// The robot breaks down: it stops, reports a FATAL error and goes `OFFLINE` (or, with a duration, comes back
    /// online afterwards with its order cleared).
    case dropout
    /// The robot drives slower by ``ScenarioFault/factor`` (a worn drive, a crowded aisle).
    case slowdown
    /// The robot's link is silent (it publishes nothing and receives nothing) but it keeps executing its order;
    /// with a duration, the link comes back.
    case commLoss
}

/// One fault injected at a given time.
public struct ScenarioFault: Sendable, Hashable {
    /// Seconds after the scenario's start.
    public var at: Double
    /// What happens.
    public var kind: ScenarioFaultKind
    /// The robots it happens to, by serial number (`AMR-03`); empty means ``count`` robots chosen by the seed.
    public var robots: [String]
    /// How many robots, chosen by the scenario's seed, when ``robots`` is empty.
    public var count: Int
    /// How long it lasts in seconds; `nil`: until the end of the run.
    public var duration: Double?
    /// The speed factor of a slowdown, in (0, 1).
    public var factor: Double?
    /// The line of the entry in the scenario file.
    public var line: Int?

    /// Creates a fault.
    public init(
        at: Double, kind: ScenarioFaultKind, robots: [String] = [], count: Int = 1, duration: Double? = nil,
        factor: Double? = nil, line: Int? = nil
    ) {
        self.at = at
        self.kind = kind
        self.robots = robots
        self.count = count
        self.duration = duration
        self.factor = factor
        self.line = line
    }
}

/// When a demand stream's tasks arrive, besides (or instead of) Poisson arrivals at `ratePerHour`.
public struct ScenarioSchedule: Sendable, Hashable {
    /// Fixed arrival times, seconds after the scenario's start (`times: [1h, 5h]`).
    public var times: [Double]
    /// A period in seconds: one task every `every` seconds from ``from`` (`every: 1h`).
    public var every: Double?
    /// Seconds after the start of the first periodic arrival.
    public var from: Double
    /// Seconds after the start after which no periodic arrival comes; `nil`: until the end.
    public var until: Double?

    /// Creates a schedule.
    public init(times: [Double] = [], every: Double? = nil, from: Double = 0, until: Double? = nil) {
        self.times = times
        self.every = every
        self.from = from
        self.until = until
    }

    /// The arrival times (seconds after the start) that fall in `[0, duration)`, sorted.
    public func arrivals(duration: Double) -> [Double] {
        var result = times.filter { $0 >= 0 && $0 < duration }
        if let every, every > 0 {
            let end = min(until ?? duration, duration)
            var t = from
            while t < end {
                result.append(t)
                t += every
            }
        }
        return result.sorted()
    }
}

/// A burst: for `duration` seconds from `at`, a demand stream's Poisson rate is multiplied by `factor`.
public struct ScenarioBurst: Sendable, Hashable {
    /// Seconds after the scenario's start.
    public var at: Double
    /// How long the burst lasts, in seconds.
    public var duration: Double
    /// The rate multiplier (> 0).
    public var factor: Double

    /// Creates a burst.
    public init(at: Double, duration: Double, factor: Double) {
        self.at = at
        self.duration = duration
        self.factor = factor
    }

    /// Whether `time` (seconds after the start) lies in the burst.
    public func contains(_ time: Double) -> Bool { time >= at && time < at + duration }
}
