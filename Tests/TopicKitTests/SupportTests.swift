@testable import TopicKit
import XCTest

final class SupportTests: XCTestCase {
    func testSHA256KnownAnswers() {
        // FIPS 180-4 examples.
        var empty = SHA256()
        XCTAssertEqual(empty.finalizeHex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update("abc")
        XCTAssertEqual(abc.finalizeHex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var two = SHA256()
        two.update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        XCTAssertEqual(two.finalizeHex(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testSHA256IsIndependentOfHowBytesAreFed() {
        var rng = SeededGenerator(seed: 7)
        let bytes = (0..<1000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var whole = SHA256()
        whole.update(bytes)
        var pieces = SHA256()
        var i = 0
        while i < bytes.count {
            let n = Int(rng.next() % 130)
            pieces.update(bytes[i..<min(bytes.count, i + n)])
            i += n
        }
        XCTAssertEqual(whole.finalizeHex(), pieces.finalizeHex())
    }

    func testSeededGeneratorIsReproducibleAndUniform() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        XCTAssertEqual((0..<100).map { _ in a.next() }, (0..<100).map { _ in b.next() })
        var g = SeededGenerator(seed: 1)
        let xs = (0..<20000).map { _ in g.nextUnitFloat() }
        XCTAssertTrue(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(xs.reduce(0, +) / Float(xs.count), 0.5, accuracy: 0.01)
        let gs = (0..<20000).map { _ in g.nextGaussian() }
        let mean = gs.reduce(0, +) / Float(gs.count)
        let variance = gs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(gs.count)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
    }

    func testParallelChunksCoverRangeIndependentOfThreads() {
        for count in [0, 1, 5, 1023, 1024, 1025, 100_000] {
            let chunks = Parallel.chunks(count: count, minimumChunk: 1000, maximumChunks: 16)
            XCTAssertEqual(chunks.map(\.count).reduce(0, +), count)
            for (a, b) in zip(chunks, chunks.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
            let sums = Parallel.mapChunks(chunks) { r in r.reduce(0, +) }
            XCTAssertEqual(sums.reduce(0, +), (0..<count).reduce(0, +))
        }
    }

    func testAtomicWriterLeavesOldFileUntilCommitAndCleansUpOnAbort() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tk-atomic-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.txt").path
        try AtomicFileWriter.write(Array("old".utf8), to: path)
        let writer = try AtomicFileWriter(path: path)
        try writer.write("new content")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        writer.abort()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.txt"])
        let second = try AtomicFileWriter(path: path)
        try second.write("new content")
        try second.commit()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new content")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.txt"])
    }

    func testRegistryRemovesTemporariesAndRefusesInstallsAfterRemoveAll() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = TemporaryPathRegistry()
        let temporary = dir.appendingPathComponent(".bundle.tmp-abc").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: temporary + "/config.json", contents: Data("{}".utf8))
        registry.addDirectory(temporary)
        var ran = 0
        XCTAssertTrue(registry.ifOpen { ran += 1 })
        registry.removeAll()
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary))
        XCTAssertFalse(registry.ifOpen { ran += 1 })
        XCTAssertEqual(ran, 1)
    }
}
