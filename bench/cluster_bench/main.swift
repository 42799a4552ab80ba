// Benchmark of TopicKit's LSA + k-means on the synthetic matrix of bench/cluster_synthetic.py.
// Build outside the repository (see bench/cluster_README.md):
//   swift run -c release lab DATA_DIR [k] [nInit]
import Foundation
import TopicKit


func now() -> Double { Date().timeIntervalSince1970 }
func read<T>(_ path: String, as: T.Type) -> [T] {
    let data = FileManager.default.contents(atPath: path)!
    return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
}

let dir = CommandLine.arguments[1]
let k = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2])! : 50
let nInit = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3])! : 1
let shape = try! String(contentsOfFile: dir + "/shape.txt", encoding: .utf8).split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
let x = SparseMatrix(rows: shape[0], columns: shape[1], rowPointers: read(dir + "/indptr.i64", as: Int.self),
                     columnIndices: read(dir + "/indices.i32", as: Int32.self), values: read(dir + "/data.f32", as: Float.self))
print("matrix \(x.rows) x \(x.columns), nnz \(x.nonZeroCount)")

func gemmRate(m: Int, n: Int, k: Int, transposeB: Bool, repeats: Int) -> Double {
    var rng = SeededGenerator(seed: 1)
    let a = (0..<(m * k)).map { _ in rng.nextUnitFloat() }, b = (0..<(n * k)).map { _ in rng.nextUnitFloat() }
    var c = [Float](repeating: 0, count: m * n)
    BLAS.gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: transposeB ? k : n, c: &c, ldc: n)
    let t0 = now()
    for _ in 0..<repeats {
        BLAS.gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: transposeB ? k : n, c: &c, ldc: n)
    }
    let seconds = (now() - t0) / Double(repeats)
    return 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
}
print(String(format: "sgemm 2048^3: %.1f GFLOP/s", gemmRate(m: 2048, n: 2048, k: 2048, transposeB: false, repeats: 5)))
let kmGemm = gemmRate(m: x.rows, n: k, k: 128, transposeB: true, repeats: 20)
print(String(format: "sgemm %d x %d x 128 (k-means distance step): %.1f GFLOP/s = %.2f ms/iteration", x.rows, k, kmGemm,
             2 * Double(x.rows) * Double(k) * 128 / kmGemm / 1e6))

var t0 = now()
let (model, raw) = try TruncatedSVD(components: 128, seed: 0).fitTransform(x)
let svdTime = now() - t0
let captured = model.singularValues.reduce(0.0) { $0 + Double($1) * Double($1) }
print(String(format: "TruncatedSVD(128): %.2f s, sum sigma^2 = %.4f, sigma1 = %.4f, sigma128 = %.4f", svdTime, captured,
             model.singularValues[0], model.singularValues[127]))
var embedding = raw
t0 = now()
embedding.normalizeRows()
let normTime = now() - t0
t0 = now()
let km = try KMeans(k: k, nInit: nInit, seed: 0).fit(embedding)
let kmTime = now() - t0
// The GEMMs k-means runs: one rows × k × 128 per assignment pass, and per k-means++ step one rows × trials × 128.
let trials = 2 + Int(log(Double(k)))
let seedGemm = gemmRate(m: x.rows, n: trials, k: 128, transposeB: true, repeats: 10)
let lloydGemm = Double(km.inertiaHistory.count) * 2 * Double(x.rows) * Double(k) * 128 / kmGemm / 1e9
let seedingGemm = Double(k) * 2 * Double(x.rows) * Double(trials) * 128 / seedGemm / 1e9
let gemmOnly = Double(nInit) * (lloydGemm + seedingGemm)
print(String(format: "KMeans(k=%d, nInit=%d): %.3f s, %d iterations (%d assignment passes), inertia %.4f; its GEMMs alone ≈ %.3f s (Lloyd %.3f + k-means++ %.3f at %.1f GFLOP/s) → ratio %.2f; normalise %.3f s",
             k, nInit, kmTime, km.iterations, km.inertiaHistory.count, km.inertia, gemmOnly, lloydGemm, seedingGemm, seedGemm,
             kmTime / gemmOnly, normTime))
t0 = now()
let mini = try KMeans(k: k, nInit: nInit, seed: 0, algorithm: .miniBatch(batchSize: 4096)).fit(embedding)
print(String(format: "MiniBatch(k=%d, batch 4096): %.3f s, %d steps, inertia %.4f", k, now() - t0, mini.iterations, mini.inertia))

embedding.values.withUnsafeBytes { try! Data($0).write(to: URL(fileURLWithPath: dir + "/embedding.f32")) }
km.assignments.withUnsafeBytes { try! Data($0).write(to: URL(fileURLWithPath: dir + "/labels.i32")) }
try! model.singularValues.map { String($0) }.joined(separator: "\n").write(toFile: dir + "/sigma.txt", atomically: true, encoding: .utf8)

let vocabulary = (0..<x.columns).map { "term\($0)" }
t0 = now()
let pipeline = try TopicClustering(k: k, dims: 128, nInit: nInit, seed: 0).fit(tfidf: x, vocabulary: vocabulary)
let total = now() - t0
print(String(format: "TopicClustering end to end (SVD + normalise + k-means + keywords + central papers): %.2f s, inertia %.4f",
             total, pipeline.kmeans.inertia))
print("cluster 0:", pipeline.clusters[0].size, pipeline.clusters[0].keywords.prefix(5).map(\.term))
t0 = now()
let sil = try Silhouette.score(embedding, assignments: km.assignments, sampleSize: 2000, seed: 0)
print(String(format: "silhouette (2000 sample): %.4f in %.3f s", sil, now() - t0))
