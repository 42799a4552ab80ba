/// Why a safetensors file or a tensor is refused. Messages name the tensor and the numbers involved.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    case truncated(bytes: Int, needed: Int)
    case headerTooLarge(claimed: UInt64, limit: Int)
    case headerBeyondFile(claimed: UInt64, fileBytes: Int)
    case headerNotJSON(String)
    case headerNotObject
    case invalidEntry(name: String, reason: String)
    case unknownDType(name: String, dtype: String)
    case unsupportedDType(name: String, dtype: String)
    case invalidShape(name: String?, shape: [Int])
    case countMismatch(name: String?, shape: [Int], count: Int)
    case sizeMismatch(name: String, shape: [Int], dtype: String, begin: Int, end: Int)
    case offsetsOutOfRange(name: String, begin: Int, end: Int, dataBytes: Int)
    case notContiguous(name: String, begin: Int, expected: Int)
    case dataNotCovered(covered: Int, dataBytes: Int)
    case nonFinite(name: String, index: Int)
    case invalidMetadata(String)
    case invalidName(String)
    /// A tensor larger than `Limits.maximumTensorBytes`.
    case tensorTooLarge(name: String, bytes: Int, limit: Int)

    public var description: String {
        func n(_ name: String?) -> String { name.map { "tensor \"\($0)\"" } ?? "tensor" }
        switch self {
        case let .truncated(bytes, needed):
            return "safetensors file is truncated: \(bytes) bytes, at least \(needed) needed"
        case let .headerTooLarge(claimed, limit):
            return "safetensors header length \(claimed) exceeds the limit of \(limit) bytes (corrupt file?)"
        case let .headerBeyondFile(claimed, fileBytes):
            return "safetensors header length \(claimed) runs past the end of the \(fileBytes)-byte file (truncated?)"
        case let .headerNotJSON(reason):
            return "safetensors header is not valid JSON: \(reason)"
        case .headerNotObject:
            return "safetensors header is not a JSON object (it must start with '{')"
        case let .invalidEntry(name, reason):
            return "safetensors header entry \"\(name)\": \(reason)"
        case let .unknownDType(name, dtype):
            return "\(n(name)) has unknown dtype \"\(dtype)\""
        case let .unsupportedDType(name, dtype):
            return "\(n(name)) has dtype \(dtype); TopicKit reads F32, F64, I32 and I64"
        case let .invalidShape(name, shape):
            return "\(n(name)) has invalid shape \(shape) (negative entry or size overflow)"
        case let .countMismatch(name, shape, count):
            return "\(n(name)) of shape \(shape) cannot hold \(count) elements"
        case let .sizeMismatch(name, shape, dtype, begin, end):
            return "\(n(name)) of shape \(shape) and dtype \(dtype) does not fit its byte range \(begin)..<\(end)"
        case let .offsetsOutOfRange(name, begin, end, dataBytes):
            return "\(n(name)) byte range [\(begin), \(end)] is outside the \(dataBytes)-byte data buffer"
        case let .notContiguous(name, begin, expected):
            return "\(n(name)) starts at byte \(begin) of the data buffer, expected \(expected) (gap or overlap)"
        case let .dataNotCovered(covered, dataBytes):
            return "safetensors tensors cover \(covered) of \(dataBytes) data bytes (trailing garbage?)"
        case let .nonFinite(name, index):
            return "\(n(name)) holds a non-finite value (NaN or infinity) at element \(index)"
        case let .invalidMetadata(reason):
            return "safetensors __metadata__ is invalid: \(reason)"
        case let .invalidName(name):
            return "invalid tensor name \"\(name)\" (must be non-empty and not \"__metadata__\")"
        case let .tensorTooLarge(name, bytes, limit):
            return "\(n(name)) needs \(bytes) bytes, more than the limit of \(limit) bytes (\(limit >> 30) GiB)"
        }
    }
}
