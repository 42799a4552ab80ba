import Foundation
import XCTest
@testable import TopicKit

final class ModelTests: XCTestCase {
    // MARK: - Helpers

    private var scratch: String = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "topickit-model-tests-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    private func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// A safetensors file built by hand from a header text and raw data bytes.
    private func file(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var out: [UInt8] = []
        withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
        return out + h + data
    }

    private func floatBytes(_ v: [Float]) -> [UInt8] { v.withUnsafeBytes { Array($0) } }

    private func assertDecodeFails(_ bytes: [UInt8], _ check: (SafeTensorsError) -> Bool,
                                   file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try SafeTensors.decode(bytes)
            XCTFail("decode accepted a bad file", file: file, line: line)
        } catch let e as SafeTensorsError {
            XCTAssertTrue(check(e), "unexpected error: \(e)", file: file, line: line)
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
    }

    private func sampleBundle() throws -> ModelBundle {
        struct Options: Codable, Equatable { var minDF: Int; var sublinearTF: Bool; var c: Float; var tags: [String] }
        let options = Options(minDF: 2, sublinearTF: true, c: 0.1, tags: ["nas", "kv-cache"])
        let config = JSONValue.object(["options": try JSONValue(encoding: options), "seed": .integer(Int(Int64.max))])
        return ModelBundle(
            config: config,
            vocabulary: ["attention", "kv cache", "naïve", "über"],
            tensors: [
                "idf": try Tensor(floats: [1, 1.5, 2.25, 0.125], shape: [4]),
                "weights": try Tensor(floats: (0..<8).map { Float($0) * 0.5 - 1 }, shape: [4, 2]),
                "labels": try Tensor(ints: [3, -1], shape: [2]),
                "counts": try Tensor(int64s: [1 << 40], shape: [1]),
                "scale": try Tensor(doubles: [0.1], shape: []),
            ])
    }

    private func leftovers(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(".") }
    }

    // MARK: - JSONValue

    func testJSONCanonicalSerialisation() throws {
        let value = JSONValue.object([
            "b": .array([.integer(1), .double(2.0), .double(0.1), .double(1e-7), .double(-2.5e300)]),
            "a": .object(["z": .null, "y": .bool(true)]),
            "s": .string("q\"\\\n\u{1}é"),
            "e": .array([]),
            "o": .object([:]),
        ])
        let expected = """
        {
          "a": {
            "y": true,
            "z": null
          },
          "b": [
            1,
            2,
            0.1,
            1e-07,
            -2.5e+300
          ],
          "e": [],
          "o": {},
          "s": "q\\"\\\\\\n\\u0001é"
        }

        """
        XCTAssertEqual(try value.serializedString(), expected)
        XCTAssertEqual(try value.serializedString(pretty: false),
                       #"{"a":{"y":true,"z":null},"b":[1,2,0.1,1e-07,-2.5e+300],"e":[],"o":{},"s":"q\"\\\n\u0001é"}"#)
        XCTAssertEqual(try JSONValue.parse(expected), value)
    }

    func testJSONParsesNumbersAndEscapes() throws {
        XCTAssertEqual(try JSONValue.parse("9223372036854775807"), .integer(Int.max))
        if case let .double(d) = try JSONValue.parse("9223372036854775808") { XCTAssertEqual(d, 9.223372036854775808e18) } else { XCTFail() }
        XCTAssertEqual(try JSONValue.parse("-0.5e1"), .double(-5))
        XCTAssertEqual(try JSONValue.parse(#""\ud83d\ude00 \u00e9\/""#), .string("😀 é/"))
        XCTAssertEqual(try JSONValue.parse(" [ ] "), .array([]))
    }

    func testJSONRejectsWithPositions() {
        func failure(_ text: String) -> JSONError? {
            do { _ = try JSONValue.parse(text); return nil } catch { return error as? JSONError }
        }
        guard case let .syntax(_, offset, line, column)? = failure("{\n  \"a\": 1,\n  \"b\": tru\n}") else {
            return XCTFail("expected a syntax error")
        }
        XCTAssertEqual([offset, line, column], [19, 3, 8])
        for bad in ["[1,]", "{\"a\":1,}", "01", "1.", "-", "+1", "[1 2]", "{\"a\" 1}", "\"\u{1}\"", "\"\\x\"",
                    "\"\\ud800\"", "\"\\udc00x\"", "{\"a\":1,\"a\":2}", "nul", "1 2", "", "  ", "[", "\"abc",
                    "NaN", "Infinity", "1e999", "// c\n1", "{'a':1}"] {
            XCTAssertNotNil(failure(bad), "accepted \(bad.debugDescription)")
        }
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0xFF, 0x22]))
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0xC3, 0x22]))
        XCTAssertEqual(failure(String(repeating: "[", count: 300) + String(repeating: "]", count: 300)),
                       .tooDeep(limit: 256, offset: 256))
        XCTAssertNoThrow(try JSONValue.parse(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)))
        XCTAssertThrowsError(try JSONValue.parse(Array("[1, 2, 3]".utf8), maximumBytes: 8)) { error in
            XCTAssertEqual(error as? JSONError, .tooLarge(bytes: 9, limit: 8))
        }
    }

    func testJSONRefusesNonFinite() {
        XCTAssertThrowsError(try JSONValue.object(["w": .array([.double(.nan)])]).serialized()) { error in
            XCTAssertEqual(error as? JSONError, .nonFiniteNumber(path: "$.w[0]"))
        }
        XCTAssertThrowsError(try JSONValue(encoding: [Float.infinity]))
    }

    func testJSONRandomRoundTrip() throws {
        var rng = SeededGenerator(seed: 42)
        func random(_ depth: Int) -> JSONValue {
            switch Int(rng.next() % (depth > 3 ? 5 : 7)) {
            case 0: return .null
            case 1: return .bool(rng.next() & 1 == 0)
            case 2: return .integer(Int(bitPattern: UInt(rng.next())) >> Int(rng.next() % 64))
            case 3:
                let d = Double(bitPattern: rng.next())
                return .double(d.isFinite ? d : Double(rng.nextUnitFloat()))
            case 4:
                let scalars = (0..<Int(rng.next() % 6)).map { _ in
                    Character(Unicode.Scalar([0x22, 0x5C, 0x0A, 0x01, 0x41, 0xE9, 0x4E2D, 0x1F600][Int(rng.next() % 8)])!)
                }
                return .string(String(scalars))
            case 5: return .array((0..<Int(rng.next() % 4)).map { _ in random(depth + 1) })
            default:
                var o: [String: JSONValue] = [:]
                for i in 0..<Int(rng.next() % 4) { o["k\(i)\(rng.next() % 3)"] = random(depth + 1) }
                return .object(o)
            }
        }
        for _ in 0..<300 {
            let v = random(0)
            for pretty in [true, false] {
                let bytes = try v.serialized(pretty: pretty)
                let back = try JSONValue.parse(bytes)
                XCTAssertEqual(back, v)
                XCTAssertEqual(try back.serialized(pretty: pretty), bytes)
            }
        }
    }

    func testJSONCodableBridging() throws {
        struct Inner: Codable, Equatable { var name: String; var weight: Float }
        struct Options: Codable, Equatable {
            var minDF: Int; var maxDF: Double; var seed: UInt64; var ngrams: [Int]; var inner: Inner; var note: String?
        }
        let options = Options(minDF: 5, maxDF: 0.5, seed: UInt64(Int64.max), ngrams: [1, 2],
                              inner: Inner(name: "x", weight: 0.1), note: nil)
        let value = try JSONValue(encoding: options)
        XCTAssertEqual(value["minDF"], .integer(5))
        XCTAssertEqual(value["inner"]?["weight"]?.doubleValue.map { Float($0) }, 0.1)
        XCTAssertEqual(try value.decode(Options.self), options)
        XCTAssertEqual(try JSONValue.parse(try value.serialized()).decode(Options.self), options)
        XCTAssertThrowsError(try JSONValue.object(["minDF": .integer(1)]).decode(Options.self)) { error in
            XCTAssertTrue("\(error)".contains("maxDF"), "\(error)")
        }
    }

    // MARK: - SafeTensors

    func testWriterMatchesHandBuiltBytes() throws {
        let tensors = ["b": try Tensor(ints: [5], shape: [1]), "a": try Tensor(floats: [1, -2], shape: [2])]
        let header = #"{"a":{"data_offsets":[0,8],"dtype":"F32","shape":[2]},"b":{"data_offsets":[8,12],"dtype":"I32","shape":[1]}}"#
        XCTAssertEqual(header.utf8.count, 108)
        var expected: [UInt8] = [112, 0, 0, 0, 0, 0, 0, 0]
        expected += Array(header.utf8) + [0x20, 0x20, 0x20, 0x20]
        expected += [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x05, 0x00, 0x00, 0x00]
        XCTAssertEqual(try SafeTensors.encode(tensors), expected)
        let decoded = try SafeTensors.decode(expected)
        XCTAssertEqual(decoded.tensors, tensors)
        XCTAssertEqual(decoded.metadata, [:])
    }

    func testWriterAlignsAndRecordsMetadata() throws {
        let tensors = ["z": try Tensor(ints: [1], shape: [1]), "a": try Tensor(int64s: [2], shape: [1])]
        let bytes = try SafeTensors.encode(tensors, metadata: ["format": "np"])
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual(headerLength % 8, 0)
        let header = try JSONValue.parse(bytes[8..<(8 + headerLength)])
        XCTAssertEqual(header["a"]?["data_offsets"], .array([.integer(0), .integer(8)]))
        XCTAssertEqual(header["z"]?["data_offsets"], .array([.integer(8), .integer(12)]))
        XCTAssertEqual(header["__metadata__"], .object(["format": .string("np")]))
        XCTAssertEqual(try SafeTensors.decode(bytes).metadata, ["format": "np"])
    }

    /// Bytes written by Python `safetensors.numpy.save` 0.8.0 (header in its own key order, I64 first).
    func testReadsFileWrittenByPython() throws {
        let bytes = hex("10010000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a226e70227d2c22626967223a7b226474797065223a22493634222c227368617065223a5b325d2c22646174615f6f666673657473223a5b302c31365d7d2c22656d707479223a7b226474797065223a22463332222c227368617065223a5b302c335d2c22646174615f6f666673657473223a5b31362c31365d7d2c22776569676874223a7b226474797065223a22463332222c227368617065223a5b322c325d2c22646174615f6f666673657473223a5b31362c33325d7d2c22696473223a7b226474797065223a22493332222c227368617065223a5b335d2c22646174615f6f666673657473223a5b33322c34345d7d7d202020200000000000010000fbffffffffffffff0000803f00000040000040400000904007000000ffffffff03000000")
        let (tensors, metadata) = try SafeTensors.decode(bytes)
        XCTAssertEqual(metadata, ["format": "np"])
        XCTAssertEqual(tensors["weight"], try Tensor(floats: [1, 2, 3, 4.5], shape: [2, 2]))
        XCTAssertEqual(tensors["ids"], try Tensor(ints: [7, -1, 3], shape: [3]))
        XCTAssertEqual(tensors["big"], try Tensor(int64s: [1 << 40, -5], shape: [2]))
        XCTAssertEqual(tensors["empty"], try Tensor(floats: [], shape: [0, 3]))
    }

    func testRandomTensorsRoundTrip() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<50 {
            var tensors: [String: Tensor] = [:]
            for i in 0..<Int(rng.next() % 5) {
                let shape = (0..<Int(rng.next() % 3)).map { _ in Int(rng.next() % 4) }
                let n = shape.reduce(1, *)
                switch rng.next() % 4 {
                case 0: tensors["t\(i)"] = try Tensor(floats: (0..<n).map { _ in Float(rng.nextGaussian()) }, shape: shape)
                case 1: tensors["t\(i)"] = try Tensor(ints: (0..<n).map { _ in Int32(truncatingIfNeeded: rng.next()) }, shape: shape)
                case 2: tensors["t\(i)"] = try Tensor(int64s: (0..<n).map { _ in Int64(bitPattern: rng.next()) }, shape: shape)
                default: tensors["t\(i)"] = try Tensor(doubles: (0..<n).map { _ in Double(rng.nextGaussian()) }, shape: shape)
                }
            }
            let bytes = try SafeTensors.encode(tensors)
            XCTAssertEqual(try SafeTensors.decode(bytes).tensors, tensors)
            XCTAssertEqual(try SafeTensors.encode(tensors), bytes)
        }
    }

    func testTensorInitChecksShape() {
        XCTAssertThrowsError(try Tensor(floats: [1, 2, 3], shape: [2, 2]))
        XCTAssertThrowsError(try Tensor(floats: [], shape: [-1]))
        XCTAssertThrowsError(try Tensor(floats: [], shape: [Int.max, 2]))
        XCTAssertThrowsError(try SafeTensors.encode(["w": try Tensor(floats: [1, .nan], shape: [2])])) { error in
            XCTAssertEqual(error as? SafeTensorsError, .nonFinite(name: "w", index: 1))
        }
        XCTAssertThrowsError(try SafeTensors.encode(["__metadata__": try Tensor(floats: [], shape: [0])]))
    }

    func testRejectsCorruptFiles() {
        let data = floatBytes([1, 2, 3, 4])
        let ok = file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: data)
        XCTAssertNoThrow(try SafeTensors.decode(ok))

        // Header claims a shape bigger than the data.
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[1000,1000],"data_offsets":[0,16]}}"#, data: data)) {
            if case .sizeMismatch = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[1000],"data_offsets":[0,4000]}}"#, data: data)) {
            if case .offsetsOutOfRange(name: "w", begin: 0, end: 4000, dataBytes: 16) = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[8,4]}}"#, data: data)) {
            if case .offsetsOutOfRange = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#, data: data)) {
            if case .invalidShape = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}"#, data: data)) {
            if case .invalidShape = $0 { return true }; return false
        }
        // Element count fits but count × 4 bytes overflows.
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,16]}}"#, data: data)) {
            if case .sizeMismatch = $0 { return true }; return false
        }
        // Header length of gigabytes, refused before anything is allocated.
        assertDecodeFails(file(header: "{}", data: [], declaredLength: 5_000_000_000)) {
            if case .headerTooLarge(claimed: 5_000_000_000, limit: 104_857_600) = $0 { return true }; return false
        }
        assertDecodeFails(file(header: "{}", data: [], declaredLength: 1_000_000)) {
            if case .headerBeyondFile = $0 { return true }; return false
        }
        // Gap, overlap, uncovered trailing bytes.
        assertDecodeFails(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: data)) {
            if case .notContiguous(name: "b", begin: 8, expected: 4) = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: data)) {
            if case .notContiguous = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#, data: data)) {
            if case .dataNotCovered(covered: 12, dataBytes: 16) = $0 { return true }; return false
        }
        // Types and structure.
        assertDecodeFails(file(header: #"{"w":{"dtype":"F33","shape":[4],"data_offsets":[0,16]}}"#, data: data)) {
            $0 == .unknownDType(name: "w", dtype: "F33")
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F16","shape":[8],"data_offsets":[0,16]}}"#, data: data)) {
            $0 == .unsupportedDType(name: "w", dtype: "F16")
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16],"x":1}}"#, data: data)) {
            if case .invalidEntry = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4.5],"data_offsets":[0,16]}}"#, data: data)) {
            if case .invalidEntry = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0]}}"#, data: data)) {
            if case .invalidEntry = $0 { return true }; return false
        }
        assertDecodeFails(file(header: #"{"__metadata__":{"a":1}}"#, data: [])) {
            if case .invalidMetadata = $0 { return true }; return false
        }
        assertDecodeFails(file(header: "[]", data: [])) { $0 == .headerNotObject }
        assertDecodeFails(file(header: " {}", data: [])) { $0 == .headerNotObject }
        assertDecodeFails(file(header: "", data: [])) { $0 == .headerNotObject }
        assertDecodeFails(file(header: "{\"w\":", data: [])) {
            if case .headerNotJSON = $0 { return true }; return false
        }
        // Non-finite weights, named.
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
                               data: floatBytes([1, 2, .infinity, 4]))) { $0 == .nonFinite(name: "w", index: 2) }
        assertDecodeFails(file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
                               data: floatBytes([.nan, 2, 3, 4]))) { $0 == .nonFinite(name: "w", index: 0) }
    }

    func testEveryPrefixIsRefused() throws {
        let bytes = try SafeTensors.encode(try sampleBundle().tensors, metadata: ["k": "v"])
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try SafeTensors.decode(Array(bytes[0..<n])), "prefix of \(n) bytes accepted")
        }
        XCTAssertNoThrow(try SafeTensors.decode(bytes))
        XCTAssertThrowsError(try SafeTensors.decode(bytes + [0]))
    }

    // MARK: - ModelBundle

    func testBundleRoundTripAndAccessors() throws {
        let bundle = try sampleBundle()
        let dir = scratch + "/model"
        try bundle.save(to: dir)
        let loaded = try ModelBundle.load(from: dir)
        XCTAssertEqual(loaded.vocabulary, bundle.vocabulary)
        XCTAssertEqual(loaded.tensors, bundle.tensors)
        XCTAssertEqual(loaded.config["format_version"], .integer(1))
        XCTAssertEqual(loaded.config["topickit_version"], .string(TopicKit.version))
        XCTAssertEqual(loaded.config["vocab_size"], .integer(4))
        XCTAssertEqual(loaded.config["seed"], .integer(Int(Int64.max)))
        XCTAssertEqual(loaded.config["options"], bundle.config["options"])

        XCTAssertEqual(try loaded.floats("weights", shape: [4, 2]), (0..<8).map { Float($0) * 0.5 - 1 })
        XCTAssertEqual(try loaded.ints("labels", shape: [2]), [3, -1])
        XCTAssertEqual(try loaded.int64s("counts", shape: [1]), [1 << 40])
        XCTAssertEqual(try loaded.doubles("scale", shape: []), [0.1])
        XCTAssertThrowsError(try loaded.floats("weights", shape: [2, 4])) { XCTAssertTrue("\($0)".contains("shape is [4, 2]"), "\($0)") }
        XCTAssertThrowsError(try loaded.ints("weights", shape: [4, 2])) { XCTAssertTrue("\($0)".contains("dtype is F32"), "\($0)") }
        XCTAssertThrowsError(try loaded.floats("bias", shape: [2])) { XCTAssertTrue("\($0)".contains("no tensor \"bias\""), "\($0)") }

        let vocab = try String(contentsOfFile: dir + "/vocab.txt", encoding: .utf8)
        XCTAssertEqual(vocab, "attention\nkv cache\nnaïve\nüber\n")
        XCTAssertEqual(leftovers(in: scratch), [])
    }

    func testDoubleSaveIsByteIdentical() throws {
        let bundle = try sampleBundle()
        try bundle.save(to: scratch + "/one")
        try bundle.save(to: scratch + "/two")
        func read(_ p: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: p)) }
        for name in ["config.json", "vocab.txt", "model.safetensors"] {
            let first = try read(scratch + "/one/" + name)
            XCTAssertEqual(first, try read(scratch + "/two/" + name), name)
            try bundle.save(to: scratch + "/one")
            XCTAssertEqual(first, try read(scratch + "/one/" + name), name)
        }
        XCTAssertEqual(try ModelBundle.load(from: scratch + "/one").tensors, try ModelBundle.load(from: scratch + "/two").tensors)
    }

    private func assertLoadFails(_ dir: String, containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try ModelBundle.load(from: dir)
            XCTFail("loaded a bad bundle", file: file, line: line)
        } catch {
            XCTAssertTrue(error is ModelBundleError, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(text), "\"\(error)\" lacks \"\(text)\"", file: file, line: line)
        }
    }

    private func rewrite(_ path: String, _ transform: (String) -> String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try transform(text).write(toFile: path, atomically: false, encoding: .utf8)
    }

    func testLoadRefusesBadBundles() throws {
        let bundle = try sampleBundle()
        assertLoadFails(scratch + "/absent", containing: "does not exist")

        for name in ["config.json", "vocab.txt", "model.safetensors"] {
            let dir = scratch + "/missing-" + name
            try bundle.save(to: dir)
            try FileManager.default.removeItem(atPath: dir + "/" + name)
            assertLoadFails(dir, containing: name + " is missing")
        }

        let dir = scratch + "/bad"
        try bundle.save(to: dir)
        try rewrite(dir + "/vocab.txt") { $0 + "extra\n" }
        assertLoadFails(dir, containing: "has 5 terms but config.json says vocab_size 4")
        try bundle.save(to: dir)
        try rewrite(dir + "/vocab.txt") { $0.replacingOccurrences(of: "naïve", with: "über") }
        assertLoadFails(dir, containing: "line 4 repeats the term \"über\" of line 3")
        try bundle.save(to: dir)
        try rewrite(dir + "/vocab.txt") { $0.replacingOccurrences(of: "\n", with: "\r\n") }
        assertLoadFails(dir, containing: "line 1: term \"attention\\r\" contains a line break")

        try bundle.save(to: dir)
        try rewrite(dir + "/config.json") { $0.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 2") }
        assertLoadFails(dir, containing: "made by a newer TopicKit (format 2); this build reads format 1 — upgrade TopicKit")
        try bundle.save(to: dir)
        try rewrite(dir + "/config.json") { $0.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": \"1\"") }
        assertLoadFails(dir, containing: "unknown format_version \"1\"")
        try bundle.save(to: dir)
        try rewrite(dir + "/config.json") { $0.replacingOccurrences(of: "\"format_version\": 1,", with: "") }
        assertLoadFails(dir, containing: "not a TopicKit model bundle")
        try bundle.save(to: dir)
        try rewrite(dir + "/config.json") { $0.replacingOccurrences(of: "\"vocab_size\": 4", with: "\"vocab_size\": 4,") }
        assertLoadFails(dir, containing: "invalid JSON at line")
        try bundle.save(to: dir)
        try rewrite(dir + "/config.json") { _ in "[1]" }
        assertLoadFails(dir, containing: "expected a JSON object")

        // Non-finite weights written by another tool.
        try bundle.save(to: dir)
        let tensorPath = dir + "/model.safetensors"
        var bytes = try FileBytes.read(tensorPath)
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        let header = try JSONValue.parse(bytes[8..<(8 + headerLength)])
        let begin = try XCTUnwrap(header["weights"]?["data_offsets"]?.arrayValue?.first?.intValue)
        let nan = floatBytes([.nan])
        for i in 0..<4 { bytes[8 + headerLength + begin + 4 + i] = nan[i] }
        try Data(bytes).write(to: URL(fileURLWithPath: tensorPath))
        assertLoadFails(dir, containing: "tensor \"weights\" holds a non-finite value (NaN or infinity) at element 1")
    }

    func testTruncatedBundleFilesAreRefused() throws {
        let dir = scratch + "/trunc"
        try sampleBundle().save(to: dir)
        let path = dir + "/model.safetensors"
        let bytes = try FileBytes.read(path)
        // testEveryPrefixIsRefused decodes every prefix in memory; here every 5th goes through the files.
        for n in Array(stride(from: 0, to: bytes.count, by: 5)) + [bytes.count - 1] {
            try Data(bytes[0..<n]).write(to: URL(fileURLWithPath: path))
            assertLoadFails(dir, containing: "model.safetensors")
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertNoThrow(try ModelBundle.load(from: dir))

        for name in ["vocab.txt", "config.json"] {
            let path = dir + "/" + name
            let bytes = try FileBytes.read(path)
            // config.json without its final newline is still the complete document.
            let prefixes = name == "config.json" ? 0..<(bytes.count - 1) : 0..<bytes.count
            for n in prefixes {
                try Data(bytes[0..<n]).write(to: URL(fileURLWithPath: path))
                assertLoadFails(dir, containing: name)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        XCTAssertNoThrow(try ModelBundle.load(from: dir))
    }

    func testSaveRefusals() throws {
        let bundle = try sampleBundle()
        var bad = bundle
        bad.vocabulary[1] = "kv\ncache"
        XCTAssertThrowsError(try bad.save(to: scratch + "/x")) { XCTAssertTrue("\($0)".contains("line break"), "\($0)") }
        bad.vocabulary[1] = "attention"
        XCTAssertThrowsError(try bad.save(to: scratch + "/x")) { XCTAssertTrue("\($0)".contains("duplicate"), "\($0)") }
        bad.vocabulary[1] = ""
        XCTAssertThrowsError(try bad.save(to: scratch + "/x")) { XCTAssertTrue("\($0)".contains("empty term"), "\($0)") }
        bad = bundle
        bad.config = .array([])
        XCTAssertThrowsError(try bad.save(to: scratch + "/x"))
        bad = bundle
        bad.tensors["w"] = try Tensor(floats: [.infinity], shape: [1])
        XCTAssertThrowsError(try bad.save(to: scratch + "/x")) { XCTAssertTrue("\($0)".contains("\"w\""), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/x"))

        let plainFile = scratch + "/notes.txt"
        try "keep me".write(toFile: plainFile, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try bundle.save(to: plainFile)) { XCTAssertTrue("\($0)".contains("is a file"), "\($0)") }
        XCTAssertEqual(try String(contentsOfFile: plainFile, encoding: .utf8), "keep me")

        let otherDir = scratch + "/photos"
        try FileManager.default.createDirectory(atPath: otherDir, withIntermediateDirectories: true)
        try "x".write(toFile: otherDir + "/a.jpg", atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try bundle.save(to: otherDir)) { XCTAssertTrue("\($0)".contains("without config.json"), "\($0)") }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: otherDir), ["a.jpg"])

        let emptyDir = scratch + "/empty"
        try FileManager.default.createDirectory(atPath: emptyDir, withIntermediateDirectories: true)
        try bundle.save(to: emptyDir + "/")
        XCTAssertEqual(try ModelBundle.load(from: emptyDir).vocabulary, bundle.vocabulary)
        XCTAssertEqual(leftovers(in: scratch), [])
    }

    func testFailedSaveKeepsOldBundle() throws {
        let old = try sampleBundle()
        let dir = scratch + "/model"
        try old.save(to: dir)
        var new = old
        new.vocabulary[0] = "new-term"
        struct Interrupted: Error {}
        XCTAssertThrowsError(try new.save(to: dir, beforeInstall: { temporary in
            XCTAssertTrue(FileManager.default.fileExists(atPath: temporary + "/model.safetensors"))
            throw Interrupted()
        }))
        XCTAssertEqual(try ModelBundle.load(from: dir).vocabulary, old.vocabulary)
        XCTAssertEqual(leftovers(in: scratch), [])

        try new.save(to: dir)
        XCTAssertEqual(try ModelBundle.load(from: dir).vocabulary, new.vocabulary)
        XCTAssertEqual(leftovers(in: scratch), [])
    }

    func testReplaceByRenamingAside() throws {
        let old = try sampleBundle()
        let dir = scratch + "/model"
        try old.save(to: dir)
        var new = old
        new.vocabulary[0] = "fresh"
        try new.save(to: scratch + "/staged")
        try ModelBundle.replaceByRenamingAside(scratch + "/staged", dir, parent: scratch, name: "model")
        XCTAssertEqual(try ModelBundle.load(from: dir).vocabulary, new.vocabulary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/staged"))
        XCTAssertEqual(leftovers(in: scratch), [])
    }

    func testExchangeSwapsDirectoriesOrLeavesBothAlone() throws {
        let a = scratch + "/a", b = scratch + "/b"
        for (dir, text) in [(a, "first"), (b, "second")] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try text.write(toFile: dir + "/f", atomically: false, encoding: .utf8)
        }
        let swapped = ModelBundle.exchange(a, b)
        XCTAssertEqual(try String(contentsOfFile: a + "/f", encoding: .utf8), swapped ? "second" : "first")
        XCTAssertEqual(try String(contentsOfFile: b + "/f", encoding: .utf8), swapped ? "first" : "second")
        XCTAssertFalse(ModelBundle.exchange(a, scratch + "/absent"))
    }
}
