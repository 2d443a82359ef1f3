/// A dense cost matrix for ``LinearAssignment``: rows are agents (robots), columns are jobs (tasks).
/// `Double.infinity` marks a forbidden pair.
public struct CostMatrix: Sendable, Hashable {
    /// Number of rows (agents).
    public let rows: Int
    /// Number of columns (jobs).
    public let columns: Int
    /// Row-major values, `rows * columns` of them.
    public private(set) var values: [Double]

    /// Creates a matrix from row-major values.
    /// - Throws: ``AssignmentError/shapeMismatch(rows:columns:count:)`` when the count does not fit the shape,
    ///   ``AssignmentError/invalidCost(row:column:value:)`` for NaN or negative infinity.
    public init(rows: Int, columns: Int, values: [Double]) throws(AssignmentError) {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw .shapeMismatch(rows: rows, columns: columns, count: values.count)
        }
        for (k, value) in values.enumerated() where value.isNaN || value == -.infinity {
            throw .invalidCost(row: k / max(columns, 1), column: k % max(columns, 1), value: value)
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Creates a matrix of `rows` x `columns` filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        self.values = Array(repeating: value, count: self.rows * self.columns)
    }

    /// The cost of giving job `column` to agent `row`.
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }
}

/// Why an assignment problem has no solution.
public enum AssignmentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The value count does not match the shape.
    case shapeMismatch(rows: Int, columns: Int, count: Int)
    /// A cost is NaN or negative infinity.
    case invalidCost(row: Int, column: Int, value: Double)
    /// Forbidden pairs leave no assignment that covers every row (or every column, when there are fewer).
    case infeasible

    /// E.g. `cost matrix is infeasible: forbidden pairs leave some agent or job unmatched`.
    public var description: String {
        switch self {
        case .shapeMismatch(let rows, let columns, let count):
            return "cost matrix of \(rows)x\(columns) needs \(rows * columns) values, got \(count)"
        case .invalidCost(let row, let column, let value):
            return "cost at row \(row), column \(column) is \(value); costs must be finite or +infinity"
        case .infeasible:
            return "cost matrix is infeasible: forbidden pairs leave some agent or job unmatched"
        }
    }
}

/// An optimal assignment.
public struct AssignmentSolution: Sendable, Hashable {
    /// For each row, the column it got, or `nil` (only when there are more rows than columns).
    public var columnForRow: [Int?]
    /// The sum of the costs of the chosen pairs.
    public var totalCost: Double

    /// Creates a solution.
    public init(columnForRow: [Int?], totalCost: Double) {
        self.columnForRow = columnForRow
        self.totalCost = totalCost
    }

    /// The chosen (row, column) pairs, by row.
    public var pairs: [(row: Int, column: Int)] {
        columnForRow.enumerated().compactMap { row, column in column.map { (row, $0) } }
    }
}

/// Minimum-cost rectangular linear assignment (the problem `scipy.optimize.linear_sum_assignment` solves):
/// every row is matched to a distinct column when there are at least as many columns as rows, otherwise every
/// column to a distinct row, so that the total cost is minimal.
///
/// The method works on the shorter side as rows (a tall matrix is transposed into a scratch buffer once):
///
/// 1. Initialisation that keeps the dual variables feasible (Jonker and Volgenant, "A shortest augmenting path
///    algorithm for dense and sparse linear assignment problems", Computing 1987). Square matrices get column
///    reduction with reduction transfer; then two rounds of augmenting row reduction match most rows cheaply.
///    Rectangular ones start from zero column duals (column reduction would break optimality there, where
///    unmatched columns must keep the largest dual) and use augmenting row reduction only, which lowers the duals
///    of matched columns alone.
/// 2. For every row still free, a Dijkstra-like shortest augmenting path search over reduced costs (Crouse,
///    "On implementing 2D rectangular assignment algorithms", IEEE TAES 2016), then the dual update.
///
/// Every step keeps each matched pair tight and every reduced cost non-negative, so the result is exactly
/// optimal (up to floating-point rounding of the duals); the tests compare it with enumeration and with scipy.
/// O(n² m) time in the worst case, O(n m) memory for the input (plus a transposed copy for tall matrices).
public enum LinearAssignment {
    /// Solves the problem for `costs`.
    /// - Returns: the column of each row and the total, summed over the chosen pairs in row order.
    /// - Throws: ``AssignmentError/infeasible`` when forbidden (infinite) pairs leave no complete matching.
    public static func solve(_ costs: CostMatrix) throws(AssignmentError) -> AssignmentSolution {
        let rows = costs.rows
        let columns = costs.columns
        if rows == 0 || columns == 0 {
            return AssignmentSolution(columnForRow: Array(repeating: nil, count: rows), totalCost: 0)
        }
        let transposed = rows > columns
        let nr = transposed ? columns : rows
        let nc = transposed ? rows : columns
        let shortColumn = UnsafeMutablePointer<Int>.allocate(capacity: nr)
        defer { shortColumn.deallocate() }
        let feasible = costs.values.withUnsafeBufferPointer { values -> Bool in
            guard let base = values.baseAddress else { return true }
            if !transposed { return solveWide(base, rows: nr, columns: nc, columnForRow: shortColumn) }
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: nr * nc)
            defer { buffer.deallocate() }
            transpose(base, rows: rows, columns: columns, into: buffer)
            return solveWide(UnsafePointer(buffer), rows: nr, columns: nc, columnForRow: shortColumn)
        }
        guard feasible else { throw .infeasible }
        var columnForRow = [Int?](repeating: nil, count: rows)
        for short in 0..<nr {
            let long = shortColumn[short]
            if transposed { columnForRow[long] = short } else { columnForRow[short] = long }
        }
        var total = 0.0
        costs.values.withUnsafeBufferPointer { values in
            for row in 0..<rows { if let column = columnForRow[row] { total += values[row * columns + column] } }
        }
        return AssignmentSolution(columnForRow: columnForRow, totalCost: total)
    }

    /// The core for `rows <= columns` on a row-major array; returns the column of each row.
    static func solveWide(_ cost: [Double], rows nr: Int, columns nc: Int) throws(AssignmentError) -> [Int] {
        precondition(nr <= nc && cost.count == nr * nc)
        guard nr > 0 else { return [] }
        var result = [Int](repeating: -1, count: nr)
        let feasible = cost.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer {
                solveWide(values.baseAddress!, rows: nr, columns: nc, columnForRow: $0.baseAddress!)
            }
        }
        guard feasible else { throw .infeasible }
        return result
    }

    /// `source` (`rows` x `columns`, row-major) into `target` (`columns` x `rows`), in cache-sized blocks.
    static func transpose(
        _ source: UnsafePointer<Double>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Double>
    ) {
        let block = 32
        var r0 = 0
        while r0 < rows {
            let r1 = min(r0 + block, rows)
            var c0 = 0
            while c0 < columns {
                let c1 = min(c0 + block, columns)
                for r in r0..<r1 {
                    let from = source + r * columns
                    for c in c0..<c1 { target[c * rows + r] = from[c] }
                }
                c0 = c1
            }
            r0 = r1
        }
    }

    /// The solver for `0 < nr <= nc` on `nr` x `nc` row-major costs. Writes the column of each row into
    /// `columnForRow`; returns `false` when the problem is infeasible.
    ///
    /// Only the column duals `v` are stored: the dual of a matched row is implied by its pair,
    /// `u[i] = cost[i][x[i]] - v[x[i]]`, and every matched row's column is a minimum of `cost[i][j] - v[j]` over j.
    static func solveWide(
        _ cost: UnsafePointer<Double>, rows nr: Int, columns nc: Int, columnForRow x: UnsafeMutablePointer<Int>
    ) -> Bool {
        let doubles = UnsafeMutablePointer<Double>.allocate(capacity: 2 * nc)
        defer { doubles.deallocate() }
        let v = doubles
        let shortest = doubles + nc
        let ints = UnsafeMutablePointer<Int>.allocate(capacity: 3 * nc + nr)
        defer { ints.deallocate() }
        let y = ints  // row of each column, -1 when free
        let path = ints + nc
        let remaining = ints + 2 * nc
        let free = ints + 3 * nc
        x.update(repeating: -1, count: nr)
        y.update(repeating: -1, count: nc)
        v.update(repeating: 0, count: nc)

        if nr == nc {
            guard columnReduction(cost, n: nr, v: v, x: x, y: y, matches: path) else { return false }
        }
        // Augmenting row reduction, two rounds, with a bound on the work in case tiny decrements cycle long.
        var freeCount = 0
        for i in 0..<nr where x[i] < 0 {
            free[freeCount] = i
            freeCount += 1
        }
        var budget = 4 * nr + 64
        for _ in 0..<2 where freeCount > 0 && budget > 0 {
            var k = 0
            let previous = freeCount
            freeCount = 0
            while k < previous && budget > 0 {
                budget -= 1
                let i = free[k]
                k += 1
                let row = cost + i * nc
                var first = Double.infinity
                var second = Double.infinity
                var j1 = -1
                var j2 = -1
                for j in 0..<nc {
                    let h = row[j] - v[j]
                    if h < second {
                        if h >= first {
                            second = h
                            j2 = j
                        } else {
                            second = first
                            j2 = j1
                            first = h
                            j1 = j
                        }
                    }
                }
                guard first < .infinity else { return false }  // a row without any allowed column
                var displaced = y[j1]
                if first < second {
                    // Lower the column's dual so that the row's next best column ties with it; other matched rows
                    // only see their reduced costs at j1 grow. With a single allowed column nothing can be lowered.
                    if second < .infinity {
                        v[j1] -= second - first
                    } else if displaced >= 0 {
                        free[freeCount] = i
                        freeCount += 1
                        continue
                    }
                } else if displaced >= 0 {
                    j1 = j2
                    displaced = y[j2]
                }
                x[i] = j1
                y[j1] = i
                if displaced >= 0 {
                    x[displaced] = -1
                    if first < second {
                        k -= 1
                        free[k] = displaced
                    } else {
                        free[freeCount] = displaced
                        freeCount += 1
                    }
                }
            }
        }
        // Shortest augmenting paths for the rows left free.
        for f in 0..<nr where x[f] < 0 {
            guard
                augment(
                    from: f, cost, rows: nr, columns: nc, v: v, shortest: shortest, x: x, y: y, path: path,
                    remaining: remaining)
            else {
                return false
            }
        }
        return true
    }

    /// Column reduction with reduction transfer (square matrices only): each column's dual is its minimum, each
    /// column goes to its minimum row where that row has no column yet. Returns `false` for a fully forbidden
    /// column. `matches` is scratch space for `n` counters.
    static func columnReduction(
        _ cost: UnsafePointer<Double>, n: Int, v: UnsafeMutablePointer<Double>, x: UnsafeMutablePointer<Int>,
        y: UnsafeMutablePointer<Int>, matches: UnsafeMutablePointer<Int>
    ) -> Bool {
        // Column minima, row by row so that memory is read in order; the first minimal row wins.
        v.update(from: cost, count: n)
        y.update(repeating: 0, count: n)
        for i in 1..<max(n, 1) {
            let row = cost + i * n
            for j in 0..<n where row[j] < v[j] {
                v[j] = row[j]
                y[j] = i
            }
        }
        matches.update(repeating: 0, count: n)
        for j in stride(from: n - 1, through: 0, by: -1) {
            guard v[j] < .infinity else { return false }
            let i = y[j]
            matches[i] += 1
            if matches[i] == 1 {
                x[i] = j
            } else if v[j] < v[x[i]] {
                y[x[i]] = -1
                x[i] = j
            } else {
                y[j] = -1
            }
        }
        // Reduction transfer: a row that is the minimum of exactly one column moves the slack to its second best.
        for i in 0..<n where matches[i] == 1 {
            let j1 = x[i]
            let row = cost + i * n
            var second = Double.infinity
            for j in 0..<n where j != j1 {
                let h = row[j] - v[j]
                if h < second { second = h }
            }
            if second < .infinity { v[j1] -= second }
        }
        return true
    }

    /// One shortest augmenting path from the free row `f` (Dijkstra over reduced costs), the dual update and the
    /// augmentation. Returns `false` when no free column can be reached (infeasible).
    @inline(__always)
    static func augment(
        from f: Int, _ cost: UnsafePointer<Double>, rows nr: Int, columns nc: Int, v: UnsafeMutablePointer<Double>,
        shortest: UnsafeMutablePointer<Double>, x: UnsafeMutablePointer<Int>, y: UnsafeMutablePointer<Int>,
        path: UnsafeMutablePointer<Int>, remaining: UnsafeMutablePointer<Int>
    ) -> Bool {
        // The source row: labels are its costs less the column duals (its own dual is 0 during the search).
        var lowest = Double.infinity
        var index = -1
        do {
            let row = cost + f * nc
            for j in 0..<nc {
                remaining[j] = j
                let h = row[j] - v[j]
                shortest[j] = h
                path[j] = f
                if h < lowest || (h == lowest && y[j] < 0) {
                    lowest = h
                    index = j
                }
            }
        }
        var remainingCount = nc
        var minimum = lowest
        var sink = -1
        while true {
            minimum = lowest
            guard minimum < .infinity else { return false }
            let j = remaining[index]
            remainingCount -= 1
            remaining[index] = remaining[remainingCount]
            remaining[remainingCount] = j
            let i = y[j]
            if i < 0 {
                sink = j
                break
            }
            // Scan row i, reached through its matched column j at distance `minimum`.
            let row = cost + i * nc
            let offset = minimum - (row[j] - v[j])
            lowest = .infinity
            index = -1
            var k = 0
            while k < remainingCount {
                let c = remaining[k]
                let reduced = offset + row[c] - v[c]
                var label = shortest[c]
                if reduced < label {
                    path[c] = i
                    shortest[c] = reduced
                    label = reduced
                }
                if label <= lowest {
                    if label < lowest || y[c] < 0 {
                        lowest = label
                        index = k
                        // No label can be below `minimum`: a free column at that distance ends the search.
                        if label <= minimum && y[c] < 0 { break }
                    }
                }
                k += 1
            }
        }
        // Dual update over the columns taken off the queue; matched pairs stay tight.
        for k in remainingCount..<nc {
            let c = remaining[k]
            v[c] -= minimum - shortest[c]
        }
        var j = sink
        while true {
            let i = path[j]
            y[j] = i
            let previous = x[i]
            x[i] = j
            if i == f { break }
            j = previous
        }
        return true
    }
}
