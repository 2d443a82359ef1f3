import Foundation
import Testing

@testable import FleetMQTT

@Suite("FleetMQTT internals")
struct FleetMQTTUnitTests {
    @Test("an acknowledgement that overtakes its registration is parked and claimed")
    func earlyAcknowledgement() async {
        var pending = PendingOperations()
        let result = await withCheckedContinuation { (continuation: PendingOperations.Continuation) in
            pending.beginRegistration()
            // The network thread sees the SUBACK before the caller registers mid 7.
            #expect(pending.acknowledge(mid: 7, .subscribed(granted: 1)) == nil)
            let kind = PendingOperations.Kind.subscribe(filter: "a/#", qos: .atLeastOnce)
            let waiter = PendingOperations.Waiter(token: pending.makeToken(), kind: kind, continuation: continuation)
            let early = pending.register(mid: 7, waiter: waiter)
            continuation.resume(returning: early.map { kind.result(of: $0) } ?? .failure(.clientClosed))
        }
        #expect((try? result.get()) != nil)
        #expect(pending.waiters.isEmpty && pending.registering == 0)
        // Without a registration in progress, a stray acknowledgement is not kept.
        #expect(pending.acknowledge(mid: 9, .published(reasonCode: 0)) == nil)
        #expect(pending.remove(token: 1) == nil)
    }

    @Test("SUBACK failure codes and PUBACK reason codes become errors")
    func acknowledgementResults() {
        let subscribe = PendingOperations.Kind.subscribe(filter: "x", qos: .atMostOnce)
        #expect(throws: MQTTError.subscriptionRefused(filter: "x", code: 0x80)) {
            try subscribe.result(of: .subscribed(granted: 0x80)).get()
        }
        #expect(throws: MQTTError.self) {
            try PendingOperations.Kind.publish(topic: "t").result(of: .published(reasonCode: 0x87)).get()
        }
        #expect((try? PendingOperations.Kind.unsubscribe(filter: "x").result(of: .unsubscribed).get()) != nil)
    }

    @Test("dropOldest keeps the newest messages in order across compactions")
    func dropOldest() {
        let inbox = MessageInbox(policy: .dropOldest(3))
        for index in 0..<100 { inbox.push(MQTTMessage(topic: "t", payload: [UInt8(index)])) }
        var batch: [MQTTMessage] = []
        #expect(inbox.take(into: &batch))
        #expect(batch.map { $0.payload[0] } == [97, 98, 99])
        #expect(inbox.droppedCount == 97 && inbox.receivedCount == 100 && inbox.bufferedCount == 0)
        inbox.finish()
        batch = []
        #expect(!inbox.take(into: &batch))
    }

    @Test("libmosquitto result codes read as sentences")
    func reasons() {
        #expect(MosquittoSession.reason(for: 14, errno: ECONNREFUSED) == "connection refused")
        #expect(MosquittoSession.reason(for: 8, errno: 0) == "a TLS error occurred")
        #expect(MosquittoSession.connackReason(5) == "not authorised")
        #expect(MosquittoSession.connackReason(134) == "bad username or password")
    }
}
