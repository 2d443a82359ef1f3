// swift-tools-version: 6.1
// FleetPilot: a fleet coordinator for robot pilot sites (VDA 5050 over MQTT).
// Dependencies point inward: executables -> runtime/simulator/evaluation -> adapters -> core.
// `VDA5050` is a leaf; `FleetMQTT` wraps libmosquitto and lets no C type escape.
import PackageDescription

let package = Package(
    name: "FleetPilot",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FleetMQTT", targets: ["FleetMQTT"]),
        .library(name: "VDA5050", targets: ["VDA5050"]),
        .library(name: "FleetCore", targets: ["FleetCore"]),
        .library(name: "FleetConfig", targets: ["FleetConfig"]),
        .library(name: "FleetStore", targets: ["FleetStore"]),
        .executable(name: "fleet-bench-ingest", targets: ["IngestBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .target(
            name: "FleetMQTT",
            dependencies: [
                "CMosquitto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "VDA5050"),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The durable journal: SQLite file (embedded default) behind a protocol; in-memory version for tests.
        .target(name: "FleetStore", dependencies: ["FleetCore", "CSQLite"]),
        // The domain, pure: no I/O, no clock reads, no global randomness. Keep its dependency list empty.
        .target(name: "FleetCore"),
        // Configuration files (YAML) turned into FleetCore values, with errors that name file, line and field.
        .target(
            name: "FleetConfig",
            dependencies: ["FleetCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "FleetTestKit",
            dependencies: ["FleetMQTT"]
        ),
        .executableTarget(
            name: "IngestBench",
            dependencies: ["FleetMQTT", "VDA5050"],
            path: "Benchmarks/IngestBench",
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .testTarget(
            name: "FleetMQTTTests",
            dependencies: ["FleetMQTT", "FleetTestKit"]
        ),
        .testTarget(
            name: "FleetCoreTests",
            dependencies: ["FleetCore"]
        ),
        .testTarget(
            name: "FleetStoreTests",
            dependencies: ["FleetStore", "FleetCore"]
        ),
        .testTarget(
            name: "FleetConfigTests",
            dependencies: ["FleetConfig", "FleetCore"]
        ),
        .testTarget(
            name: "VDA5050Tests",
            dependencies: ["VDA5050"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
