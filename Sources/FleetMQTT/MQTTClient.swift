import Logging

/// An MQTT 3.1.1 / 5 client over libmosquitto: connect (TLS, credentials, last will), subscribe, publish,
/// receive messages as an `AsyncSequence`, and reconnect automatically.
///
/// ```swift
/// let client = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "fleetd"))
/// try await client.connect()
/// try await client.subscribe("uagv/v2/+/+/state")
/// for await message in client.messages { handle(message) }
/// ```
///
/// Each client runs one network thread. Call ``disconnect()`` to close it; dropping the last reference closes
/// it as well (synchronously, so prefer `disconnect()` in async code).
public final class MQTTClient: Sendable {
    private let session: MosquittoSession

    /// Creates a client; nothing is sent before ``connect(timeout:)``.
    /// - Parameters:
    ///   - configuration: Broker address, identity and options.
    ///   - logger: Where connection changes are logged (messages themselves are never logged).
    /// - Throws: ``MQTTError/invalidConfiguration(_:)`` if libmosquitto rejects a setting (e.g. a TLS file).
    public init(configuration: MQTTConfiguration, logger: Logger = Logger(label: "fleetpilot.mqtt")) throws(MQTTError) {
        session = try MosquittoSession(configuration: configuration, logger: logger)
    }

    deinit {
        session.shutdown()
    }

    /// The configuration the client was created with.
    public var configuration: MQTTConfiguration { session.configuration }

    /// Connects and returns once the broker accepted the connection (CONNACK success).
    ///
    /// Returns at once if already connected. After a failure the call may be repeated.
    /// - Parameter timeout: How long to wait for CONNACK, 10 s by default.
    /// - Throws: ``MQTTError/connectFailed(address:reason:)`` (e.g. `connection refused`),
    ///   ``MQTTError/connectionRefused(address:reason:)`` (e.g. `bad username or password`),
    ///   ``MQTTError/timedOut(operation:after:)`` or ``MQTTError/clientClosed``.
    public func connect(timeout: Duration = .seconds(10)) async throws(MQTTError) {
        try await session.connect(timeout: timeout).get()
    }

    /// Subscribes to a topic filter and waits for the broker's SUBACK.
    ///
    /// The subscription is renewed automatically after every reconnect.
    /// - Parameters:
    ///   - filter: A topic filter; `+` and `#` must fill whole levels, `#` only last.
    ///   - qos: The maximum QoS to receive at.
    /// - Throws: ``MQTTError/invalidTopicFilter(_:reason:)``, ``MQTTError/subscriptionRefused(filter:code:)``
    ///   when the broker answers 0x80, ``MQTTError/notConnected(operation:)``, or a timeout.
    public func subscribe(_ filter: String, qos: MQTTQoS = .atMostOnce) async throws(MQTTError) {
        try TopicValidator.validateFilter(filter)
        try await session.subscribe(filter, qos: qos).get()
    }

    /// Unsubscribes from a topic filter and waits for UNSUBACK; the filter is no longer renewed.
    /// - Parameter filter: The filter exactly as subscribed.
    /// - Throws: ``MQTTError/invalidTopicFilter(_:reason:)``, ``MQTTError/notConnected(operation:)``, or a timeout.
    public func unsubscribe(_ filter: String) async throws(MQTTError) {
        try TopicValidator.validateFilter(filter)
        try await session.unsubscribe(filter).get()
    }

    /// Queues a message for publication and returns at once (the fast path, especially for QoS 0).
    ///
    /// QoS 1 and 2 messages queued while the connection is down are sent after the reconnect.
    /// - Parameters:
    ///   - topic: The topic name (no wildcards, not empty).
    ///   - payload: The payload bytes.
    ///   - qos: The QoS, 0 by default.
    ///   - retain: Whether the broker retains the message.
    /// - Throws: ``MQTTError/invalidTopic(_:reason:)``, ``MQTTError/notConnected(operation:)`` or
    ///   ``MQTTError/publishFailed(topic:reason:)``.
    public func publish(
        topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false
    ) throws(MQTTError) {
        try TopicValidator.validateTopic(topic)
        try session.publish(topic: topic, payload: payload, qos: qos, retain: retain)
    }

    /// Queues a UTF-8 text message for publication and returns at once.
    /// - Parameters:
    ///   - topic: The topic name.
    ///   - string: The payload text, sent as UTF-8.
    ///   - qos: The QoS, 0 by default.
    ///   - retain: Whether the broker retains the message.
    /// - Throws: As ``publish(topic:payload:qos:retain:)``.
    public func publish(topic: String, string: String, qos: MQTTQoS = .atMostOnce, retain: Bool = false)
        throws(MQTTError)
    {
        try publish(topic: topic, payload: Array(string.utf8), qos: qos, retain: retain)
    }

    /// Publishes and, for QoS 1 and 2, waits until the broker acknowledged (PUBACK or PUBCOMP).
    ///
    /// For QoS 0 this is ``publish(topic:payload:qos:retain:)``.
    /// - Parameters:
    ///   - topic: The topic name.
    ///   - payload: The payload bytes.
    ///   - qos: The QoS, 1 by default.
    ///   - retain: Whether the broker retains the message.
    /// - Throws: As ``publish(topic:payload:qos:retain:)``, plus a timeout after
    ///   ``MQTTConfiguration/operationTimeout``.
    public func publishAndWait(
        topic: String, payload: [UInt8], qos: MQTTQoS = .atLeastOnce, retain: Bool = false
    ) async throws(MQTTError) {
        try TopicValidator.validateTopic(topic)
        try await session.publishAndWait(topic: topic, payload: payload, qos: qos, retain: retain).get()
    }

    /// Publishes UTF-8 text and waits for the acknowledgement (QoS 1 by default).
    /// - Parameters:
    ///   - topic: The topic name.
    ///   - string: The payload text.
    ///   - qos: The QoS, 1 by default.
    ///   - retain: Whether the broker retains the message.
    /// - Throws: As ``publishAndWait(topic:payload:qos:retain:)``.
    public func publishAndWait(
        topic: String, string: String, qos: MQTTQoS = .atLeastOnce, retain: Bool = false
    ) async throws(MQTTError) {
        try await publishAndWait(topic: topic, payload: Array(string.utf8), qos: qos, retain: retain)
    }

    /// The received messages; consume with one `for await` loop. Ends after ``disconnect()``.
    public var messages: MQTTMessages { MQTTMessages(inbox: session.inbox) }

    /// Connection changes (connected, disconnected, reconnecting, ...); one consumer. Finishes after
    /// ``disconnect()``. Keeps the newest 256 events when nobody reads.
    public var events: AsyncStream<MQTTConnectionEvent> { session.events }

    /// Messages dropped by the buffering policy because the consumer fell behind.
    public var droppedMessageCount: Int { session.inbox.droppedCount }

    /// Messages received from the broker, including dropped ones.
    public var receivedMessageCount: Int { session.inbox.receivedCount }

    /// Messages received and not yet taken by the consumer of ``messages``.
    public var bufferedMessageCount: Int { session.inbox.bufferedCount }

    /// Whether the client is connected right now (a snapshot).
    public var isConnected: Bool { session.state.withLock { $0.phase == .connected } }

    /// Disconnects gracefully (DISCONNECT, so no last will), joins the network thread, fails pending
    /// operations with ``MQTTError/clientClosed`` and ends ``messages`` and ``events``. Idempotent.
    public func disconnect() async {
        session.shutdown()
    }
}
