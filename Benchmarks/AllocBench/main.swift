// fleet-bench-alloc: FleetCore's LinearAssignment against scipy.optimize.linear_sum_assignment on identical
// matrices, and the coordinator's decision latency with 1,000 robots and 500 open tasks.
//
// Each matrix is generated here (seeded), written to a file with full precision (shortest round-trip decimal,
// as exact as %.17g) and solved by both: scipy through `$FLEETPILOT_SHARED/bench/assign-baseline --matrix FILE
// --json --reps N`, ours in this process. Prints a table (size, medians, ratio, totals equal), the worst ratio,
// then the decision latency table. Progress goes to stderr. Exit status 1 when a total differs.
//
// Environment: FLEETPILOT_SHARED (default ../shared), REPS (default 5), EVENTS (measured events per latency
// scenario, default 300), LATENCY_SECONDS (wall-clock limit on each scenario's measured events, default 30),
// SETUP_SECONDS (limit on building each scenario, default 120), PYTHON (default python3), ALLOC_CASES (comma-separated case names to run, default all),
// ALLOC_POLICIES (comma-separated policy names whose latency to measure, default all).
import FleetCore
import Foundation

// MARK: Support

/// SplitMix64: small, fast, seedable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Monotonic seconds.
func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data("[bench-alloc] \(message)\n".utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("fleet-bench-alloc: \(message)\n".utf8))
    exit(2)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

/// Nearest-rank percentile, `p` in 0...100.
func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank - 1, 0), sorted.count - 1)]
}

func fixed(_ value: Double, _ decimals: Int, width: Int) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}

let environment = ProcessInfo.processInfo.environment
let reps = Int(environment["REPS"] ?? "") ?? 5
let latencyEvents = Int(environment["EVENTS"] ?? "") ?? 300
let latencyBudget = Double(environment["LATENCY_SECONDS"] ?? "") ?? 30
let setupBudget = Double(environment["SETUP_SECONDS"] ?? "") ?? 120
let python = environment["PYTHON"] ?? "python3"
let shared: String = {
    if let path = environment["FLEETPILOT_SHARED"], !path.isEmpty { return path }
    return FileManager.default.currentDirectoryPath + "/../shared"
}()
let baseline = shared + "/bench/assign-baseline"
let selected = environment["ALLOC_CASES"].map { Set($0.split(separator: ",").map(String.init)) }

/// Runs a command; returns its status and standard output (standard error passes through).
func run(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { fail("cannot run \(arguments.joined(separator: " ")): \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

// MARK: The site

/// A 1,000-node grid-like site: 40 x 25 nodes 4 m apart with up to 1 m of jitter (so edge lengths vary), about
/// 12 % of the cross-aisle edges missing, every edge driven both ways, 100 stations at random nodes.
func makeSite(seed: UInt64) -> SiteLayout {
    var rng = SplitMix64(seed: seed)
    let columns = 40
    let rows = 25
    let nodes = (0..<columns * rows).map { k in
        SiteNode(
            id: "N\(k)", x: Double(k % columns) * 4 + .random(in: -1...1, using: &rng),
            y: Double(k / columns) * 4 + .random(in: -1...1, using: &rng), mapId: "hall")
    }
    var edges: [EdgeSpec] = []
    for k in 0..<columns * rows {
        if k % columns + 1 < columns {
            edges.append(EdgeSpec(id: "E\(k)-\(k + 1)", from: "N\(k)", to: "N\(k + 1)", bidirectional: true))
        }
        if k + columns < columns * rows, Double.random(in: 0..<1, using: &rng) >= 0.12 {
            edges.append(
                EdgeSpec(id: "E\(k)-\(k + columns)", from: "N\(k)", to: "N\(k + columns)", bidirectional: true))
        }
    }
    let kinds: [StationKind] = [.pick, .drop, .lineSide, .storage]
    var stationNodes = Set<Int>()
    while stationNodes.count < 100 { stationNodes.insert(Int.random(in: 0..<columns * rows, using: &rng)) }
    let stations = stationNodes.sorted().enumerated().map { index, node in
        Station(id: "S\(index)", node: "N\(node)", kind: kinds[index % kinds.count])
    }
    do {
        return try SiteLayout(siteId: "bench-1000", nodes: nodes, edges: edges, stations: stations)
    } catch {
        fail("site layout: \(error)")
    }
}

let site = makeSite(seed: 1000)
let robotSpeed = 1.5

// MARK: Matrices

struct Case {
    var name: String
    var costs: CostMatrix
}

func uniform(_ rows: Int, _ columns: Int, seed: UInt64) -> CostMatrix {
    var rng = SplitMix64(seed: seed)
    var costs = CostMatrix(rows: rows, columns: columns, repeating: 0)
    for r in 0..<rows { for c in 0..<columns { costs[r, c] = Double.random(in: 0..<1, using: &rng) } }
    return costs
}

/// Robots at random nodes (rows) to tasks at random nodes (columns): shortest-path travel time in seconds.
func travelTimes(robots: Int, tasks: Int, seed: UInt64) -> CostMatrix {
    var rng = SplitMix64(seed: seed)
    let router = SiteRouter(layout: site)
    let robotNodes = (0..<robots).map { _ in site.nodes[Int.random(in: 0..<site.nodes.count, using: &rng)].id }
    let taskNodes = (0..<tasks).map { _ in site.nodes[Int.random(in: 0..<site.nodes.count, using: &rng)].id }
    var costs = CostMatrix(rows: robots, columns: tasks, repeating: 0)
    for r in 0..<robots {
        for c in 0..<tasks {
            guard let time = router.travelTime(from: robotNodes[r], to: taskNodes[c], robotMaxSpeed: robotSpeed)
            else { fail("no route from \(robotNodes[r]) to \(taskNodes[c])") }
            costs[r, c] = time
        }
    }
    return costs
}

/// One row a line, shortest round-trip decimals (exact), `inf` for forbidden pairs.
func write(_ costs: CostMatrix, to path: String) {
    var text = ""
    text.reserveCapacity(costs.rows * costs.columns * 21)
    costs.values.withUnsafeBufferPointer { values in
        for r in 0..<costs.rows {
            for c in 0..<costs.columns {
                if c > 0 { text += " " }
                text += values[r * costs.columns + c].description
            }
            text += "\n"
        }
    }
    do { try text.write(toFile: path, atomically: false, encoding: .utf8) } catch { fail("writing \(path): \(error)") }
}

struct Row {
    var name: String
    var size: String
    var ours: Double
    var scipy: Double
    var equal: Bool
    var ratio: Double { ours / scipy }
}

guard FileManager.default.fileExists(atPath: baseline) else {
    fail("\(baseline) not found; set FLEETPILOT_SHARED to the shared/ folder")
}
guard run([python, "-c", "import scipy.optimize"]).status == 0 else {
    fail("\(python) cannot import scipy; run scripts/ensure-deps.sh (python3-scipy, or pip install scipy)")
}
let scipyVersion = run([python, "-c", "import scipy; print(scipy.__version__)"]).output
    .trimmingCharacters(in: .whitespacesAndNewlines)

let plannedCases: [(String, () -> CostMatrix)] = [
    ("uniform-100", { uniform(100, 100, seed: 100) }),
    ("uniform-500", { uniform(500, 500, seed: 500) }),
    ("uniform-1000", { uniform(1000, 1000, seed: 1000) }),
    ("uniform-2000", { uniform(2000, 2000, seed: 2000) }),
    ("uniform-200x1000", { uniform(200, 1000, seed: 2001) }),
    ("uniform-1000x200", { uniform(1000, 200, seed: 1002) }),
    ("travel-1000x500", { travelTimes(robots: 1000, tasks: 500, seed: 1500) }),
    ("travel-500x1000", { travelTimes(robots: 500, tasks: 1000, seed: 5100) }),
    ("travel-1000x1000", { travelTimes(robots: 1000, tasks: 1000, seed: 1100) }),
]
let cases = plannedCases.filter { selected?.contains($0.0) ?? true }

let directory = NSTemporaryDirectory() + "fleet-bench-alloc-\(getpid())"
try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

var rows: [Row] = []
for (index, (name, make)) in cases.enumerated() {
    let step = "[\(index + 1)/\(cases.count)] \(name)"
    progress("\(step): generating")
    let costs = make()
    let file = "\(directory)/\(name).txt"
    progress("\(step): writing \(costs.rows)x\(costs.columns) to \(file)")
    write(costs, to: file)
    progress("\(step): scipy, \(reps) runs")
    let scipy = run([python, baseline, "--matrix", file, "--json", "--reps", "\(reps)"])
    guard scipy.status == 0,
        let json = try? JSONSerialization.jsonObject(with: Data(scipy.output.utf8)) as? [[String: Any]],
        let entry = json.first(where: { ($0["solver"] as? String) == "scipy.linear_sum_assignment" }),
        let scipyMs = entry["median_ms"] as? Double, let scipyTotal = entry["optimal_total"] as? Double
    else { fail("assign-baseline failed on \(name): \(scipy.output)") }
    progress("\(step): ours, \(reps) runs")
    var total = 0.0
    var times: [Double] = []
    do {
        total = try LinearAssignment.solve(costs).totalCost  // warm-up, as the baseline does
        for _ in 0..<reps {
            let start = seconds()
            total = try LinearAssignment.solve(costs).totalCost
            times.append(seconds() - start)
        }
    } catch {
        fail("\(name): \(error)")
    }
    let equal = abs(total - scipyTotal) <= 1e-9 * max(1, abs(scipyTotal))
    if !equal { progress("\(name): totals differ: ours \(total), scipy \(scipyTotal)") }
    rows.append(
        Row(
            name: name, size: "\(costs.rows)x\(costs.columns)", ours: median(times) * 1e3, scipy: scipyMs, equal: equal
        ))
    try? FileManager.default.removeItem(atPath: file)
}
try? FileManager.default.removeItem(atPath: directory)

print(
    "Linear assignment: FleetCore LinearAssignment vs scipy \(scipyVersion) linear_sum_assignment, same matrices, "
        + "median of \(reps) runs each")
print("case              size          ours ms   scipy ms   ratio   totals equal")
for row in rows {
    print(
        padded(row.name, 18) + padded(row.size, 12) + fixed(row.ours, 3, width: 9) + fixed(row.scipy, 3, width: 11)
            + fixed(row.ratio, 3, width: 8) + "   " + (row.equal ? "yes" : "NO"))
}
if let worst = rows.max(by: { $0.ratio < $1.ratio }) {
    print(
        "worst ratio \(fixed(worst.ratio, 3, width: 0)) (\(worst.name)); target <= 1.0 at every size: \(worst.ratio <= 1 ? "met" : "NOT met")"
    )
}

// MARK: Decision latency

/// Progress of `plan` as a robot reports it: `passed` nodes reached, every action finished when `done`.
func report(_ plan: DispatchPlan, passed: Int, done: Bool) -> OrderProgress {
    let passed = min(max(passed, 1), plan.nodes.count)
    var actions: [String: ActionProgress] = [:]
    for action in plan.actions { actions[action.actionId] = ActionProgress(done ? .finished : .waiting) }
    return OrderProgress(
        orderId: plan.orderId, orderUpdateId: plan.orderUpdateId, lastNodeSequenceId: plan.nodes[passed - 1].sequenceId,
        remainingNodeCount: plan.nodes.count - passed, actions: actions)
}

/// An idle robot at `node`, optionally reporting an order.
func observation(at node: NodeID, order: OrderProgress? = nil) -> RobotObservation {
    RobotObservation(
        position: site.node(node)!.position, mapId: "hall", lastNodeId: node, batteryPercent: 95, order: order)
}

/// Drives a coordinator with 1,000 robots through the two scenarios and records `handle` times.
struct LatencyRun {
    var coordinator: Coordinator
    var rng = SplitMix64(seed: 4242)
    var clock = FleetTime(milliseconds: 1_800_000_000_000)
    var nextTask = 0
    /// Dispatched orders not yet finished, oldest first.
    var open: [(robot: RobotID, plan: DispatchPlan)] = []
    let robots = (0..<1000).map { RobotID(manufacturer: "bench", serialNumber: String(format: "AMR-%04d", $0)) }

    init(policy: any AllocationPolicy) {
        // Robots report once and stay available (no state timeout during the run).
        var configuration = CoordinatorConfiguration(stateTimeout: 86_400, positionSampleInterval: nil)
        configuration.allocationMinimumInterval = 0  // every event is decided at once, also by rate-limited policies
        coordinator = Coordinator(layout: site, configuration: configuration, policy: policy)
    }

    /// Handles `event` 10 ms after the previous one; returns the directives and the time `handle` took.
    mutating func feed(_ event: FleetEvent) -> (directives: [Directive], seconds: Double) {
        clock = clock.adding(seconds: 0.01)
        let start = seconds()
        let directives = coordinator.handle(event, now: clock)
        let elapsed = seconds() - start
        for case .dispatch(let robot, let plan) in directives {
            open.append((robot, plan))
            // The robot accepts the order at once (not measured).
            _ = coordinator.handle(
                .robotObserved(
                    robot, observation(at: plan.nodes[0].nodeId, order: report(plan, passed: 1, done: false))),
                now: clock)
        }
        return (directives, elapsed)
    }

    mutating func request() -> FleetEvent {
        nextTask += 1
        let a = site.stations[Int.random(in: 0..<site.stations.count, using: &rng)].id
        var b = a
        while b == a { b = site.stations[Int.random(in: 0..<site.stations.count, using: &rng)].id }
        return .taskRequested(TaskRequest(id: TaskID("T\(nextTask)"), pick: a, drop: b, requester: "bench"))
    }

    /// The robot of the oldest open order reports it finished at its last node.
    mutating func finishOldest() -> FleetEvent {
        let (robot, plan) = open.removeFirst()
        return .robotObserved(
            robot,
            observation(at: plan.nodes[plan.nodes.count - 1].nodeId, order: report(plan, passed: .max, done: true)))
    }

    /// Submits `requests` tasks, showing progress every 250. Returns `false` when that takes longer than
    /// `setupBudget` seconds (the policy is too slow for the scenario).
    mutating func setUp(requests: Int, label: String) -> Bool {
        let start = seconds()
        for k in 1...requests {
            _ = feed(request())
            if k % 250 == 0 {
                progress("  \(label): \(k) of \(requests) requests, \(fixed(seconds() - start, 1, width: 0)) s")
            }
            if seconds() - start > setupBudget {
                progress("  \(label): set-up stopped after \(k) of \(requests) requests (over \(setupBudget) s)")
                return false
            }
        }
        return true
    }

    mutating func registerFleet() {
        for robot in robots {
            _ = feed(
                .robotRegistered(
                    robot, RobotProfile(type: "AMR", capabilities: [], maxPayloadKg: 100, maxSpeed: robotSpeed)))
            _ = feed(
                .robotObserved(robot, observation(at: site.nodes[Int.random(in: 0..<site.nodes.count, using: &rng)].id))
            )
        }
    }
}

struct Latency {
    var policy: String
    var event: String
    var times: [Double]
    var assigned: Int
}

func dispatches(_ directives: [Directive]) -> Int {
    directives.reduce(0) { count, directive in
        if case .dispatch = directive { count + 1 } else { count }
    }
}

func measureLatency(_ name: String, _ policy: any AllocationPolicy) -> [Latency] {
    // Scenario A: 500 robots busy on 500 open tasks, 500 idle; a new request is decided among the idle robots.
    // A finished order then frees a robot again, so the state stays at 500 open tasks.
    progress("latency \(name): scenario A (task request, 500 idle robots)")
    var a = LatencyRun(policy: policy)
    a.registerFleet()
    let readyA = a.setUp(requests: 500, label: "\(name) A")
    var requestTimes: [Double] = []
    var requestAssigned = 0
    let deadlineA = seconds() + latencyBudget
    for _ in 0..<latencyEvents where readyA && seconds() < deadlineA {
        let (directives, time) = a.feed(a.request())
        requestTimes.append(time)
        requestAssigned += dispatches(directives)
        _ = a.feed(a.finishOldest())
    }
    // Scenario B: all 1,000 robots busy and 500 tasks queued; a robot finishing its order is decided among the
    // 500 queued tasks. A new request then refills the queue.
    progress("latency \(name): scenario B (robot idle, 500 queued tasks)")
    var b = LatencyRun(policy: policy)
    b.registerFleet()
    let readyB = b.setUp(requests: 1500, label: "\(name) B")
    var idleTimes: [Double] = []
    var idleAssigned = 0
    let deadlineB = seconds() + latencyBudget
    for _ in 0..<latencyEvents where readyB && seconds() < deadlineB {
        let (directives, time) = b.feed(b.finishOldest())
        idleTimes.append(time)
        idleAssigned += dispatches(directives)
        _ = b.feed(b.request())
    }
    return [
        Latency(policy: name, event: "task request (500 idle robots)", times: requestTimes, assigned: requestAssigned),
        Latency(policy: name, event: "robot idle (500 queued tasks)", times: idleTimes, assigned: idleAssigned),
    ]
}

// Every policy in FleetCore today (ALLOC_POLICIES: comma-separated names to measure, default all).
let selectedPolicies = environment["ALLOC_POLICIES"].map { Set($0.split(separator: ",").map(String.init)) }
let policies: [(String, any AllocationPolicy)] = [
    ("NearestRobotPolicy", NearestRobotPolicy()),
    ("OptimalBatchPolicy", OptimalBatchPolicy()),
    ("MarketPolicy", MarketPolicy()),
].filter { selectedPolicies?.contains($0.0) ?? true }
var latencies: [Latency] = []
for (name, policy) in policies { latencies += measureLatency(name, policy) }

print("")
print(
    "Decision latency: Coordinator.handle(_:now:) from the event to the returned directives, 1,000 robots, "
        + "500 open tasks, 1,000-node site, up to \(latencyEvents) events or \(latencyBudget) s each; assignments = events whose directives dispatch a task"
)
print("policy               event                             p50 ms   p99 ms   assignments")
for latency in latencies {
    guard !latency.times.isEmpty else {
        print(
            padded(latency.policy, 21) + padded(latency.event, 32)
                + "   not measured: set-up took over \(setupBudget) s")
        continue
    }
    print(
        padded(latency.policy, 21) + padded(latency.event, 32) + fixed(median(latency.times) * 1e3, 3, width: 9)
            + fixed(percentile(latency.times, 99) * 1e3, 3, width: 9) + "   \(latency.assigned)/\(latency.times.count)")
}
exit(rows.allSatisfy(\.equal) ? 0 : 1)
