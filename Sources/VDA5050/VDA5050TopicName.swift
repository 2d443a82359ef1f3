/// A VDA 5050 MQTT topic: `interfaceName/majorVersion/manufacturer/serialNumber/topic`, e.g.
/// `uagv/v2/acme/AMR-1/state` (2.1 §6.5).
///
/// The memberwise initialiser does not check the levels; call ``validate()`` before publishing to a name built from
/// untrusted parts, or build one with ``init(parsing:interfaceName:)``, which checks everything.
public struct VDA5050TopicName: Sendable, Hashable, CustomStringConvertible {
    /// First level, `uagv` for 2.x by default; configurable.
    public var interfaceName: String
    /// Second level, `v` + major version, e.g. `v2`.
    public var majorVersion: String
    /// The robot's manufacturer.
    public var manufacturer: String
    /// The robot's serial number (only `A-Z a-z 0-9 _ . : -`).
    public var serialNumber: String
    /// The message topic (last level).
    public var topic: VDA5050Topic

    /// The interface name used for 2.x unless configured otherwise.
    public static let defaultInterfaceName = "uagv"

    /// Creates a topic name without checking it.
    ///
    /// - Parameters:
    ///   - interfaceName: First level, by default `uagv`.
    ///   - majorVersion: Second level, by default ``VDA5050Version/majorTopicLevel``.
    ///   - manufacturer: The robot's manufacturer.
    ///   - serialNumber: The robot's serial number.
    ///   - topic: The message topic.
    public init(
        interfaceName: String = defaultInterfaceName, majorVersion: String = VDA5050Version.majorTopicLevel,
        manufacturer: String, serialNumber: String, topic: VDA5050Topic
    ) {
        self.interfaceName = interfaceName
        self.majorVersion = majorVersion
        self.manufacturer = manufacturer
        self.serialNumber = serialNumber
        self.topic = topic
    }

    /// Parses and checks a topic string such as `uagv/v2/acme/AMR-1/state`.
    ///
    /// - Parameters:
    ///   - text: The topic as received.
    ///   - interfaceName: The expected first level.
    /// - Throws: ``VDA5050TopicError`` naming the offending level: wrong level count, interface name mismatch, bad
    ///   major version, empty level, `+ # $ /` in a level, a serial number with other characters than
    ///   `A-Z a-z 0-9 _ . : -`, or an unknown topic.
    public init(parsing text: String, interfaceName: String = defaultInterfaceName) throws(VDA5050TopicError) {
        let levels = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard levels.count == 5 else { throw .wrongLevelCount(topic: text, count: levels.count) }
        guard levels[0] == interfaceName else {
            if levels[0].isEmpty { throw .emptyLevel(level: "interfaceName") }
            throw .interfaceNameMismatch(expected: interfaceName, found: levels[0])
        }
        guard let topic = VDA5050Topic(rawValue: levels[4]) else {
            if levels[4].isEmpty { throw .emptyLevel(level: "topic") }
            throw .unknownTopic(levels[4])
        }
        self.init(
            interfaceName: levels[0], majorVersion: levels[1], manufacturer: levels[2], serialNumber: levels[3],
            topic: topic)
        try validate()
    }

    /// Checks every level: not empty, no `+ # $ /`, a major version `v<digits>`, a serial number of permitted
    /// characters.
    ///
    /// - Throws: ``VDA5050TopicError`` naming the first offending level.
    public func validate() throws(VDA5050TopicError) {
        for (level, value) in [
            ("interfaceName", interfaceName), ("majorVersion", majorVersion), ("manufacturer", manufacturer),
            ("serialNumber", serialNumber),
        ] {
            guard !value.isEmpty else { throw .emptyLevel(level: level) }
            if let bad = value.first(where: { "+#$/".contains($0) }) {
                throw .forbiddenCharacter(level: level, value: value, character: bad)
            }
        }
        guard majorVersion.count >= 2, majorVersion.first == "v", majorVersion.dropFirst().allSatisfy(\.isASCIIDigit)
        else { throw .invalidMajorVersion(majorVersion) }
        if let bad = serialNumber.first(where: { !Self.isPermittedIDCharacter($0) }) {
            throw .invalidSerialNumber(serialNumber: serialNumber, character: bad)
        }
    }

    /// The topic string, e.g. `uagv/v2/acme/AMR-1/state`.
    public var string: String { "\(interfaceName)/\(majorVersion)/\(manufacturer)/\(serialNumber)/\(topic.rawValue)" }

    /// The topic string, as ``string``.
    public var description: String { string }

    /// A subscription filter; nil levels become the single-level wildcard `+`.
    ///
    /// `filter(topic: .state)` is `uagv/v2/+/+/state`; `filter(topic: nil)` is `uagv/v2/+/+/+`.
    ///
    /// - Parameters:
    ///   - interfaceName: First level.
    ///   - majorVersion: Second level.
    ///   - manufacturer: A manufacturer, or nil for all.
    ///   - serialNumber: A serial number, or nil for all.
    ///   - topic: A topic, or nil for all.
    /// - Returns: The MQTT topic filter.
    public static func filter(
        interfaceName: String = defaultInterfaceName, majorVersion: String = VDA5050Version.majorTopicLevel,
        manufacturer: String? = nil, serialNumber: String? = nil, topic: VDA5050Topic?
    ) -> String {
        "\(interfaceName)/\(majorVersion)/\(manufacturer ?? "+")/\(serialNumber ?? "+")/\(topic?.rawValue ?? "+")"
    }

    /// The filters a fleet coordinator subscribes to: `state`, `connection`, `factsheet` (and `visualization`).
    ///
    /// - Parameters:
    ///   - interfaceName: First level.
    ///   - majorVersion: Second level.
    ///   - includeVisualization: Whether to add the `visualization` topic.
    /// - Returns: One filter per topic, e.g. `uagv/v2/+/+/state`.
    public static func coordinatorFilters(
        interfaceName: String = defaultInterfaceName, majorVersion: String = VDA5050Version.majorTopicLevel,
        includeVisualization: Bool = false
    ) -> [String] {
        var topics: [VDA5050Topic] = [.state, .connection, .factsheet]
        if includeVisualization { topics.append(.visualization) }
        return topics.map { filter(interfaceName: interfaceName, majorVersion: majorVersion, topic: $0) }
    }

    /// Whether a character is permitted in IDs and serial numbers: `A-Z a-z 0-9 _ . : -` (2.1 §6.5).
    public static func isPermittedIDCharacter(_ c: Character) -> Bool {
        guard c.isASCII, let v = c.asciiValue else { return false }
        switch v {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
            UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

/// Why a string is not a valid VDA 5050 topic.
public enum VDA5050TopicError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The topic does not have exactly five levels.
    case wrongLevelCount(topic: String, count: Int)
    /// The first level is not the configured interface name.
    case interfaceNameMismatch(expected: String, found: String)
    /// The second level is not `v` followed by digits.
    case invalidMajorVersion(String)
    /// A level is empty; `level` names it (`manufacturer`, `serialNumber`, ...).
    case emptyLevel(level: String)
    /// A level contains `+`, `#`, `$` or `/`.
    case forbiddenCharacter(level: String, value: String, character: Character)
    /// The serial number contains a character outside `A-Z a-z 0-9 _ . : -`.
    case invalidSerialNumber(serialNumber: String, character: Character)
    /// The last level is not a VDA 5050 2.x topic.
    case unknownTopic(String)

    /// A message naming the offending level.
    public var description: String {
        switch self {
        case .wrongLevelCount(let topic, let count):
            return "topic '\(topic)' has \(count) levels; expected 5 "
                + "(interfaceName/majorVersion/manufacturer/serialNumber/topic)"
        case .interfaceNameMismatch(let expected, let found):
            return "topic level 'interfaceName' is '\(found)'; expected '\(expected)'"
        case .invalidMajorVersion(let value):
            return "topic level 'majorVersion' is '\(value)'; expected 'v' followed by digits, e.g. 'v2'"
        case .emptyLevel(let level):
            return "topic level '\(level)' is empty"
        case .forbiddenCharacter(let level, let value, let character):
            return "topic level '\(level)' ('\(value)') contains '\(character)'; '+', '#', '$' and '/' are not allowed"
        case .invalidSerialNumber(let serialNumber, let character):
            return "topic level 'serialNumber' ('\(serialNumber)') contains '\(character)'; "
                + "only A-Z a-z 0-9 _ . : - are allowed"
        case .unknownTopic(let topic):
            return "topic level 'topic' is '\(topic)'; expected one of "
                + VDA5050Topic.allCases.map(\.rawValue).joined(separator: ", ")
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
