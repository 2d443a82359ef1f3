import Foundation

/// Where tests find the package's own executables (`fleetd`, `fleet-sim`, `fleetctl`, `fleet-eval`).
public enum BuiltPrograms {
    /// `FLEETPILOT_BIN` when set, else the folder of the running test executable (the build folder, e.g.
    /// `.build/debug`; on platforms where it sits inside `<Package>PackageTests.xctest/...`, the folder above).
    public static var directory: URL {
        if let bin = ProcessInfo.processInfo.environment["FLEETPILOT_BIN"], !bin.isEmpty {
            return URL(fileURLWithPath: bin)
        }
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.bundlePath
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory
    }

    /// The path of the built program `name`.
    /// - Throws: ``TestTimeout`` naming the folder searched and how to build, when the program is missing.
    public static func path(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestTimeout("\(name) is not built in \(directory.path) (run `swift build`, or set FLEETPILOT_BIN)")
        }
        return path
    }
}
