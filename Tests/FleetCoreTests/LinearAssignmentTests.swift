import FleetCore
import Foundation
import Testing

@Suite struct LinearAssignmentTests {
    static let inf = Double.infinity

    func matrix(_ rows: [[Double]]) throws -> CostMatrix {
        try CostMatrix(rows: rows.count, columns: rows.first?.count ?? 0, values: rows.flatMap { $0 })
    }

    func solve(_ rows: [[Double]]) throws -> AssignmentSolution {
        try LinearAssignment.solve(matrix(rows))
    }

    /// The solution is a matching of size min(rows, columns) over finite pairs whose total is `totalCost`.
    func expectValid(
        _ solution: AssignmentSolution, for costs: CostMatrix, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(solution.columnForRow.count == costs.rows, sourceLocation: sourceLocation)
        let columns = solution.columnForRow.compactMap { $0 }
        #expect(columns.count == min(costs.rows, costs.columns), sourceLocation: sourceLocation)
        #expect(Set(columns).count == columns.count, "a column is used twice", sourceLocation: sourceLocation)
        var total = 0.0
        for (row, column) in solution.pairs {
            #expect(costs[row, column].isFinite, "forbidden pair chosen", sourceLocation: sourceLocation)
            total += costs[row, column]
        }
        #expect(total == solution.totalCost, sourceLocation: sourceLocation)
    }

    // MARK: Hand-made cases

    @Test func squareTextbookCase() throws {
        // scipy's documentation example. Row minima 1, 0, 2 sit in columns 1, 1, 2: rows 0 and 1 both want
        // column 1. Giving it to row 0 (1) sends row 1 to column 0 (2) and row 2 to column 2 (2): 5.
        // The other way round (row 1 -> col 1 = 0) leaves row 0 with col 0 (4) or col 2 (3): at least 0+3+3 = 6.
        let costs = try matrix([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
        let solution = try LinearAssignment.solve(costs)
        #expect(solution.columnForRow == [1, 0, 2])
        #expect(solution.totalCost == 5)
        expectValid(solution, for: costs)
    }

    @Test func greedyIsNotOptimal() throws {
        // Greedy row by row takes (0,0)=1 then (1,1)=100: 101. Optimal: (0,1)=2 + (1,0)=1 = 3.
        let solution = try solve([[1, 2], [1, 100]])
        #expect(solution.columnForRow == [1, 0])
        #expect(solution.totalCost == 3)
    }

    @Test func fourByFourWithAUniqueOptimum() throws {
        // The anti-diagonal costs 1+1+1+1 = 4; every other permutation uses at least one entry >= 5,
        // and all other entries are >= 5, so 4 is the unique optimum.
        let solution = try solve([
            [9, 7, 5, 1],
            [8, 6, 1, 5],
            [7, 1, 6, 8],
            [1, 5, 9, 9],
        ])
        #expect(solution.columnForRow == [3, 2, 1, 0])
        #expect(solution.totalCost == 4)
    }

    @Test func negativeCostsAreAllowed() throws {
        // (0,1) + (1,0) = -5 + -3 = -8 beats (0,0) + (1,1) = -1 + -2 = -3.
        let solution = try solve([[-1, -5], [-3, -2]])
        #expect(solution.columnForRow == [1, 0])
        #expect(solution.totalCost == -8)
    }

    @Test func emptyAndOneByOne() throws {
        for (rows, columns) in [(0, 0), (0, 3), (3, 0)] {
            let solution = try LinearAssignment.solve(CostMatrix(rows: rows, columns: columns, repeating: 1))
            #expect(solution.columnForRow == Array(repeating: nil, count: rows))
            #expect(solution.totalCost == 0)
            #expect(solution.pairs.isEmpty)
        }
        let one = try solve([[7.5]])
        #expect(one.columnForRow == [0])
        #expect(one.totalCost == 7.5)
        #expect(one.pairs.map { [$0.row, $0.column] } == [[0, 0]])
        let forbidden = CostMatrix(rows: 1, columns: 1, repeating: .infinity)
        #expect(throws: AssignmentError.infeasible) { try LinearAssignment.solve(forbidden) }
    }

    @Test func wideMatrixLeavesColumnsUnused() throws {
        // Row minima: row 0 -> col 2 (1), row 1 -> col 2 (1) collide. Best: row 0 col 2 (1) + row 1 col 0 (2) = 3;
        // the alternative row 1 col 2 (1) + row 0 col 0 (5) = 6.
        let costs = try matrix([[5, 9, 1, 7], [2, 8, 1, 9]])
        let solution = try LinearAssignment.solve(costs)
        #expect(solution.columnForRow == [2, 0])
        #expect(solution.totalCost == 3)
        expectValid(solution, for: costs)
    }

    @Test func tallMatrixLeavesRowsUnassigned() throws {
        // The transpose of the wide case: rows 0 and 2 are used (2 + 1 = 3), rows 1 and 3 get nothing.
        let costs = try matrix([[5, 2], [9, 8], [1, 1], [7, 9]])
        let solution = try LinearAssignment.solve(costs)
        #expect(solution.columnForRow == [1, nil, 0, nil])
        #expect(solution.totalCost == 3)
        #expect(solution.pairs.map { [$0.row, $0.column] } == [[0, 1], [2, 0]])
        expectValid(solution, for: costs)
    }

    @Test func allTiesGiveAFullMatching() throws {
        // Every permutation costs 5 * 3 = 15.
        let costs = CostMatrix(rows: 5, columns: 5, repeating: 3)
        let solution = try LinearAssignment.solve(costs)
        #expect(solution.totalCost == 15)
        expectValid(solution, for: costs)
    }

    @Test func forbiddenPairsAreAvoided() throws {
        // Only the anti-diagonal is allowed: 1 + 2 = 3.
        #expect(try solve([[Self.inf, 1], [2, Self.inf]]).totalCost == 3)
        // (0,0)=1 is cheap but forces row 1 onto a forbidden pair; the only feasible matching is (0,1)+(1,0) = 110.
        let forced = try solve([[1, 10], [100, Self.inf]])
        #expect(forced.columnForRow == [1, 0])
        #expect(forced.totalCost == 110)
        // Wide: row 1 may only use column 3.
        let wide = try solve([[1, 2, 3, 4], [Self.inf, Self.inf, Self.inf, 0.5]])
        #expect(wide.columnForRow == [0, 3])
        #expect(wide.totalCost == 1.5)
        // Tall: row 2 is entirely forbidden, which is fine when two other rows cover both columns.
        let tall = try solve([[1, 5], [4, 2], [Self.inf, Self.inf]])
        #expect(tall.columnForRow == [0, 1, nil])
        #expect(tall.totalCost == 3)
    }

    @Test func infeasibleMatricesThrow() throws {
        let cases: [[[Double]]] = [
            [[1, Self.inf], [2, Self.inf]],  // column 1 cannot be covered
            [[1, 2], [Self.inf, Self.inf]],  // row 1 cannot be covered
            [[1, 2, 3], [Self.inf, Self.inf, Self.inf]],  // wide: row 1 has no allowed column
            [[1, Self.inf], [2, Self.inf], [3, Self.inf]],  // tall: column 1 has no allowed row
            // Hall's condition fails: rows 0, 1, 2 may only use columns 0 and 1.
            [[1, 1, Self.inf], [1, 1, Self.inf], [1, 1, Self.inf]],
        ]
        for rows in cases {
            #expect(throws: AssignmentError.infeasible) { try solve(rows) }
        }
        #expect(AssignmentError.infeasible.description.contains("infeasible"))
    }

    @Test func invalidCostsAreRejected() throws {
        #expect(throws: AssignmentError.shapeMismatch(rows: 2, columns: 2, count: 3)) {
            try CostMatrix(rows: 2, columns: 2, values: [1, 2, 3])
        }
        #expect(throws: AssignmentError.shapeMismatch(rows: -1, columns: 2, count: 0)) {
            try CostMatrix(rows: -1, columns: 2, values: [])
        }
        #expect(throws: AssignmentError.invalidCost(row: 1, column: 2, value: -.infinity)) {
            try CostMatrix(rows: 2, columns: 3, values: [0, 1, 2, 3, 4, -.infinity])
        }
        do {
            _ = try CostMatrix(rows: 2, columns: 2, values: [0, 1, .nan, 3])
            Issue.record("NaN was accepted")
        } catch {
            guard case .invalidCost(let row, let column, let value) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(row == 1 && column == 0 && value.isNaN)
            #expect(error.description.contains("row 1, column 0"))
        }
        #expect(
            AssignmentError.shapeMismatch(rows: 2, columns: 2, count: 3).description
                == "cost matrix of 2x2 needs 4 values, got 3")
    }

    // MARK: Brute force

    /// The optimal total by enumerating every injection of the shorter side into the longer one, or `nil` when
    /// every complete matching uses a forbidden pair.
    static func bruteForce(_ costs: CostMatrix) -> Double? {
        let transposed = costs.rows > costs.columns
        let short = transposed ? costs.columns : costs.rows
        let long = transposed ? costs.rows : costs.columns
        func cost(_ s: Int, _ l: Int) -> Double { transposed ? costs[l, s] : costs[s, l] }
        var used = [Bool](repeating: false, count: long)
        var best = Double.infinity
        func visit(_ s: Int, _ sum: Double) {
            if s == short {
                best = min(best, sum)
                return
            }
            for l in 0..<long where !used[l] && cost(s, l).isFinite {
                used[l] = true
                visit(s + 1, sum + cost(s, l))
                used[l] = false
            }
        }
        visit(0, 0)
        return best.isFinite ? best : nil
    }

    /// Many seeded random matrices up to 7x7, square and rectangular, with real values, small integers (many
    /// ties), negative values and forbidden pairs (some of them infeasible), against enumeration.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func matchesBruteForceOnRandomMatrices(batch: UInt64) throws {
        var rng = SplitMix64(seed: 0xA551_6000 + batch)
        var infeasibleSeen = 0
        for _ in 0..<150 {
            let rows = Int.random(in: 1...7, using: &rng)
            let columns = Int.random(in: 1...7, using: &rng)
            let forbidden = [0.0, 0.0, 0.15, 0.4, 0.6].randomElement(using: &rng)!
            let kind = Int.random(in: 0..<3, using: &rng)
            let values = (0..<rows * columns).map { _ -> Double in
                if Double.random(in: 0..<1, using: &rng) < forbidden { return .infinity }
                switch kind {
                case 0: return Double.random(in: 0..<1, using: &rng)
                case 1: return Double(Int.random(in: 0...3, using: &rng))
                default: return Double.random(in: -1000...1000, using: &rng).rounded() / 8
                }
            }
            let costs = try CostMatrix(rows: rows, columns: columns, values: values)
            let expected = Self.bruteForce(costs)
            do {
                let solution = try LinearAssignment.solve(costs)
                let optimum = try #require(expected, "solver found \(solution) for an infeasible \(costs)")
                #expect(
                    abs(solution.totalCost - optimum) <= 1e-9 * max(1, abs(optimum)),
                    "\(rows)x\(columns) \(values): got \(solution.totalCost), optimum \(optimum)")
                expectValid(solution, for: costs)
            } catch let error as AssignmentError {
                #expect(error == .infeasible)
                #expect(expected == nil, "solver said infeasible, but \(expected!) is possible: \(costs)")
                infeasibleSeen += 1
            }
        }
        #expect(infeasibleSeen > 0, "the random cases should include infeasible ones")
    }

    /// A larger random case against the same solver on the transposed matrix (the two code paths must agree).
    @Test func transposeGivesTheSameTotal() throws {
        var rng = SplitMix64(seed: 42)
        for (rows, columns) in [(40, 90), (90, 40), (60, 60)] {
            let values = (0..<rows * columns).map { _ in Double(Int.random(in: 0...20, using: &rng)) }
            let costs = try CostMatrix(rows: rows, columns: columns, values: values)
            var transposed = CostMatrix(rows: columns, columns: rows, repeating: 0)
            for r in 0..<rows { for c in 0..<columns { transposed[c, r] = costs[r, c] } }
            let a = try LinearAssignment.solve(costs)
            let b = try LinearAssignment.solve(transposed)
            #expect(a.totalCost == b.totalCost)
            expectValid(a, for: costs)
            expectValid(b, for: transposed)
        }
    }
}

// MARK: Against scipy

/// The same matrices solved by `scipy.optimize.linear_sum_assignment` through `shared/bench/assign-baseline`.
/// The test fails (does not skip) when python3, scipy or the script is missing.
@Suite struct LinearAssignmentScipyTests {
    /// `$FLEETPILOT_SHARED`, else `<repo>/../shared`.
    static var sharedDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["FLEETPILOT_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()  // <repo>/Tests/FleetCoreTests/this file
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// Runs `python3 arguments...`; returns the exit status, stdout and stderr.
    static func python(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }

    /// One row a line, values separated by spaces, shortest round-trip decimal (exact), `inf` for forbidden.
    static func text(_ costs: CostMatrix) -> String {
        var text = ""
        for r in 0..<costs.rows {
            text += (0..<costs.columns).map { "\(costs[r, $0])" }.joined(separator: " ")
            text += "\n"
        }
        return text
    }

    /// Travel times (s at 1 m/s) between robots and tasks at random nodes of a 10x10 grid site with jittered
    /// node positions and a few missing edges.
    static func travelTimes(robots: Int, tasks: Int, rng: inout SplitMix64) throws -> CostMatrix {
        let side = 10
        let nodes = (0..<side * side).map { k in
            SiteNode(
                id: "n\(k)", x: Double(k % side) * 5 + .random(in: -1...1, using: &rng),
                y: Double(k / side) * 5 + .random(in: -1...1, using: &rng), mapId: "m")
        }
        var edges: [EdgeSpec] = []
        for k in 0..<side * side {
            if k % side + 1 < side, Double.random(in: 0..<1, using: &rng) < 0.9 {
                edges.append(EdgeSpec(id: "h\(k)", from: "n\(k)", to: "n\(k + 1)", bidirectional: true))
            }
            if k + side < side * side {
                edges.append(EdgeSpec(id: "v\(k)", from: "n\(k)", to: "n\(k + side)", bidirectional: true))
            }
        }
        let router = SiteRouter(layout: try SiteLayout(siteId: "grid", nodes: nodes, edges: edges))
        let robotNodes = (0..<robots).map { _ in "n\(Int.random(in: 0..<side * side, using: &rng))" }
        let taskNodes = (0..<tasks).map { _ in "n\(Int.random(in: 0..<side * side, using: &rng))" }
        var costs = CostMatrix(rows: robots, columns: tasks, repeating: 0)
        for r in 0..<robots {
            for c in 0..<tasks {
                costs[r, c] = try #require(
                    router.travelTime(from: NodeID(robotNodes[r]), to: NodeID(taskNodes[c]), robotMaxSpeed: 1))
            }
        }
        return costs
    }

    static func random(_ rows: Int, _ columns: Int, rng: inout SplitMix64, _ value: (inout SplitMix64) -> Double)
        throws -> CostMatrix
    {
        try CostMatrix(rows: rows, columns: columns, values: (0..<rows * columns).map { _ in value(&rng) })
    }

    @Test func optimalTotalsMatchScipy() throws {
        let script = Self.sharedDirectory.appendingPathComponent("bench/assign-baseline")
        guard FileManager.default.fileExists(atPath: script.path) else {
            Issue.record("\(script.path) not found; set FLEETPILOT_SHARED to the shared/ folder")
            return
        }
        let probe = try Self.python(["-c", "import numpy, scipy.optimize"])
        guard probe.status == 0 else {
            Issue.record(
                """
                python3 cannot import scipy, which this test compares against: run `bash scripts/ensure-deps.sh` \
                (installs python3-scipy, or scipy with pip). python3 said: \(probe.err)
                """)
            return
        }
        var rng = SplitMix64(seed: 20_261_129)
        var cases: [(String, CostMatrix)] = []
        cases.append(("uniform 60x60", try Self.random(60, 60, rng: &rng) { .random(in: 0..<1, using: &$0) }))
        cases.append(("uniform 25x70", try Self.random(25, 70, rng: &rng) { .random(in: 0..<1, using: &$0) }))
        cases.append(("uniform 70x25", try Self.random(70, 25, rng: &rng) { .random(in: 0..<1, using: &$0) }))
        cases.append(
            (
                "forbidden 40x50",
                try Self.random(40, 50, rng: &rng) {
                    Double.random(in: 0..<1, using: &$0) < 0.3 ? .infinity : .random(in: 0..<100, using: &$0)
                }
            ))
        cases.append(
            (
                "forbidden 50x35",
                try Self.random(50, 35, rng: &rng) {
                    Double.random(in: 0..<1, using: &$0) < 0.3 ? .infinity : .random(in: -50..<50, using: &$0)
                }
            ))
        cases.append(
            ("integer ties 50x50", try Self.random(50, 50, rng: &rng) { Double(Int.random(in: 0...4, using: &$0)) }))
        cases.append(
            ("integer ties 30x45", try Self.random(30, 45, rng: &rng) { Double(Int.random(in: 0...2, using: &$0)) }))
        cases.append(("travel time 60x40", try Self.travelTimes(robots: 60, tasks: 40, rng: &rng)))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fleetpilot-assign-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try cases.enumerated().map { k, named in
            let file = directory.appendingPathComponent("m\(k).txt")
            try Self.text(named.1).write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
        // One python process per matrix keeps the parsing simple; about 0.3 s each, run two at a time.
        let results = LockedResults(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { k in
            results.set(k, Result { try Self.python([script.path, "--matrix", files[k], "--json", "--reps", "1"]) })
        }
        for (k, (name, costs)) in cases.enumerated() {
            let run = try results.get(k).get()
            try #require(run.status == 0, "assign-baseline failed on \(name): \(run.err)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [[String: Any]], "\(run.out)")
            let scipy = try #require(
                json.first { ($0["solver"] as? String) == "scipy.linear_sum_assignment" }?["optimal_total"] as? Double,
                "no scipy total in \(run.out)")
            let ours = try LinearAssignment.solve(costs)
            #expect(
                abs(ours.totalCost - scipy) <= 1e-9 * max(1, abs(scipy)),
                "\(name): ours \(ours.totalCost), scipy \(scipy)")
        }
    }
}

/// Results of concurrent python runs, by index.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<(status: Int32, out: String, err: String), any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ value: Result<(status: Int32, out: String, err: String), any Error>) {
        lock.withLock { values[k] = value }
    }
    func get(_ k: Int) -> Result<(status: Int32, out: String, err: String), any Error> { lock.withLock { values[k]! } }
}
