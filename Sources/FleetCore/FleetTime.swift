/// An instant on the coordinator's clock, in milliseconds since the Unix epoch.
///
/// The core never reads a clock: every event handler receives `now` as a `FleetTime`, so the same code runs
/// on wall time, on the simulator's clock and in the evaluator's replays.
public struct FleetTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    /// Creates an instant from milliseconds since the Unix epoch.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Creates an instant from seconds since the Unix epoch, rounded to the millisecond.
    public init(seconds: Double) {
        self.milliseconds = Int64((seconds * 1000).rounded())
    }

    /// Seconds since the Unix epoch.
    public var seconds: Double { Double(milliseconds) / 1000 }

    /// The instant `seconds` later (negative: earlier).
    public func adding(seconds: Double) -> FleetTime {
        FleetTime(milliseconds: milliseconds + Int64((seconds * 1000).rounded()))
    }

    /// Seconds from `other` to this instant (positive when `self` is later).
    public func seconds(since other: FleetTime) -> Double {
        Double(milliseconds - other.milliseconds) / 1000
    }

    /// Orders instants.
    public static func < (lhs: FleetTime, rhs: FleetTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Seconds since the epoch with millisecond precision, e.g. `1764424987.120s`.
    public var description: String {
        let s = milliseconds / 1000
        let ms = abs(milliseconds % 1000)
        let pad = ms < 10 ? "00" : ms < 100 ? "0" : ""
        return "\(s).\(pad)\(ms)s"
    }
}
