import Foundation

/// Writes a set of report files into a directory: every file goes to a temporary name first and all are
/// renamed into place only when all were written, so a failure leaves the previous report untouched.
public enum ReportDirectory {
    /// Writes `files` (name → contents) into `directory`, creating it when missing.
    public static func write(_ files: [(name: String, contents: String)], to directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw OutputError.cannotCreate(path: directory, reason: "exists and is not a directory")
            }
        } else {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw OutputError.cannotCreate(path: directory, reason: "\(error.localizedDescription)")
            }
        }
        var writers: [AtomicFileWriter] = []
        do {
            for file in files {
                let writer = try AtomicFileWriter(path: directory + "/" + file.name)
                writers.append(writer)
                try writer.write(file.contents)
            }
            for writer in writers { try writer.commit() }
        } catch {
            for writer in writers { writer.abort() }
            throw error
        }
    }
}

extension EvaluationReport {
    /// The files of `--report DIR`: metrics.json, report.md and report.html.
    public func files(errorCount: Int = 3) throws -> [(name: String, contents: String)] {
        [("metrics.json", try json()), ("report.md", markdown(errorCount: errorCount)), ("report.html", html(errorCount: errorCount))]
    }
}
