import Foundation

/// The special functions behind the confidence intervals: normal, Student t, chi-square (via the regularised
/// incomplete gamma) and binomial distribution functions, and their inverses by bisection.
///
/// Accuracy is about 1e-10 relative, more than enough for interval bounds quoted to three digits.
public enum SpecialFunctions {
    /// The standard normal quantile (Acklam's rational approximation refined by one Halley step).
    /// - Parameter p: A probability in (0, 1).
    /// - Returns: `z` with `Φ(z) = p`.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
        let a = [
            -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716,
            2.506628277459239,
        ]
        let b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
        let c = [
            -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
            4.374664141464968, 2.938163982698783,
        ]
        let d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x =
                (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x =
                (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x =
                -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// The regularised lower incomplete gamma function `P(a, x)`.
    /// - Parameters:
    ///   - a: Shape, > 0.
    ///   - x: Argument, ≥ 0.
    /// - Returns: `P(a, x)` in [0, 1].
    public static func gammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        let logPrefix = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var sum = 1 / a
            var term = sum
            var n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return min(1, sum * exp(logPrefix))
        }
        // Continued fraction for Q(a, x) (modified Lentz).
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return max(0, 1 - exp(logPrefix) * h)
    }

    /// The chi-square quantile with `dof` degrees of freedom.
    /// - Parameters:
    ///   - p: A probability in (0, 1).
    ///   - dof: Degrees of freedom, > 0.
    /// - Returns: `x` with `P(χ² ≤ x) = p`.
    public static func chiSquareQuantile(_ p: Double, dof: Double) -> Double {
        invert(p, lower: 0, upper: max(10, dof * 10 + 100)) { gammaP(dof / 2, $0 / 2) }
    }

    /// The regularised incomplete beta function `I_x(a, b)` (continued fraction, Numerical Recipes `betacf`).
    /// - Parameters:
    ///   - a: First shape, > 0.
    ///   - b: Second shape, > 0.
    ///   - x: Argument in [0, 1].
    /// - Returns: `I_x(a, b)`.
    public static func betaI(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logBeta + logPowers)
        if x > (a + 1) / (a + b + 2) { return 1 - betaI(b, a, 1 - x) }
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d
            c = 1 + even / c
            d = 1 / (abs(d) < tiny ? tiny : d)
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d
            c = 1 + odd / c
            d = 1 / (abs(d) < tiny ? tiny : d)
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return front * h / a
    }

    /// The Student t distribution function.
    /// - Parameters:
    ///   - t: The argument.
    ///   - dof: Degrees of freedom.
    /// - Returns: `P(T ≤ t)`.
    public static func studentCDF(_ t: Double, dof: Double) -> Double {
        let tail = 0.5 * betaI(dof / 2, 0.5, dof / (dof + t * t))
        return t >= 0 ? 1 - tail : tail
    }

    /// The Student t quantile.
    /// - Parameters:
    ///   - p: A probability in (0, 1).
    ///   - dof: Degrees of freedom.
    /// - Returns: `t` with `P(T ≤ t) = p`.
    public static func studentQuantile(_ p: Double, dof: Double) -> Double {
        invert(p, lower: -1e4, upper: 1e4) { studentCDF($0, dof: dof) }
    }

    /// The binomial distribution function `P(X ≤ k)` for `X ~ Bin(n, p)`, summed in log space.
    /// - Parameters:
    ///   - k: The count.
    ///   - n: Trials.
    ///   - p: Success probability.
    /// - Returns: The probability.
    public static func binomialCDF(_ k: Int, n: Int, p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        // P(X ≤ k) = I_{1−p}(n − k, k + 1).
        return betaI(Double(n - k), Double(k + 1), 1 - p)
    }

    /// Inverts an increasing function by bisection.
    static func invert(_ p: Double, lower: Double, upper: Double, _ f: (Double) -> Double) -> Double {
        var lo = lower
        var hi = upper
        while f(hi) < p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if f(mid) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 * max(1, abs(mid)) { break }
        }
        return (lo + hi) / 2
    }
}
