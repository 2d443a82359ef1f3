import FleetCore
import Testing

@Suite struct FleetTimeTests {
    @Test func arithmeticIsExactToTheMillisecond() {
        let t0 = FleetTime(milliseconds: 1_000)
        let t1 = t0.adding(seconds: 2.5)
        #expect(t1.milliseconds == 3_500)
        #expect(t1.seconds(since: t0) == 2.5)
        #expect(t0 < t1)
        #expect(FleetTime(seconds: 1.0005).milliseconds == 1_001)
        #expect(t1.description == "3.500s")
    }
}
