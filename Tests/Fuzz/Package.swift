// swift-tools-version:6.0
// libFuzzer targets for TopicKit's readers and model-bundle loader (not part of the root package).
// Build: swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Run:   FUZZ_TARGET=dump .build/release/topickit-fuzz CORPUS_DIR -max_total_time=60   (see `make fuzz`)
import PackageDescription

let package = Package(
    name: "TopicKitFuzz",
    dependencies: [.package(name: "TopicKit", path: "../..")],
    targets: [
        .executableTarget(
            name: "topickit-fuzz",
            dependencies: [.product(name: "TopicKit", package: "TopicKit")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
