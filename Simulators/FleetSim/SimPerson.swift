import FleetConfig
import FleetCore
import Foundation
import VDA5050

/// What a simulated person's device publishes on `fleetpilot/v1/{site}/people/{person}/{kind}` (README, "People's
/// devices"), and when.
public struct SimPersonMessage: Sendable, Hashable {
    /// The person (the topic's `{id}` level).
    public var person: PersonID
    /// The topic's last level: `presence`, `ack`, `reject`, `arrived`, `confirm`, `call` or `alert`.
    public var kind: String
    /// The JSON payload.
    public var json: String
    /// Simulated seconds after the start.
    public var offset: Double

    /// The topic under `topics`' site.
    public func topic(_ topics: SimTopics) -> String { "\(topics.root)/people/\(person)/\(kind)" }
}

/// Walking distances between stations along the site graph (straight lines where the graph has no way).
public struct SimWalkingMap: Sendable {
    let layout: SiteLayout
    let router: SiteRouter

    /// Creates the map of `layout`.
    public init(layout: SiteLayout) {
        self.layout = layout
        router = SiteRouter(layout: layout)
    }

    /// Metres from station `from` to station `to`; 0 when either is unknown or they are the same.
    public func distance(from: StationID?, to: StationID) -> Double {
        guard let from, from != to, let a = layout.station(from)?.node, let b = layout.station(to)?.node,
            let p = layout.node(a)?.position, let q = layout.node(b)?.position
        else { return 0 }
        return router.route(from: a, to: b, robotMaxSpeed: 1)?.distance ?? p.distance(to: q)
    }
}

/// One simulated person (a worker, caregiver, nurse or resident of a scenario's `people:`): a pure value driven by
/// simulated time (seconds after the start) that decides what the person's device publishes.
///
/// - Shifts: on shift they are `present` at their home station (the first presence registers role and skills);
///   when a shift ends `present:false` (after finishing what they acknowledged), present again when the next
///   begins.
/// - Workers with a `dwell` and several stations walk between them (exponential dwell times, `walkSpeed` along the
///   site graph), reporting each station they reach.
/// - A notification (a call or alert escalated to them) is answered after the `response` delay with `ack` (or
///   `reject` with its probability), or not at all with probability `noAnswer`. After acknowledging they walk to
///   the station, publish `arrived` (which resolves the call or alert in fleetd) and stay `resolve` seconds before
///   taking the next one.
/// - A robot waiting for them at an assist or handover is confirmed after the `confirm` delay, or never with its
///   `noAnswer` probability.
/// - Residents press the call button (`call`) and fall (`alert`) as Poisson processes at `callsPerHour` and
///   `fallsPerHour`, ids `CALL-{person}-{n}` and `FALL-{person}-{n}`.
///
/// Every draw comes from the person's own streams (seeded by the scenario seed and the person's id, one per
/// purpose), so adding a person or an answer does not change what others do.
public struct SimPerson: Sendable {
    /// The person's id.
    public let id: PersonID
    /// Their group in the scenario.
    public let group: ScenarioPeopleGroup
    /// Their home station: a resident's room, a worker's first station.
    public let home: StationID?
    let start: FleetTime
    let until: Double
    let map: SimWalkingMap

    /// The station they are at (or last reached while walking).
    public private(set) var station: StationID?
    /// Whether they are on shift (present).
    public private(set) var onShift = false
    /// The call or alert they are handling (walking to it or on scene).
    public private(set) var busyWith: String?
    /// Acknowledged calls and alerts waiting for them, in order.
    public private(set) var jobs: [(task: String, station: StationID)] = []
    /// Calls made so far (residents).
    public private(set) var calls = 0
    /// Falls so far (residents).
    public private(set) var falls = 0
    /// Notifications received, and those left unanswered on purpose (`noAnswer`) or because they were off shift.
    public private(set) var notifications = 0
    /// Notifications not answered.
    public private(set) var unanswered = 0

    private var moves: SplitMix64
    private var answers: SplitMix64
    private var confirms: SplitMix64
    /// Whether a resident's answer to the robot's check of their call is a reject: its own stream, one draw per
    /// check of an own call whether or not they answer, so neither the other draws nor later checks shift.
    private var rejects: SplitMix64
    private var callStream: SplitMix64
    private var fallStream: SplitMix64
    private var agenda: [(time: Double, seq: Int, step: Step)] = []
    private var sequence = 0
    private var moveToken = 0
    private var walking: (from: StationID?, departure: Double, to: StationID, until: Double)?
    private var leaving = false
    private var ended: Set<String> = []
    private var acknowledged: Set<String> = []
    private var confirmRequested: Set<String> = []
    private var notifiedCalls: Set<String> = []
    /// The calls this resident made (only the robot's check of one of them may be answered with a reject).
    private var ownCalls: Set<String> = []
    private var registered = false

    private enum Step: Sendable {
        case shiftStart, shiftEnd
        case move(token: Int)
        case reach(StationID, task: String?)
        case answer(task: String, station: StationID, accept: Bool)
        case resolved(task: String)
        case confirm(task: String)
        /// A resident answers the robot's check of their call with "I need a person".
        case decline(task: String)
        case call, fall
    }

    /// Creates a person; nothing happens before ``advance(to:)``.
    /// - Parameters:
    ///   - group: Their group.
    ///   - index: Their index in the group (0-based; picks the id and home station).
    ///   - seed: The scenario's seed.
    ///   - start: The simulated start time.
    ///   - until: Seconds after the start after which residents make no new calls and have no new falls.
    ///   - map: Walking distances.
    public init(
        group: ScenarioPeopleGroup, index: Int, seed: UInt64, start: FleetTime, until: Double, map: SimWalkingMap
    ) {
        let ids = group.personIDs
        id = index < ids.count ? ids[index] : PersonID("\(group.idPrefix)\(index + 1)")
        self.group = group
        home = group.homeStation(index)
        self.start = start
        self.until = until
        self.map = map
        station = home
        moves = Self.stream(seed, id, "moves")
        answers = Self.stream(seed, id, "answers")
        confirms = Self.stream(seed, id, "confirms")
        rejects = Self.stream(seed, id, "rejects")
        callStream = Self.stream(seed, id, "calls")
        fallStream = Self.stream(seed, id, "falls")
        if group.shifts.isEmpty {
            schedule(.shiftStart, at: 0)
        } else {
            for shift in group.shifts.sorted(by: { $0.start < $1.start }) {
                schedule(.shiftStart, at: max(0, shift.start))
                schedule(.shiftEnd, at: shift.end)
            }
            // Registered at once (not present) when the first shift starts later.
            if group.shifts.allSatisfy({ $0.start > 0 }) { schedule(.shiftEnd, at: 0) }
        }
        if group.callsPerHour > 0, home != nil {
            schedule(.call, at: Self.exponential(rate: group.callsPerHour / 3600, &callStream))
        }
        if group.fallsPerHour > 0, home != nil {
            schedule(.fall, at: Self.exponential(rate: group.fallsPerHour / 3600, &fallStream))
        }
    }

    /// How far beside their station's node a person stands, in metres (+y): at a line-side station or a room's
    /// door, not on the robots' path.
    public static let standingOffset = 0.8

    /// Where the person is at `offset` (on shift only): beside their station, or on the straight line between two
    /// stations while walking; `nil` off shift or without a station.
    public func position(at offset: Double) -> SitePoint? {
        guard onShift else { return nil }
        func spot(_ station: StationID?) -> SitePoint? {
            guard let station, let node = map.layout.station(station)?.node, let p = map.layout.node(node)?.position
            else { return nil }
            return SitePoint(x: p.x, y: p.y + Self.standingOffset)
        }
        if let leg = walking, offset > leg.departure, let a = spot(leg.from) ?? spot(station), let b = spot(leg.to) {
            let f = leg.until > leg.departure ? min(1, (offset - leg.departure) / (leg.until - leg.departure)) : 1
            return SitePoint(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
        }
        return spot(station)
    }

    /// Whether nothing is left that the person owes fleetd: no acknowledged call or alert open, no answer or
    /// confirmation pending.
    public var isIdle: Bool {
        busyWith == nil && jobs.isEmpty
            && !agenda.contains {
                switch $0.step {
                case .answer, .confirm, .decline: true
                default: false
                }
            }
    }

    /// The time of the next thing the person does, if any.
    public var nextTime: Double? { agenda.map(\.time).min() }

    /// Runs everything due at or before `offset` and returns what the device publishes, in time order.
    public mutating func advance(to offset: Double) -> [SimPersonMessage] {
        var out: [SimPersonMessage] = []
        while let index = agenda.indices.min(by: {
            (agenda[$0].time, agenda[$0].seq) < (agenda[$1].time, agenda[$1].seq)
        }),
            agenda[index].time <= offset
        {
            let item = agenda.remove(at: index)
            run(item.step, at: item.time, into: &out)
        }
        return out
    }

    /// fleetd's notification (the JSON of `people/{id}/notify`) arrived at `offset`: the answer is drawn and
    /// scheduled. Returns `false` when the payload is no notification.
    @discardableResult
    public mutating func notified(_ payload: [UInt8], at offset: Double) -> Bool {
        guard let note = try? JSONDecoder().decode(PersonNotification.self, from: Data(payload)) else { return false }
        notifications += 1
        if note.alert == .call { notifiedCalls.insert(note.task.rawValue) }
        // Every draw is made, answered or not, so the stream stays aligned.
        let silent = Double.random(in: 0..<1, using: &answers)
        let z = Self.standardNormal(&answers)
        let declines = Double.random(in: 0..<1, using: &answers)
        guard onShift, let response = group.response, silent >= response.noAnswer else {
            unanswered += 1
            return true
        }
        let task = note.task.rawValue
        schedule(
            .answer(task: task, station: note.station, accept: declines >= response.reject),
            at: offset + response.delay.value(standardNormal: z))
        return true
    }

    /// A robot waits at `task` (an assist or handover addressed to this person) since `offset`: the confirmation is
    /// drawn and scheduled, once per task; a resident whose `confirm` has a `reject` share may instead answer the
    /// robot's check of one of their own calls with a rejection ("I need a person"); doses and escorts are always
    /// confirmed.
    public mutating func robotWaiting(task: String, at offset: Double) {
        guard confirmRequested.insert(task).inserted else { return }
        let silent = Double.random(in: 0..<1, using: &confirms)
        let z = Self.standardNormal(&confirms)
        let declineDraw = ownCalls.contains(task) ? Double.random(in: 0..<1, using: &rejects) : 1
        guard onShift, let confirm = group.confirm, silent >= confirm.noAnswer else { return }
        let declines = declineDraw < confirm.reject
        schedule(
            declines ? .decline(task: task) : .confirm(task: task), at: offset + confirm.delay.value(standardNormal: z))
    }

    /// The task of call `task` completed (the robot resolved it): the person drops it. Fall alerts are resolved
    /// only by a person on scene, so their emergency task completing changes nothing.
    public mutating func taskEnded(_ task: String) {
        guard notifiedCalls.contains(task) else { return }
        ended.insert(task)
        jobs.removeAll { $0.task == task }
    }

    // MARK: Steps

    private mutating func run(_ step: Step, at t: Double, into out: inout [SimPersonMessage]) {
        switch step {
        case .shiftStart:
            guard !onShift else { return }
            onShift = true
            leaving = false
            station = home ?? station
            out.append(presence(true, at: t))
            scheduleMove(after: t)
        case .shiftEnd:
            if busyWith != nil || !jobs.isEmpty {
                leaving = true
                return
            }
            goOff(at: t, into: &out)
        case .move(let token):
            guard token == moveToken, onShift, busyWith == nil, walking == nil else { return }
            let others = group.stations.filter { $0 != station }
            guard !others.isEmpty else { return }
            let target = others[Int.random(in: 0..<others.count, using: &moves)]
            walk(to: target, task: nil, at: t)
        case .reach(let target, let task):
            walking = nil
            station = target
            // A walk between stations that the end of the shift overtook ends unreported.
            guard onShift || task != nil else { return }
            out.append(presence(true, at: t))
            if let task {
                if ended.contains(task) {
                    finishJob(at: t, into: &out)
                } else {
                    out.append(message("arrived", ["task": task], at: t))
                    let resolve = group.resolve.map { $0.value(standardNormal: Self.standardNormal(&moves)) } ?? 0
                    schedule(.resolved(task: task), at: t + resolve)
                }
            } else {
                scheduleMove(after: t)
            }
        case .answer(let task, let target, let accept):
            guard !ended.contains(task) else { return }
            out.append(message(accept ? "ack" : "reject", ["task": task], at: t))
            guard accept, acknowledged.insert(task).inserted else { return }
            jobs.append((task, target))
            if busyWith == nil { startNextJob(at: t) }
        case .resolved:
            finishJob(at: t, into: &out)
        case .confirm(let task):
            out.append(message("confirm", ["task": task], at: t))
        case .decline(let task):
            out.append(message("reject", ["task": task], at: t))
        case .call:
            if t < until, let home {
                calls += 1
                ownCalls.insert("CALL-\(id)-\(calls)")
                out.append(message("call", ["id": "CALL-\(id)-\(calls)", "station": home], at: t))
            }
            let next = t + Self.exponential(rate: group.callsPerHour / 3600, &callStream)
            if next < until { schedule(.call, at: next) }
        case .fall:
            if t < until, let home {
                falls += 1
                let detected = VDA5050Timestamp(millisecondsSince1970: start.adding(seconds: t).milliseconds).iso8601
                out.append(
                    message("alert", ["id": "FALL-\(id)-\(falls)", "station": home, "detected": detected], at: t))
            }
            let next = t + Self.exponential(rate: group.fallsPerHour / 3600, &fallStream)
            if next < until { schedule(.fall, at: next) }
        }
    }

    private mutating func startNextJob(at t: Double) {
        guard !jobs.isEmpty else { return }
        let job = jobs.removeFirst()
        busyWith = job.task
        moveToken += 1
        walk(to: job.station, task: job.task, at: t)
    }

    private mutating func finishJob(at t: Double, into out: inout [SimPersonMessage]) {
        busyWith = nil
        if !jobs.isEmpty {
            startNextJob(at: t)
        } else if leaving {
            goOff(at: t, into: &out)
        } else {
            scheduleMove(after: t)
        }
    }

    private mutating func goOff(at t: Double, into out: inout [SimPersonMessage]) {
        guard onShift || !registered else { return }
        onShift = false
        leaving = false
        moveToken += 1
        out.append(presence(false, at: t))
    }

    /// Walks from where they are (or are heading) to `target`, setting off when a walk under way ends.
    private mutating func walk(to target: StationID, task: String?, at t: Double) {
        let from = walking?.to ?? station
        let departure = max(t, walking?.until ?? t)
        let seconds = map.distance(from: from, to: target) / max(group.walkSpeed, 0.01)
        walking = (from, departure, target, departure + seconds)
        schedule(.reach(target, task: task), at: departure + seconds)
    }

    private mutating func scheduleMove(after t: Double) {
        guard let dwell = group.dwell, dwell > 0, group.stations.count > 1 else { return }
        moveToken += 1
        schedule(.move(token: moveToken), at: t + Self.exponential(rate: 1 / dwell, &moves))
    }

    private mutating func schedule(_ step: Step, at time: Double) {
        sequence += 1
        agenda.append((time, sequence, step))
    }

    private mutating func presence(_ present: Bool, at t: Double) -> SimPersonMessage {
        var fields: [String: Any] = ["present": present]
        if !registered {
            registered = true
            fields["role"] = group.role.rawValue
            if !group.skills.isEmpty { fields["skills"] = group.skills }
        }
        if present, let station { fields["station"] = station }
        return SimPersonMessage(person: id, kind: "presence", json: Self.json(fields), offset: t)
    }

    private func message(_ kind: String, _ fields: [String: String], at t: Double) -> SimPersonMessage {
        SimPersonMessage(person: id, kind: kind, json: Self.json(fields), offset: t)
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

    // MARK: Random streams

    /// The stream of `purpose` for `person`: FNV-1a of `person/purpose` mixed with the seed.
    static func stream(_ seed: UInt64, _ person: PersonID, _ purpose: String) -> SplitMix64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(person)/\(purpose)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: seed ^ hash)
        return SplitMix64(seed: mixer.next())
    }

    /// An exponential draw with `rate` per second (infinity for rate 0).
    static func exponential(rate: Double, _ random: inout SplitMix64) -> Double {
        guard rate > 0 else { return .infinity }
        return -log(1 - Double.random(in: 0..<1, using: &random)) / rate
    }

    /// A standard normal draw (Box-Muller).
    static func standardNormal(_ random: inout SplitMix64) -> Double {
        let u1 = 1 - Double.random(in: 0..<1, using: &random)
        let u2 = Double.random(in: 0..<1, using: &random)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
