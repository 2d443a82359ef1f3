/// One application message received from the broker.
public struct MQTTMessage: Sendable, Hashable {
    /// The topic the message was published to.
    public var topic: String
    /// The payload bytes, copied once out of libmosquitto's buffer.
    public var payload: [UInt8]
    /// The QoS at which the broker delivered the message.
    public var qos: MQTTQoS
    /// Whether the broker delivered the message from its retained store (a late subscriber's copy).
    public var retain: Bool

    /// Creates a message value.
    /// - Parameters:
    ///   - topic: The topic name.
    ///   - payload: The payload bytes.
    ///   - qos: The delivery QoS.
    ///   - retain: Whether the message came from the retained store.
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }

    /// The payload decoded as UTF-8 (invalid sequences are replaced by U+FFFD).
    public var payloadString: String { String(decoding: payload, as: UTF8.self) }
}

/// A change in the state of a client's connection, delivered on ``MQTTClient/events``.
public enum MQTTConnectionEvent: Sendable, Hashable, CustomStringConvertible {
    /// The broker accepted the connection (CONNACK success); `sessionPresent` is the CONNACK flag.
    case connected(sessionPresent: Bool)
    /// An established connection was lost; `reason` says why (for example `the connection was lost`).
    case disconnected(reason: String)
    /// The client will try to reconnect after `delay`; `attempt` counts from 1 since the last success.
    case reconnecting(attempt: Int, delay: Duration)
    /// A reconnect attempt failed; another follows after the backoff delay.
    case reconnectFailed(reason: String)
    /// ``MQTTClient/disconnect()`` closed the client; no further events follow.
    case closed

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .connected(let sessionPresent): "connected (session present: \(sessionPresent))"
        case .disconnected(let reason): "disconnected: \(reason)"
        case .reconnecting(let attempt, let delay): "reconnecting (attempt \(attempt)) in \(delay)"
        case .reconnectFailed(let reason): "reconnect failed: \(reason)"
        case .closed: "closed"
        }
    }
}
