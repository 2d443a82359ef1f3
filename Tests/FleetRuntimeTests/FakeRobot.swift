import FleetMQTT
import Foundation
import Synchronization
import VDA5050

/// A scripted VDA 5050 robot for the shell tests: publishes connection `ONLINE` and an idle state at its start
/// node, accepts every order it receives (a state with the order's nodes still to go), and finishes it (a state
/// with the pick and drop finished at the last node) either at once or when the test calls `finish()`.
final class FakeRobot: Sendable {
    let manufacturer: String
    let serial: String
    let client: MQTTClient
    private let codec = VDA5050Codec()
    private struct Progress {
        var headerId: UInt32 = 0
        var order: Order?
        var ordersReceived = 0
        var autoFinish = true
        var node: String
    }
    private let progress: Mutex<Progress>
    private let listener = Mutex<Task<Void, Never>?>(nil)

    init(port: Int, manufacturer: String = "acme", serial: String, at node: String) throws {
        self.manufacturer = manufacturer
        self.serial = serial
        self.progress = Mutex(Progress(node: node))
        client = try MQTTClient(configuration: MQTTConfiguration(port: port, clientID: "robot-\(serial)"))
    }

    var ordersReceived: Int { progress.withLock { $0.ordersReceived } }
    var currentOrder: Order? { progress.withLock { $0.order } }

    func setAutoFinish(_ value: Bool) { progress.withLock { $0.autoFinish = value } }

    private func topic(_ name: String) -> String { "uagv/v2/\(manufacturer)/\(serial)/\(name)" }

    func start() async throws {
        try await client.connect()
        try await client.subscribe(topic("order"))
        let connection = Connection(
            headerId: 0, timestamp: VDA5050Timestamp(millisecondsSince1970: 0), manufacturer: manufacturer,
            serialNumber: serial, connectionState: .online)
        try await client.publishAndWait(topic: topic("connection"), payload: try codec.encode(connection), retain: true)
        try publishIdle()
        let messages = client.messages
        listener.withLock {
            $0 = Task { [self] in
                for await message in messages { handle(message) }
            }
        }
    }

    func stop() async {
        listener.withLock { $0?.cancel() }
        await client.disconnect()
    }

    /// Publishes the idle state at the current node (also a heartbeat).
    func publishIdle() throws {
        let node = progress.withLock { $0.node }
        try publish(state(orderId: "", updateId: 0, lastNode: node, sequence: 0, remaining: [], actions: []))
    }

    private func handle(_ message: MQTTMessage) {
        guard let order = try? codec.decode(Order.self, from: message.payload) else { return }
        let autoFinish = progress.withLock {
            $0.ordersReceived += 1
            $0.order = order
            return $0.autoFinish
        }
        let actions = order.nodes.flatMap(\.actions)
        try? publish(
            state(
                orderId: order.orderId, updateId: order.orderUpdateId, lastNode: order.nodes[0].nodeId, sequence: 0,
                remaining: Array(order.nodes.dropFirst()),
                actions: actions.map { ($0, ActionStatus.waiting) }, driving: true))
        if autoFinish { finish() }
    }

    /// Reports the current order done: at its last node, every action finished.
    func finish() {
        guard let order = progress.withLock({ $0.order }) else { return }
        let last = order.nodes[order.nodes.count - 1]
        let actions = order.nodes.flatMap(\.actions)
        progress.withLock { $0.node = last.nodeId }
        try? publish(
            state(
                orderId: order.orderId, updateId: order.orderUpdateId, lastNode: last.nodeId,
                sequence: last.sequenceId, remaining: [], actions: actions.map { ($0, .finished) }))
    }

    private func publish(_ state: State) throws {
        try client.publish(topic: topic("state"), payload: try codec.encode(state))
    }

    private func state(
        orderId: String, updateId: UInt32, lastNode: String, sequence: Int, remaining: [Node],
        actions: [(Action, ActionStatus)], driving: Bool = false
    ) -> State {
        let headerId = progress.withLock {
            $0.headerId += 1
            return $0.headerId
        }
        return State(
            headerId: headerId, timestamp: VDA5050Timestamp(millisecondsSince1970: 1_764_403_200_000),
            manufacturer: manufacturer, serialNumber: serial, orderId: orderId, orderUpdateId: updateId,
            lastNodeId: lastNode, lastNodeSequenceId: sequence, driving: driving,
            nodeStates: remaining.map { NodeState(nodeId: $0.nodeId, sequenceId: $0.sequenceId, released: true) },
            actionStates: actions.map {
                ActionState(actionId: $0.0.actionId, actionType: $0.0.actionType, actionStatus: $0.1)
            },
            batteryState: BatteryState(batteryCharge: 90, charging: false))
    }
}
