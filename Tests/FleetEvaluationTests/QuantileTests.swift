import FleetEvaluation
import Testing

@Suite struct QuantileTests {
    @Test func matchesNumpyDefault() {
        // numpy.percentile([1, 2, 3, 4, 10], [50, 95]) == [3.0, 8.8]
        #expect(Quantile.of([4, 1, 10, 3, 2], 0.5) == 3)
        #expect(abs(Quantile.of([4, 1, 10, 3, 2], 0.95)! - 8.8) < 1e-12)
        #expect(Quantile.of([], 0.5) == nil)
    }
}
