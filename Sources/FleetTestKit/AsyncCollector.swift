import Synchronization

/// Consumes an `AsyncSequence` in a background task and keeps its elements, so a test can wait for
/// "at least n elements" or "an element matching ..." with a timeout instead of iterating by hand.
public final class AsyncCollector<Element: Sendable>: Sendable {
    struct State {
        var elements: [Element] = []
        var finished = false
    }

    private let state = LockedBox(State())
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Starts consuming `sequence`.
    /// - Parameter sequence: The sequence; it is iterated until it ends or ``cancel()``.
    public init<S: AsyncSequence & Sendable>(_ sequence: S) where S.Element == Element {
        let consumer = Task { [state] in
            do {
                for try await element in sequence { state.withLock { $0.elements.append(element) } }
            } catch {}
            state.withLock { $0.finished = true }
        }
        task.withLock { $0 = consumer }
    }

    deinit {
        task.withLock { $0?.cancel() }
    }

    /// Everything collected so far.
    public var elements: [Element] { state.withLock { $0.elements } }

    /// Whether the sequence has ended.
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Stops consuming.
    public func cancel() {
        task.withLock { $0?.cancel() }
    }

    /// Waits until at least `count` elements were collected and returns all of them.
    /// - Parameters:
    ///   - count: The number to wait for.
    ///   - timeout: How long to wait.
    /// - Returns: The collected elements (at least `count`).
    /// - Throws: ``TestTimeout``.
    @discardableResult
    public func waitForCount(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [Element] {
        try await waitUntil(timeout: timeout, "\(count) elements (have \(elements.count))") { elements.count >= count }
        return elements
    }

    /// Waits for the first element (from `index` on) that matches `predicate`.
    /// - Parameters:
    ///   - index: Where to start looking.
    ///   - timeout: How long to wait.
    ///   - predicate: The condition.
    /// - Returns: The element and its index.
    /// - Throws: ``TestTimeout``.
    @discardableResult
    public func waitForElement(
        from index: Int = 0, timeout: Duration = .seconds(5), where predicate: @Sendable (Element) -> Bool
    ) async throws -> (element: Element, index: Int) {
        var found: (Element, Int)?
        try await waitUntil(timeout: timeout, "a matching element (have \(elements.count))") {
            let all = elements
            if index < all.count, let position = all[index...].firstIndex(where: predicate) {
                found = (all[position], position)
            }
            return found != nil
        }
        return found!
    }

    /// Waits until the sequence has ended.
    /// - Parameter timeout: How long to wait.
    /// - Throws: ``TestTimeout``.
    public func waitForFinish(timeout: Duration = .seconds(5)) async throws {
        try await waitUntil(timeout: timeout, "the sequence to finish") { isFinished }
    }
}
