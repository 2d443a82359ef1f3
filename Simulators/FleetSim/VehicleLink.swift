import FleetCore
import FleetMQTT
import Logging
import Synchronization
import VDA5050

/// A message that arrived for the simulation, queued until the next tick.
struct SimInput: Sendable {
    /// The vehicle it is for, or `nil` for the control client.
    var vehicle: Int?
    /// The topic it came on.
    var message: MQTTMessage
}

/// Incoming messages of every client, drained by the simulation loop once per tick.
final class SimInbox: Sendable {
    private let items = Mutex<[SimInput]>([])

    func append(_ input: SimInput) { items.withLock { $0.append(input) } }

    func drain() -> [SimInput] {
        items.withLock { items in
            defer { items = [] }; return items
        }
    }

    /// Forwards every message of `client` into the inbox until the client closes.
    func forward(_ client: MQTTClient, vehicle: Int?) -> Task<Void, Never> {
        Task { [self] in
            for await message in client.messages { append(SimInput(vehicle: vehicle, message: message)) }
        }
    }
}

/// One vehicle's MQTT connection: its own client with a last will (CONNECTIONBROKEN, retained, QoS 1), retained
/// ONLINE and factsheet on start, OFFLINE on a graceful stop, and a header counter per topic.
final class VehicleLink: Sendable {
    let id: RobotID
    let client: MQTTClient
    private let counters = HeaderCounters()
    private let codec = VDA5050Codec()
    private let forwarder = Mutex<Task<Void, Never>?>(nil)
    private let published = Atomic<Int>(0)

    /// Creates the client (not yet connected); the will is stamped with `now`, as the spec expects.
    init(id: RobotID, host: String, port: Int, settings: SimBrokerSettings, now: FleetTime, logger: Logger) throws {
        self.id = id
        let will = counters.stamp(
            Connection(
                manufacturer: id.manufacturer, serialNumber: id.serialNumber, connectionState: .connectionBroken),
            at: VDA5050Timestamp(millisecondsSince1970: now.milliseconds))
        let account = try settings.credentials(for: id)
        let configuration = MQTTConfiguration(
            host: host, port: port, clientID: "fleet-sim-\(id.manufacturer)-\(id.serialNumber)",
            username: account.username, password: account.password, tls: settings.mqttTLS,
            will: MQTTWill(
                topic: SimTopics.vehicle(id, .connection), payload: try codec.encode(will), qos: .atLeastOnce,
                retain: true))
        client = try MQTTClient(configuration: configuration, logger: logger)
    }

    /// Messages published so far.
    var publishedCount: Int { published.load(ordering: .relaxed) }

    /// Connects, subscribes to order and instantActions, publishes ONLINE and the factsheet (both retained).
    func start(vehicle: SimVehicle, index: Int, inbox: SimInbox, now: FleetTime) async throws {
        try await client.connect()
        forwarder.withLock { $0 = inbox.forward(client, vehicle: index) }
        try await client.subscribe(SimTopics.vehicle(id, .order))
        try await client.subscribe(SimTopics.vehicle(id, .instantActions))
        try await publishConnection(.online, now: now)
        try publish(vehicle.factsheet(at: now), now: now)
    }

    /// Publishes a message on its topic with the spec's QoS and retain flag, stamping the header.
    func publish<M: VDA5050Message>(_ message: M, now: FleetTime) throws {
        let stamped = counters.stamp(message, at: VDA5050Timestamp(millisecondsSince1970: now.milliseconds))
        try client.publish(
            topic: SimTopics.vehicle(id, M.topic), payload: try codec.encode(stamped),
            qos: M.topic.qos == 1 ? .atLeastOnce : .atMostOnce, retain: M.topic.retained)
        published.add(1, ordering: .relaxed)
    }

    /// Publishes a connection state (retained, QoS 1) and waits for the broker's acknowledgement.
    func publishConnection(_ state: VDA5050.ConnectionState, now: FleetTime) async throws {
        let message = counters.stamp(
            Connection(manufacturer: id.manufacturer, serialNumber: id.serialNumber, connectionState: state),
            at: VDA5050Timestamp(millisecondsSince1970: now.milliseconds))
        try await client.publishAndWait(
            topic: SimTopics.vehicle(id, .connection), payload: try codec.encode(message), qos: .atLeastOnce,
            retain: true)
        published.add(1, ordering: .relaxed)
    }

    /// Publishes OFFLINE and disconnects gracefully (so the broker does not send the will).
    func stop(now: FleetTime) async {
        try? await publishConnection(.offline, now: now)
        await client.disconnect()
        forwarder.withLock { $0?.cancel() }
    }
}
