import FleetConfig
import FleetCore

/// How fleet-sim runs a scenario: broker, time scale, duration, fleet size, seed, demand and drain.
public struct FleetSimOptions: Sendable {
    /// The scenario.
    public var scenario: Scenario
    /// Broker host.
    public var host = "127.0.0.1"
    /// Broker port.
    public var port = 1883
    /// Credentials and TLS (settings file and environment, never flags).
    public var brokerSettings = SimBrokerSettings()
    /// Simulated seconds per wall second (`--time-scale`, default the scenario's).
    public var timeScale: Double
    /// Simulated seconds of demand (`--duration`, default the scenario's).
    public var duration: Double
    /// Fleet size override (`--robots`).
    public var robots: Int?
    /// Seed (`--seed`, default the scenario's).
    public var seed: UInt64
    /// Whether the demand generator runs (`--no-demand` turns it off).
    public var demand = true
    /// Wall seconds to wait after the duration for every task to end (`--drain-timeout`).
    public var drainTimeout = 120.0
    /// Wall time between simulation steps.
    public var tick: Duration = .milliseconds(20)
    /// Wall time between clock messages.
    public var clockInterval: Duration = .milliseconds(50)
    /// Wall time between progress lines.
    public var progressInterval: Duration = .seconds(2)
    /// The longest simulated step between conflict checks and state events, in simulated seconds.
    public var subStep = 0.25

    /// Options with the scenario's defaults.
    public init(scenario: Scenario) {
        self.scenario = scenario
        timeScale = scenario.timeScale
        duration = scenario.duration
        seed = scenario.seed
    }
}

/// The outcome of a run.
public struct FleetSimReport: Sendable, Hashable {
    /// Tasks requested.
    public var requested = 0
    /// Tasks completed.
    public var completed = 0
    /// Tasks failed.
    public var failed = 0
    /// Tasks cancelled.
    public var cancelled = 0
    /// Tasks rejected.
    public var rejected = 0
    /// Tasks without a terminal status when the run ended.
    public var openIds: [String] = []
    /// Node conflicts counted.
    public var conflicts = 0
    /// Orders the vehicles refused (invalid or not acceptable).
    public var rejectedOrders = 0
    /// Simulated seconds run (including the drain).
    public var simSeconds = 0.0
    /// Wall seconds run.
    public var wallSeconds = 0.0
    /// MQTT messages published.
    public var messagesPublished = 0
    /// MQTT messages received.
    public var messagesReceived = 0
    /// Calls and alerts of simulated residents not seen resolved when the run ended.
    public var openAlerts: [String] = []
    /// Resident calls the simulated people made.
    public var calls = 0
    /// Falls (alerts) of simulated residents.
    public var falls = 0
    /// Steps of injected faults applied (a fault with a duration has two per robot: begin and end).
    public var faultSteps = 0
    /// Orders and instant actions lost to an injected communication loss or drop-out.
    public var lostMessages = 0
    /// Whether the drain timed out with open tasks, or with calls and alerts open or people owing an answer.
    public var drainTimedOut = false
    /// Whether the run was stopped by a signal.
    public var interrupted = false

    /// Whether every requested task reached a terminal status.
    public var finished: Bool { openIds.isEmpty && !drainTimedOut }

    /// `hh:mm:ss` of simulated seconds.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(pad(s / 3600)):\(pad(s / 60 % 60)):\(pad(s % 60))"
    }
}
