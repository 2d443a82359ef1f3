import Testing

@testable import VDA5050

@Suite("Header counters")
struct HeaderCounterTests {
    let stateKey = HeaderCounterKey(manufacturer: "acme", serialNumber: "AMR-1", topic: .state)
    let orderKey = HeaderCounterKey(manufacturer: "acme", serialNumber: "AMR-1", topic: .order)
    let otherRobot = HeaderCounterKey(manufacturer: "acme", serialNumber: "AMR-2", topic: .order)

    @Test("starts at 0 and counts per robot and topic")
    func perKey() {
        var counter = HeaderCounter()
        #expect(counter.next(for: orderKey) == 0)
        #expect(counter.next(for: orderKey) == 1)
        #expect(counter.next(for: stateKey) == 0)
        #expect(counter.next(for: otherRobot) == 0)
        #expect(counter.next(for: orderKey) == 2)
        #expect(counter.peek(for: orderKey) == 3)
    }

    @Test("wraps after UInt32.max")
    func wraps() {
        var counter = HeaderCounter()
        counter.setNext(UInt32.max - 1, for: orderKey)
        #expect(counter.next(for: orderKey) == UInt32.max - 1)
        #expect(counter.next(for: orderKey) == UInt32.max)
        #expect(counter.next(for: orderKey) == 0)
    }

    @Test("stamping fills the header")
    func stamp() {
        var counter = HeaderCounter()
        var order = TestSupport.order()
        order.version = "0.0.0"
        let now = VDA5050Timestamp(millisecondsSince1970: 42)
        counter.stamp(&order, manufacturer: "kit", serialNumber: "0001", at: now)
        #expect(order.headerId == 0 && order.timestamp == now && order.version == VDA5050Version.current)
        #expect(order.manufacturer == "kit" && order.serialNumber == "0001")
        counter.stamp(&order, at: now)
        #expect(order.headerId == 1)
        #expect(counter.peek(for: HeaderCounterKey(manufacturer: "kit", serialNumber: "0001", topic: .order)) == 2)
    }

    @Test("the shared counters hand out every id exactly once under concurrency")
    func concurrent() async {
        let counters = HeaderCounters()
        let key = orderKey
        let ids = await withTaskGroup(of: [UInt32].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<1000).map { _ in counters.next(for: key) } }
            }
            var all: [UInt32] = []
            for await part in group { all += part }
            return all
        }
        #expect(ids.count == 8000)
        #expect(Set(ids) == Set(0..<8000))
        let stamped = counters.stamp(
            InstantActions(manufacturer: "x", serialNumber: "y", actions: []), manufacturer: "acme",
            serialNumber: "AMR-1", at: TestSupport.t0)
        #expect(stamped.headerId == 0 && stamped.serialNumber == "AMR-1")
        #expect(counters.stamp(stamped, at: TestSupport.t0).headerId == 1)
    }
}
