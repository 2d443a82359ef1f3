import FleetCore
import VDA5050

extension SimVehicle {
    /// The error type a broken-down vehicle reports (FATAL).
    public static let dropoutErrorType = "robotDropout"

    /// The vehicle breaks down (an injected drop-out): it stops where it is, its order is dropped (nodes, edges and
    /// queued actions gone, unfinished actions FAILED) and it reports a FATAL `robotDropout` error; it takes no
    /// orders and does not move until ``recover()``.
    public mutating func breakDown() {
        guard !brokenDown else { return }
        brokenDown = true
        speed = 0
        nodes = []
        edges = []
        actionQueue = []
        running = nil
        edgeActions = []
        edgeProgress = 0
        position = lastNodePosition
        for i in actionStates.indices where !actionStates[i].actionStatus.isTerminal {
            actionStates[i].actionStatus = .failed
            actionStates[i].resultDescription = "vehicle broke down"
        }
        errors.removeAll { $0.errorType == Self.dropoutErrorType }
        errors.append(
            VDA5050Error(
                errorType: Self.dropoutErrorType,
                errorReferences: orderId.isEmpty ? nil : [Reference(referenceKey: "orderId", referenceValue: orderId)],
                errorDescription: "the vehicle broke down (injected drop-out) and stopped at \(lastNodeId)",
                errorLevel: .fatal))
        outbox.state = true
        outbox.notes.append("broke down at \(lastNodeId)")
    }

    /// The vehicle is repaired after a drop-out: the FATAL error is cleared and it takes orders again, standing at
    /// its last node without an order.
    public mutating func recover() {
        guard brokenDown else { return }
        brokenDown = false
        errors.removeAll { $0.errorType == Self.dropoutErrorType }
        outbox.state = true
        outbox.notes.append("recovered at \(lastNodeId)")
    }

    /// Scales every speed limit by `factor` (an injected slowdown; 1 ends it).
    public mutating func setSpeedFactor(_ factor: Double) {
        speedFactor = factor > 0 ? factor : 1
        outbox.notes.append("speed factor \(speedFactor)")
    }
}
