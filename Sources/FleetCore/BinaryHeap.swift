/// A minimal array-backed binary min-heap, used by the router's Dijkstra search.
///
/// Elements are ordered by `<`; among equal elements the order is unspecified, so callers that need determinism
/// include a tie-breaker in the element (the router uses `(time, nodeIndex)`).
struct BinaryHeap<Element: Comparable> {
    private var storage: [Element] = []

    /// Whether the heap is empty.
    var isEmpty: Bool { storage.isEmpty }

    /// Number of elements.
    var count: Int { storage.count }

    /// Adds an element in O(log n).
    mutating func push(_ element: Element) {
        storage.append(element)
        siftUp(storage.count - 1)
    }

    /// Removes and returns the smallest element in O(log n).
    mutating func popMin() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let min = storage.removeLast()
        if !storage.isEmpty { siftDown(0) }
        return min
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { return }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < storage.count, storage[left] < storage[smallest] { smallest = left }
            if right < storage.count, storage[right] < storage[smallest] { smallest = right }
            guard smallest != parent else { return }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// A heap entry of Dijkstra's search: arrival time, then node index as a deterministic tie-breaker.
struct HeapEntry: Comparable {
    var time: Double
    var node: Int

    static func < (lhs: HeapEntry, rhs: HeapEntry) -> Bool {
        lhs.time < rhs.time || (lhs.time == rhs.time && lhs.node < rhs.node)
    }
}

/// Fastest arrival times from one source node to every node, for one robot top speed, optionally avoiding nodes.
struct ShortestPathTree: Sendable {
    var time: [Double]
    var distance: [Double]
    /// Index of the edge used to reach each node; `-1` for the source and unreachable nodes.
    var via: [Int]

    /// Runs Dijkstra from `source` on `layout`, with travel time `length / min(edge limit, robotMaxSpeed)`, never
    /// entering a node whose index is `true` in `blocked` (the source itself may be blocked: the robot drives out).
    init(layout: SiteLayout, source: Int, robotMaxSpeed: Double, blocked: [Bool]? = nil) {
        let n = layout.nodes.count
        time = Array(repeating: .infinity, count: n)
        distance = Array(repeating: .infinity, count: n)
        via = Array(repeating: -1, count: n)
        var done = Array(repeating: false, count: n)
        var heap = BinaryHeap<HeapEntry>()
        time[source] = 0
        distance[source] = 0
        heap.push(HeapEntry(time: 0, node: source))
        while let entry = heap.popMin() {
            let u = entry.node
            if done[u] { continue }
            done[u] = true
            for e in layout.outgoing[u] {
                let edge = layout.edges[e]
                guard let v = layout.nodeIndex[edge.to], !done[v], !(blocked?[v] ?? false) else { continue }
                let t = time[u] + edge.travelTime(robotMaxSpeed: robotMaxSpeed)
                if t < time[v] {
                    time[v] = t
                    distance[v] = distance[u] + edge.length
                    via[v] = e
                    heap.push(HeapEntry(time: t, node: v))
                }
            }
        }
    }
}
