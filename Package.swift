// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TopicKit",
    products: [
        .library(name: "TopicKit", targets: ["TopicKit"]),
        .executable(name: "topics", targets: ["topics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
        .target(
            name: "TopicKit",
            dependencies: ["CBLAS", "CLAPACK"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .executableTarget(
            name: "topics",
            dependencies: [
                "TopicKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "topickit-bench",
            dependencies: ["TopicKit", "CBLAS"],
            path: "bench/Sources/topickit-bench"
        ),
        .testTarget(name: "TopicKitTests", dependencies: ["TopicKit", "CBLAS", "CLAPACK"]),
    ],
    swiftLanguageModes: [.v5]
)
