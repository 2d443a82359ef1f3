/// The incoming messages of one ``MQTTClient``, as an `AsyncSequence`.
///
/// Meant for a single consumer (one `for await` loop); several concurrent consumers each get some of the
/// messages. The sequence ends after ``MQTTClient/disconnect()`` once the buffered messages are consumed.
/// A consumer that falls behind is governed by ``MQTTConfiguration/bufferingPolicy``.
///
/// The iterator takes all buffered messages in one step and hands them out one by one without locking,
/// so a busy consumer pays for synchronisation once per batch, not once per message.
public struct MQTTMessages: AsyncSequence, Sendable {
    /// Each element is one received message.
    public typealias Element = MQTTMessage
    /// The sequence never throws; it ends instead.
    public typealias Failure = Never

    let inbox: MessageInbox

    /// Creates the iterator; use one per consumer.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(inbox: inbox)
    }

    /// Iterates over the messages; not `Sendable`, keep it in one task.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: MessageInbox
        var batch: [MQTTMessage] = []
        var index = 0
        /// Payload arrays of the previous `nextBatch(into:)` batch, handed back to the inbox with the next take.
        var spares: [[UInt8]] = []

        /// The next message; `nil` when the client was disconnected (or the task cancelled) and nothing is left.
        public mutating func next() async -> MQTTMessage? {
            await next(isolation: nil)
        }

        /// The next message without leaving the caller's actor; `nil` at the end of the sequence.
        /// - Parameter actor: The caller's isolation, passed implicitly by `for await`.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> MQTTMessage? {
            if index < batch.count {
                defer { index += 1 }
                return batch[index]
            }
            guard await refill(isolation: actor) else { return nil }
            index = 1
            return batch[0]
        }

        /// Every message buffered right now (waiting for at least one), in arrival order; `nil` at the end.
        ///
        /// Cheaper than `next()` per message when the consumer processes messages in groups.
        /// - Parameter actor: The caller's isolation.
        public mutating func nextBatch(isolation actor: isolated (any Actor)? = #isolation) async -> [MQTTMessage]? {
            if index < batch.count {
                let rest = Array(batch[index...])
                batch.removeAll(keepingCapacity: true)
                index = 0
                return rest
            }
            guard await refill(isolation: actor) else { return nil }
            let result = batch
            batch = []
            index = 0
            return result
        }

        /// Replaces the contents of `messages` with every message buffered right now (waiting for at least one),
        /// in arrival order; `false` at the end of the sequence.
        ///
        /// The cheapest way to consume: the array's storage is handed back to the client for the next batch,
        /// and so are the payload arrays of the messages it held (up to a few MiB), which the network thread
        /// copies later payloads into; a consumer that keeps passing the same array allocates no buffers once
        /// it is warmed up. A payload kept elsewhere stays intact (copy-on-write), it is just not reused.
        /// - Parameters:
        ///   - messages: The array to fill; its previous contents are removed.
        ///   - actor: The caller's isolation.
        public mutating func nextBatch(
            into messages: inout [MQTTMessage], isolation actor: isolated (any Actor)? = #isolation
        ) async -> Bool {
            if !messages.isEmpty { harvestPayloads(of: &messages) }
            messages.removeAll(keepingCapacity: true)
            if index < batch.count {
                messages.append(contentsOf: batch[index...])
                batch.removeAll(keepingCapacity: true)
                index = 0
                return true
            }
            while true {
                guard inbox.take(into: &messages, returning: &spares) else { return false }
                if !messages.isEmpty { return true }
                if Task.isCancelled { return false }
                await inbox.waitForMessages(isolation: actor)
            }
        }

        /// Moves the payload arrays of `messages` (small enough to be worth keeping) into `spares`.
        private mutating func harvestPayloads(of messages: inout [MQTTMessage]) {
            spares.reserveCapacity(messages.count)
            for k in messages.indices {
                var payload: [UInt8] = []
                swap(&payload, &messages[k].payload)
                let capacity = payload.capacity
                if capacity > 0, capacity <= MessageInbox.maxSpareCapacity { spares.append(payload) }
            }
        }

        /// Fills `batch` from the inbox, suspending while it is empty; `false` at the end of the sequence.
        private mutating func refill(isolation actor: isolated (any Actor)?) async -> Bool {
            batch.removeAll(keepingCapacity: true)
            index = 0
            while true {
                guard inbox.take(into: &batch) else { return false }
                if !batch.isEmpty { return true }
                if Task.isCancelled { return false }
                await inbox.waitForMessages(isolation: actor)
            }
        }
    }
}
