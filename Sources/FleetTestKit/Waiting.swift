/// A condition a test waited for did not become true in time.
public struct TestTimeout: Error, CustomStringConvertible {
    /// What was awaited.
    public var description: String

    /// Creates the error.
    /// - Parameter description: What was awaited.
    public init(_ description: String) {
        self.description = description
    }
}

/// Polls `condition` every 10 ms until it is true.
/// - Parameters:
///   - timeout: How long to wait.
///   - what: What is awaited, for the error message.
///   - condition: The condition.
/// - Throws: ``TestTimeout`` if the condition stays false.
public func waitUntil(
    timeout: Duration = .seconds(5), _ what: @autoclosure () -> String = "condition",
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            throw TestTimeout("timed out after \(timeout) waiting for \(what())")
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
