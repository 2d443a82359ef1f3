// The typed part of `FastStateDecoder`: one reader per model type, each mirroring the synthesized `Decodable`
// conformance (required fields via `decode`, optional fields via `decodeIfPresent`, where `null` is nil).

let fastStateStateKeys = FastStateKeys(
    [
        "headerId", "timestamp", "version", "manufacturer", "serialNumber", "maps", "orderId", "orderUpdateId",
        "zoneSetId", "lastNodeId", "lastNodeSequenceId", "driving", "paused", "newBaseRequest",
        "distanceSinceLastNode", "operatingMode", "nodeStates", "edgeStates", "agvPosition", "velocity", "loads",
        "actionStates", "batteryState", "errors", "information", "safetyState",
    ],
    required: [
        "headerId", "timestamp", "version", "manufacturer", "serialNumber", "orderId", "orderUpdateId",
        "lastNodeId", "lastNodeSequenceId", "driving", "operatingMode", "nodeStates", "edgeStates", "actionStates",
        "batteryState", "errors", "safetyState",
    ]
)
let fastStateMapKeys = FastStateKeys(
    ["mapId", "mapVersion", "mapDescription", "mapStatus"], required: ["mapId", "mapVersion", "mapStatus"])
let fastStateNodeStateKeys = FastStateKeys(
    ["nodeId", "sequenceId", "nodeDescription", "released", "nodePosition"],
    required: ["nodeId", "sequenceId", "released"])
let fastStateNodePositionKeys = FastStateKeys(
    ["x", "y", "theta", "allowedDeviationXY", "allowedDeviationTheta", "mapId", "mapDescription"],
    required: ["x", "y", "mapId"])
let fastStateEdgeStateKeys = FastStateKeys(
    ["edgeId", "sequenceId", "edgeDescription", "released", "trajectory"],
    required: ["edgeId", "sequenceId", "released"])
let fastStateTrajectoryKeys = FastStateKeys(
    ["degree", "knotVector", "controlPoints"], required: ["degree", "knotVector", "controlPoints"])
let fastStateControlPointKeys = FastStateKeys(["x", "y", "weight"], required: ["x", "y"])
let fastStateAGVPositionKeys = FastStateKeys(
    [
        "x", "y", "theta", "mapId", "mapDescription", "positionInitialized", "localizationScore", "deviationRange",
    ],
    required: ["x", "y", "theta", "mapId", "positionInitialized"])
let fastStateVelocityKeys = FastStateKeys(["vx", "vy", "omega"], required: [])
let fastStateLoadKeys = FastStateKeys(
    ["loadId", "loadType", "loadPosition", "boundingBoxReference", "loadDimensions", "weight"], required: [])
let fastStateBoundingBoxKeys = FastStateKeys(["x", "y", "z", "theta"], required: ["x", "y", "z"])
let fastStateLoadDimensionsKeys = FastStateKeys(["length", "width", "height"], required: ["length", "width"])
let fastStateActionStateKeys = FastStateKeys(
    ["actionId", "actionType", "actionDescription", "actionStatus", "resultDescription"],
    required: ["actionId", "actionStatus"])
let fastStateBatteryKeys = FastStateKeys(
    ["batteryCharge", "batteryVoltage", "batteryHealth", "charging", "reach"],
    required: ["batteryCharge", "charging"])
let fastStateErrorKeys = FastStateKeys(
    ["errorType", "errorReferences", "errorDescription", "errorHint", "errorLevel"],
    required: ["errorType", "errorLevel"])
let fastStateReferenceKeys = FastStateKeys(
    ["referenceKey", "referenceValue"], required: ["referenceKey", "referenceValue"])
let fastStateInformationKeys = FastStateKeys(
    ["infoType", "infoReferences", "infoDescription", "infoLevel"], required: ["infoType", "infoLevel"])
let fastStateSafetyKeys = FastStateKeys(["eStop", "fieldViolation"], required: ["eStop", "fieldViolation"])

let fastStateOperatingModeNames = FastStateKeys(["AUTOMATIC", "SEMIAUTOMATIC", "MANUAL", "SERVICE", "TEACHIN"])
let fastStateMapStatusNames = FastStateKeys(["ENABLED", "DISABLED"])
let fastStateActionStatusNames = FastStateKeys(["WAITING", "INITIALIZING", "RUNNING", "PAUSED", "FINISHED", "FAILED"])
let fastStateErrorLevelNames = FastStateKeys(["WARNING", "FATAL"])
let fastStateInfoLevelNames = FastStateKeys(["INFO", "DEBUG"])
let fastStateEStopNames = FastStateKeys(["AUTOACK", "MANUAL", "REMOTE", "NONE"])

let fastStateAllOperatingMode = OperatingMode.allCases
let fastStateAllMapStatus = MapStatus.allCases
let fastStateAllActionStatus = ActionStatus.allCases
let fastStateAllErrorLevel = ErrorLevel.allCases
let fastStateAllInfoLevel = InfoLevel.allCases
let fastStateAllEStop = EStop.allCases

extension FastStateCursor {
    /// Reads the top-level `state` object.
    mutating func readState(open: Int) throws(E) -> State {
        var headerId: UInt32 = 0
        var timestamp = VDA5050Timestamp(millisecondsSince1970: 0)
        var version = ""
        var manufacturer = ""
        var serialNumber = ""
        var maps: [MapInfo]?
        var orderId = ""
        var orderUpdateId: UInt32 = 0
        var zoneSetId: String?
        var lastNodeId = ""
        var lastNodeSequenceId = 0
        var driving = false
        var paused: Bool?
        var newBaseRequest: Bool?
        var distanceSinceLastNode: Double?
        var operatingMode = OperatingMode.automatic
        var nodeStates: [NodeState] = []
        var edgeStates: [EdgeState] = []
        var agvPosition: AGVPosition?
        var velocity: Velocity?
        var loads: [Load]?
        var actionStates: [ActionState] = []
        var batteryState = BatteryState(batteryCharge: 0, charging: false)
        var errors: [VDA5050Error] = []
        var information: [Information]?
        var safetyState = SafetyState(eStop: .none, fieldViolation: false)
        let inner = open + 1
        let keys = fastStateStateKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: headerId = try c.readUInt32()
            case 1: timestamp = try c.readTimestamp()
            case 2: version = try c.readString()
            case 3: manufacturer = try c.readString()
            case 4: serialNumber = try c.readString()
            case 5:
                if try c.takeNull() {
                    maps = nil
                } else {
                    var list = [MapInfo]()
                    try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readMapInfo(open: o)) }
                    maps = list
                }
            case 6: orderId = try c.readString()
            case 7: orderUpdateId = try c.readUInt32()
            case 8: zoneSetId = try c.readOptionalString()
            case 9: lastNodeId = try c.readString()
            case 10: lastNodeSequenceId = try c.readInt()
            case 11: driving = try c.readBool()
            case 12: paused = try c.readOptionalBool()
            case 13: newBaseRequest = try c.readOptionalBool()
            case 14: distanceSinceLastNode = try c.readOptionalDouble()
            case 15: operatingMode = fastStateAllOperatingMode[try c.readEnumIndex(fastStateOperatingModeNames)]
            case 16:
                var list = [NodeState]()
                try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readNodeState(open: o)) }
                nodeStates = list
            case 17:
                var list = [EdgeState]()
                try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readEdgeState(open: o)) }
                edgeStates = list
            case 18: agvPosition = try c.takeNull() ? nil : c.readAGVPosition(open: inner)
            case 19: velocity = try c.takeNull() ? nil : c.readVelocity(open: inner)
            case 20:
                if try c.takeNull() {
                    loads = nil
                } else {
                    var list = [Load]()
                    try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readLoad(open: o)) }
                    loads = list
                }
            case 21:
                var list = [ActionState]()
                try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readActionState(open: o)) }
                actionStates = list
            case 22: batteryState = try c.readBatteryState(open: inner)
            case 23:
                var list = [VDA5050Error]()
                try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readError(open: o)) }
                errors = list
            case 24:
                if try c.takeNull() {
                    information = nil
                } else {
                    var list = [Information]()
                    try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readInformation(open: o)) }
                    information = list
                }
            default: safetyState = try c.readSafetyState(open: inner)
            }
        }
        if let error = keys.missing(seen) { throw error }
        return State(
            headerId: headerId, timestamp: timestamp, version: version, manufacturer: manufacturer,
            serialNumber: serialNumber, maps: maps, orderId: orderId, orderUpdateId: orderUpdateId,
            zoneSetId: zoneSetId, lastNodeId: lastNodeId, lastNodeSequenceId: lastNodeSequenceId, driving: driving,
            paused: paused, newBaseRequest: newBaseRequest, distanceSinceLastNode: distanceSinceLastNode,
            operatingMode: operatingMode, nodeStates: nodeStates, edgeStates: edgeStates, agvPosition: agvPosition,
            velocity: velocity, loads: loads, actionStates: actionStates, batteryState: batteryState, errors: errors,
            information: information, safetyState: safetyState)
    }

    mutating func readMapInfo(open: Int) throws(E) -> MapInfo {
        var mapId = ""
        var mapVersion = ""
        var mapDescription: String?
        var mapStatus = MapStatus.enabled
        let keys = fastStateMapKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: mapId = try c.readString()
            case 1: mapVersion = try c.readString()
            case 2: mapDescription = try c.readOptionalString()
            default: mapStatus = fastStateAllMapStatus[try c.readEnumIndex(fastStateMapStatusNames)]
            }
        }
        if let error = keys.missing(seen) { throw error }
        return MapInfo(mapId: mapId, mapVersion: mapVersion, mapDescription: mapDescription, mapStatus: mapStatus)
    }

    mutating func readNodeState(open: Int) throws(E) -> NodeState {
        var nodeId = ""
        var sequenceId = 0
        var nodeDescription: String?
        var released = false
        var nodePosition: NodePosition?
        let inner = open + 1
        let keys = fastStateNodeStateKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: nodeId = try c.readString()
            case 1: sequenceId = try c.readInt()
            case 2: nodeDescription = try c.readOptionalString()
            case 3: released = try c.readBool()
            default: nodePosition = try c.takeNull() ? nil : c.readNodePosition(open: inner)
            }
        }
        if let error = keys.missing(seen) { throw error }
        return NodeState(
            nodeId: nodeId, sequenceId: sequenceId, nodeDescription: nodeDescription, released: released,
            nodePosition: nodePosition)
    }

    mutating func readNodePosition(open: Int) throws(E) -> NodePosition {
        var x = 0.0
        var y = 0.0
        var theta: Double?
        var allowedDeviationXY: Double?
        var allowedDeviationTheta: Double?
        var mapId = ""
        var mapDescription: String?
        let keys = fastStateNodePositionKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: x = try c.readDouble()
            case 1: y = try c.readDouble()
            case 2: theta = try c.readOptionalDouble()
            case 3: allowedDeviationXY = try c.readOptionalDouble()
            case 4: allowedDeviationTheta = try c.readOptionalDouble()
            case 5: mapId = try c.readString()
            default: mapDescription = try c.readOptionalString()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return NodePosition(
            x: x, y: y, theta: theta, allowedDeviationXY: allowedDeviationXY,
            allowedDeviationTheta: allowedDeviationTheta, mapId: mapId, mapDescription: mapDescription)
    }

    mutating func readEdgeState(open: Int) throws(E) -> EdgeState {
        var edgeId = ""
        var sequenceId = 0
        var edgeDescription: String?
        var released = false
        var trajectory: Trajectory?
        let inner = open + 1
        let keys = fastStateEdgeStateKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: edgeId = try c.readString()
            case 1: sequenceId = try c.readInt()
            case 2: edgeDescription = try c.readOptionalString()
            case 3: released = try c.readBool()
            default: trajectory = try c.takeNull() ? nil : c.readTrajectory(open: inner)
            }
        }
        if let error = keys.missing(seen) { throw error }
        return EdgeState(
            edgeId: edgeId, sequenceId: sequenceId, edgeDescription: edgeDescription, released: released,
            trajectory: trajectory)
    }

    mutating func readTrajectory(open: Int) throws(E) -> Trajectory {
        var degree = 0
        var knotVector: [Double] = []
        var controlPoints: [ControlPoint] = []
        let inner = open + 1
        let keys = fastStateTrajectoryKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: degree = try c.readInt()
            case 1: knotVector = try c.readDoubleArray(open: inner)
            default:
                var list = [ControlPoint]()
                try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readControlPoint(open: o)) }
                controlPoints = list
            }
        }
        if let error = keys.missing(seen) { throw error }
        return Trajectory(degree: degree, knotVector: knotVector, controlPoints: controlPoints)
    }

    mutating func readControlPoint(open: Int) throws(E) -> ControlPoint {
        var x = 0.0
        var y = 0.0
        var weight: Double?
        let keys = fastStateControlPointKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: x = try c.readDouble()
            case 1: y = try c.readDouble()
            default: weight = try c.readOptionalDouble()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return ControlPoint(x: x, y: y, weight: weight)
    }

    mutating func readAGVPosition(open: Int) throws(E) -> AGVPosition {
        var x = 0.0
        var y = 0.0
        var theta = 0.0
        var mapId = ""
        var mapDescription: String?
        var positionInitialized = false
        var localizationScore: Double?
        var deviationRange: Double?
        let keys = fastStateAGVPositionKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: x = try c.readDouble()
            case 1: y = try c.readDouble()
            case 2: theta = try c.readDouble()
            case 3: mapId = try c.readString()
            case 4: mapDescription = try c.readOptionalString()
            case 5: positionInitialized = try c.readBool()
            case 6: localizationScore = try c.readOptionalDouble()
            default: deviationRange = try c.readOptionalDouble()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return AGVPosition(
            x: x, y: y, theta: theta, mapId: mapId, mapDescription: mapDescription,
            positionInitialized: positionInitialized, localizationScore: localizationScore,
            deviationRange: deviationRange)
    }

    mutating func readVelocity(open: Int) throws(E) -> Velocity {
        var vx: Double?
        var vy: Double?
        var omega: Double?
        _ = try readObject(open: open, fastStateVelocityKeys) { (c, field) throws(E) in
            switch field {
            case 0: vx = try c.readOptionalDouble()
            case 1: vy = try c.readOptionalDouble()
            default: omega = try c.readOptionalDouble()
            }
        }
        return Velocity(vx: vx, vy: vy, omega: omega)
    }

    mutating func readLoad(open: Int) throws(E) -> Load {
        var loadId: String?
        var loadType: String?
        var loadPosition: String?
        var boundingBoxReference: BoundingBoxReference?
        var loadDimensions: LoadDimensions?
        var weight: Double?
        let inner = open + 1
        _ = try readObject(open: open, fastStateLoadKeys) { (c, field) throws(E) in
            switch field {
            case 0: loadId = try c.readOptionalString()
            case 1: loadType = try c.readOptionalString()
            case 2: loadPosition = try c.readOptionalString()
            case 3: boundingBoxReference = try c.takeNull() ? nil : c.readBoundingBox(open: inner)
            case 4: loadDimensions = try c.takeNull() ? nil : c.readLoadDimensions(open: inner)
            default: weight = try c.readOptionalDouble()
            }
        }
        return Load(
            loadId: loadId, loadType: loadType, loadPosition: loadPosition,
            boundingBoxReference: boundingBoxReference, loadDimensions: loadDimensions, weight: weight)
    }

    mutating func readBoundingBox(open: Int) throws(E) -> BoundingBoxReference {
        var x = 0.0
        var y = 0.0
        var z = 0.0
        var theta: Double?
        let keys = fastStateBoundingBoxKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: x = try c.readDouble()
            case 1: y = try c.readDouble()
            case 2: z = try c.readDouble()
            default: theta = try c.readOptionalDouble()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return BoundingBoxReference(x: x, y: y, z: z, theta: theta)
    }

    mutating func readLoadDimensions(open: Int) throws(E) -> LoadDimensions {
        var length = 0.0
        var width = 0.0
        var height: Double?
        let keys = fastStateLoadDimensionsKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: length = try c.readDouble()
            case 1: width = try c.readDouble()
            default: height = try c.readOptionalDouble()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return LoadDimensions(length: length, width: width, height: height)
    }

    mutating func readActionState(open: Int) throws(E) -> ActionState {
        var actionId = ""
        var actionType: String?
        var actionDescription: String?
        var actionStatus = ActionStatus.waiting
        var resultDescription: String?
        let keys = fastStateActionStateKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: actionId = try c.readString()
            case 1: actionType = try c.readOptionalString()
            case 2: actionDescription = try c.readOptionalString()
            case 3: actionStatus = fastStateAllActionStatus[try c.readEnumIndex(fastStateActionStatusNames)]
            default: resultDescription = try c.readOptionalString()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return ActionState(
            actionId: actionId, actionType: actionType, actionDescription: actionDescription,
            actionStatus: actionStatus, resultDescription: resultDescription)
    }

    mutating func readBatteryState(open: Int) throws(E) -> BatteryState {
        var batteryCharge = 0.0
        var batteryVoltage: Double?
        var batteryHealth: Double?
        var charging = false
        var reach: Double?
        let keys = fastStateBatteryKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: batteryCharge = try c.readDouble()
            case 1: batteryVoltage = try c.readOptionalDouble()
            case 2: batteryHealth = try c.readOptionalDouble()
            case 3: charging = try c.readBool()
            default: reach = try c.readOptionalDouble()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return BatteryState(
            batteryCharge: batteryCharge, batteryVoltage: batteryVoltage, batteryHealth: batteryHealth,
            charging: charging, reach: reach)
    }

    mutating func readError(open: Int) throws(E) -> VDA5050Error {
        var errorType = ""
        var errorReferences: [Reference]?
        var errorDescription: String?
        var errorHint: String?
        var errorLevel = ErrorLevel.warning
        let inner = open + 1
        let keys = fastStateErrorKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: errorType = try c.readString()
            case 1:
                if try c.takeNull() {
                    errorReferences = nil
                } else {
                    var list = [Reference]()
                    try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readReference(open: o)) }
                    errorReferences = list
                }
            case 2: errorDescription = try c.readOptionalString()
            case 3: errorHint = try c.readOptionalString()
            default: errorLevel = fastStateAllErrorLevel[try c.readEnumIndex(fastStateErrorLevelNames)]
            }
        }
        if let error = keys.missing(seen) { throw error }
        return VDA5050Error(
            errorType: errorType, errorReferences: errorReferences, errorDescription: errorDescription,
            errorHint: errorHint, errorLevel: errorLevel)
    }

    mutating func readReference(open: Int) throws(E) -> Reference {
        var referenceKey = ""
        var referenceValue = ""
        let keys = fastStateReferenceKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: referenceKey = try c.readString()
            default: referenceValue = try c.readString()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return Reference(referenceKey: referenceKey, referenceValue: referenceValue)
    }

    mutating func readInformation(open: Int) throws(E) -> Information {
        var infoType = ""
        var infoReferences: [Reference]?
        var infoDescription: String?
        var infoLevel = InfoLevel.info
        let inner = open + 1
        let keys = fastStateInformationKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: infoType = try c.readString()
            case 1:
                if try c.takeNull() {
                    infoReferences = nil
                } else {
                    var list = [Reference]()
                    try c.readArray(open: inner) { (c, o) throws(E) in list.append(try c.readReference(open: o)) }
                    infoReferences = list
                }
            case 2: infoDescription = try c.readOptionalString()
            default: infoLevel = fastStateAllInfoLevel[try c.readEnumIndex(fastStateInfoLevelNames)]
            }
        }
        if let error = keys.missing(seen) { throw error }
        return Information(
            infoType: infoType, infoReferences: infoReferences, infoDescription: infoDescription, infoLevel: infoLevel)
    }

    mutating func readSafetyState(open: Int) throws(E) -> SafetyState {
        var eStop = EStop.none
        var fieldViolation = false
        let keys = fastStateSafetyKeys
        let seen = try readObject(open: open, keys) { (c, field) throws(E) in
            switch field {
            case 0: eStop = fastStateAllEStop[try c.readEnumIndex(fastStateEStopNames)]
            default: fieldViolation = try c.readBool()
            }
        }
        if let error = keys.missing(seen) { throw error }
        return SafetyState(eStop: eStop, fieldViolation: fieldViolation)
    }
}
