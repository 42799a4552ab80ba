/// Writes a finished text (a summary, a report) to a file atomically, or to standard output for "-".
public enum TextOutput {
    public static func write(_ text: String, to path: String) throws {
        let sink = try OutputTarget(path: path)
        do {
            try sink.write(Array(text.utf8))
            try sink.commit()
        } catch {
            sink.abort()
            throw error
        }
    }
}
