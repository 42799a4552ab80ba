import Foundation

/// The safetensors file format (huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of UTF-8 JSON header `{"NAME": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]},
/// "__metadata__": {"key": "value"}}` padded with spaces to a multiple of 8, then the little-endian
/// data buffer, which the tensors' byte ranges (relative to its start) must cover exactly.
///
/// Limits: the header is at most `maximumHeaderBytes` (100 MiB, checked before anything is allocated);
/// the element types held are F32, F64, I32 and I64 (the other standard dtypes are recognised and
/// refused); F32/F64 values must be finite.
public enum SafeTensors {
    private struct Entry { let name: String; let dtype: TensorDType; let shape: [Int]; let begin: Int; let end: Int }

    /// The largest header accepted (100 MiB), as in the reference implementation.
    public static let maximumHeaderBytes = Limits.maximumSafeTensorsHeaderBytes

    /// The file bytes for `tensors`: deterministic (header keys sorted, compact canonical JSON,
    /// tensors laid out by element size descending then name, so every tensor is aligned to its
    /// element size), the same bytes for the same input every time.
    /// Refuses non-finite floats, naming the tensor.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        let order = tensors.keys.sorted { a, b in
            let sa = tensors[a]!.dtype.size, sb = tensors[b]!.dtype.size
            if sa != sb { return sa > sb }
            return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
        var header: [String: JSONValue] = [:]
        var offset = 0
        for name in order {
            guard !name.isEmpty, name != "__metadata__" else { throw SafeTensorsError.invalidName(name) }
            let t = tensors[name]!
            try checkFinite(t.storage, name: name)
            let bytes = t.storage.count * t.dtype.size
            guard bytes <= Limits.maximumTensorBytes else {
                throw SafeTensorsError.tensorTooLarge(name: name, bytes: bytes, limit: Limits.maximumTensorBytes)
            }
            header[name] = .object([
                "dtype": .string(t.dtype.rawValue),
                "shape": .array(t.shape.map { .integer($0) }),
                "data_offsets": .array([.integer(offset), .integer(offset + bytes)]),
            ])
            offset += bytes
        }
        if !metadata.isEmpty { header["__metadata__"] = .object(metadata.mapValues { .string($0) }) }
        var json = try JSONValue.object(header).serialized(pretty: false)
        while json.count % 8 != 0 { json.append(0x20) }

        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for name in order {
            switch tensors[name]!.storage {
            case let .float32(v): appendLittleEndian(v, to: &out)
            case let .float64(v): appendLittleEndian(v, to: &out)
            case let .int32(v): appendLittleEndian(v, to: &out)
            case let .int64(v): appendLittleEndian(v, to: &out)
            }
        }
        return out
    }

    /// Parses and validates a whole safetensors file: header length bounded and inside the file,
    /// header a JSON object, every dtype known, shapes non-negative without overflow and matching
    /// their byte ranges, ranges in bounds, contiguous, non-overlapping and covering the data buffer
    /// exactly, floats finite.
    public static func decode(_ bytes: [UInt8]) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try bytes.withUnsafeBufferPointer { try decode($0) }
    }

    static func decode(_ file: UnsafeBufferPointer<UInt8>) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard file.count >= 8 else { throw SafeTensorsError.truncated(bytes: file.count, needed: 8) }
        var claimed: UInt64 = 0
        for i in 0..<8 { claimed |= UInt64(file[i]) << (8 * UInt64(i)) }
        guard claimed <= UInt64(maximumHeaderBytes) else {
            throw SafeTensorsError.headerTooLarge(claimed: claimed, limit: maximumHeaderBytes)
        }
        let headerBytes = Int(claimed)
        guard 8 + headerBytes <= file.count else {
            throw SafeTensorsError.headerBeyondFile(claimed: claimed, fileBytes: file.count)
        }
        guard headerBytes > 0, file[8] == UInt8(ascii: "{") else { throw SafeTensorsError.headerNotObject }
        let header: JSONValue
        do {
            header = try JSONValue.parse(UnsafeBufferPointer(rebasing: file[8..<(8 + headerBytes)]),
                                         maximumBytes: maximumHeaderBytes, maximumDepth: 8)
        } catch {
            throw SafeTensorsError.headerNotJSON("\(error)")
        }
        guard case let .object(entries) = header else { throw SafeTensorsError.headerNotObject }
        let dataStart = 8 + headerBytes
        let dataBytes = file.count - dataStart

        var metadata: [String: String] = [:]
        var list: [Entry] = []
        for name in entries.keys.sorted() {
            let value = entries[name]!
            if name == "__metadata__" {
                guard case let .object(m) = value else { throw SafeTensorsError.invalidMetadata("not an object") }
                for (k, v) in m {
                    guard case let .string(s) = v else {
                        throw SafeTensorsError.invalidMetadata("value of \"\(k)\" is \(v.kindName), not a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            list.append(try parseEntry(name: name, value: value, dataBytes: dataBytes))
        }
        list.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expected = 0
        for e in list {
            guard e.begin == expected else {
                throw SafeTensorsError.notContiguous(name: e.name, begin: e.begin, expected: expected)
            }
            expected = e.end
        }
        guard expected == dataBytes else { throw SafeTensorsError.dataNotCovered(covered: expected, dataBytes: dataBytes) }

        var tensors: [String: Tensor] = [:]
        for e in list {
            guard e.dtype.isSupported else { throw SafeTensorsError.unsupportedDType(name: e.name, dtype: e.dtype.rawValue) }
            let raw = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(file)[(dataStart + e.begin)..<(dataStart + e.end)])
            let storage: TensorStorage
            switch e.dtype {
            case .f32: storage = .float32(readLittleEndian(raw, as: Float.self))
            case .f64: storage = .float64(readLittleEndian(raw, as: Double.self))
            case .i32: storage = .int32(readLittleEndian(raw, as: Int32.self))
            default: storage = .int64(readLittleEndian(raw, as: Int64.self))
            }
            try checkFinite(storage, name: e.name)
            tensors[e.name] = try Tensor(shape: e.shape, storage: storage)
        }
        return (tensors, metadata)
    }

    /// One tensor entry of the header, checked on its own (dtype, shape, range, size).
    private static func parseEntry(name: String, value: JSONValue, dataBytes: Int) throws -> Entry {
        guard case let .object(fields) = value else {
            throw SafeTensorsError.invalidEntry(name: name, reason: "is \(value.kindName), not an object")
        }
        for key in fields.keys where !["dtype", "shape", "data_offsets"].contains(key) {
            throw SafeTensorsError.invalidEntry(name: name, reason: "unexpected field \"\(key)\"")
        }
        guard let dtypeName = fields["dtype"]?.stringValue else {
            throw SafeTensorsError.invalidEntry(name: name, reason: "missing or non-string \"dtype\"")
        }
        guard let dtype = TensorDType(rawValue: dtypeName) else {
            throw SafeTensorsError.unknownDType(name: name, dtype: dtypeName)
        }
        guard let shapeValues = fields["shape"]?.arrayValue else {
            throw SafeTensorsError.invalidEntry(name: name, reason: "missing or non-array \"shape\"")
        }
        var shape: [Int] = []
        for v in shapeValues {
            guard case let .integer(d) = v else {
                throw SafeTensorsError.invalidEntry(name: name, reason: "shape entry \((try? v.serializedString(pretty: false)) ?? v.kindName) is not a non-negative integer")
            }
            shape.append(d)
        }
        guard let offsets = fields["data_offsets"]?.arrayValue, offsets.count == 2,
              case let .integer(begin) = offsets[0], case let .integer(end) = offsets[1] else {
            throw SafeTensorsError.invalidEntry(name: name, reason: "\"data_offsets\" must be two integers")
        }
        guard begin >= 0, end >= begin, end <= dataBytes else {
            throw SafeTensorsError.offsetsOutOfRange(name: name, begin: begin, end: end, dataBytes: dataBytes)
        }
        guard let count = Tensor.elementCount(shape) else {
            throw SafeTensorsError.invalidShape(name: name, shape: shape)
        }
        let (size, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard overflow || size <= Limits.maximumTensorBytes else {
            throw SafeTensorsError.tensorTooLarge(name: name, bytes: size, limit: Limits.maximumTensorBytes)
        }
        guard !overflow, size == end - begin else {
            throw SafeTensorsError.sizeMismatch(name: name, shape: shape, dtype: dtypeName, begin: begin, end: end)
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    static func checkFinite(_ storage: TensorStorage, name: String) throws {
        switch storage {
        case let .float32(v):
            if let i = v.firstIndex(where: { !$0.isFinite }) { throw SafeTensorsError.nonFinite(name: name, index: i) }
        case let .float64(v):
            if let i = v.firstIndex(where: { !$0.isFinite }) { throw SafeTensorsError.nonFinite(name: name, index: i) }
        case .int32, .int64: break
        }
    }

    static func appendLittleEndian<T>(_ values: [T], to out: inout [UInt8]) {
        #if _endian(little)
        values.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
        for v in values { withUnsafeBytes(of: v) { out.append(contentsOf: $0.reversed()) } }
        #endif
    }

    static func readLittleEndian<T>(_ raw: UnsafeRawBufferPointer, as: T.Type) -> [T] {
        let n = raw.count / MemoryLayout<T>.size
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            let dst = UnsafeMutableRawBufferPointer(buffer)
            #if _endian(little)
            if n > 0 { dst.copyMemory(from: raw) }
            #else
            let size = MemoryLayout<T>.size
            for i in 0..<n { for j in 0..<size { dst[i * size + j] = raw[i * size + size - 1 - j] } }
            #endif
            initialized = n
        }
    }
}
