import Synchronization

/// What a header counter counts: one robot's messages on one topic.
public struct HeaderCounterKey: Sendable, Hashable {
    /// The robot's manufacturer.
    public var manufacturer: String
    /// The robot's serial number.
    public var serialNumber: String
    /// The topic.
    public var topic: VDA5050Topic

    /// Creates a key.
    public init(manufacturer: String, serialNumber: String, topic: VDA5050Topic) {
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.topic = topic
    }
}

/// `headerId` counters, one per (manufacturer, serialNumber, topic) (2.1 §6.4: "incremented by 1 with each sent
/// message", per topic).
///
/// The first message on a key gets `headerId` 0: the spec fixes no start value, and 0 makes "nothing sent yet"
/// and "first message" distinguishable from a counter that has wrapped. After `UInt32.max` the counter wraps to 0.
/// A value type; share it between threads through ``HeaderCounters``.
public struct HeaderCounter: Sendable, Hashable {
    private var nextIds: [HeaderCounterKey: UInt32] = [:]

    /// Creates counters that all start at 0.
    public init() {}

    /// Returns the next `headerId` for the key (0 first) and advances the counter, wrapping after `UInt32.max`.
    ///
    /// - Parameter key: Robot and topic.
    /// - Returns: The `headerId` to send.
    public mutating func next(for key: HeaderCounterKey) -> UInt32 {
        let id = nextIds[key, default: 0]
        nextIds[key] = id &+ 1
        return id
    }

    /// The `headerId` the next message on the key will get, without advancing.
    ///
    /// - Parameter key: Robot and topic.
    /// - Returns: The next `headerId`.
    public func peek(for key: HeaderCounterKey) -> UInt32 {
        nextIds[key, default: 0]
    }

    /// Sets the `headerId` the next message on the key will get (e.g. to continue after a restart).
    ///
    /// - Parameters:
    ///   - value: The next `headerId`.
    ///   - key: Robot and topic.
    public mutating func setNext(_ value: UInt32, for key: HeaderCounterKey) {
        nextIds[key] = value
    }

    /// Fills a message's header: the next `headerId` for its robot and topic, the timestamp and the protocol
    /// version; `manufacturer` and `serialNumber` are taken from the message.
    ///
    /// - Parameters:
    ///   - message: The message to stamp.
    ///   - timestamp: The send time.
    ///   - version: The protocol version, by default ``VDA5050Version/current``.
    public mutating func stamp<M: VDA5050Message>(
        _ message: inout M, at timestamp: VDA5050Timestamp, version: String = VDA5050Version.current
    ) {
        let key = HeaderCounterKey(
            manufacturer: message.manufacturer, serialNumber: message.serialNumber, topic: M.topic)
        message.headerId = next(for: key)
        message.timestamp = timestamp
        message.version = version
    }

    /// Fills a message's header for a given robot: sets `manufacturer` and `serialNumber`, then stamps it as
    /// ``stamp(_:at:version:)`` does.
    ///
    /// - Parameters:
    ///   - message: The message to stamp.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - timestamp: The send time.
    ///   - version: The protocol version.
    public mutating func stamp<M: VDA5050Message>(
        _ message: inout M, manufacturer: String, serialNumber: String, at timestamp: VDA5050Timestamp,
        version: String = VDA5050Version.current
    ) {
        message.manufacturer = manufacturer
        message.serialNumber = serialNumber
        stamp(&message, at: timestamp, version: version)
    }
}

/// Thread-safe `headerId` counters: a ``HeaderCounter`` behind a `Mutex`, for publishers on several threads.
public final class HeaderCounters: Sendable {
    private let state = Mutex(HeaderCounter())

    /// Creates counters that all start at 0.
    public init() {}

    /// Returns the next `headerId` for the key (0 first) and advances the counter, wrapping after `UInt32.max`.
    ///
    /// - Parameter key: Robot and topic.
    /// - Returns: The `headerId` to send.
    public func next(for key: HeaderCounterKey) -> UInt32 {
        state.withLock { $0.next(for: key) }
    }

    /// Sets the `headerId` the next message on the key will get.
    ///
    /// - Parameters:
    ///   - value: The next `headerId`.
    ///   - key: Robot and topic.
    public func setNext(_ value: UInt32, for key: HeaderCounterKey) {
        state.withLock { $0.setNext(value, for: key) }
    }

    /// Returns the message with its header filled: next `headerId`, timestamp and version.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - timestamp: The send time.
    ///   - version: The protocol version.
    /// - Returns: The stamped message.
    public func stamp<M: VDA5050Message>(
        _ message: M, at timestamp: VDA5050Timestamp, version: String = VDA5050Version.current
    ) -> M {
        var message = message
        state.withLock { $0.stamp(&message, at: timestamp, version: version) }
        return message
    }

    /// Returns the message with its header filled for the given robot: `manufacturer`, `serialNumber`, next
    /// `headerId`, timestamp and version.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - timestamp: The send time.
    ///   - version: The protocol version.
    /// - Returns: The stamped message.
    public func stamp<M: VDA5050Message>(
        _ message: M, manufacturer: String, serialNumber: String, at timestamp: VDA5050Timestamp,
        version: String = VDA5050Version.current
    ) -> M {
        var message = message
        state.withLock {
            $0.stamp(&message, manufacturer: manufacturer, serialNumber: serialNumber, at: timestamp, version: version)
        }
        return message
    }
}
