import Testing

@testable import FleetMQTT

@Suite("Payload recycling")
struct PayloadRecyclingTests {
    /// Pushes one message as the network thread does, from raw bytes and a C topic.
    func push(_ inbox: MessageInbox, _ topic: String, _ bytes: [UInt8]) {
        var name = Array(topic.utf8CString)
        name.withUnsafeMutableBufferPointer { t in
            bytes.withUnsafeBytes { inbox.push(topic: t.baseAddress!, payload: $0, qos: .atMostOnce, retain: false) }
        }
    }

    func payload(_ round: Int, _ k: Int, size: Int = 900) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ 31 &* k &+ 7 &* round) }
    }

    @Test("nextBatch(into:) hands payload storage back and later messages still carry their own bytes")
    func reusesPayloads() async {
        let inbox = MessageInbox(policy: .unbounded)
        var iterator = MQTTMessages(inbox: inbox).makeAsyncIterator()
        var batch: [MQTTMessage] = []
        var addresses: [Set<Int>] = []
        for round in 0..<4 {
            for k in 0..<50 { push(inbox, "uagv/v2/acme/AMR-\(k)/state", payload(round, k)) }
            #expect(await iterator.nextBatch(into: &batch))
            #expect(batch.count == 50)
            for (k, message) in batch.enumerated() {
                #expect(message.topic == "uagv/v2/acme/AMR-\(k)/state")
                #expect(message.payload == payload(round, k), "round \(round) message \(k)")
            }
            addresses.append(Set(batch.map { $0.payload.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } }))
            if round > 0 {
                // The previous batch's 50 arrays came back with this take.
                #expect(inbox.spareCounts.arrays == 50)
            }
            if round > 1 {
                // This round's payloads were copied into the arrays of two rounds ago.
                #expect(addresses[round] == addresses[round - 2])
            }
        }
        for k in 0..<10 { push(inbox, "t", payload(9, k)) }
        #expect(await iterator.nextBatch(into: &batch))
        // 10 of the 50 spares were reused for these messages, and the last round's 50 came back.
        #expect(inbox.spareCounts.arrays == 90)
        #expect(inbox.spareCounts.bytes >= 90 * 900)
    }

    @Test("a payload the consumer keeps is not overwritten when its storage would be reused")
    func keptPayloadIsIntact() async {
        let inbox = MessageInbox(policy: .unbounded)
        var iterator = MQTTMessages(inbox: inbox).makeAsyncIterator()
        var batch: [MQTTMessage] = []
        push(inbox, "a", payload(0, 0))
        push(inbox, "b", payload(0, 1))
        #expect(await iterator.nextBatch(into: &batch))
        let kept = batch[0].payload
        let keptMessage = batch[1]
        push(inbox, "c", payload(1, 0))
        push(inbox, "d", payload(1, 1))
        #expect(await iterator.nextBatch(into: &batch))
        #expect(kept == payload(0, 0))
        #expect(keptMessage.payload == payload(0, 1) && keptMessage.topic == "b")
        #expect(batch.map(\.topic) == ["c", "d"])
        #expect(batch.map(\.payload) == [payload(1, 0), payload(1, 1)])
    }

    @Test("the spare pool is bounded in bytes and skips large payloads; empty payloads work")
    func bounded() async {
        let inbox = MessageInbox(policy: .unbounded)
        var iterator = MQTTMessages(inbox: inbox).makeAsyncIterator()
        var batch: [MQTTMessage] = []
        let big = [UInt8](repeating: 1, count: MessageInbox.maxSpareCapacity + 1)
        push(inbox, "big", big)
        for k in 0..<200 { push(inbox, "t", payload(0, k, size: 32 << 10)) }
        push(inbox, "empty", [])
        #expect(await iterator.nextBatch(into: &batch))
        #expect(batch.count == 202 && batch[0].payload == big && batch[201].payload.isEmpty)
        inbox.finish()
        #expect(await iterator.nextBatch(into: &batch) == false)
        let spares = inbox.spareCounts
        #expect(spares.bytes <= MessageInbox.maxSpareBytes)
        #expect(spares.arrays > 0 && spares.arrays < 200)
    }
}
