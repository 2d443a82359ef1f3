import FleetCore
import VDA5050

extension SimVehicle {
    /// Instant actions the vehicle understands.
    public static let instantActionTypes: Set<String> = [
        "cancelOrder", "startPause", "stopPause", "stateRequest", "factsheetRequest",
    ]

    /// Handles an `instantActions` payload as received; malformed JSON is reported as a `validationError`.
    public mutating func receiveInstantActions(payload: [UInt8], now: FleetTime) {
        do {
            receiveInstantActions(try VDA5050Codec().decode(InstantActions.self, from: payload), now: now)
        } catch {
            report(
                "validationError", "cannot decode the instant actions: \(error)",
                references: [("topic", "instantActions")])
        }
    }

    /// Runs each instant action: `cancelOrder`, `startPause`, `stopPause`, `stateRequest`, `factsheetRequest`.
    /// Any other type is FAILED with an `invalidInstantAction` WARNING.
    public mutating func receiveInstantActions(_ message: InstantActions, now: FleetTime) {
        outbox.state = true
        for action in message.actions {
            switch action.actionType {
            case "cancelOrder":
                cancelOrder(action)
            case "startPause", "stopPause":
                let pause = action.actionType == "startPause"
                if paused != pause { outbox.notes.append(pause ? "paused" : "resumed") }
                paused = pause
                if pause { speed = 0 }
                setStatus(action.actionId, .finished, type: action.actionType)
            case "stateRequest":
                setStatus(action.actionId, .finished, type: action.actionType)
            case "factsheetRequest":
                outbox.factsheet = true
                setStatus(action.actionId, .finished, type: action.actionType)
            default:
                setStatus(action.actionId, .failed, type: action.actionType, result: "unsupported instant action")
                report(
                    "invalidInstantAction", "instant action type '\(action.actionType)' is not supported",
                    references: [
                        ("headerId", "\(message.headerId)"), ("topic", "instantActions"), ("actionId", action.actionId),
                    ])
            }
        }
    }

    /// 2.1 §6.6.3: stop at the next node (or at once when standing), fail waiting actions, let a running action
    /// finish, report the `cancelOrder` action RUNNING until everything stopped, then FINISHED.
    private mutating func cancelOrder(_ action: Action) {
        let hasOrder = !(nodes.isEmpty && edges.isEmpty && running == nil && actionQueue.isEmpty)
        guard hasOrder else {
            setStatus(action.actionId, .failed, type: action.actionType, result: "no order to cancel")
            report(
                "noOrderToCancel", "there is no active order to cancel",
                references: [("actionId", action.actionId), ("orderId", orderId)])
            return
        }
        cancelledOrderId = orderId
        actionQueue.removeAll()
        let midEdge = edgeProgress > 0 || speed > 0
        if midEdge, !nodes.isEmpty, !edges.isEmpty {
            nodes = [nodes[0]]
            nodes[0].actions = []
            edges = [edges[0]]
        } else {
            nodes = []
            edges = []
            edgeProgress = 0
        }
        for i in actionStates.indices where actionStates[i].actionStatus == .waiting {
            actionStates[i].actionStatus = .failed
            actionStates[i].resultDescription = "order cancelled"
        }
        cancelActionIds.append(action.actionId)
        setStatus(action.actionId, .running, type: action.actionType)
        outbox.notes.append("cancelling order \(orderId)")
    }

    /// The vehicle's factsheet (header id and timestamp are set by the publisher).
    public func factsheet(at now: FleetTime) -> Factsheet {
        let nodeActions = spec.actionDurations.keys.sorted() + VehicleSpec.builtInActions.sorted()
        var actions = nodeActions.map {
            AGVAction(actionType: $0, actionScopes: [.node, .edge])
        }
        actions += Self.instantActionTypes.sorted().map {
            AGVAction(actionType: $0, actionScopes: [.instant])
        }
        return Factsheet(
            timestamp: VDA5050Timestamp(millisecondsSince1970: now.milliseconds), manufacturer: id.manufacturer,
            serialNumber: id.serialNumber,
            typeSpecification: TypeSpecification(
                seriesName: "FleetSim \(spec.type)", seriesDescription: "simulated \(spec.type) (fleet-sim)",
                agvKinematic: .diff, agvClass: .carrier, maxLoadMass: spec.maxPayloadKg, localizationTypes: [.natural],
                navigationTypes: [.virtualLineGuided]),
            physicalParameters: PhysicalParameters(
                speedMin: 0.01, speedMax: spec.maxSpeed, accelerationMax: spec.acceleration,
                decelerationMax: spec.deceleration, heightMax: 0.5, width: 0.6, length: 0.9),
            protocolLimits: ProtocolLimits(
                maxStringLens: MaxStringLens(idNumericalOnly: false),
                timing: Timing(minOrderInterval: 0.1, minStateInterval: 0.05, defaultStateInterval: 15)),
            protocolFeatures: ProtocolFeatures(
                optionalParameters: [
                    OptionalParameter(parameter: "order.nodes.nodePosition", support: .supported),
                    OptionalParameter(parameter: "order.edges.maxSpeed", support: .supported),
                    OptionalParameter(parameter: "order.edges.length", support: .supported),
                ], agvActions: actions),
            loadSpecification: LoadSpecification(loadPositions: ["deck"]))
    }
}
