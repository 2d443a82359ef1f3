import Testing

@testable import FleetEvaluation

/// The seeded bootstrap against a reference computed independently in Python.
///
/// The reference (numpy 2.4.6, scipy 1.17.1) re-implements SplitMix64 in pure Python, draws each resample's cluster
/// indices as `next() % n` in the same order, and takes `numpy.percentile` (linear, = Hyndman–Fan type 7); BCa uses
/// `z0 = norm.ppf(mean(θ* < θ̂))` and the jackknife acceleration `a = Σ(θ̄ − θ_(i))³ / (6 (Σ(θ̄ − θ_(i))²)^1.5)`:
///
/// ```python
/// def splitmix(seed):
///     s = seed
///     while True:
///         s = (s + 0x9E3779B97F4A7C15) & M
///         z = s; z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M; z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
///         yield z ^ (z >> 31)
/// # ratio: num = [18, 22, 15, 30, 19, 25], den = [20, 24, 20, 31, 22, 25]; mean: [12.5, 14.1, 9.8, 11.0, 13.3,
/// # 15.2, 10.4]; 1000 resamples, seed 42
/// ```
///
/// Printed: ratio percentile [0.8408541055718476, 0.963678402522333], ratio BCa [0.8303167972269696,
/// 0.9578313253012049], mean percentile [10.914285714285715, 13.700000000000001], mean BCa [11.014285714285714,
/// 13.757442791076937]. As a cross-check with another generator, `scipy.stats.bootstrap(..., method='BCa',
/// n_resamples=100000)` of the mean gives [11.0, 13.742857142857144] (Monte Carlo error only).
@Suite("Bootstrap intervals")
struct BootstrapTests {
    let numerators: [Double] = [18, 22, 15, 30, 19, 25]
    let denominators: [Double] = [20, 24, 20, 31, 22, 25]
    let values = [12.5, 14.1, 9.8, 11.0, 13.3, 15.2, 10.4]

    func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) < 1e-9
    }

    @Test("SplitMix64 gives the reference stream")
    func generator() {
        var g = SplitMix64(seed: 42)
        #expect(
            [g.next(), g.next(), g.next()] == [
                13_679_457_532_755_275_413, 2_949_826_092_126_892_291, 5_139_283_748_462_763_858,
            ])
    }

    @Test("pooled ratio over clusters: percentile and BCa match the Python reference")
    func ratio() throws {
        let p = try #require(
            Bootstrap.ratio(numerators, denominators, method: .percentile, resamples: 1000, seed: 42))
        #expect(close(p.low, 0.8408541055718476))
        #expect(close(p.high, 0.963678402522333))
        let b = try #require(Bootstrap.ratio(numerators, denominators, method: .bca, resamples: 1000, seed: 42))
        #expect(close(b.low, 0.8303167972269696))
        #expect(close(b.high, 0.9578313253012049))
        #expect(b.method.hasPrefix("BCa bootstrap over 6 clusters (1000 resamples, SplitMix64 seed 42)"))
    }

    @Test("mean over clusters: percentile and BCa match the Python reference; too few clusters give no interval")
    func mean() throws {
        let p = try #require(Bootstrap.mean(values, method: .percentile, resamples: 1000, seed: 42))
        #expect(close(p.low, 10.914285714285715))
        #expect(close(p.high, 13.700000000000001))
        let b = try #require(Bootstrap.mean(values, method: .bca, resamples: 1000, seed: 42))
        #expect(close(b.low, 11.014285714285714))
        #expect(close(b.high, 13.757442791076937))
        #expect(Bootstrap.mean([3], resamples: 100) == nil)
        #expect(Bootstrap.ratio([0, 0], [0, 0], resamples: 100) == nil)
    }

    @Test("replications: success rate pooled over runs (3/4, 6/7, 3/4 → 12/15) with a BCa cluster bootstrap")
    func replications() throws {
        let a = RunEvaluation(records: JournalFixture.records, settings: RunEvaluationTests.settings)
        let b = RunEvaluation(records: WorkJournalFixture.records, settings: RunEvaluationTests.settings)
        let rows = ReplicationRow.aggregate([a, b, a], seed: 7, resamples: 500)
        let success = try #require(rows.first { $0.id == "success_rate" })
        #expect(close(success.pooled, 0.8))
        let interval = try #require(success.bootstrap)
        #expect(interval.method.hasPrefix("BCa bootstrap over 3 clusters (500 resamples, SplitMix64 seed 7)"))
        // Every resample pools a multiset of {3/4, 6/7, 3/4}: the bounds lie between 3/4 and 6/7.
        #expect(try #require(interval.low) >= 0.75 - 1e-12)
        #expect(try #require(interval.high) <= 6.0 / 7 + 1e-12)
        let throughput = try #require(rows.first { $0.id == "throughput" })
        #expect(throughput.pooled == nil)
        #expect(throughput.bootstrap?.method.hasPrefix("BCa bootstrap over 3 clusters") == true)
        let markdown = MarkdownReport.render(
            EvaluationReport(run: a, scenarioName: "r", scenarioFile: nil, journalFile: nil), replications: rows)
        #expect(markdown.contains("pooled Σk/Σn"))
    }
}
