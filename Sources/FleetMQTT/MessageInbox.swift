import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The buffer between libmosquitto's network thread (producer) and the consumer of ``MQTTMessages``.
///
/// The hot path is one lock per message on the producer side and one lock per *batch* on the consumer side:
/// the consumer swaps the whole buffer out and then iterates it without locking. A suspended consumer is
/// resumed only when it is actually waiting.
///
/// Payload storage is recycled: a consumer that uses `MQTTMessages.AsyncIterator.nextBatch(into:)` hands the
/// payload arrays of its previous batch back (`take(into:returning:)`), and the network thread copies the next
/// payloads into them instead of allocating. Without it every payload was allocated on the network thread and
/// freed on the consumer's, which glibc pays for with cross-thread frees into the network thread's arena.
/// A payload the consumer still holds elsewhere is safe: copy-on-write gives the next message new storage.
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

        /// Topic strings of recent messages, used only under the lock.
        var topics = TopicCache()
        /// Payload arrays handed back by the consumer, for the network thread to copy new payloads into.
        var spares: [[UInt8]] = []
        /// The sum of the capacities of `spares`, at most `MessageInbox.maxSpareBytes`.
        var spareBytes = 0

        var bufferedCount: Int { buffer.count - head }

        /// Appends `message`, applying the buffering policy.
        mutating func append(_ message: MQTTMessage, _ policy: MQTTBufferingPolicy) {
            received += 1
            switch policy {
            case .unbounded:
                buffer.append(message)
            case .dropNewest(let capacity):
                if bufferedCount >= capacity {
                    dropped += 1
                    return
                }
                buffer.append(message)
            case .dropOldest(let capacity):
                if bufferedCount >= capacity {
                    head += 1
                    dropped += 1
                    if head >= capacity {
                        buffer.removeFirst(head)
                        head = 0
                    }
                }
                buffer.append(message)
            }
        }
    }

    /// At most this many bytes of payload storage are kept for reuse (per client).
    static let maxSpareBytes = 4 << 20
    /// Arrays with a larger capacity are freed rather than kept (one large message must not pin its memory).
    static let maxSpareCapacity = 64 << 10

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
            state.append(message, policy)
        }
    }

    /// Appends a message whose topic is the NUL-terminated UTF-8 `topic` (network thread): the topic `String`
    /// comes from the inbox's bounded cache of recent topics, so a repeated topic costs no allocation, and the
    /// payload bytes are copied into a recycled array when the consumer handed one back.
    func push(topic: UnsafePointer<CChar>, payload: UnsafeRawBufferPointer, qos: MQTTQoS, retain: Bool) {
        state.withLock { state in
            if state.finished { return }
            let name = state.topics.string(topic)
            var bytes = state.spares.popLast() ?? []
            if bytes.capacity > 0 {
                state.spareBytes -= bytes.capacity
                // Keeps the storage when it is unique; otherwise (the consumer kept the old payload) it
                // allocates, and the kept payload is untouched.
                bytes.removeAll(keepingCapacity: true)
                bytes.append(contentsOf: payload.assumingMemoryBound(to: UInt8.self))
            } else {
                bytes = [UInt8](payload)
            }
            state.append(MQTTMessage(topic: name, payload: bytes, qos: qos, retain: retain), policy)
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
    ///
    /// `spares` are payload arrays the consumer is done with: as many as fit in `maxSpareBytes` are kept for
    /// the network thread to copy new payloads into; `spares` is left empty.
    func take(into batch: inout [MQTTMessage], returning spares: inout [[UInt8]]) -> Bool {
        state.withLock { state in
            while let spare = spares.popLast() {
                let capacity = spare.capacity
                guard state.spareBytes + capacity <= Self.maxSpareBytes else { break }
                state.spares.append(spare)
                state.spareBytes += capacity
            }
            spares.removeAll(keepingCapacity: true)
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

    /// Moves every buffered message into `batch` (which must be empty); `false` if finished and empty.
    func take(into batch: inout [MQTTMessage]) -> Bool {
        var none: [[UInt8]] = []
        return take(into: &batch, returning: &none)
    }

    /// Payload arrays kept for reuse, and their total capacity in bytes (for tests).
    var spareCounts: (arrays: Int, bytes: Int) { state.withLock { ($0.spares.count, $0.spareBytes) } }

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

/// The `String`s of recently received topics, keyed by their bytes: an open-addressing table (linear probing)
/// that starts small, doubles while more than half full up to `maxSlots` slots, and is emptied when it would
/// hold more than `maxSlots / 2` topics, so it stays bounded and a client that sees few topics keeps it small.
struct TopicCache {
    /// The largest number of slots; at most half of them hold a topic.
    static let maxSlots = 4096
    /// Topics longer than this are not cached.
    static let maxLength = 256

    struct Entry {
        var hash: UInt64
        var topic: String
    }

    private(set) var slots: [Entry?] = []
    private(set) var used = 0

    /// The first slot to probe for `hash` in a table of `count` slots (a power of two).
    static func slot(_ hash: UInt64, _ count: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 40) & (count - 1)
    }

    /// A hash of `count` bytes, eight at a time.
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var k = 0
        let raw = UnsafeRawPointer(bytes)
        while count - k >= 8 {
            h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0x100_0000_01b3
            h ^= h >> 29
            k += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < count {
            tail |= UInt64(bytes[k]) << shift
            shift += 8
            k += 1
        }
        h = (h ^ tail) &* 0x100_0000_01b3
        return h ^ h >> 32
    }

    /// The topic `String` of the NUL-terminated UTF-8 bytes at `raw` (decoded as `String(cString:)` does).
    mutating func string(_ raw: UnsafePointer<CChar>) -> String {
        let count = strlen(raw)
        guard count <= Self.maxLength else { return String(cString: raw) }
        let bytes = UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self)
        let hash = Self.hash(bytes, count)
        if slots.isEmpty { slots = Array(repeating: nil, count: 16) }
        let mask = slots.count - 1
        var slot = Self.slot(hash, slots.count)
        while let entry = slots[slot] {
            if entry.hash == hash,
                entry.topic.utf8.withContiguousStorageIfAvailable({
                    $0.count == count && (count == 0 || memcmp($0.baseAddress!, bytes, count) == 0)
                }) == true
            {
                return entry.topic
            }
            slot = (slot + 1) & mask
        }
        let topic = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        if (used + 1) * 2 > slots.count {
            if slots.count < Self.maxSlots {
                grow()
            } else {
                slots = Array(repeating: nil, count: slots.count)
                used = 0
            }
            slot = Self.slot(hash, slots.count)
            while slots[slot] != nil { slot = (slot + 1) & (slots.count - 1) }
        }
        slots[slot] = Entry(hash: hash, topic: topic)
        used += 1
        return topic
    }

    /// Doubles the table, keeping every entry.
    private mutating func grow() {
        var larger = [Entry?](repeating: nil, count: slots.count * 2)
        let mask = larger.count - 1
        for case let entry? in slots {
            var k = Self.slot(entry.hash, larger.count)
            while larger[k] != nil { k = (k + 1) & mask }
            larger[k] = entry
        }
        slots = larger
    }
}
