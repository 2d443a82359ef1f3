import Synchronization

/// The buffer between libmosquitto's network thread (producer) and the consumer of ``MQTTMessages``.
///
/// The hot path is one lock per message on the producer side and one lock per *batch* on the consumer side:
/// the consumer swaps the whole buffer out and then iterates it without locking. A suspended consumer is
/// resumed only when it is actually waiting.
final class MessageInbox: Sendable {
    typealias Waiter = UnsafeContinuation<Void, Never>

    struct State: ~Copyable {
        /// Buffered messages; those before `head` were dropped by `.dropOldest` and await compaction.
        var buffer: [MQTTMessage] = []
        var head = 0
        var received = 0
        var dropped = 0
        var finished = false
        /// The usual single consumer; further concurrent consumers go to `otherWaiters`.
        var waiter: (id: UInt64, continuation: Waiter)?
        var otherWaiters: [(id: UInt64, continuation: Waiter)] = []
        var nextWaiterID: UInt64 = 0

        var bufferedCount: Int { buffer.count - head }
    }

    let policy: MQTTBufferingPolicy
    private let state = Mutex(State())

    init(policy: MQTTBufferingPolicy) {
        self.policy = policy
    }

    /// Appends a message (network thread), applying the buffering policy.
    ///
    /// Does not wake the consumer: the network thread calls ``wakeConsumers()`` once after each read burst,
    /// so a consumer that keeps up is woken once per burst instead of once per message.
    func push(_ message: MQTTMessage) {
        state.withLock { state in
            if state.finished { return }
            state.received += 1
            switch policy {
            case .unbounded:
                state.buffer.append(message)
            case .dropNewest(let capacity):
                if state.bufferedCount >= capacity {
                    state.dropped += 1
                    return
                }
                state.buffer.append(message)
            case .dropOldest(let capacity):
                if state.bufferedCount >= capacity {
                    state.head += 1
                    state.dropped += 1
                    if state.head >= capacity {
                        state.buffer.removeFirst(state.head)
                        state.head = 0
                    }
                }
                state.buffer.append(message)
            }
        }
    }

    /// Resumes a suspended consumer if messages are buffered (network thread, after each loop iteration).
    func wakeConsumers() {
        let (first, others) = state.withLock { state -> (Waiter?, [(id: UInt64, continuation: Waiter)]) in
            guard state.bufferedCount > 0 else { return (nil, []) }
            return Self.takeWaiters(&state)
        }
        first?.resume()
        for waiter in others { waiter.continuation.resume() }
    }

    /// Ends the sequence: consumers drain what is buffered, then get `nil`.
    func finish() {
        let (first, others) = state.withLock { state in
            state.finished = true
            return Self.takeWaiters(&state)
        }
        first?.resume()
        for waiter in others { waiter.continuation.resume() }
    }

    /// Moves every buffered message into `batch` (which must be empty). Returns `false` if the inbox is
    /// finished and empty.
    func take(into batch: inout [MQTTMessage]) -> Bool {
        state.withLock { state in
            if state.head == 0 {
                swap(&state.buffer, &batch)
            } else {
                batch.append(contentsOf: state.buffer[state.head...])
                state.buffer.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return !batch.isEmpty || !state.finished
        }
    }

    /// Suspends until a message is buffered, the inbox finishes or the task is cancelled.
    func waitForMessages(isolation: isolated (any Actor)? = #isolation) async {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: Waiter) in
                let resumeNow = state.withLock { state in
                    if state.bufferedCount > 0 || state.finished || Task.isCancelled { return true }
                    if state.waiter == nil {
                        state.waiter = (id, continuation)
                    } else {
                        state.otherWaiters.append((id, continuation))
                    }
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Waiter? in
                if let waiter = state.waiter, waiter.id == id {
                    state.waiter = nil
                    return waiter.continuation
                }
                if let index = state.otherWaiters.firstIndex(where: { $0.id == id }) {
                    return state.otherWaiters.remove(at: index).continuation
                }
                return nil
            }
            cancelled?.resume()
        }
    }

    /// Messages accepted into the buffer or dropped, since the client was created.
    var receivedCount: Int { state.withLock { $0.received } }
    /// Messages dropped by the buffering policy.
    var droppedCount: Int { state.withLock { $0.dropped } }
    /// Messages buffered and not yet taken by a consumer.
    var bufferedCount: Int { state.withLock { $0.bufferedCount } }

    private static func takeWaiters(
        _ state: inout State
    ) -> (Waiter?, [(id: UInt64, continuation: Waiter)]) {
        let first = state.waiter?.continuation
        state.waiter = nil
        if state.otherWaiters.isEmpty { return (first, []) }
        defer { state.otherWaiters = [] }
        return (first, state.otherWaiters)
    }
}
