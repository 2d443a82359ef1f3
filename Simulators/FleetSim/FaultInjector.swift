import FleetConfig
import FleetCore

/// The faults of a scenario (`faults:`) as a timeline of begin and end steps per vehicle: which robots each fault
/// hits (by serial number, or `count` of them chosen by the seed among the robots not broken down by an earlier
/// drop-out at the time, while there are enough) and when it begins and, with a `duration`, ends.
///
/// - `dropout`: the vehicle breaks down (``SimVehicle/breakDown()``: it stops with a FATAL `robotDropout` error);
///   fleet-sim publishes that state, then `OFFLINE` on its `connection` topic, and nothing more until the end,
///   when it publishes `ONLINE` and a state without the error (the order dropped).
/// - `slowdown`: every speed limit of the vehicle is scaled by `factor` until the end.
/// - `commLoss`: the vehicle publishes nothing and every order or instant action sent to it is lost until the end,
///   while it keeps driving what it has; then it publishes its state again.
public struct FaultInjector: Sendable {
    /// One step of the timeline.
    public struct Step: Sendable, Hashable, CustomStringConvertible {
        /// Seconds after the start.
        public var offset: Double
        /// The vehicle's index in the run's vehicle list.
        public var vehicle: Int
        /// The vehicle's identity.
        public var robot: RobotID
        /// The fault.
        public var kind: ScenarioFaultKind
        /// `true` when the fault begins, `false` when it ends.
        public var begins: Bool
        /// A slowdown's speed factor.
        public var factor: Double?
        /// How long the fault lasts, when it ends.
        public var duration: Double?

        /// `fault dropout begins on acme/AMR-02 (for 300 s)`, `fault slowdown ends on acme/AMR-01`.
        public var description: String {
            var text = "fault \(kind.rawValue) \(begins ? "begins" : "ends") on \(robot)"
            if begins, let factor { text += " (speed x\(factor))" }
            if begins { text += duration.map { " (for \(Int($0.rounded())) s)" } ?? " (until the end)" }
            return text
        }
    }

    /// The timeline, by time (ends before begins at the same time).
    public let steps: [Step]
    /// Faults that named robots the fleet does not have, as messages (`fault #2 (line 40): no robot AMR-09`).
    public let problems: [String]
    private var next = 0

    /// Resolves `faults` against `robots`.
    /// - Parameters:
    ///   - faults: The scenario's faults.
    ///   - robots: The run's vehicles, in order.
    ///   - seed: The seed choosing robots for faults given by `count`.
    public init(faults: [ScenarioFault], robots: [RobotID], seed: UInt64) {
        var random = SplitMix64(seed: seed ^ 0xFA01_7C0D_E5EE_D001)
        var steps: [Step] = []
        var problems: [String] = []
        // Drop-outs so far, per robot: [begin, end) in seconds after the start.
        var down: [Int: [(Double, Double)]] = [:]
        let inTimeOrder = faults.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        for (n, fault) in inTimeOrder {
            var chosen: [Int] = []
            let place = "fault #\(n + 1)" + (fault.line.map { " (line \($0))" } ?? "")
            if fault.robots.isEmpty {
                var indices = Array(robots.indices)
                indices.shuffle(using: &random)
                // Robots broken down at the time are not picked while enough others are there.
                let working = indices.filter { i in
                    !(down[i] ?? []).contains { fault.at >= $0.0 && fault.at < $0.1 }
                }
                let pool = working.count >= fault.count ? working : indices
                chosen = Array(pool.prefix(max(0, fault.count))).sorted()
                if fault.count > robots.count {
                    problems.append("\(place): \(fault.count) robots asked, the fleet has \(robots.count)")
                }
            } else {
                for serial in fault.robots {
                    if let i = robots.firstIndex(where: { $0.serialNumber == serial || $0.description == serial }) {
                        chosen.append(i)
                    } else {
                        problems.append("\(place): no robot '\(serial)' in the fleet")
                    }
                }
            }
            for i in chosen {
                if fault.kind == .dropout {
                    down[i, default: []].append((fault.at, fault.at + (fault.duration ?? .infinity)))
                }
                steps.append(
                    Step(
                        offset: fault.at, vehicle: i, robot: robots[i], kind: fault.kind, begins: true,
                        factor: fault.factor, duration: fault.duration))
                if let duration = fault.duration {
                    steps.append(
                        Step(
                            offset: fault.at + duration, vehicle: i, robot: robots[i], kind: fault.kind, begins: false,
                            factor: fault.factor, duration: duration))
                }
            }
        }
        self.steps = steps.enumerated().sorted {
            ($0.element.offset, $0.element.begins ? 1 : 0, $0.offset)
                < ($1.element.offset, $1.element.begins ? 1 : 0, $1.offset)
        }.map(\.element)
        self.problems = problems
    }

    /// The steps due at or before `offset` not returned before, in order.
    public mutating func due(upTo offset: Double) -> [Step] {
        var result: [Step] = []
        while next < steps.count, steps[next].offset <= offset {
            result.append(steps[next])
            next += 1
        }
        return result
    }
}
