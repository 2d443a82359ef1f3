import Foundation

/// Finds the programs a pilot run needs: FleetPilot's own next to fleetctl's executable (the build folder), else
/// on `PATH`; mosquitto on `PATH` or in `/usr/sbin`.
enum Executables {
    /// The folder of the running fleetctl (`/proc/self/exe`), if it can be read.
    static var ownDirectory: String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        }
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// A FleetPilot program (`fleetd`, `fleet-sim`).
    /// - Parameter name: The program's name.
    /// - Returns: Its absolute path.
    /// - Throws: `PilotError.missingExecutable` saying to build it.
    static func fleetProgram(_ name: String) throws(PilotError) -> String {
        let directories = (ownDirectory.map { [$0] } ?? []) + pathDirectories
        if let found = find(name, in: directories) { return found }
        throw .missingExecutable(
            name: name, searched: Array(directories.prefix(4)) + (directories.count > 4 ? ["..."] : []),
            hint: "build it first: `swift build` (or `swift build -c release`) in the FleetPilot folder")
    }

    /// The mosquitto broker.
    /// - Returns: Its absolute path.
    /// - Throws: `PilotError.missingExecutable` saying how to install it.
    static func mosquitto() throws(PilotError) -> String {
        let directories = pathDirectories + ["/usr/sbin", "/usr/local/sbin"]
        if let found = find("mosquitto", in: directories) { return found }
        throw .missingExecutable(
            name: "mosquitto", searched: ["PATH", "/usr/sbin"],
            hint: "install it: `bash scripts/ensure-deps.sh` (or `apt-get install mosquitto`), or pass --broker")
    }

    private static var pathDirectories: [String] {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    }

    private static func find(_ name: String, in directories: [String]) -> String? {
        directories.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
