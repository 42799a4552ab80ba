/// The element types of the safetensors format, by their names in the header.
public enum TensorDType: String, Sendable, CaseIterable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Whether TopicKit holds tensors of this type (the others are recognised and refused).
    public var isSupported: Bool { self == .f32 || self == .f64 || self == .i32 || self == .i64 }
}

/// The elements of a tensor, row-major ("C" order).
public enum TensorStorage: Equatable, Sendable {
    case float32([Float])
    case float64([Double])
    case int32([Int32])
    case int64([Int64])

    public var count: Int {
        switch self {
        case let .float32(v): return v.count
        case let .float64(v): return v.count
        case let .int32(v): return v.count
        case let .int64(v): return v.count
        }
    }
}

/// A dense tensor: element type, shape and row-major storage, as stored in `model.safetensors`.
public struct Tensor: Equatable, Sendable {
    public let shape: [Int]
    public let storage: TensorStorage

    /// The element type of `storage`.
    public var dtype: TensorDType {
        switch storage {
        case .float32: return .f32
        case .float64: return .f64
        case .int32: return .i32
        case .int64: return .i64
        }
    }

    /// A tensor whose element count must equal the product of `shape` (entries non-negative).
    public init(shape: [Int], storage: TensorStorage) throws {
        guard let count = Tensor.elementCount(shape) else {
            throw SafeTensorsError.invalidShape(name: nil, shape: shape)
        }
        guard count == storage.count else {
            throw SafeTensorsError.countMismatch(name: nil, shape: shape, count: storage.count)
        }
        self.shape = shape
        self.storage = storage
    }

    public init(floats: [Float], shape: [Int]) throws { try self.init(shape: shape, storage: .float32(floats)) }
    public init(doubles: [Double], shape: [Int]) throws { try self.init(shape: shape, storage: .float64(doubles)) }
    public init(ints: [Int32], shape: [Int]) throws { try self.init(shape: shape, storage: .int32(ints)) }
    public init(int64s: [Int64], shape: [Int]) throws { try self.init(shape: shape, storage: .int64(int64s)) }

    /// The product of `shape`, or nil if an entry is negative or the product overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = p
        }
        return n
    }
}
