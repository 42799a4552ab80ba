// `topickit-bench kmeans CORPUS [N]`: the k-means step of `topics cluster` against the GEMMs it is built on.
//
// Builds the LSA matrix as `topics cluster -k 50 --dims 128 --n-init 1 --min-df 5 --max-df 0.5 --title-weight 1`
// does (first N papers when given), runs the same k-means (k = 50, n_init 1, seed 0), then, in the same process,
// times straight `cblas_sgemm` calls of the shapes and count that k-means performed: the greedy k-means++ seeding
// (one rows × (2 + ⌊ln k⌋) product per step, one rows × 1 for the first seed) and one rows × k product per block of
// rows for every assignment pass (blocks of ⌊2²²/k⌋ rows, as `NearestCentroid` cuts them). Also prints the NMI of the
// clusters against every paper's primary (first) category. TOPICKIT_BENCH_SVD_ITERATIONS overrides the SVD's power
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
    var matrix = SparseMatrix(rows: 0, columns: 0, rowPointers: [0], columnIndices: [], values: [])
    let tfidfSeconds = try seconds { matrix = try TfidfVectorizer.fitTransform(papers, options: options).1 }
    var embedding = DenseMatrix(rows: 0, columns: 0)
    var svd = TruncatedSVD(components: 128, seed: 0)
    if let text = ProcessInfo.processInfo.environment["TOPICKIT_BENCH_SVD_ITERATIONS"], let iterations = Int(text) {
        svd.powerIterations = iterations
    }
    let svdSeconds = try seconds {
        embedding = try svd.fitTransform(lending: &matrix).embedding
        embedding.normalizeRows()
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
    let trials = 2 + Int(log(Double(k)))
    let block = max(1, min(n, (1 << 22) / k))
    let passes = result.inertiaHistory.count
    var seedingFlops = 0.0, lloydFlops = 0.0
    var centroids = [Float](repeating: 0, count: k * dim)
    for j in 0..<k { for t in 0..<dim { centroids[j * dim + t] = result.centroids[j, t] } }
    var products = [Float](repeating: 0, count: n * max(trials, k))
    let x = embedding.values
    func sgemm(_ m: Int, _ cols: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(cols), Int32(dim), 1, a, Int32(dim),
                    b, Int32(dim), 0, c, Int32(cols))
    }
    // Warm the BLAS threads and the product buffer first, as the k-means run found them warm.
    x.withUnsafeBufferPointer { xb in
        centroids.withUnsafeBufferPointer { cb in
            products.withUnsafeMutableBufferPointer { pb in
                sgemm(min(n, block), k, xb.baseAddress!, cb.baseAddress!, pb.baseAddress!)
            }
        }
    }
    let gemmCPUStart = cpuSeconds()
    let seedingSeconds = seconds {
        x.withUnsafeBufferPointer { xb in
            products.withUnsafeMutableBufferPointer { pb in
                let xBase = xb.baseAddress!
                sgemm(n, 1, xBase, xBase, pb.baseAddress!)
                seedingFlops += 2 * Double(n) * Double(dim)
                for step in 1..<k {
                    sgemm(n, trials, xBase, xBase + step * dim, pb.baseAddress!)
                    seedingFlops += 2 * Double(n) * Double(trials) * Double(dim)
                }
            }
        }
    }
    let lloydSeconds = seconds {
        x.withUnsafeBufferPointer { xb in
            centroids.withUnsafeBufferPointer { cb in
                products.withUnsafeMutableBufferPointer { pb in
                    for _ in 0..<passes {
                        var start = 0
                        while start < n {
                            let b = min(block, n - start)
                            sgemm(b, k, xb.baseAddress! + start * dim, cb.baseAddress!, pb.baseAddress!)
                            lloydFlops += 2 * Double(b) * Double(k) * Double(dim)
                            start += b
                        }
                    }
                }
            }
        }
    }
    let gemmSeconds = seedingSeconds + lloydSeconds
    let gemmCPU = cpuSeconds() - gemmCPUStart
    func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
    emit(quality.merging(["papers": n, "dims": dim, "k": k, "tfidf_seconds": round3(tfidfSeconds), "svd_seconds": round3(svdSeconds),
          "kmeans_seconds": round3(kmeansSeconds), "kmeans_cpu_seconds": round3(kmeansCPU),
          "gemm_cpu_seconds": round3(gemmCPU), "iterations": result.iterations, "assignment_passes": passes,
          "inertia": (result.inertia * 100).rounded() / 100,
          "nmi": (nmi * 10000).rounded() / 10000, "svd_power_iterations": svd.powerIterations,
          "gemm_seconds": round3(gemmSeconds), "gemm_seeding_seconds": round3(seedingSeconds),
          "gemm_lloyd_seconds": round3(lloydSeconds),
          "kmeans_to_gemm_ratio": (kmeansSeconds / gemmSeconds * 100).rounded() / 100,
          "gemm_gflops": ((seedingFlops + lloydFlops) / gemmSeconds / 1e9 * 10).rounded() / 10,
          "kmeans_gflops": ((seedingFlops + lloydFlops) / kmeansSeconds / 1e9 * 10).rounded() / 10]) { a, _ in a })
}
