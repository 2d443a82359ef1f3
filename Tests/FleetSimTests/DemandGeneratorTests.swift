import FleetConfig
import FleetCore
import FleetSim
import Foundation
import Testing

@Suite("Demand generator and task tracker")
struct DemandGeneratorTests {
    static let demand = [
        ScenarioDemand(ratePerHour: 60, pick: ["S1"], drop: ["S2"], loadType: "KLT", deadlineMinutes: 30),
        ScenarioDemand(ratePerHour: 30, pick: ["S2", "S3"], drop: ["S1", "S2"], priority: "high"),
    ]

    @Test("the mean arrival rate matches the configured rate (fixed seed)")
    func meanRate() {
        var generator = DemandGenerator(demand: Self.demand, start: TestSite.t0, seed: 42, duration: 4_000_000)
        let hours = 1000.0
        let requests = generator.requests(upTo: hours * 3600)
        let first = requests.filter { $0.pick == "S1" }.count
        #expect(abs(Double(requests.count) / hours - 90) < 90 * 0.03)
        #expect(abs(Double(first) / hours - 60) < 60 * 0.03)
        #expect(requests.allSatisfy { $0.pick != $0.drop })
        #expect(zip(requests, requests.dropFirst()).allSatisfy { $0.requestedAtMs <= $1.requestedAtMs })
    }

    @Test("the same seed gives the same requests; ids are T-00001, T-00002, ...")
    func deterministic() {
        var a = DemandGenerator(demand: Self.demand, start: TestSite.t0, seed: 7, duration: 4_000_000)
        var b = DemandGenerator(demand: Self.demand, start: TestSite.t0, seed: 7, duration: 4_000_000)
        var c = DemandGenerator(demand: Self.demand, start: TestSite.t0, seed: 8, duration: 4_000_000)
        let ra = a.requests(upTo: 36_000)
        let rb = b.requests(upTo: 20_000) + b.requests(upTo: 36_000)
        #expect(ra == rb)
        #expect(ra != c.requests(upTo: 36_000))
        #expect(ra.first?.id == "T-00001")
        #expect(ra.dropFirst().first?.id == "T-00002")
    }

    @Test("a request encodes as the contract's task request")
    func payload() throws {
        var generator = DemandGenerator(demand: [Self.demand[0]], start: TestSite.t0, seed: 1, duration: 4_000_000)
        let request = try #require(generator.requests(upTo: 36_000).first)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(request.payload)) as? [String: Any])
        #expect(json["id"] as? String == "T-00001")
        #expect(json["kind"] as? String == "transport")
        #expect(json["pick"] as? String == "S1")
        #expect(json["priority"] as? String == "normal")
        #expect(json["loadType"] as? String == "KLT")
        #expect((json["deadline"] as? String)?.hasSuffix("Z") == true)
        #expect(json["requestedAtMs"] == nil)
    }

    @Test("the tracker follows requested tasks to terminal states and ignores others")
    func tracker() {
        var tracker = TaskTracker()
        tracker.requested("T-00001")
        tracker.requested("T-00002")
        tracker.apply(statusPayload: Array(#"{"id":"T-00001","state":"queued"}"#.utf8))
        tracker.apply(statusPayload: Array(#"{"id":"T-00001","state":"completed"}"#.utf8))
        tracker.apply(statusPayload: Array(#"{"id":"T-00001","state":"inProgress"}"#.utf8))
        tracker.apply(statusPayload: Array(#"{"id":"T-09999","state":"completed"}"#.utf8))
        tracker.apply(statusPayload: Array("nonsense".utf8))
        #expect(tracker.count("completed") == 1)
        #expect(tracker.state(of: "T-00001") == "completed")
        #expect(tracker.openIds == ["T-00002"])
        #expect(tracker.malformedStatuses == 1)
        tracker.apply(statusPayload: Array(#"{"id":"T-00002","state":"rejected","reason":"unknown station"}"#.utf8))
        #expect(tracker.openCount == 0)
    }
}
