// `topickit-bench kmeans CORPUS [N]`: the k-means step of `topics cluster` against the GEMMs it is built on.
//
// Builds the LSA matrix as `topics cluster -k 50 --dims 128 --n-init 1 --min-df 5 --max-df 0.5 --title-weight 1`
// does (first N papers when given), runs the same k-means (k = 50, n_init 1, seed 0), then, in the same process,
// times straight `cblas_sgemm` calls of the shapes and count that k-means performed (`KMeansResult.gemmRows`: one
// rows × k product per block of the rows Hamerly's bounds did not spare; the seeding runs no GEMM), spread over the
// cores with single-threaded BLAS as k-means runs them, and for reference the GEMMs of plain Lloyd passes (every row,
// every pass, blocks of 256 rows). Also prints the NMI of the clusters
// against every paper's primary (first) category. TOPICKIT_BENCH_EMBEDDING=FILE caches the LSA matrix in FILE (read
// when it holds as many rows as papers; TF-IDF and SVD seconds are then 0) to time k-means alone. TOPICKIT_BENCH_SVD_ITERATIONS overrides the SVD's power
// iterations, and TOPICKIT_BENCH_QUALITY_SEEDS=S adds the mean inertia and NMI of k-means seeds 0..<S on the same
// LSA matrix (to weigh the SVD's cost against the clustering quality beyond one seed's luck).
import CBLAS
import Foundation
import TopicKit

/// Process CPU seconds (all threads): steadier than wall time on a shared machine.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func kmeansBench(_ path: String, limit: Int?) throws {
    var papers = try PaperReader.read([path]).papers
    if let limit, papers.count > limit { papers = Array(papers.prefix(limit)) }
    var options = TfidfOptions.clustering
    options.minDF = .count(5)
    options.maxDF = .proportion(0.5)
    options.titleWeight = 1
    var embedding = DenseMatrix(rows: 0, columns: 0)
    var svd = TruncatedSVD(components: 128, seed: 0)
    if let text = ProcessInfo.processInfo.environment["TOPICKIT_BENCH_SVD_ITERATIONS"], let iterations = Int(text) {
        svd.powerIterations = iterations
    }
    var tfidfSeconds = 0.0, svdSeconds = 0.0
    let cache = ProcessInfo.processInfo.environment["TOPICKIT_BENCH_EMBEDDING"]
    if let cache, let cached = readEmbedding(cache), cached.rows == papers.count {
        embedding = cached
    } else {
        var matrix = SparseMatrix(rows: 0, columns: 0, rowPointers: [0], columnIndices: [], values: [])
        tfidfSeconds = try seconds { matrix = try TfidfVectorizer.fitTransform(papers, options: options).1 }
        svdSeconds = try seconds {
            embedding = try svd.fitTransform(lending: &matrix).embedding
            embedding.normalizeRows()
        }
        if let cache { try writeEmbedding(embedding, to: cache) }
    }
    let k = 50
    let kmeans = KMeans(k: k, nInit: 1, seed: 0)
    var result: KMeansResult!
    let kmeansCPUStart = cpuSeconds()
    let kmeansSeconds = try seconds { result = try kmeans.fit(embedding) }
    let kmeansCPU = cpuSeconds() - kmeansCPUStart

    var categoryIDs: [String: Int] = [:], truth: [Int] = [], found: [Int] = []
    for (i, paper) in papers.enumerated() {
        guard let primary = paper.categories?.first else { continue }
        if categoryIDs[primary] == nil { categoryIDs[primary] = categoryIDs.count }
        truth.append(categoryIDs[primary]!)
        found.append(Int(result.assignments[i]))
    }
    let nmi = try ClusterAgreement.nmi(truth, found)
    var quality: [String: Any] = [:]
    if let text = ProcessInfo.processInfo.environment["TOPICKIT_BENCH_QUALITY_SEEDS"], let count = Int(text), count > 0 {
        var inertias: [Double] = [], nmis: [Double] = []
        for s in 0..<count {
            let r = try KMeans(k: k, nInit: 1, seed: UInt64(s)).fit(embedding)
            var labels: [Int] = []
            for (i, paper) in papers.enumerated() where paper.categories?.first != nil { labels.append(Int(r.assignments[i])) }
            inertias.append((r.inertia * 100).rounded() / 100)
            nmis.append((try ClusterAgreement.nmi(truth, labels) * 10000).rounded() / 10000)
        }
        quality = ["seeds_inertia": inertias, "seeds_nmi": nmis,
                   "seeds_mean_inertia": (inertias.reduce(0, +) / Double(count) * 100).rounded() / 100,
                   "seeds_mean_nmi": (nmis.reduce(0, +) / Double(count) * 10000).rounded() / 10000]
    }

    let n = embedding.rows, dim = embedding.columns
    let passes = result.inertiaHistory.count
    var centroids = [Float](repeating: 0, count: k * dim)
    for j in 0..<k { for t in 0..<dim { centroids[j * dim + t] = result.centroids[j, t] } }
    let block = 256
    let x = embedding.values
    /// One `m × k` distance GEMM per entry of `calls`, spread over the cores with single-threaded BLAS as k-means
    /// runs them; each thread has its own product buffer.
    func gemms(_ calls: [Int]) {
        let chunks = Parallel.chunks(count: calls.count, minimumChunk: 1, maximumChunks: Parallel.threadCount)
        x.withUnsafeBufferPointer { xb in
            centroids.withUnsafeBufferPointer { cb in
                BLAS.singleThreaded {
                    Parallel.forEachChunk(chunks) { _, range in
                        var products = [Float](repeating: 0, count: block * k)
                        products.withUnsafeMutableBufferPointer { pb in
                            for m in calls[range] {
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(k), Int32(dim), 1,
                                            xb.baseAddress!, Int32(dim), cb.baseAddress!, Int32(dim), 0, pb.baseAddress!, Int32(k))
                            }
                        }
                    }
                }
            }
        }
    }
    // Warm the threads and the BLAS buffers first, as the k-means run found them warm.
    gemms([Int](repeating: block, count: 64))
    let gemmCPUStart = cpuSeconds()
    let gemmSeconds = seconds { gemms(result.gemmRows) }
    let gemmCPU = cpuSeconds() - gemmCPUStart
    let gemmFlops = 2 * Double(result.gemmRows.reduce(0, +)) * Double(k) * Double(dim)
    // Plain Lloyd's GEMMs for reference: every row in every pass.
    let fullPass = [Int](repeating: block, count: n / block) + (n % block > 0 ? [n % block] : [])
    let fullPassSeconds = seconds { gemms(Array([[Int]](repeating: fullPass, count: passes).joined())) }
    func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
    emit(quality.merging(["papers": n, "dims": dim, "k": k, "tfidf_seconds": round3(tfidfSeconds), "svd_seconds": round3(svdSeconds),
          "kmeans_seconds": round3(kmeansSeconds), "kmeans_cpu_seconds": round3(kmeansCPU),
          "gemm_cpu_seconds": round3(gemmCPU), "iterations": result.iterations, "assignment_passes": passes,
          "inertia": (result.inertia * 100).rounded() / 100,
          "nmi": (nmi * 10000).rounded() / 10000, "svd_power_iterations": svd.powerIterations,
          "gemm_seconds": round3(gemmSeconds), "gemm_calls": result.gemmRows.count,
          "gemm_rows": result.gemmRows.reduce(0, +), "full_pass_gemm_seconds": round3(fullPassSeconds),
          "kmeans_to_gemm_ratio": (kmeansSeconds / gemmSeconds * 100).rounded() / 100,
          "kmeans_to_full_pass_gemm_ratio": (kmeansSeconds / fullPassSeconds * 100).rounded() / 100,
          "gemm_gflops": (gemmFlops / gemmSeconds / 1e9 * 10).rounded() / 10,
          "kmeans_gflops": (gemmFlops / kmeansSeconds / 1e9 * 10).rounded() / 10]) { a, _ in a })
}

/// The LSA matrix cached by `TOPICKIT_BENCH_EMBEDDING=FILE` (rows, columns as Int64, then row-major Float32),
/// or nil when the file is missing or malformed.
func readEmbedding(_ path: String) -> DenseMatrix? {
    guard let data = FileManager.default.contents(atPath: path), data.count >= 16 else { return nil }
    let header = data.prefix(16).withUnsafeBytes { ($0.loadUnaligned(as: Int64.self), $0.loadUnaligned(fromByteOffset: 8, as: Int64.self)) }
    let rows = Int(header.0), columns = Int(header.1)
    guard rows >= 0, columns >= 0, data.count == 16 + rows * columns * 4 else { return nil }
    var values = [Float](repeating: 0, count: rows * columns)
    values.withUnsafeMutableBytes { out in data.dropFirst(16).withUnsafeBytes { out.copyMemory(from: $0) } }
    return DenseMatrix(rows: rows, columns: columns, values: values)
}

func writeEmbedding(_ matrix: DenseMatrix, to path: String) throws {
    var data = Data()
    withUnsafeBytes(of: Int64(matrix.rows)) { data.append(contentsOf: $0) }
    withUnsafeBytes(of: Int64(matrix.columns)) { data.append(contentsOf: $0) }
    matrix.values.withUnsafeBytes { data.append(contentsOf: $0) }
    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
}
