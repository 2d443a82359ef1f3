/// The MQTT quality-of-service level of a publication or subscription.
public enum MQTTQoS: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// QoS 0: fire and forget; the message may be lost.
    case atMostOnce = 0
    /// QoS 1: acknowledged with PUBACK; the message may arrive more than once.
    case atLeastOnce = 1
    /// QoS 2: four-way handshake ending in PUBCOMP; the message arrives exactly once.
    case exactlyOnce = 2

    /// A short label such as `QoS 1`.
    public var description: String { "QoS \(rawValue)" }
}

/// The MQTT protocol version spoken to the broker.
public enum MQTTProtocolVersion: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// MQTT 3.1.1 (protocol level 4).
    case v311
    /// MQTT 5.0 (protocol level 5).
    case v5

    /// `MQTT 3.1.1` or `MQTT 5`.
    public var description: String {
        switch self {
        case .v311: "MQTT 3.1.1"
        case .v5: "MQTT 5"
        }
    }
}
