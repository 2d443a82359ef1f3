import FleetCore
import VDA5050

extension VDA5050Mapping {
    /// The wire form of a coordinator order id: `T-0001#2` becomes `T-0001.2` (VDA 5050 ids allow only
    /// `A-Z a-z 0-9 _ - . :`). Reversed by ``coordinatorOrderId(_:)``.
    /// - Parameter orderId: the coordinator's order id (`<taskId>#<assignment>`).
    /// - Returns: the order id sent to the robot.
    public static func wireOrderId(_ orderId: String) -> String {
        guard let hash = orderId.lastIndex(of: "#") else { return orderId }
        return orderId[..<hash] + "." + orderId[orderId.index(after: hash)...]
    }

    /// The coordinator order id of a wire order id (`T-0001.2` → `T-0001#2`); ids of another form pass unchanged.
    /// - Parameter wire: the order id as the robot reports it.
    /// - Returns: the coordinator's order id.
    public static func coordinatorOrderId(_ wire: String) -> String {
        guard let dot = wire.lastIndex(of: ".") else { return wire }
        let suffix = wire[wire.index(after: dot)...]
        guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return wire }
        return wire[..<dot] + "#" + suffix
    }

    /// The wire form of a coordinator action id: `T-0001#2/pick` becomes `T-0001.2:pick`.
    /// - Parameter actionId: the coordinator's action id (`<orderId>/<kind>`).
    /// - Returns: the action id sent to the robot.
    public static func wireActionId(_ actionId: String) -> String {
        guard let slash = actionId.lastIndex(of: "/") else { return wireOrderId(actionId) }
        return wireOrderId(String(actionId[..<slash])) + ":" + actionId[actionId.index(after: slash)...]
    }

    /// The coordinator action id of a wire action id (`T-0001.2:pick` → `T-0001#2/pick`).
    /// - Parameter wire: the action id as the robot reports it.
    /// - Returns: the coordinator's action id.
    public static func coordinatorActionId(_ wire: String) -> String {
        guard let colon = wire.lastIndex(of: ":") else { return wire }
        return coordinatorOrderId(String(wire[..<colon])) + "/" + wire[wire.index(after: colon)...]
    }

    /// The wire form of an edge id: characters VDA 5050 does not permit become `-` (`A21~rev` → `A21-rev`).
    /// Robots never report edge ids back to the coordinator, so this need not be reversible.
    /// - Parameter edgeId: the layout's edge id.
    /// - Returns: the edge id sent to the robot.
    public static func wireEdgeId(_ edgeId: String) -> String {
        String(edgeId.map { VDA5050TopicName.isPermittedIDCharacter($0) ? $0 : "-" })
    }

    /// Whether `id` consists only of characters VDA 5050 permits in ids (`A-Z a-z 0-9 _ - . :`).
    /// - Parameter id: the id.
    /// - Returns: `true` if permitted.
    public static func isPermittedID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy(VDA5050TopicName.isPermittedIDCharacter)
    }
}
