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
/// The method is the shortest augmenting path algorithm for rectangular problems (Crouse, "On implementing 2D
/// rectangular assignment algorithms", IEEE TAES 2016): one Dijkstra-like search over reduced costs per row,
/// dual variables kept feasible throughout. O(n² m) time, O(n m) memory for the input only.
public enum LinearAssignment {
    /// Solves the problem for `costs`.
    /// - Returns: the column of each row and the total, summed over the chosen pairs in row order.
    /// - Throws: ``AssignmentError/infeasible`` when forbidden (infinite) pairs leave no complete matching.
    public static func solve(_ costs: CostMatrix) throws(AssignmentError) -> AssignmentSolution {
        if costs.rows == 0 || costs.columns == 0 {
            return AssignmentSolution(columnForRow: Array(repeating: nil, count: costs.rows), totalCost: 0)
        }
        let transposed = costs.rows > costs.columns
        let nr = transposed ? costs.columns : costs.rows
        let nc = transposed ? costs.rows : costs.columns
        var matrix = costs.values
        if transposed {
            matrix = Array(repeating: 0, count: nr * nc)
            for r in 0..<costs.rows {
                for c in 0..<costs.columns { matrix[c * nc + r] = costs.values[r * costs.columns + c] }
            }
        }
        let columnForShortRow = try solveWide(matrix, rows: nr, columns: nc)
        var columnForRow = [Int?](repeating: nil, count: costs.rows)
        for (short, long) in columnForShortRow.enumerated() {
            let (row, column) = transposed ? (long, short) : (short, long)
            columnForRow[row] = column
        }
        // Summed in row order, so the total is exactly the sum of `pairs` however the problem was oriented.
        var total = 0.0
        for (row, column) in columnForRow.enumerated() {
            if let column { total += costs.values[row * costs.columns + column] }
        }
        return AssignmentSolution(columnForRow: columnForRow, totalCost: total)
    }

    /// The core for `rows <= columns`; returns the column of each row.
    static func solveWide(_ cost: [Double], rows nr: Int, columns nc: Int) throws(AssignmentError) -> [Int] {
        var u = [Double](repeating: 0, count: nr)
        var v = [Double](repeating: 0, count: nc)
        var shortest = [Double](repeating: .infinity, count: nc)
        var path = [Int](repeating: -1, count: nc)
        var columnForRow = [Int](repeating: -1, count: nr)
        var rowForColumn = [Int](repeating: -1, count: nc)
        var visitedRow = [Bool](repeating: false, count: nr)
        var visitedColumn = [Bool](repeating: false, count: nc)
        var remaining = [Int](repeating: 0, count: nc)
        for current in 0..<nr {
            var minimum = 0.0
            var i = current
            var remainingCount = nc
            for k in 0..<nc {
                remaining[k] = nc - k - 1
                shortest[k] = .infinity
                visitedColumn[k] = false
            }
            for k in 0..<nr { visitedRow[k] = false }
            var sink = -1
            while sink == -1 {
                var index = -1
                var lowest = Double.infinity
                visitedRow[i] = true
                for k in 0..<remainingCount {
                    let j = remaining[k]
                    let reduced = minimum + cost[i * nc + j] - u[i] - v[j]
                    if reduced < shortest[j] {
                        path[j] = i
                        shortest[j] = reduced
                    }
                    if shortest[j] < lowest || (shortest[j] == lowest && rowForColumn[j] == -1) {
                        lowest = shortest[j]
                        index = k
                    }
                }
                minimum = lowest
                guard minimum < .infinity, index >= 0 else { throw .infeasible }
                let j = remaining[index]
                if rowForColumn[j] == -1 { sink = j } else { i = rowForColumn[j] }
                visitedColumn[j] = true
                remainingCount -= 1
                remaining[index] = remaining[remainingCount]
            }
            u[current] += minimum
            for r in 0..<nr where visitedRow[r] && r != current { u[r] += minimum - shortest[columnForRow[r]] }
            for c in 0..<nc where visitedColumn[c] { v[c] -= minimum - shortest[c] }
            var j = sink
            while true {
                let r = path[j]
                rowForColumn[j] = r
                swap(&columnForRow[r], &j)
                if r == current { break }
            }
        }
        return columnForRow
    }
}
