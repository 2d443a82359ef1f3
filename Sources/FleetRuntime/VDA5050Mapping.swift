import FleetCore
import VDA5050

/// The one place where VDA 5050 2.x messages and the coordinator's protocol-neutral domain meet.
///
/// Incoming: `State` → ``FleetCore/RobotObservation`` and `Connection` → ``FleetCore/ConnectionState``. Outgoing
/// (see `VDA5050Mapping+Order.swift`, which also maps ids to their wire form): ``FleetCore/DispatchPlan`` → `Order`, cancel → `InstantActions`.
/// Pure functions; the caller stamps headers.
public enum VDA5050Mapping {
    /// The robot a state message is about.
    /// - Parameter state: the decoded state.
    /// - Returns: `manufacturer/serialNumber` as in the message header.
    public static func robotID(of state: VDA5050.State) -> RobotID {
        RobotID(manufacturer: state.manufacturer, serialNumber: state.serialNumber)
    }

    /// What the coordinator takes from a factsheet (2.0 or 2.1): `typeSpecification.seriesName`,
    /// `physicalParameters.speedMax`, the payload (`typeSpecification.maxLoadMass`, or the largest `maxWeight` of
    /// `loadSpecification.loadSets` when every set gives one and that is smaller) and the action types of
    /// `protocolFeatures.agvActions` with the `NODE` scope. Check ``FleetCore/RobotFactsheet/problem`` before use.
    /// - Parameter factsheet: the decoded factsheet.
    /// - Returns: the summary.
    public static func robotFactsheet(from factsheet: Factsheet) -> RobotFactsheet {
        var load = factsheet.typeSpecification.maxLoadMass
        let weights = (factsheet.loadSpecification.loadSets ?? []).map(\.maxWeight)
        if !weights.isEmpty, weights.allSatisfy({ $0 != nil }), let largest = weights.compactMap({ $0 }).max() {
            load = min(load, largest)
        }
        let actions = factsheet.protocolFeatures.agvActions.filter { $0.actionScopes.contains(.node) }
        return RobotFactsheet(
            series: factsheet.typeSpecification.seriesName, maxSpeed: factsheet.physicalParameters.speedMax,
            maxLoadKg: load, actionTypes: Set(actions.map(\.actionType)))
    }

    /// Maps a state message to an observation.
    ///
    /// The position is taken only when the robot reports itself localised; an empty `lastNodeId` becomes `nil`;
    /// an empty `orderId` means no order; order and action ids are turned back into the coordinator's form
    /// (``coordinatorOrderId(_:)``); `INITIALIZING`, `RUNNING` and `PAUSED` actions count as running; an
    /// error's `orderId` reference, if any, is kept on the fault.
    /// - Parameter state: the decoded state.
    /// - Returns: the observation the coordinator understands.
    public static func observation(from state: VDA5050.State) -> RobotObservation {
        let position = state.agvPosition.flatMap { $0.positionInitialized ? $0 : nil }
        var order: OrderProgress?
        if !state.orderId.isEmpty {
            var actions: [String: ActionProgress] = [:]
            actions.reserveCapacity(state.actionStates.count)
            for action in state.actionStates {
                actions[coordinatorActionId(action.actionId)] = ActionProgress(
                    status(action.actionStatus), resultDescription: action.resultDescription)
            }
            order = OrderProgress(
                orderId: coordinatorOrderId(state.orderId), orderUpdateId: Int(state.orderUpdateId),
                lastNodeSequenceId: state.lastNodeSequenceId, remainingNodeCount: state.nodeStates.count,
                actions: actions)
        }
        return RobotObservation(
            position: position.map { SitePoint(x: $0.x, y: $0.y) }, mapId: position?.mapId,
            lastNodeId: state.lastNodeId.isEmpty ? nil : state.lastNodeId,
            batteryPercent: state.batteryState.batteryCharge, charging: state.batteryState.charging,
            driving: state.driving, paused: state.paused ?? false, mode: mode(state.operatingMode),
            faults: state.errors.map(fault), safety: safety(state.safetyState), order: order,
            reportedAt: FleetTime(milliseconds: state.timestamp.millisecondsSince1970),
            humanDistance: humanDistance(state.information))
    }

    /// The `information` type a robot reports the nearest person with (an extension of VDA 5050's free-form
    /// information; FleetPilot's robots and fleet-sim use it): a reference `distance` in metres.
    public static let humanProximityInfoType = "HUMAN_PROXIMITY"

    /// The nearest person's distance in metres among `HUMAN_PROXIMITY` entries (finite, not negative), if any.
    /// - Parameter information: the state's information entries.
    /// - Returns: the smallest distance reported.
    public static func humanDistance(_ information: [VDA5050.Information]?) -> Double? {
        var nearest: Double?
        for entry in information ?? [] where entry.infoType == humanProximityInfoType {
            for reference in entry.infoReferences ?? [] where reference.referenceKey == "distance" {
                guard let d = Double(reference.referenceValue), d.isFinite, d >= 0 else { continue }
                nearest = min(nearest ?? d, d)
            }
        }
        return nearest
    }

    /// Maps an operating mode.
    /// - Parameter mode: the VDA 5050 mode.
    /// - Returns: the domain mode.
    public static func mode(_ mode: VDA5050.OperatingMode) -> FleetCore.OperatingMode {
        switch mode {
        case .automatic: return .automatic
        case .semiautomatic: return .semiautomatic
        case .manual: return .manual
        case .service: return .service
        case .teachIn: return .teachIn
        }
    }

    /// Maps an action status: `INITIALIZING`, `RUNNING` and `PAUSED` are all `running`.
    /// - Parameter status: the VDA 5050 status.
    /// - Returns: the domain status.
    public static func status(_ status: VDA5050.ActionStatus) -> FleetCore.ActionStatus {
        switch status {
        case .waiting: return .waiting
        case .initializing, .running, .paused: return .running
        case .finished: return .finished
        case .failed: return .failed
        }
    }

    /// Maps a robot error to a fault, keeping the `orderId` reference when the robot gives one.
    /// - Parameter error: the VDA 5050 error.
    /// - Returns: the domain fault.
    public static func fault(_ error: VDA5050Error) -> RobotFault {
        let orderId = error.errorReferences?.first { $0.referenceKey == "orderId" }.map {
            coordinatorOrderId($0.referenceValue)
        }
        return RobotFault(
            type: error.errorType, level: error.errorLevel == .fatal ? .fatal : .warning,
            description: error.errorDescription ?? "", orderId: orderId)
    }

    /// Maps the safety state: any emergency stop other than `NONE` counts as active.
    /// - Parameter safety: the VDA 5050 safety state.
    /// - Returns: the domain safety state.
    public static func safety(_ safety: VDA5050.SafetyState) -> FleetCore.SafetyState {
        FleetCore.SafetyState(eStop: safety.eStop != .none, fieldViolation: safety.fieldViolation)
    }

    /// Maps a connection state.
    /// - Parameter state: the VDA 5050 connection state.
    /// - Returns: the domain connection state.
    public static func connection(_ state: VDA5050.ConnectionState) -> FleetCore.ConnectionState {
        switch state {
        case .online: return .online
        case .offline: return .offline
        case .connectionBroken: return .connectionBroken
        }
    }
}
