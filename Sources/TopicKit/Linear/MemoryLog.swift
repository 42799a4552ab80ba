#if canImport(Glibc)
import Glibc
#endif

/// Per-stage memory of a run, on standard error when `TOPICKIT_MEMORY_LOG=1`: after each stage, the resident
/// set (`VmRSS`) and the process's peak so far (`VmHWM`) from /proc/self/status, with the seconds since start.
///
/// Large-corpus runs use it to see which stage sets the peak; it costs nothing when the variable is unset.
public enum MemoryLog {
    /// Whether `TOPICKIT_MEMORY_LOG` is set to something other than `0` or empty.
    public static let enabled: Bool = {
        guard let value = getenv("TOPICKIT_MEMORY_LOG").map({ String(cString: $0) }) else { return false }
        return !value.isEmpty && value != "0"
    }()

    private static let start = monotonicSeconds()

    /// Writes `memory: STAGE rss N MB, peak N MB, T s` to standard error when enabled.
    public static func stage(_ name: @autoclosure () -> String) {
        guard enabled else { return }
        let status = residentMegabytes()
        let seconds = Int((monotonicSeconds() - start) * 100)
        var line = "memory: \(name()) rss \(Int(status.rss)) MB, peak \(Int(status.peak)) MB, "
        line += "\(seconds / 100).\(seconds % 100 < 10 ? "0" : "")\(seconds % 100) s\n"
        line.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, stderr) }
        fflush(stderr)
    }

    /// (VmRSS, VmHWM) in megabytes, zeros where /proc is not available.
    static func residentMegabytes() -> (rss: Double, peak: Double) {
        guard let file = fopen("/proc/self/status", "r") else { return (0, 0) }
        defer { fclose(file) }
        var rss = 0.0, peak = 0.0
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(cString: line)
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            guard fields.count >= 2, let kb = Double(fields[1]) else { continue }
            if fields[0] == "VmRSS:" { rss = kb / 1024 }
            if fields[0] == "VmHWM:" { peak = kb / 1024 }
        }
        return (rss, peak)
    }

    private static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
