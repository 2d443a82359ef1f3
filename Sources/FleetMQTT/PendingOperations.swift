/// Operations waiting for the broker's acknowledgement, keyed by MQTT message id (mid).
///
/// libmosquitto assigns the mid inside `mosquitto_subscribe`/`_publish`, and the acknowledgement can reach the
/// network thread before the caller has registered its waiter. While any registration is in progress
/// (`registering > 0`) acknowledgements without a waiter are parked in `unclaimed`; the caller collects its
/// own from there. Parked entries nobody claims are dropped as soon as no registration is in progress.
struct PendingOperations {
    typealias Continuation = CheckedContinuation<Result<Void, MQTTError>, Never>

    /// What a waiter waits for; used to turn the acknowledgement into a result.
    enum Kind {
        case subscribe(filter: String, qos: MQTTQoS)
        case unsubscribe(filter: String)
        case publish(topic: String)
    }

    /// An acknowledgement from the broker.
    enum Acknowledgement {
        /// SUBACK with the granted QoS (or a failure code of 0x80 and up) of the one filter.
        case subscribed(granted: Int)
        case unsubscribed
        /// PUBACK/PUBCOMP with the MQTT 5 reason code (0 in MQTT 3.1.1).
        case published(reasonCode: Int)
    }

    struct Waiter {
        var token: UInt64
        var kind: Kind
        var continuation: Continuation
    }

    private(set) var waiters: [Int32: Waiter] = [:]
    private var unclaimed: [Int32: Acknowledgement] = [:]
    private(set) var registering = 0
    private var nextToken: UInt64 = 0

    /// A token that identifies one operation (mids are reused; tokens are not).
    mutating func makeToken() -> UInt64 {
        nextToken += 1
        return nextToken
    }

    /// Call before handing an operation to libmosquitto.
    mutating func beginRegistration() { registering += 1 }

    /// Call after libmosquitto returned `mid`. Returns an acknowledgement that already arrived, if any;
    /// otherwise the waiter is stored.
    mutating func register(mid: Int32, waiter: Waiter) -> Acknowledgement? {
        endRegistration()
        if let acknowledgement = unclaimed.removeValue(forKey: mid) {
            clearUnclaimedIfIdle()
            return acknowledgement
        }
        waiters[mid] = waiter
        clearUnclaimedIfIdle()
        return nil
    }

    /// Call when libmosquitto refused the operation, so nothing will be registered.
    mutating func abandonRegistration() {
        endRegistration()
        clearUnclaimedIfIdle()
    }

    /// The network thread received an acknowledgement: returns its waiter, or parks it.
    mutating func acknowledge(mid: Int32, _ acknowledgement: Acknowledgement) -> Waiter? {
        if let waiter = waiters.removeValue(forKey: mid) { return waiter }
        if registering > 0 { unclaimed[mid] = acknowledgement }
        return nil
    }

    /// Removes the waiter with `token` (after its timeout), if it is still waiting.
    mutating func remove(token: UInt64) -> Waiter? {
        guard let mid = waiters.first(where: { $0.value.token == token })?.key else { return nil }
        return waiters.removeValue(forKey: mid)
    }

    /// Removes every waiter matching `predicate`.
    mutating func removeAll(where predicate: (Kind) -> Bool) -> [Waiter] {
        let matching = waiters.filter { predicate($0.value.kind) }
        for mid in matching.keys { waiters[mid] = nil }
        return Array(matching.values)
    }

    private mutating func endRegistration() { registering -= 1 }

    private mutating func clearUnclaimedIfIdle() {
        if registering == 0 && !unclaimed.isEmpty { unclaimed.removeAll() }
    }
}

extension PendingOperations.Kind {
    /// Turns an acknowledgement into the operation's result.
    func result(of acknowledgement: PendingOperations.Acknowledgement) -> Result<Void, MQTTError> {
        switch (self, acknowledgement) {
        case (.subscribe(let filter, _), .subscribed(let granted)):
            granted >= 0x80 ? .failure(.subscriptionRefused(filter: filter, code: granted)) : .success(())
        case (.publish(let topic), .published(let reasonCode)):
            reasonCode >= 0x80
                ? .failure(.publishFailed(topic: topic, reason: "broker answered with reason code \(reasonCode)"))
                : .success(())
        case (.unsubscribe, .unsubscribed):
            .success(())
        default:
            .failure(.invalidOperation("internal error: acknowledgement \(acknowledgement) does not match \(self)"))
        }
    }

    /// The error for this operation when the connection or the client goes away.
    func failure(_ reason: String) -> MQTTError {
        switch self {
        case .subscribe(let filter, _): .subscribeFailed(filter: filter, reason: reason)
        case .unsubscribe(let filter): .unsubscribeFailed(filter: filter, reason: reason)
        case .publish(let topic): .publishFailed(topic: topic, reason: reason)
        }
    }

    /// A short name of the operation for timeout messages.
    var operationName: String {
        switch self {
        case .subscribe(let filter, _): "subscribe to '\(filter)'"
        case .unsubscribe(let filter): "unsubscribe from '\(filter)'"
        case .publish(let topic): "publish to '\(topic)'"
        }
    }
}
