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
        .library(name: "FleetRuntime", targets: ["FleetRuntime"]),
        .library(name: "FleetSim", targets: ["FleetSim"]),
        .library(name: "FleetEvaluation", targets: ["FleetEvaluation"]),
        .executable(name: "fleetd", targets: ["fleetd"]),
        .executable(name: "fleet-sim", targets: ["fleet-sim"]),
        .executable(name: "fleetctl", targets: ["fleetctl"]),
        .executable(name: "fleet-eval", targets: ["fleet-eval"]),
        .library(name: "FleetAPI", targets: ["FleetAPI"]),
        .executable(name: "fleet-bench-ingest", targets: ["IngestBench"]),
        .executable(name: "fleet-bench-alloc", targets: ["AllocBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
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
        // The composition root: coordinator shell (the one actor), VDA 5050 mapping, MQTT ingress/egress, timers.
        .target(
            name: "FleetRuntime",
            dependencies: [
                "FleetCore", "FleetConfig", "FleetStore", "FleetMQTT", "VDA5050", "FleetAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Operator HTTP API (Hummingbird 2): tasks, robots, zones, event stream, metrics, auth, dashboard.
        .target(
            name: "FleetAPI",
            dependencies: [
                "FleetCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("openapi.json"), .copy("Dashboard")]
        ),
        // KPIs, statistics, verdicts, reports. Reads journals; depends on the core only (+ the journal reader).
        .target(name: "FleetEvaluation", dependencies: ["FleetCore", "FleetStore"]),
        // Simulated vehicles, people and demand over a real broker.
        .target(
            name: "FleetSim",
            dependencies: [
                "FleetCore", "FleetConfig", "FleetMQTT", "VDA5050",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulators/FleetSim"
        ),
        .executableTarget(
            name: "fleetd",
            dependencies: [
                "FleetRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "fleet-sim",
            dependencies: [
                "FleetSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulators/fleet-sim"
        ),
        .executableTarget(
            name: "fleetctl",
            dependencies: [
                "FleetEvaluation", "FleetConfig", "FleetCore", "FleetStore", "FleetMQTT",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "fleet-eval",
            dependencies: [
                "FleetEvaluation", "FleetConfig", "FleetCore", "FleetStore", "FleetMQTT",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "IngestBench",
            dependencies: ["FleetMQTT", "VDA5050"],
            path: "Benchmarks/IngestBench",
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "AllocBench",
            dependencies: ["FleetCore"],
            path: "Benchmarks/AllocBench"
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
            name: "FleetRuntimeTests",
            dependencies: ["FleetRuntime", "FleetTestKit"]
        ),
        .testTarget(
            name: "FleetAPITests",
            dependencies: [
                "FleetAPI", "FleetCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // The shipped deployment (Deploy/): broker configuration and ACLs against a real mosquitto.
        .testTarget(
            name: "DeployTests",
            dependencies: ["FleetTestKit", "FleetMQTT"]
        ),
        .testTarget(
            name: "FleetSimTests",
            dependencies: ["FleetSim", "FleetTestKit"]
        ),
        .testTarget(
            name: "FleetEvaluationTests",
            dependencies: ["FleetEvaluation"]
        ),
        // End to end: a real broker, the fleetd, fleet-sim and fleetctl executables as child processes.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["FleetTestKit", "FleetStore", "FleetCore"]
        ),
        .testTarget(
            name: "FleetStoreTests",
            dependencies: ["FleetStore", "FleetCore"]
        ),
        .testTarget(
            name: "FleetConfigTests",
            dependencies: ["FleetConfig", "FleetCore", "FleetEvaluation"]
        ),
        .testTarget(
            name: "VDA5050Tests",
            dependencies: ["VDA5050"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
