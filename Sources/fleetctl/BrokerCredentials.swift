import ArgumentParser
import FleetConfig
import FleetCore
import Foundation

/// `fleetctl broker-credentials`: broker accounts, the mosquitto password file and the ACL of one site, from its
/// fleet (a fleetd configuration or a scenario). Re-running keeps every existing password, so adding a robot to the
/// fleet file and running the command again is all it takes.
struct BrokerCredentials: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker-credentials",
        abstract: "Generate broker accounts, the mosquitto password file and the ACL for a site's fleet.",
        discussion: """
            Writes into --out: mosquitto/passwd (hashed with mosquitto_passwd), mosquitto/acl, and one \
            credentials file per account (mode 0600) to hand out: credentials/fleetd.env (EnvironmentFile for \
            fleetd.service), credentials/evaluator.env, credentials/robots/{manufacturer}/{serial}.env, \
            credentials/people/{id}.env and, with --simulator, credentials/fleet-sim.env. Accounts: fleetd, \
            evaluator, one per robot ({manufacturer}/{serial}), one per person (person-{id}), fleet-sim. A re-run \
            keeps existing passwords and accounts (merge); --prune removes accounts the inputs no longer name. \
            Then: install both mosquitto files (root:mosquitto, 0640) and `systemctl reload mosquitto`.
            """)

    @Option(help: "The fleet: a fleetd configuration (fleetd.yaml) or a scenario file.")
    var fleet: String

    @Option(help: "The site id, one topic level of fleetpilot/v1/{site}/... (default: the fleet file's siteId).")
    var site: String?

    @Option(help: "The output folder (created with mode 0700; existing credentials in it are kept).")
    var out: String

    @Option(help: "Accounts for N people's devices, ids person-001, person-002, ...")
    var people: Int?

    @Option(
        name: .customLong("people-ids"),
        help: "People's device ids: comma separated, or @FILE with one id a line (A-Z a-z 0-9 _ . -).")
    var peopleIds: String?

    @Option(help: "With a scenario: the fleet size, as fleet-sim --robots (default: the scenario's fleet).")
    var robots: Int?

    @Option(name: .customLong("password-length"), help: "Characters per new password (A-Z a-z 0-9), 16...128.")
    var passwordLength = 32

    @Flag(help: "Also create the fleet-sim account (rehearsals against the site broker).")
    var simulator = false

    @Flag(help: "Remove accounts (and their credential files) that the inputs no longer name.")
    var prune = false

    @Option(name: .customLong("mosquitto-passwd"), help: "The mosquitto_passwd program.")
    var mosquittoPasswd = "mosquitto_passwd"

    func validate() throws {
        guard (16...128).contains(passwordLength) else {
            throw ValidationError("--password-length must be in 16...128, got \(passwordLength)")
        }
        if let people, !(0...9999).contains(people) {
            throw ValidationError("--people must be in 0...9999, got \(people)")
        }
        if let robots, robots < 1 { throw ValidationError("--robots must be at least 1, got \(robots)") }
        if let site, site.isEmpty || !site.allSatisfy(CredentialSet.isIdCharacter) {
            throw ValidationError("--site '\(site)' must be one topic level of A-Z a-z 0-9 _ . -")
        }
    }

    func run() throws {
        do {
            let input = try FleetInput.load(path: fleet, robots: robots)
            let siteId = site ?? input.siteId
            guard !siteId.isEmpty, siteId.allSatisfy(CredentialSet.isIdCharacter) else {
                throw CredentialError("site id '\(siteId)' must be one topic level of A-Z a-z 0-9 _ . -")
            }
            var wanted: [Account] = [.fleetd, .evaluator] + (simulator ? [.simulator] : [])
            for robot in input.robots { wanted.append(try Account.checkedRobot(robot)) }
            for id in try personIds() { wanted.append(try Account.checkedPerson(id)) }
            let set = try CredentialSet(
                directory: out, site: siteId, interfaceName: input.interfaceName, passwordLength: passwordLength)
            let result = try set.write(wanted: wanted, prune: prune, mosquittoPasswd: mosquittoPasswd)
            print(result.summary(site: siteId, out: out))
        } catch let error as CredentialError {
            printError("fleetctl broker-credentials: \(error.message)")
            throw ExitCode(2)
        }
    }

    private func personIds() throws -> [String] {
        var ids: [String] = []
        if let people, people > 0 {
            ids += (1...people).map { index in
                let digits = String(index)
                return "person-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
            }
        }
        if let peopleIds {
            var text = peopleIds
            if peopleIds.hasPrefix("@") {
                let path = String(peopleIds.dropFirst())
                guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw CredentialError("cannot read the people list '\(path)'")
                }
                text = contents
            }
            ids += text.split(whereSeparator: { $0 == "," || $0.isNewline }).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }
}

/// A problem the operator has to fix; printed without a stack of wrappers.
struct CredentialError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}

/// The robots and site of a fleet file, whichever kind it is.
struct FleetInput {
    var siteId: String
    var interfaceName: String
    var robots: [RobotID]

    /// Loads a fleetd configuration, or else a scenario; when both fail, the error names both attempts.
    static func load(path: String, robots total: Int?) throws -> FleetInput {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CredentialError("the fleet file '\(path)' does not exist")
        }
        let asConfiguration: ConfigError
        do {
            let config = try FleetdConfigurationLoader(environment: [:]).load(path: path)
            if total != nil {
                throw CredentialError("--robots applies to a scenario; '\(path)' is a fleetd configuration")
            }
            return FleetInput(
                siteId: config.siteId, interfaceName: config.interfaceName, robots: config.robots.map(\.id))
        } catch let error as ConfigError {
            asConfiguration = error
        }
        do {
            let scenario = try ScenarioLoader().load(path: path)
            return FleetInput(
                siteId: scenario.siteId, interfaceName: "uagv", robots: scenario.robots(total: total).map(\.id))
        } catch {
            throw CredentialError(
                "'\(path)' is neither a fleetd configuration nor a scenario.\n  as a fleetd configuration: "
                    + "\(asConfiguration)\n  as a scenario: \(error)")
        }
    }
}

/// One broker account and where its credentials file lives, relative to `credentials/`.
enum Account: Hashable, Comparable {
    case fleetd
    case evaluator
    case simulator
    case robot(manufacturer: String, serial: String)
    case person(String)

    static func checkedRobot(_ id: RobotID) throws -> Account {
        for part in [id.manufacturer, id.serialNumber] where part.isEmpty || part.contains(":") || part.contains("/") {
            throw CredentialError(
                "robot \(id): a manufacturer or serial number with ':' or '/' cannot be part of a mosquitto user name")
        }
        return .robot(manufacturer: id.manufacturer, serial: id.serialNumber)
    }

    static func checkedPerson(_ id: String) throws -> Account {
        guard !id.isEmpty, id.allSatisfy(CredentialSet.isIdCharacter) else {
            throw CredentialError("person id '\(id)' may contain only A-Z a-z 0-9 _ . -")
        }
        return .person(id)
    }

    /// The mosquitto user name: `fleetd`, `evaluator`, `fleet-sim`, `{manufacturer}/{serial}`, `person-{id}`.
    var username: String {
        switch self {
        case .fleetd: "fleetd"
        case .evaluator: "evaluator"
        case .simulator: "fleet-sim"
        case .robot(let manufacturer, let serial): "\(manufacturer)/\(serial)"
        case .person(let id): "person-\(id)"
        }
    }

    /// The credentials file, relative to the `credentials` folder.
    var file: String {
        switch self {
        case .fleetd: "fleetd.env"
        case .evaluator: "evaluator.env"
        case .simulator: "fleet-sim.env"
        case .robot(let manufacturer, let serial): "robots/\(manufacturer)/\(serial).env"
        case .person(let id): "people/\(id).env"
        }
    }

    /// The variable names in the credentials file (fleetd's and fleet-sim's read their own environment).
    var variables: (user: String, password: String) {
        switch self {
        case .fleetd: (FleetdConfigurationLoader.usernameVariable, FleetdConfigurationLoader.passwordVariable)
        case .simulator: ("FLEETSIM_MQTT_USERNAME", "FLEETSIM_MQTT_PASSWORD")
        default: ("MQTT_USERNAME", "MQTT_PASSWORD")
        }
    }

    private var order: Int {
        switch self {
        case .fleetd: 0
        case .evaluator: 1
        case .simulator: 2
        case .robot: 3
        case .person: 4
        }
    }

    static func < (a: Account, b: Account) -> Bool {
        a.order != b.order ? a.order < b.order : a.username < b.username
    }

    /// The ACL block: exactly what the account may do (everything else is denied).
    func aclBlock(site: String, interfaceName i: String) -> [String] {
        let fleet = "fleetpilot/v1/\(site)"
        var lines = ["user \(username)"]
        switch self {
        case .fleetd:
            lines.insert(
                "# fleetd: every robot's state, connection and factsheet; orders and instant actions to every robot;"
                    + " the site's own topics (tasks, events, people, clock).", at: 0)
            lines += ["state", "connection", "factsheet"].map { "topic read \(i)/v2/+/+/\($0)" }
            lines += ["order", "instantActions"].map { "topic write \(i)/v2/+/+/\($0)" }
            lines.append("topic readwrite \(fleet)/#")
        case .evaluator:
            lines.insert("# evaluator: reads the event stream, publishes nothing.", at: 0)
            lines.append("topic read \(fleet)/events")
        case .simulator:
            lines.insert(
                "# fleet-sim control client (rehearsals): clock, task requests, simulator events, and the messages of"
                    + " the people it simulates (their devices, call buttons and fall sensors).", at: 0)
            lines += ["clock", "tasks/request", "tasks/cancel", "sim/events"].map { "topic write \(fleet)/\($0)" }
            lines += Self.personDeviceTopics.map { "topic write \(fleet)/people/+/\($0)" }
            lines.append("topic read \(fleet)/tasks/+/status")
            lines.append("topic read \(fleet)/people/+/notify")
        case .robot(let manufacturer, let serial):
            let base = "\(i)/v2/\(manufacturer)/\(serial)"
            lines += ["state", "connection", "factsheet", "visualization"].map { "topic write \(base)/\($0)" }
            lines += ["order", "instantActions"].map { "topic read \(base)/\($0)" }
        case .person(let id):
            // Its own topics only, so a device speaks for its person alone (it confirms on people/{id}/confirm, not
            // on tasks/{id}/confirm, whose body could name anyone); it may read task status to see the outcome.
            lines.insert(
                "# a person's device: its own people/{id}/ topics (presence, ack, reject, arrived, confirm, call,"
                    + " alert; notify), and task status.", at: 0)
            lines.append("topic readwrite \(fleet)/people/\(id)/#")
            lines.append("topic read \(fleet)/tasks/+/status")
        }
        return lines
    }

    /// What a person's device (or a call button, or a fall sensor) publishes under `people/{id}/` (README,
    /// "People's devices"); fleetd answers on `people/{id}/notify`.
    static let personDeviceTopics = ["presence", "ack", "reject", "arrived", "confirm", "call", "alert"]
}

/// The generator's output folder: `generator.conf` (site, interface), `mosquitto/passwd`, `mosquitto/acl` and
/// `credentials/...`.
struct CredentialSet {
    let directory: URL
    let site: String
    let interfaceName: String
    let passwordLength: Int

    static func isIdCharacter(_ c: Character) -> Bool {
        guard let v = c.asciiValue else { return false }
        return (65...90).contains(v) || (97...122).contains(v) || (48...57).contains(v) || "_.-".contains(c)
    }

    init(directory: String, site: String, interfaceName: String, passwordLength: Int) throws {
        self.directory = URL(fileURLWithPath: directory)
        self.site = site
        self.interfaceName = interfaceName
        self.passwordLength = passwordLength
        if let previous = try? String(contentsOf: settingsFile, encoding: .utf8) {
            let expected = Self.settingsText(site: site, interfaceName: interfaceName)
            guard previous == expected else {
                throw CredentialError(
                    "'\(directory)' holds credentials of another site or interface (\(settingsFile.path): "
                        + "\(previous.split(separator: "\n").joined(separator: ", "))); use another --out")
            }
        }
    }

    private var settingsFile: URL { directory.appendingPathComponent("generator.conf") }
    private var credentials: URL { directory.appendingPathComponent("credentials") }
    private var mosquitto: URL { directory.appendingPathComponent("mosquitto") }

    private static func settingsText(site: String, interfaceName: String) -> String {
        "site=\(site)\ninterface=\(interfaceName)\n"
    }

    struct Result {
        var accounts: [Account]
        var created: [Account]
        var removed: [Account]

        func summary(site: String, out: String) -> String {
            let robots = accounts.filter { if case .robot = $0 { true } else { false } }.count
            let people = accounts.filter { if case .person = $0 { true } else { false } }.count
            var lines = [
                "site \(site): \(accounts.count) accounts (\(robots) robots, \(people) people); "
                    + "\(created.count) new, \(accounts.count - created.count) kept, \(removed.count) removed",
                "  \(out)/mosquitto/passwd and \(out)/mosquitto/acl: install them, then `systemctl reload mosquitto`",
                "  \(out)/credentials/: one file per account (0600), hand each to its robot, device or service",
            ]
            lines += created.prefix(20).map { "  new: \($0.username)" }
            if created.count > 20 { lines.append("  new: ... and \(created.count - 20) more") }
            lines += removed.map { "  removed: \($0.username)" }
            return lines.joined(separator: "\n")
        }
    }

    /// Writes everything; existing passwords are reused, accounts found only on disk are kept unless `prune`.
    func write(wanted: [Account], prune: Bool, mosquittoPasswd: String) throws -> Result {
        let fm = FileManager.default
        for folder in [directory, credentials, mosquitto] {
            do {
                try fm.createDirectory(
                    at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CredentialError("cannot create '\(folder.path)': \(error.localizedDescription)")
            }
        }
        try write(Self.settingsText(site: site, interfaceName: interfaceName), to: settingsFile, mode: 0o644)
        let existing = try existingAccounts()
        var accounts = Set(wanted)
        var removed: [Account] = []
        for (account, _) in existing where !accounts.contains(account) {
            if prune {
                removed.append(account)
                try? fm.removeItem(at: credentials.appendingPathComponent(account.file))
            } else {
                accounts.insert(account)
            }
        }
        var random = try RandomSource()
        var created: [Account] = []
        var passwords: [(Account, String)] = []
        for account in accounts.sorted() {
            if let password = existing[account] {
                passwords.append((account, password))
                continue
            }
            let password = try random.password(length: passwordLength)
            let file = credentials.appendingPathComponent(account.file)
            try? fm.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let (user, secret) = account.variables
            try write(
                "# Broker credentials of \(account.username) (site \(site)), from fleetctl broker-credentials. "
                    + "Keep secret.\n\(user)=\(account.username)\n\(secret)=\(password)\n", to: file, mode: 0o600)
            created.append(account)
            passwords.append((account, password))
        }
        try writePasswordFile(passwords, mosquittoPasswd: mosquittoPasswd)
        try writeACL(accounts.sorted())
        return Result(accounts: accounts.sorted(), created: created, removed: removed.sorted())
    }

    /// Every credentials file already in the folder, with its password.
    private func existingAccounts() throws -> [Account: String] {
        var found: [Account: String] = [:]
        func read(_ account: Account) throws {
            let url = credentials.appendingPathComponent(account.file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
            let (userVariable, passwordVariable) = account.variables
            var user: String?
            var password: String?
            for line in text.split(separator: "\n") {
                if line.hasPrefix(userVariable + "=") { user = String(line.dropFirst(userVariable.count + 1)) }
                if line.hasPrefix(passwordVariable + "=") {
                    password = String(line.dropFirst(passwordVariable.count + 1))
                }
            }
            guard user == account.username, let password, !password.isEmpty else {
                throw CredentialError(
                    "\(url.path) is not a credentials file of \(account.username); move it away or delete it")
            }
            found[account] = password
        }
        for account in [Account.fleetd, .evaluator, .simulator] { try read(account) }
        let fm = FileManager.default
        let robots = credentials.appendingPathComponent("robots")
        for manufacturer in (try? fm.contentsOfDirectory(atPath: robots.path)) ?? [] {
            let folder = robots.appendingPathComponent(manufacturer)
            for file in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where file.hasSuffix(".env") {
                try read(.robot(manufacturer: manufacturer, serial: String(file.dropLast(4))))
            }
        }
        let people = credentials.appendingPathComponent("people")
        for file in (try? fm.contentsOfDirectory(atPath: people.path)) ?? [] where file.hasSuffix(".env") {
            try read(.person(String(file.dropLast(4))))
        }
        return found
    }

    /// Hashes every password at once: a plaintext `user:password` file (0600) upgraded in place by
    /// `mosquitto_passwd -U` (one process for any number of accounts), then renamed over `passwd`.
    private func writePasswordFile(_ passwords: [(Account, String)], mosquittoPasswd: String) throws {
        let plain = mosquitto.appendingPathComponent(".passwd.tmp")
        defer { try? FileManager.default.removeItem(at: plain) }
        try write(passwords.map { "\($0.0.username):\($0.1)\n" }.joined(), to: plain, mode: 0o600)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.locate(mosquittoPasswd))
        process.arguments = ["-U", plain.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            throw CredentialError("cannot run \(mosquittoPasswd): \(error.localizedDescription)")
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CredentialError("\(mosquittoPasswd) -U failed (status \(process.terminationStatus)): \(output)")
        }
        let target = mosquitto.appendingPathComponent("passwd")
        guard rename(plain.path, target.path) == 0 else {
            throw CredentialError("cannot replace \(target.path): \(String(cString: strerror(errno)))")
        }
        chmod(target.path, 0o640)
    }

    private func writeACL(_ accounts: [Account]) throws {
        var lines = [
            "# mosquitto ACL of site \(site), generated by `fleetctl broker-credentials` (\(accounts.count) accounts).",
            "# Do not edit: change the fleet file, re-run the command (passwords are kept), `systemctl reload mosquitto`.",
            "# Only `user` blocks, no `pattern` or global `topic` lines: an account may do exactly what its block",
            "# lists, everything else is denied (mosquitto drops a denied publish silently and delivers nothing",
            "# for a denied subscription).",
            "",
        ]
        for account in accounts {
            lines += account.aclBlock(site: site, interfaceName: interfaceName)
            lines.append("")
        }
        try write(lines.joined(separator: "\n"), to: mosquitto.appendingPathComponent("acl"), mode: 0o640)
    }

    /// Writes atomically (temporary file, then rename) with `mode`.
    private func write(_ text: String, to url: URL, mode: Int) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).new")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        else { throw CredentialError("cannot write \(temporary.path)") }
        chmod(temporary.path, mode_t(mode))
        guard rename(temporary.path, url.path) == 0 else {
            throw CredentialError("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    private static func locate(_ program: String) throws -> String {
        if program.contains("/") { return program }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"] {
            let candidate = folder + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CredentialError(
            "\(program) not found (Debian: apt-get install mosquitto); or pass --mosquitto-passwd PATH")
    }
}

/// Passwords from `/dev/urandom`: uniform over A-Z a-z 0-9 (rejection sampling, no modulo bias).
struct RandomSource {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private let handle: FileHandle

    init() throws {
        guard let handle = FileHandle(forReadingAtPath: "/dev/urandom") else {
            throw CredentialError("cannot open /dev/urandom")
        }
        self.handle = handle
    }

    mutating func password(length: Int) throws -> String {
        var result: [UInt8] = []
        while result.count < length {
            let bytes = handle.readData(ofLength: length * 2)
            guard !bytes.isEmpty else { throw CredentialError("/dev/urandom returned nothing") }
            for byte in bytes where byte < 248 && result.count < length {  // 248 = 4 * 62
                result.append(Self.alphabet[Int(byte) % Self.alphabet.count])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
