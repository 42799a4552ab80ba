import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Splits loops over contiguous ranges across the machine's cores.
///
/// Work is cut into a fixed number of chunks that depends only on the problem size, never on the
/// thread count, so callers that combine per-chunk results in chunk order get identical output for
/// any number of threads.
public enum Parallel {
    /// Threads to use: `TOPICKIT_THREADS` when set (≥ 1), else the number of active cores.
    public static var threadCount: Int {
        if let text = getenv("TOPICKIT_THREADS").map({ String(cString: $0) }), let n = Int(text), n >= 1 {
            return n
        }
        return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Deterministic chunk boundaries for `count` items: chunks of at least `minimumChunk` items,
    /// at most `maximumChunks` chunks. Independent of the thread count.
    public static func chunks(count: Int, minimumChunk: Int = 1024, maximumChunks: Int = 64) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let n = max(1, min(maximumChunks, (count + minimumChunk - 1) / max(1, minimumChunk)))
        return (0..<n).map { i in (i * count / n)..<((i + 1) * count / n) }
    }

    /// Runs `body(chunkIndex, range)` for every chunk, on up to `threadCount` threads.
    public static func forEachChunk(_ chunks: [Range<Int>], _ body: (Int, Range<Int>) -> Void) {
        let threads = min(threadCount, chunks.count)
        if threads <= 1 {
            for (i, r) in chunks.enumerated() { body(i, r) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let next = AtomicCounter()
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let i = next.increment()
                    if i >= chunks.count { break }
                    body(i, chunks[i])
                }
            }
        }
    }

    /// Maps every chunk to a value; results come back in chunk order.
    public static func mapChunks<T>(_ chunks: [Range<Int>], _ body: (Range<Int>) -> T) -> [T] {
        var results = [T?](repeating: nil, count: chunks.count)
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            forEachChunk(chunks) { i, r in (base + i).pointee = body(r) }
        }
        return results.map { $0! }
    }
}

/// A lock-protected counter handing out chunk indices to worker threads.
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    /// Returns the current value and adds one.
    func increment() -> Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let v = value
        value += 1
        return v
    }
}
