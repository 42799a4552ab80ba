/// Why an input could not be read. Every case names the input (path, or `<stdin>`) and, where it
/// applies, the 1-based line where the offending record starts, so a user can open the file there.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(path: String)
    case notARegularFile(path: String)
    case unreadable(path: String, reason: String)
    case emptyInput(path: String)
    case binaryInput(path: String)
    case invalidUTF8(path: String, line: Int)
    /// A line (or CSV record) longer than `ReadLimits.maximumRecordBytes`.
    case recordTooLong(path: String, line: Int, limit: Int)
    /// A record that breaks the syntax of its format (truncated JSON, unterminated quote, …).
    case malformedRecord(path: String, line: Int, reason: String)
    /// A record without a required field (`title`, `abstract`).
    case missingField(path: String, line: Int, field: String)
    /// A paper title with no abstract after it (listing dumps).
    case titleWithoutAbstract(path: String, line: Int, title: String)
    /// A CSV/TSV header without a required column.
    case missingColumn(path: String, column: String, header: [String])
    /// An input that holds no paper at all.
    case noPapers(path: String)
    /// A labels file line that is not `title<TAB>tags`, or contradicts an earlier line.
    case badLabel(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "\(path): no such file"
        case let .notARegularFile(path):
            return "\(path): not a regular file (a directory?); give a file or '-' for standard input"
        case let .unreadable(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .emptyInput(path):
            return "\(path): empty input (no papers)"
        case let .binaryInput(path):
            return "\(path): binary data (NUL bytes), not a text listing, JSON Lines, CSV or TSV file"
        case let .invalidUTF8(path, line):
            return "\(path):\(line): invalid UTF-8; convert the file to UTF-8 (e.g. iconv -t UTF-8)"
        case let .recordTooLong(path, line, limit):
            return "\(path):\(line): record longer than the limit of \(limit) bytes (\(limit >> 20) MiB); refusing it"
        case let .malformedRecord(path, line, reason):
            return "\(path):\(line): malformed record: \(reason)"
        case let .missingField(path, line, field):
            return "\(path):\(line): record has no '\(field)'"
        case let .titleWithoutAbstract(path, line, title):
            let shown = title.count > 80 ? String(title.prefix(77)) + "..." : title
            return "\(path):\(line): title \"\(shown)\" has no abstract"
        case let .missingColumn(path, column, header):
            return "\(path):1: no '\(column)' column in header (columns: \(header.joined(separator: ", ")))"
        case let .noPapers(path):
            return "\(path): no papers found"
        case let .badLabel(path, line, reason):
            return "\(path):\(line): \(reason)"
        }
    }
}

/// Limits that keep memory bounded on hostile input.
public enum ReadLimits {
    /// Longest accepted line (JSON Lines, dumps) or record (CSV/TSV): 8 MiB. Longer ones are refused
    /// after at most this many bytes are buffered, never read whole.
    public static let maximumRecordBytes = Limits.maximumRecordBytes
}
