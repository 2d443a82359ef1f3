/// The `typeSpecification` part of a factsheet: what kind of robot this is.
public struct TypeSpecification: Codable, Sendable, Hashable {
    /// Name of the robot series.
    public var seriesName: String
    /// Description of the series.
    public var seriesDescription: String?
    /// Kinematic concept.
    public var agvKinematic: AGVKinematic
    /// Robot class.
    public var agvClass: AGVClass
    /// Maximum load mass in kg.
    public var maxLoadMass: Double
    /// Localisation methods the robot uses.
    public var localizationTypes: [LocalizationType]
    /// Path planning methods the robot supports.
    public var navigationTypes: [NavigationType]

    /// Creates a type specification.
    public init(
        seriesName: String, seriesDescription: String? = nil, agvKinematic: AGVKinematic, agvClass: AGVClass,
        maxLoadMass: Double, localizationTypes: [LocalizationType], navigationTypes: [NavigationType]
    ) {
        self.seriesName = seriesName
        self.seriesDescription = seriesDescription
        self.agvKinematic = agvKinematic
        self.agvClass = agvClass
        self.maxLoadMass = maxLoadMass
        self.localizationTypes = localizationTypes
        self.navigationTypes = navigationTypes
    }
}

/// Kinematic concept of a robot.
public enum AGVKinematic: String, Codable, Sendable, Hashable, CaseIterable {
    /// Differential drive.
    case diff = "DIFF"
    /// Omnidirectional.
    case omni = "OMNI"
    /// Three-wheel drive.
    case threeWheel = "THREEWHEEL"
}

/// Class of a robot.
public enum AGVClass: String, Codable, Sendable, Hashable, CaseIterable {
    /// Forklift.
    case forklift = "FORKLIFT"
    /// Conveyor.
    case conveyor = "CONVEYOR"
    /// Tugger.
    case tugger = "TUGGER"
    /// Carrier.
    case carrier = "CARRIER"
}

/// A localisation method.
public enum LocalizationType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Natural landmarks.
    case natural = "NATURAL"
    /// Reflectors.
    case reflector = "REFLECTOR"
    /// RFID tags.
    case rfid = "RFID"
    /// Data matrix codes.
    case dmc = "DMC"
    /// Magnetic spots.
    case spot = "SPOT"
    /// Grid.
    case grid = "GRID"
}

/// A path planning method.
///
/// Decoding also accepts `PHYSICAL_LINDE_GUIDED`, the misspelling in the 2.0 factsheet schema.
public enum NavigationType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Physical line guided (no path planning).
    case physicalLineGuided = "PHYSICAL_LINE_GUIDED"
    /// Virtual line guided (fixed paths).
    case virtualLineGuided = "VIRTUAL_LINE_GUIDED"
    /// Autonomous path planning.
    case autonomous = "AUTONOMOUS"

    /// Decodes the name, accepting the 2.0 schema's spelling `PHYSICAL_LINDE_GUIDED`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if text == "PHYSICAL_LINDE_GUIDED" {
            self = .physicalLineGuided
        } else if let value = Self(rawValue: text) {
            self = value
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not one of PHYSICAL_LINE_GUIDED, VIRTUAL_LINE_GUIDED, AUTONOMOUS")
        }
    }
}

/// The `physicalParameters` part of a factsheet; speeds in m/s, accelerations in m/s², lengths in m.
public struct PhysicalParameters: Codable, Sendable, Hashable {
    /// Minimum controlled continuous speed.
    public var speedMin: Double
    /// Maximum speed.
    public var speedMax: Double
    /// Maximum acceleration with maximum load.
    public var accelerationMax: Double
    /// Maximum deceleration with maximum load.
    public var decelerationMax: Double
    /// Minimum height.
    public var heightMin: Double?
    /// Maximum height.
    public var heightMax: Double
    /// Width.
    public var width: Double
    /// Length.
    public var length: Double

    /// Creates physical parameters.
    public init(
        speedMin: Double, speedMax: Double, accelerationMax: Double, decelerationMax: Double,
        heightMin: Double? = nil, heightMax: Double, width: Double, length: Double
    ) {
        self.speedMin = speedMin
        self.speedMax = speedMax
        self.accelerationMax = accelerationMax
        self.decelerationMax = decelerationMax
        self.heightMin = heightMin
        self.heightMax = heightMax
        self.width = width
        self.length = length
    }
}

/// The `protocolLimits` part of a factsheet.
public struct ProtocolLimits: Codable, Sendable, Hashable {
    /// Maximum string lengths.
    public var maxStringLens: MaxStringLens
    /// Maximum array lengths.
    public var maxArrayLens: MaxArrayLens
    /// Timing limits.
    public var timing: Timing

    /// Creates protocol limits.
    public init(
        maxStringLens: MaxStringLens = MaxStringLens(), maxArrayLens: MaxArrayLens = MaxArrayLens(), timing: Timing
    ) {
        self.maxStringLens = maxStringLens
        self.maxArrayLens = maxArrayLens
        self.timing = timing
    }
}

/// Maximum string lengths; absent means no limit.
public struct MaxStringLens: Codable, Sendable, Hashable {
    /// Maximum MQTT message length.
    public var msgLen: Int?
    /// Maximum length of the serial number in topics.
    public var topicSerialLen: Int?
    /// Maximum length of other topic elements.
    public var topicElemLen: Int?
    /// Maximum length of ID strings.
    public var idLen: Int?
    /// Whether IDs must contain digits only.
    public var idNumericalOnly: Bool?
    /// Maximum length of enum and key strings.
    public var enumLen: Int?
    /// Maximum length of load IDs.
    public var loadIdLen: Int?

    /// Creates string limits.
    public init(
        msgLen: Int? = nil, topicSerialLen: Int? = nil, topicElemLen: Int? = nil, idLen: Int? = nil,
        idNumericalOnly: Bool? = nil, enumLen: Int? = nil, loadIdLen: Int? = nil
    ) {
        self.msgLen = msgLen
        self.topicSerialLen = topicSerialLen
        self.topicElemLen = topicElemLen
        self.idLen = idLen
        self.idNumericalOnly = idNumericalOnly
        self.enumLen = enumLen
        self.loadIdLen = loadIdLen
    }
}

/// Maximum array lengths (the JSON keys are dotted, e.g. `order.nodes`); absent means no limit.
public struct MaxArrayLens: Codable, Sendable, Hashable {
    /// `order.nodes`.
    public var orderNodes: Int?
    /// `order.edges`.
    public var orderEdges: Int?
    /// `node.actions`.
    public var nodeActions: Int?
    /// `edge.actions`.
    public var edgeActions: Int?
    /// `actions.actionsParameters`.
    public var actionsActionsParameters: Int?
    /// `instantActions`.
    public var instantActions: Int?
    /// `trajectory.knotVector`.
    public var trajectoryKnotVector: Int?
    /// `trajectory.controlPoints`.
    public var trajectoryControlPoints: Int?
    /// `state.nodeStates`.
    public var stateNodeStates: Int?
    /// `state.edgeStates`.
    public var stateEdgeStates: Int?
    /// `state.loads`.
    public var stateLoads: Int?
    /// `state.actionStates`.
    public var stateActionStates: Int?
    /// `state.errors`.
    public var stateErrors: Int?
    /// `state.information`.
    public var stateInformation: Int?
    /// `error.errorReferences`.
    public var errorErrorReferences: Int?
    /// `information.infoReferences`.
    public var informationInfoReferences: Int?

    private enum CodingKeys: String, CodingKey {
        case orderNodes = "order.nodes"
        case orderEdges = "order.edges"
        case nodeActions = "node.actions"
        case edgeActions = "edge.actions"
        case actionsActionsParameters = "actions.actionsParameters"
        case instantActions
        case trajectoryKnotVector = "trajectory.knotVector"
        case trajectoryControlPoints = "trajectory.controlPoints"
        case stateNodeStates = "state.nodeStates"
        case stateEdgeStates = "state.edgeStates"
        case stateLoads = "state.loads"
        case stateActionStates = "state.actionStates"
        case stateErrors = "state.errors"
        case stateInformation = "state.information"
        case errorErrorReferences = "error.errorReferences"
        case informationInfoReferences = "information.infoReferences"
    }

    /// Creates array limits.
    public init(
        orderNodes: Int? = nil, orderEdges: Int? = nil, nodeActions: Int? = nil, edgeActions: Int? = nil,
        actionsActionsParameters: Int? = nil, instantActions: Int? = nil, trajectoryKnotVector: Int? = nil,
        trajectoryControlPoints: Int? = nil, stateNodeStates: Int? = nil, stateEdgeStates: Int? = nil,
        stateLoads: Int? = nil, stateActionStates: Int? = nil, stateErrors: Int? = nil,
        stateInformation: Int? = nil, errorErrorReferences: Int? = nil, informationInfoReferences: Int? = nil
    ) {
        self.orderNodes = orderNodes
        self.orderEdges = orderEdges
        self.nodeActions = nodeActions
        self.edgeActions = edgeActions
        self.actionsActionsParameters = actionsActionsParameters
        self.instantActions = instantActions
        self.trajectoryKnotVector = trajectoryKnotVector
        self.trajectoryControlPoints = trajectoryControlPoints
        self.stateNodeStates = stateNodeStates
        self.stateEdgeStates = stateEdgeStates
        self.stateLoads = stateLoads
        self.stateActionStates = stateActionStates
        self.stateErrors = stateErrors
        self.stateInformation = stateInformation
        self.errorErrorReferences = errorErrorReferences
        self.informationInfoReferences = informationInfoReferences
    }
}

/// Timing limits, in seconds.
public struct Timing: Codable, Sendable, Hashable {
    /// Minimum interval between orders the robot can process.
    public var minOrderInterval: Double
    /// Minimum interval between state messages.
    public var minStateInterval: Double
    /// Default interval between state messages when nothing changes.
    public var defaultStateInterval: Double?
    /// Default interval between visualization messages.
    public var visualizationInterval: Double?

    /// Creates timing limits.
    public init(
        minOrderInterval: Double, minStateInterval: Double, defaultStateInterval: Double? = nil,
        visualizationInterval: Double? = nil
    ) {
        self.minOrderInterval = minOrderInterval
        self.minStateInterval = minStateInterval
        self.defaultStateInterval = defaultStateInterval
        self.visualizationInterval = visualizationInterval
    }
}

/// The `protocolFeatures` part of a factsheet.
public struct ProtocolFeatures: Codable, Sendable, Hashable {
    /// Optional message fields the robot supports or requires, e.g. `order.nodes.nodePosition`.
    public var optionalParameters: [OptionalParameter]
    /// Actions the robot can perform.
    public var agvActions: [AGVAction]

    /// Creates protocol features.
    public init(optionalParameters: [OptionalParameter] = [], agvActions: [AGVAction] = []) {
        self.optionalParameters = optionalParameters
        self.agvActions = agvActions
    }
}

/// An optional message field and whether the robot supports or requires it.
public struct OptionalParameter: Codable, Sendable, Hashable {
    /// Full name of the field, e.g. `order.edges.trajectory`.
    public var parameter: String
    /// Support level.
    public var support: ParameterSupport
    /// Description.
    public var description: String?

    /// Creates an optional parameter entry.
    public init(parameter: String, support: ParameterSupport, description: String? = nil) {
        self.parameter = parameter
        self.support = support
        self.description = description
    }
}

/// Whether an optional field is supported or required.
public enum ParameterSupport: String, Codable, Sendable, Hashable, CaseIterable {
    /// The robot understands the field.
    case supported = "SUPPORTED"
    /// The robot needs the field.
    case required = "REQUIRED"
}

/// An action a robot can perform, as its factsheet lists it.
public struct AGVAction: Codable, Sendable, Hashable {
    /// The action type, e.g. `pick`.
    public var actionType: String
    /// Description.
    public var actionDescription: String?
    /// Where the action may be used.
    public var actionScopes: [ActionScope]
    /// The action's parameters.
    public var actionParameters: [FactsheetActionParameter]?
    /// Description of the result.
    public var resultDescription: String?
    /// Blocking types the action supports (2.1).
    public var blockingTypes: [BlockingType]?

    /// Creates an action description.
    public init(
        actionType: String, actionDescription: String? = nil, actionScopes: [ActionScope],
        actionParameters: [FactsheetActionParameter]? = nil, resultDescription: String? = nil,
        blockingTypes: [BlockingType]? = nil
    ) {
        self.actionType = actionType
        self.actionDescription = actionDescription
        self.actionScopes = actionScopes
        self.actionParameters = actionParameters
        self.resultDescription = resultDescription
        self.blockingTypes = blockingTypes
    }
}

/// Where an action may be used.
public enum ActionScope: String, Codable, Sendable, Hashable, CaseIterable {
    /// As an instant action.
    case instant = "INSTANT"
    /// On a node.
    case node = "NODE"
    /// On an edge.
    case edge = "EDGE"
}

/// A parameter of an action as a factsheet describes it.
public struct FactsheetActionParameter: Codable, Sendable, Hashable {
    /// The parameter's key.
    public var key: String
    /// The parameter's data type.
    public var valueDataType: ValueDataType
    /// Description.
    public var description: String?
    /// Whether the parameter may be left out.
    public var isOptional: Bool?

    /// Creates a parameter description.
    public init(key: String, valueDataType: ValueDataType, description: String? = nil, isOptional: Bool? = nil) {
        self.key = key
        self.valueDataType = valueDataType
        self.description = description
        self.isOptional = isOptional
    }
}

/// The data type of an action parameter's value.
public enum ValueDataType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Boolean.
    case bool = "BOOL"
    /// Any number.
    case number = "NUMBER"
    /// Integer.
    case integer = "INTEGER"
    /// Floating point.
    case float = "FLOAT"
    /// String.
    case string = "STRING"
    /// Object.
    case object = "OBJECT"
    /// Array.
    case array = "ARRAY"
}
