/// Everything that can go wrong in ``MQTTClient``; each case says what failed and why.
public enum MQTTError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration cannot be used (bad port, missing TLS file, capacity below 1, ...).
    case invalidConfiguration(String)
    /// The network connection to `address` (`host:port`) could not be established.
    case connectFailed(address: String, reason: String)
    /// The broker at `address` answered CONNECT with a refusal (bad credentials, not authorised, ...).
    case connectionRefused(address: String, reason: String)
    /// `operation` did not complete within `after`.
    case timedOut(operation: String, after: Duration)
    /// `operation` needs a connection and the client is not connected.
    case notConnected(operation: String)
    /// The call does not fit the client's state (for example a second concurrent `connect`).
    case invalidOperation(String)
    /// A publish topic is malformed; nothing was sent.
    case invalidTopic(String, reason: String)
    /// A subscription filter is malformed; nothing was sent.
    case invalidTopicFilter(String, reason: String)
    /// Subscribing to `filter` failed before the broker answered.
    case subscribeFailed(filter: String, reason: String)
    /// The broker refused the subscription to `filter`; `code` is the SUBACK return code (0x80 and up).
    case subscriptionRefused(filter: String, code: Int)
    /// Unsubscribing from `filter` failed.
    case unsubscribeFailed(filter: String, reason: String)
    /// Publishing to `topic` failed.
    case publishFailed(topic: String, reason: String)
    /// The client was closed with ``MQTTClient/disconnect()`` and cannot be used again.
    case clientClosed

    /// A message a user can act on, for example `connect to 127.0.0.1:1884 failed: connection refused`.
    public var description: String {
        switch self {
        case .invalidConfiguration(let text): "invalid MQTT configuration: \(text)"
        case .connectFailed(let address, let reason): "connect to \(address) failed: \(reason)"
        case .connectionRefused(let address, let reason): "connect to \(address) refused by broker: \(reason)"
        case .timedOut(let operation, let after): "\(operation) timed out after \(after)"
        case .notConnected(let operation): "\(operation) failed: not connected to the broker"
        case .invalidOperation(let text): text
        case .invalidTopic(let topic, let reason): "invalid topic '\(topic)': \(reason)"
        case .invalidTopicFilter(let filter, let reason): "invalid topic filter '\(filter)': \(reason)"
        case .subscribeFailed(let filter, let reason): "subscribe to '\(filter)' failed: \(reason)"
        case .subscriptionRefused(let filter, let code):
            "subscribe to '\(filter)' failed: refused by broker (SUBACK return code 0x\(String(code, radix: 16)))"
        case .unsubscribeFailed(let filter, let reason): "unsubscribe from '\(filter)' failed: \(reason)"
        case .publishFailed(let topic, let reason): "publish to '\(topic)' failed: \(reason)"
        case .clientClosed: "the MQTT client has been disconnected and cannot be used again; create a new client"
        }
    }
}
