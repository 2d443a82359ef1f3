import FleetCore
import FleetMQTT
import Foundation
import Logging
import VDA5050

/// What the ingress hands the coordinator shell: compact values, decoded and checked before the actor.
public enum ShellInput: Sendable, Hashable {
    /// An event for the coordinator.
    case event(FleetEvent)
    /// A task, cancel or confirm request that could not be decoded but carried an id: answered with `rejected`.
    case refusedRequest(id: String, reason: String)
}

/// Turns MQTT messages into ``ShellInput``s outside the coordinator actor: routes by topic, drops oversized
/// payloads, decodes states with `FastStateDecoder`, connection and factsheet with `VDA5050Codec`, requests, cancels
/// and confirmations with ``TaskRequestDecoder``, people's devices with ``PersonMessageDecoder``, and feeds clock samples to the ``FleetClock``. Every refusal is logged with the topic
/// and counted; a robot outside the configured fleet is logged once and then only counted.
public struct IngressDecoder: Sendable {
    private let topics: FleetTopics
    private let interfaceName: String
    private let fleet: Set<RobotID>
    private let maxPayloadBytes: Int
    private let stateDecoder: FastStateDecoder
    private let codec: VDA5050Codec
    private let requests = TaskRequestDecoder()
    private let people = PersonMessageDecoder()
    private let clock: FleetClock
    private let clockJumpLimit: Double
    /// Simulated time of the last reported clock jump: at most one report per simulated minute.
    private var lastClockJumpReport: Int64?
    /// Whether a running clock sample has been taken: a stopped one before it is a previous run's retained
    /// last word (a shared broker), which says nothing about now and would pin the clock at that run's end.
    private var clockRunning = false
    private let statistics: RuntimeStatistics
    private let logger: Logger
    private var reportedUnknown: Set<RobotID> = []

    /// Creates a decoder.
    /// - Parameters:
    ///   - topics: the site's topics.
    ///   - interfaceName: the VDA 5050 interface name.
    ///   - fleet: the configured robots; messages from others are ignored.
    ///   - maxPayloadBytes: larger payloads are dropped.
    ///   - clock: receives clock samples.
    ///   - clockJumpLimit: the largest single step of simulated time (a clock sample's `maxStepMs`) that is not
    ///     reported as ``FleetEvent/clockJumped(seconds:)`` (fleetd uses half its state timeout); at most one
    ///     report per simulated minute.
    ///   - statistics: counters.
    ///   - logger: where refusals are logged.
    public init(
        topics: FleetTopics, interfaceName: String, fleet: Set<RobotID>, maxPayloadBytes: Int, clock: FleetClock,
        clockJumpLimit: Double = .infinity, statistics: RuntimeStatistics, logger: Logger
    ) {
        self.clockJumpLimit = clockJumpLimit
        self.topics = topics
        self.interfaceName = interfaceName
        self.fleet = fleet
        self.maxPayloadBytes = maxPayloadBytes
        self.stateDecoder = FastStateDecoder(maxPayloadBytes: maxPayloadBytes)
        self.codec = VDA5050Codec(maxPayloadBytes: maxPayloadBytes)
        self.clock = clock
        self.statistics = statistics
        self.logger = logger
    }

    /// Decodes one message, appending what the shell must see (possibly nothing) to `inputs`.
    /// - Parameters:
    ///   - message: the message.
    ///   - inputs: the batch being built.
    public mutating func decode(_ message: MQTTMessage, into inputs: inout [ShellInput]) {
        guard message.payload.count <= maxPayloadBytes else {
            statistics.update { $0.oversizedPayloads += 1 }
            logger.warning(
                "dropped oversized payload",
                metadata: ["mqtt.topic": "\(message.topic)", "bytes": "\(message.payload.count)"])
            return
        }
        switch message.topic {
        case topics.taskRequest: request(message, into: &inputs)
        case topics.taskCancel: cancel(message, into: &inputs)
        case topics.clock: clockSample(message, into: &inputs)
        default:
            if let task = topics.confirmedTask(message.topic) {
                confirmation(message, task: task, into: &inputs)
            } else if let (person, kind) = topics.personMessage(message.topic) {
                personMessage(message, person: person, kind: kind, into: &inputs)
            } else {
                robotMessage(message, into: &inputs)
            }
        }
    }

    private mutating func robotMessage(_ message: MQTTMessage, into inputs: inout [ShellInput]) {
        let name: VDA5050TopicName
        do {
            name = try VDA5050TopicName(parsing: message.topic, interfaceName: interfaceName)
        } catch {
            statistics.update { $0.badTopics += 1 }
            logger.warning(
                "ignored message on unexpected topic: \(error)", metadata: ["mqtt.topic": "\(message.topic)"])
            return
        }
        let robot = RobotID(manufacturer: name.manufacturer, serialNumber: name.serialNumber)
        guard fleet.contains(robot) else {
            let first = reportedUnknown.insert(robot).inserted
            statistics.update {
                $0.unknownRobotMessages += 1
                if first { $0.unknownRobots += 1 }
            }
            if first {
                logger.warning(
                    "ignoring robot \(robot): not in the configured fleet (logged once; further messages are counted)",
                    metadata: ["robot.id": "\(robot)", "mqtt.topic": "\(message.topic)"])
            }
            return
        }
        do throws(VDA5050DecodingError) {
            switch name.topic {
            case .state:
                let state = try stateDecoder.decode(message.payload)
                inputs.append(.event(.robotObserved(robot, VDA5050Mapping.observation(from: state))))
                statistics.update { $0.states += 1 }
            case .connection:
                let connection = try codec.decode(Connection.self, from: message.payload)
                inputs.append(.event(.robotConnection(robot, VDA5050Mapping.connection(connection.connectionState))))
                statistics.update { $0.connections += 1 }
            case .factsheet:
                factsheet(try codec.decode(Factsheet.self, from: message.payload), of: robot, message, into: &inputs)
            default:
                statistics.update { $0.badTopics += 1 }
                logger.warning(
                    "ignored robot topic fleetd does not consume", metadata: ["mqtt.topic": "\(message.topic)"])
            }
        } catch {
            statistics.update {
                if name.topic == .factsheet { $0.invalidFactsheets += 1 } else { $0.invalidMessages += 1 }
            }
            logger.warning(
                "invalid \(name.topic.rawValue) message: \(error)",
                metadata: ["robot.id": "\(robot)", "mqtt.topic": "\(message.topic)"])
        }
    }

    /// Hands a factsheet on as ``FleetCore/FleetEvent/robotFactsheet(_:_:)``, or refuses it (counted, logged with the
    /// field at fault) when it names another robot than its topic or is implausible.
    private func factsheet(
        _ factsheet: Factsheet, of robot: RobotID, _ message: MQTTMessage, into inputs: inout [ShellInput]
    ) {
        let named = RobotID(manufacturer: factsheet.manufacturer, serialNumber: factsheet.serialNumber)
        let summary = VDA5050Mapping.robotFactsheet(from: factsheet)
        let problem =
            named != robot
            ? "manufacturer/serialNumber \(named) is not the robot of the topic" : summary.problem
        if let problem {
            statistics.update { $0.invalidFactsheets += 1 }
            logger.warning(
                "refused factsheet: \(problem)", metadata: ["robot.id": "\(robot)", "mqtt.topic": "\(message.topic)"])
            return
        }
        inputs.append(.event(.robotFactsheet(robot, summary)))
        statistics.update { $0.factsheets += 1 }
    }

    private func request(_ message: MQTTMessage, into inputs: inout [ShellInput]) {
        do throws(TaskRequestDecoder.Failure) {
            inputs.append(.event(.taskRequested(try requests.request(message.payload))))
            statistics.update { $0.taskRequests += 1 }
        } catch {
            refuse(error, message, into: &inputs)
        }
    }

    private func cancel(_ message: MQTTMessage, into inputs: inout [ShellInput]) {
        do throws(TaskRequestDecoder.Failure) {
            let (id, reason) = try requests.cancel(message.payload)
            let detail = reason.isEmpty ? "cancelled by requester" : reason
            inputs.append(.event(.taskCancelRequested(id, .requester, detail: detail)))
            statistics.update { $0.cancelRequests += 1 }
        } catch {
            refuse(error, message, into: &inputs)
        }
    }

    private func confirmation(_ message: MQTTMessage, task: String, into inputs: inout [ShellInput]) {
        do throws(TaskRequestDecoder.Failure) {
            let person = try requests.confirmation(message.payload, task: task)
            inputs.append(.event(.taskConfirmed(TaskID(task), person: person)))
            statistics.update { $0.confirmations += 1 }
        } catch {
            refuse(error, message, into: &inputs)
        }
    }

    private func personMessage(
        _ message: MQTTMessage, person: String, kind: PersonMessageKind?, into inputs: inout [ShellInput]
    ) {
        guard let kind else {
            statistics.update { $0.badTopics += 1 }
            let kinds = PersonMessageKind.allCases.map(\.rawValue).joined(separator: "|")
            logger.warning(
                "ignored people topic fleetd does not consume (expected people/{id}/\(kinds))",
                metadata: ["mqtt.topic": "\(message.topic)"])
            return
        }
        do throws(TaskRequestDecoder.Failure) {
            let events = try people.decode(kind, person: person, payload: message.payload)
            inputs += events.map { ShellInput.event($0) }
            statistics.update { $0.personMessages += 1 }
        } catch {
            statistics.update { $0.malformedPersonMessages += 1 }
            logger.warning(
                "malformed \(kind.rawValue) message of person '\(person)': \(error.reason)",
                metadata: ["mqtt.topic": "\(message.topic)", "task.id": "\(error.id ?? "-")"])
            if let id = error.id {
                inputs.append(.refusedRequest(id: id, reason: "malformed \(kind.rawValue): \(error.reason)"))
            }
        }
    }

    private func refuse(_ failure: TaskRequestDecoder.Failure, _ message: MQTTMessage, into inputs: inout [ShellInput])
    {
        statistics.update { $0.malformedRequests += 1 }
        logger.warning(
            "malformed request: \(failure.reason)",
            metadata: ["mqtt.topic": "\(message.topic)", "task.id": "\(failure.id ?? "-")"])
        if let id = failure.id {
            inputs.append(.refusedRequest(id: id, reason: "malformed request: \(failure.reason)"))
        }
    }

    private mutating func clockSample(_ message: MQTTMessage, into inputs: inout [ShellInput]) {
        do {
            let sample = try JSONDecoder().decode(FleetClock.Sample.self, from: Data(message.payload))
            guard sample.timeScale.isFinite, (0...FleetClock.maximumTimeScale).contains(sample.timeScale) else {
                throw TaskRequestDecoder.Failure(
                    id: nil, reason: "timeScale \(sample.timeScale) is not in 0...\(FleetClock.maximumTimeScale)")
            }
            guard (0...FleetClock.maximumSimTimeMs).contains(sample.simTimeMs) else {
                throw TaskRequestDecoder.Failure(
                    id: nil, reason: "simTimeMs \(sample.simTimeMs) is not in 0...\(FleetClock.maximumSimTimeMs)")
            }
            if let step = sample.maxStepMs, !(0...FleetClock.maximumSimTimeMs).contains(step) {
                throw TaskRequestDecoder.Failure(
                    id: nil, reason: "maxStepMs \(step) is not in 0...\(FleetClock.maximumSimTimeMs)")
            }
            guard sample.running || clockRunning else {
                logger.info(
                    "ignored a stopped clock sample before the simulation runs (a previous run's retained clock)")
                return
            }
            clockRunning = true
            clock.take(sample)
            statistics.update { $0.clockSamples += 1 }
            // The simulator's own largest step: independent of when fleetd got round to decoding the samples.
            if let step = sample.maxStepMs, Double(step) / 1000 >= clockJumpLimit,
                lastClockJumpReport.map({ sample.simTimeMs - $0 >= 60_000 }) ?? true
            {
                lastClockJumpReport = sample.simTimeMs
                let jump = Double(step) / 1000
                let seconds = Int(jump.rounded())
                logger.warning(
                    "simulated time jumped \(seconds) s at once: the simulator is not keeping up with the time scale \(sample.timeScale) on this machine; robots may time out and the run's figures suffer"
                )
                inputs.append(.event(.clockJumped(seconds: (jump * 1000).rounded() / 1000)))
            }
        } catch {
            statistics.update { $0.invalidMessages += 1 }
            logger.warning("invalid clock message: \(error)", metadata: ["mqtt.topic": "\(message.topic)"])
        }
    }
}
