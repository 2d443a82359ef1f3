import FleetCore
import Testing

/// Seeded random runs of calls, fall alerts, robots that drop out and come back, and people who answer late,
/// decline, arrive or never answer: no call or alert is ever left waiting without a timer, and every one ends
/// resolved or in a person's hands; the journal replays to the same chains.
@Suite struct PeopleEscalationPropertyTests {
    typealias Site = PeopleEscalationTests

    /// One simulated run: the coordinator, the timers it asked for, and robots that follow their orders.
    struct Run {
        var c: Coordinator
        var rng: SplitMix64
        var now = 0.0
        var timers: [(id: TimerID, due: Double)] = []
        /// How many of each timer are pending (none of them is due before `now`).
        var pendingTimers: [TimerID: Int] = [:]
        var orders: [RobotID: (plan: DispatchPlan, accepted: Bool)] = [:]
        var report: [RobotID: RobotObservation] = [:]
        var online: [RobotID: Bool] = [:]
        var journal: [JournalRecord] = []
        var reasons: Set<EscalationReason> = []
        var problems: [String] = []
        let robots = (1...3).map(Site.robot)
        let staff: [PersonID] = ["carer-a", "carer-b", "nurse-1", "nurse-station", "resident-1"]
        let stations: [StationID] = ["ROOM1", "ROOM2", "ROOM3", "HALL"]

        init(seed: UInt64) {
            rng = SplitMix64(seed: seed)
            c = Site.coordinator(["H", "R2", "N"])
            for robot in robots {
                online[robot] = true
                report[robot] = c.robots[robot]?.observation
            }
        }

        mutating func send(_ event: FleetEvent) {
            let out = c.handle(event, now: t(now))
            var escalatedHere: Set<TaskID> = []
            for directive in out {
                switch directive {
                case .journal(let record):
                    journal.append(record)
                    if case .escalated(let id, _, let level, let reason) = record.event {
                        reasons.insert(reason)
                        escalatedHere.insert(id)
                        if c.escalations[id]?.level ?? -1 < level { problems.append("\(id) level \(level) ahead") }
                    }
                case .startTimer(let id, let due):
                    timers.append((id, due.seconds(since: t(0))))
                    pendingTimers[id, default: 0] += 1
                case .dispatch(let robot, let plan): orders[robot] = (plan, false)
                case .cancelOrder(let robot, let orderId):
                    if orders[robot]?.plan.orderId == orderId {
                        orders[robot] = nil
                        report[robot] = Site.at(report[robot]?.lastNodeId ?? "H")
                    }
                case .notifyPerson(let person, let note):
                    if !escalatedHere.contains(note.task) { problems.append("\(note.task) notified before journaled") }
                    if person == "resident-1" { problems.append("resident notified about \(note.task)") }
                default: continue
                }
            }
            checkNeverSilent(after: event)
            // Robots acknowledge an order at once (a real one within a second).
            for robot in robots where orders[robot]?.accepted == false && online[robot] == true {
                move(robot)
            }
        }

        /// Every open call or alert has the timer of its current step pending.
        mutating func checkNeverSilent(after event: FleetEvent) {
            for (id, escalation) in c.escalations where !escalation.isResolved {
                let wanted: TimerID =
                    escalation.acknowledgedBy == nil
                    ? .escalation(id, level: escalation.level) : .arrival(id, level: escalation.level)
                if pendingTimers[wanted, default: 0] == 0 {
                    problems.append("\(id) waits without a timer (\(wanted)) after \(event) at \(now)")
                }
            }
        }

        /// Moves the clock to `time`, firing due timers in order.
        mutating func advance(to time: Double) {
            while let next = timers.enumerated().filter({ $0.element.due <= time }).min(by: {
                ($0.element.due, $0.offset) < ($1.element.due, $1.offset)
            }) {
                timers.remove(at: next.offset)
                pendingTimers[next.element.id, default: 1] -= 1
                now = max(now, next.element.due)
                send(.timerFired(next.element.id))
            }
            now = time
        }

        mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))] }

        mutating func step(_ n: Int) {
            let open = c.escalations.keys.sorted().filter { !(c.escalations[$0]!.isResolved) }
            switch rng.next() % 14 {
            case 0:
                send(.residentCall(TaskID("C\(n)"), resident: "resident-1", station: pick(stations)!))
            case 1:
                let station = pick(stations)!
                send(.fallAlert(TaskID("F\(n)"), resident: "resident-1", station: station, detectedAt: t(now - 1)))
            case 2, 3, 4:
                guard let robot = pick(robots), online[robot] == true else { return }
                move(robot)
            case 5:
                guard let robot = pick(robots) else { return }
                online[robot]!.toggle()
                send(.robotConnection(robot, online[robot]! ? .online : .connectionBroken))
                if online[robot]! { send(.robotObserved(robot, report[robot]!)) }
            case 6, 7:
                guard let id = pick(open), let person = pick(staff) else { return }
                send(.personAcknowledged(id, person: person))
            case 8:
                guard let id = pick(open), let person = pick(staff) else { return }
                send(.personRejected(id, person: person))
            case 9:
                guard let id = pick(open), let person = pick(staff), rng.next() % 3 == 0 else { return }
                send(.personArrived(id, person: person))
            case 10:
                guard let id = pick(open), let person = pick(staff) else { return }
                send(.taskConfirmed(id, person: person.rawValue))
            case 11:
                guard let person = pick(staff) else { return }
                let location = pick(stations).map { PersonLocation.station($0) }
                send(.personPresence(person, present: rng.next() % 4 != 0, location: location))
            default:
                advance(to: now + Double(rng.next() % 20 + 1))
            }
        }

        /// The robot takes its order, or finishes it (now and then its action fails: it needs a person).
        mutating func move(_ robot: RobotID) {
            guard let order = orders[robot] else {
                send(.robotObserved(robot, report[robot]!))
                return
            }
            if !order.accepted {
                orders[robot]!.accepted = true
                report[robot] = Site.accepted(order.plan, at: report[robot]?.lastNodeId ?? "H")
            } else {
                report[robot] = Site.finished(order.plan, status: rng.next() % 4 == 0 ? .failed : .finished)
                orders[robot] = nil
            }
            send(.robotObserved(robot, report[robot]!))
        }
    }

    @Test func everyCallAndAlertEndsResolvedOrWithAPerson() {
        var reached: Set<EscalationReason> = []
        for seed in UInt64(1)...20 {
            var run = Run(seed: seed)
            for n in 0..<300 { run.step(n) }
            // Nobody answers any more: the chains go on for as long as we watch.
            run.advance(to: run.now + 600)
            #expect(run.problems.isEmpty, "seed \(seed): \(run.problems.prefix(5))")
            #expect(!run.c.escalations.isEmpty, "seed \(seed) raised nothing")
            for (id, escalation) in run.c.escalations {
                #expect(escalation.isResolved || escalation.reachedPerson, "seed \(seed): \(id) is with nobody")
                if escalation.alert == .fall && escalation.isResolved {
                    #expect(escalation.arrived != nil, "seed \(seed): fall \(id) resolved without a person on scene")
                }
            }
            var replayed = Coordinator(layout: Site.layout, configuration: Site.config)
            let problems = replayed.replay(records: run.journal)
            #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(3))")
            let differing = run.c.escalations.keys.sorted().filter { replayed.escalations[$0] != run.c.escalations[$0] }
            #expect(
                differing.isEmpty,
                "seed \(seed): replay differs for \(differing.prefix(3)): \(differing.first.map { (replayed.escalations[$0], run.c.escalations[$0]) } as Any)"
            )
            reached.formUnion(run.reasons)
        }
        let expected: Set<EscalationReason> = [
            .fallAlert, .notResolved, .needsPerson, .noRobot, .noAcknowledgement, .rejected, .notArrived,
        ]
        #expect(expected.isSubset(of: reached), "never reached: \(expected.subtracting(reached))")
    }
}
