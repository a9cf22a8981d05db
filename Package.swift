// swift-tools-version:6.0
import PackageDescription

// Layers, each importing only those below it (see docs/ARCHITECTURE.md):
//   ardesk -> Workstation -> Terminal -> CNcursesw / CTerminalSupport
//          -> Desk -> Core, Journal -> FlatJSON, CChecksum
let package = Package(
    name: "ardesk",
    products: [
        .executable(name: "ardesk", targets: ["ardesk"]),
        .executable(name: "ardesk-bench", targets: ["ardesk-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // The wide-character ncurses library plus a header of static inline accessors for its macros.
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // Stateful C helpers (signal handlers that must remember the previous handler).
        .target(name: "CTerminalSupport", linkerSettings: [.linkedLibrary("ncursesw")]),

        // A small, strict JSON reader/writer for journal lines (integers only, no floating point).
        .target(name: "FlatJSON"),
        // Where each key of a TOML file is set (policy and theme refusals name the line).
        .target(name: "TOMLPlaces"),
        // Model and rules: pure, no I/O, no clock.
        .target(name: "Core"),
        // CRC-32C and SHA-256 with the processor's instructions where it has them.
        .target(name: "CChecksum"),
        .target(name: "CWriteGuard"),
        // The append-only log file: framing, checksums, hash chain, lock, fsync, tail, recovery.
        .target(name: "Journal", dependencies: [
            "FlatJSON", "CChecksum", "CWriteGuard",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The one door for every change: commands -> events -> journal; import, demo, reports.
        .target(name: "Desk", dependencies: [
            "Core", "Journal", "FlatJSON", "TOMLPlaces",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The only code that talks to ncurses, plus an in-memory backend for tests.
        .target(name: "Terminal", dependencies: [
            "CNcursesw", "CTerminalSupport", "TOMLPlaces", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // Screens, panels, keymaps, themes.
        .target(name: "Workstation", dependencies: [
            "Terminal", "Desk", "Core",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "ardesk", dependencies: [
            "Workstation", "Desk", "Core", "Journal", "CWriteGuard",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (release build): deterministic books at three sizes; not part of `swift test`.
        .executableTarget(name: "ardesk-bench", dependencies: ["Workstation", "Desk", "Core", "Journal", "Terminal", "FlatJSON", "CChecksum"]),

        .testTarget(name: "FlatJSONTests", dependencies: [
            "FlatJSON", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "CoreTests", dependencies: [
            "Core", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        // Spawned by JournalTests (concurrent appenders, kill -9, EFBIG); also a stress run and benchmark.
        .executableTarget(name: "ardesk-journal-stress", dependencies: [
            "Journal", "FlatJSON", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "FlatJSON", "ardesk-journal-stress"]),
        .testTarget(name: "DeskTests", dependencies: [
            "Desk", "Core", "Journal", "FlatJSON", "TOMLPlaces", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal"]),
        .testTarget(name: "WorkstationTests", dependencies: ["Workstation", "Terminal", "Desk", "Core"]),
        // Runs the built `ardesk` binary (and tmux) end to end.
        .testTarget(name: "CLITests", dependencies: ["Desk", "Core"]),
    ]
)
