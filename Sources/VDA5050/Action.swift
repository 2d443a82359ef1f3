/// An action a robot performs: on a node, on an edge, or instantly (2.1 §6.6.5, §6.8).
public struct Action: Codable, Sendable, Hashable {
    /// Name of the action, e.g. `pick`, `drop`, `startPause`.
    public var actionType: String
    /// Unique identifier of this action instance (a UUID is suggested).
    public var actionId: String
    /// Free-form description.
    public var actionDescription: String?
    /// What else may happen while this action runs.
    public var blockingType: BlockingType
    /// Parameters of the action.
    public var actionParameters: [ActionParameter]?

    /// Creates an action.
    public init(
        actionType: String, actionId: String, actionDescription: String? = nil, blockingType: BlockingType,
        actionParameters: [ActionParameter]? = nil
    ) {
        self.actionType = actionType
        self.actionId = actionId
        self.actionDescription = actionDescription
        self.blockingType = blockingType
        self.actionParameters = actionParameters
    }
}

/// One key/value parameter of an action.
public struct ActionParameter: Codable, Sendable, Hashable {
    /// The parameter's name, e.g. `loadId`.
    public var key: String
    /// The parameter's value: string, number, boolean, array or object.
    public var value: JSONValue

    /// Creates a parameter.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// Which other activities an action allows while it runs.
public enum BlockingType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Driving and other actions are allowed.
    case none = "NONE"
    /// Other actions are allowed, driving is not.
    case soft = "SOFT"
    /// No other action and no driving.
    case hard = "HARD"
}

/// The progress of an action as the robot reports it.
public enum ActionStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Received, not started.
    case waiting = "WAITING"
    /// Preparing.
    case initializing = "INITIALIZING"
    /// Running.
    case running = "RUNNING"
    /// Paused (listed in the 2.1 text, §6.11, but missing from the 2.1 state schema).
    case paused = "PAUSED"
    /// Done.
    case finished = "FINISHED"
    /// Could not be done.
    case failed = "FAILED"

    /// Whether the action has ended, successfully or not.
    public var isTerminal: Bool { self == .finished || self == .failed }
}

/// The state of one action as reported in a robot's `state` message.
public struct ActionState: Codable, Sendable, Hashable {
    /// The action's identifier.
    public var actionId: String
    /// The action's type.
    public var actionType: String?
    /// Free-form description.
    public var actionDescription: String?
    /// Current progress.
    public var actionStatus: ActionStatus
    /// Description of the result, e.g. the result of an RFID read.
    public var resultDescription: String?

    /// Creates an action state.
    public init(
        actionId: String, actionType: String? = nil, actionDescription: String? = nil, actionStatus: ActionStatus,
        resultDescription: String? = nil
    ) {
        self.actionId = actionId
        self.actionType = actionType
        self.actionDescription = actionDescription
        self.actionStatus = actionStatus
        self.resultDescription = resultDescription
    }
}
