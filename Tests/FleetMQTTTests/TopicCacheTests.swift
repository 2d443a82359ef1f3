import Testing

@testable import FleetMQTT

@Suite("TopicCache")
struct TopicCacheTests {
    func lookUp(_ cache: inout TopicCache, _ topic: String) -> String {
        var bytes = Array(topic.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cache.string($0.baseAddress!) }
        }
    }

    @Test("returns the topic's text, for new and repeated topics, empty, long and non-ASCII ones")
    func returnsTheTopic() {
        var cache = TopicCache()
        let topics = [
            "uagv/v2/acme/AMR-00001/state", "uagv/v2/acme/AMR-00002/state", "", "a", "ä/ö/🚗",
            String(repeating: "x", count: 300), "uagv/v2/acme/AMR-00001/connection",
        ]
        for _ in 0..<3 {
            for topic in topics { #expect(lookUp(&cache, topic) == topic) }
        }
    }

    @Test("invalid UTF-8 is repaired as String(cString:) repairs it")
    func repairsInvalidUTF8() {
        var cache = TopicCache()
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0]
        let expected = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { String(cString: $0.baseAddress!) }
        }
        for _ in 0..<2 {
            let got = bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { cache.string($0.baseAddress!) }
            }
            #expect(got == expected)
        }
    }

    @Test("stays bounded with many distinct topics and keeps answering correctly")
    func bounded() {
        var cache = TopicCache()
        for round in 0..<2 {
            for k in 0..<10_000 {
                let topic = "uagv/v2/acme/AMR-\(k)/state"
                #expect(lookUp(&cache, topic) == topic, "round \(round)")
            }
        }
        #expect(cache.slots.count <= TopicCache.maxSlots)
        #expect(cache.used <= cache.slots.count)
    }

    @Test("a client that sees few topics keeps a small table")
    func small() {
        var cache = TopicCache()
        for _ in 0..<100 {
            for k in 0..<3 { _ = lookUp(&cache, "orders/\(k)") }
        }
        #expect(cache.slots.count <= 16)
    }
}
