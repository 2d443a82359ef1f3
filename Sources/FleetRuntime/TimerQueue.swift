import FleetCore

/// The coordinator's pending timers, a binary min-heap ordered by due time (then by start order).
///
/// The shell pushes every ``FleetCore/Directive/startTimer(_:at:)`` and pops the due ones whenever the clock
/// passes them; a timer started twice fires twice (the coordinator ignores stale firings).
public struct TimerQueue: Sendable {
    private struct Entry: Sendable {
        var due: FleetTime
        var order: UInt64
        var timer: TimerID

        func precedes(_ other: Entry) -> Bool { (due, order) < (other.due, other.order) }
    }

    private var heap: [Entry] = []
    private var started: UInt64 = 0

    /// Creates an empty queue.
    public init() {}

    /// How many timers are pending.
    public var count: Int { heap.count }

    /// The earliest due time, if any timer is pending.
    public var nextDue: FleetTime? { heap.first?.due }

    /// Adds a timer.
    /// - Parameters:
    ///   - timer: the timer.
    ///   - due: when it fires.
    public mutating func schedule(_ timer: TimerID, at due: FleetTime) {
        started += 1
        heap.append(Entry(due: due, order: started, timer: timer))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every timer due at or before `now`, earliest first.
    /// - Parameter now: the current time.
    /// - Returns: the due timers.
    public mutating func popDue(now: FleetTime) -> [TimerID] {
        var due: [TimerID] = []
        while let first = heap.first, first.due <= now {
            due.append(first.timer)
            removeFirst()
        }
        return due
    }

    private mutating func removeFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
