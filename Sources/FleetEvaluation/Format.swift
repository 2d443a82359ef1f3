import Foundation

/// Number formatting shared by the reports.
enum Format {
    /// A number with up to `digits` significant-looking decimals: integers without decimals, small numbers with
    /// more (`0.9812`, `173.7`, `12`).
    static func number(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "-" : (value > 0 ? "∞" : "-∞") }
        if value == value.rounded() && abs(value) < 1e9 { return String(Int(value)) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : max(digits, 3)
        return String(format: "%.\(decimals)f", value)
    }

    /// An optional number, `-` for `nil`.
    static func number(_ value: Double?) -> String { value.map { number($0) } ?? "-" }

    /// An interval as `[low, high]` with `∞` for an open side.
    static func interval(_ ci: ConfidenceInterval?) -> String {
        guard let ci else { return "-" }
        return "[\(ci.low.map { number($0) } ?? "-∞"), \(ci.high.map { number($0) } ?? "∞")]"
    }

    /// Escapes text for HTML and XML.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
