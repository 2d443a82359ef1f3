import Foundation
import Testing

@testable import FleetEvaluation

/// Interval methods against reference values computed once with scipy 1.x (the one-liners are in the comments).
@Suite("Confidence intervals vs scipy")
struct StatisticsTests {
    // python3 -c "from scipy.stats import binomtest; print(binomtest(k, n).proportion_ci(method='wilson'))"
    @Test(
        "Wilson score interval",
        arguments: [
            (48, 50, 0.8653990931249297, 0.9889611156723802), (95, 100, 0.8882495307680809, 0.978456320845632),
            (0, 30, 0.0, 0.11351339317396875), (30, 30, 0.8864866068260312, 1.0),
            (561, 561, 0.9931990494665272, 1.0),
        ])
    func wilson(k: Int, n: Int, low: Double, high: Double) throws {
        let ci = try #require(ConfidenceInterval.wilson(k, n))
        #expect(abs(ci.low! - low) < 1e-6)
        #expect(abs(ci.high! - high) < 1e-6)
        #expect(ci.method == "wilson")
        #expect(ConfidenceInterval.wilson(0, 0) == nil)
    }

    // python3 -c "from scipy.stats import chi2; print(chi2.ppf(.025, 2*k)/(2*T), chi2.ppf(.975, 2*k+2)/(2*T))"
    @Test(
        "Garwood exact Poisson interval",
        arguments: [
            (3, 40.0, 0.015466803072390034, 0.21918182674355807), (0, 40.0, 0.0, 0.09222198635284838),
            (12, 160.0, 0.03875359442951386, 0.131009906551106),
        ])
    func garwood(k: Int, exposure: Double, low: Double, high: Double) throws {
        let ci = try #require(ConfidenceInterval.garwood(k, exposure: exposure))
        #expect(abs(ci.low! - low) < 1e-7)
        #expect(abs(ci.high! - high) < 1e-7)
        #expect(ConfidenceInterval.garwood(1, exposure: 0) == nil)
    }

    // python3 -c "from scipy.stats import t, norm, chi2; print(t.ppf(.975,7), t.ppf(.975,1), t.ppf(.975,29),
    //   norm.ppf(.975), norm.ppf(.999), chi2.ppf(.025,6), chi2.ppf(.975,8))"
    @Test("quantile functions")
    func quantiles() {
        #expect(abs(SpecialFunctions.studentQuantile(0.975, dof: 7) - 2.364624251592784) < 1e-8)
        #expect(abs(SpecialFunctions.studentQuantile(0.975, dof: 1) - 12.706204736174694) < 1e-6)
        #expect(abs(SpecialFunctions.studentQuantile(0.975, dof: 29) - 2.045229642132703) < 1e-8)
        #expect(abs(SpecialFunctions.normalQuantile(0.975) - 1.959963984540054) < 1e-9)
        #expect(abs(SpecialFunctions.normalQuantile(0.999) - 3.090232306167813) < 1e-9)
        #expect(abs(SpecialFunctions.chiSquareQuantile(0.025, dof: 6) - 1.2373442457912027) < 1e-8)
        #expect(abs(SpecialFunctions.chiSquareQuantile(0.975, dof: 8) - 17.534546139484647) < 1e-8)
    }

    // python3 -c "import numpy as np, math; from scipy.stats import t; x=[60,62,65,70,71,73,75,80];
    //   h=t.ppf(.975,7)*np.std(x,ddof=1)/math.sqrt(8); print(np.mean(x)-h, np.mean(x)+h)"
    @Test("t interval of a mean")
    func tInterval() throws {
        let ci = try #require(ConfidenceInterval.t([60, 62, 65, 70, 71, 73, 75, 80]))
        #expect(abs(ci.low! - 63.82983023671079) < 1e-7)
        #expect(abs(ci.high! - 75.17016976328921) < 1e-7)
        #expect(ConfidenceInterval.t([1]) == nil)
    }

    // python3 -c "from scipy.stats import binom; n=100
    //   print([l for l in range(n,0,-1) if binom.cdf(l-1,n,.95)<=.025][0],
    //         [u for u in range(1,n+1) if binom.cdf(u-1,n,.95)>=.975][:1],
    //         [u for u in range(1,n+1) if binom.cdf(u-1,n,.95)>=.95][:1])"   -> 90 [100] [99]
    // n=60: 53 [] [60]; n=59: 52 [] [59]; n=58: 51 [] []
    @Test("order-statistic ranks for p95 (catalogue D5: one-sided bounds need n ≥ 59)")
    func orderStatistics() {
        #expect(ConfidenceInterval.orderStatisticRanks(n: 100, p: 0.95).lower == 90)
        #expect(ConfidenceInterval.orderStatisticRanks(n: 100, p: 0.95).upper == 100)
        #expect(ConfidenceInterval.orderStatisticRanks(n: 100, p: 0.95, level: 0.90).upper == 99)
        #expect(ConfidenceInterval.orderStatisticRanks(n: 60, p: 0.95, level: 0.90).upper == 60)
        #expect(ConfidenceInterval.orderStatisticRanks(n: 60, p: 0.95).lower == 53)
        #expect(ConfidenceInterval.orderStatisticRanks(n: 59, p: 0.95, level: 0.90).upper == 59)
        #expect(ConfidenceInterval.orderStatisticRanks(n: 58, p: 0.95, level: 0.90).upper == nil)
        #expect(ConfidenceInterval.orderStatisticRanks(n: 60, p: 0.95).upper == nil)
    }

    // Catalogue D3 table: ceil(ln(1-C)/ln R).
    @Test("success-run sizes", arguments: [(0.90, 0.90, 22), (0.95, 0.90, 45), (0.95, 0.95, 59), (0.99, 0.95, 299)])
    func successRun(reliability: Double, confidence: Double, n: Int) {
        #expect(ConfidenceInterval.successRunSize(reliability: reliability, confidence: confidence) == n)
    }

    @Test("Kaplan–Meier quantiles with censoring; MOVER difference")
    func kaplanMeier() throws {
        // Times 1,2,3(c),4,5: S = 0.8 after 1, 0.6 after 2, then 0.6·(1−1/2) = 0.3 after 4 → median 4.
        let sample = DurationSample([.init(1), .init(2), .init(3, censored: true), .init(4), .init(5)])
        #expect(sample.kaplanMeierQuantile(0.5) == 4)
        #expect(sample.kaplanMeierQuantile(0.2) == 1)
        let open = DurationSample([.init(1), .init(9, censored: true), .init(9, censored: true)])
        #expect(open.kaplanMeierQuantile(0.5) == nil)
        let w1 = try #require(ConfidenceInterval.wilson(56, 70))
        let w2 = try #require(ConfidenceInterval.wilson(48, 80))
        // Newcombe (1998) example 56/70 vs 48/80: difference 0.2, hybrid score CI [0.0524, 0.3339].
        let d = try #require(ConfidenceInterval.moverDifference(a: (0.6, w2), b: (0.8, w1)))
        #expect(abs(d.low! - 0.0524) < 5e-4)
        #expect(abs(d.high! - 0.3339) < 5e-4)
    }

    @Test("SHA-256 of known strings")
    func sha256() {
        #expect(SHA256.hex(.init()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(.init("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
