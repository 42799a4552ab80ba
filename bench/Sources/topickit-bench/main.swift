// topickit-bench: measurements `bench/run.py` needs that no user command gives.
//   topickit-bench gemm                    single-precision GEMM GFLOP/s through the linked BLAS
//   topickit-bench vectorize CORPUS [N]    parse and TF-IDF times on the first N papers
//   topickit-bench tag MODEL INPUT         model load, read, in-memory vectorize + score, JSON Lines formatting
//   topickit-bench kmeans CORPUS [N]       the cluster command's k-means step against its GEMMs alone
// Each prints one JSON object.
import CBLAS
import Foundation
import TopicKit

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func gemm() {
    var shapes: [[String: Any]] = []
    for (m, n, k) in [(2048, 2048, 2048), (4096, 50, 128), (80000, 50, 128)] {
        var rng = SeededGenerator(seed: 1)
        let a = (0..<(m * k)).map { _ in rng.nextUnitFloat() }
        let b = (0..<(k * n)).map { _ in rng.nextUnitFloat() }
        var c = [Float](repeating: 0, count: m * n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(k), 0, &c, Int32(n))
        var runs = 0
        var elapsed = 0.0
        while elapsed < 0.5 {
            elapsed += seconds {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(k), 0, &c, Int32(n))
            }
            runs += 1
        }
        let gflops = 2.0 * Double(m) * Double(n) * Double(k) * Double(runs) / elapsed / 1e9
        shapes.append(["shape": "\(m)×\(n)×\(k)", "gflops": (gflops * 10).rounded() / 10])
    }
    emit(["shapes": shapes])
}

func vectorize(_ path: String, limit: Int?) throws {
    var papers: [Paper] = []
    let parse = try seconds { papers = try PaperReader.read([path]).papers }
    let parsed = papers.count
    if let limit, papers.count > limit { papers = Array(papers.prefix(limit)) }
    let options = TfidfOptions(ngramRange: 1...2, stopWords: .english, minDF: .count(5), maxDF: .proportion(0.5),
                               sublinearTF: true, titleWeight: 1)
    var features = 0, nonZeros = 0
    let tfidf = try seconds {
        let (v, x) = try TfidfVectorizer.fitTransform(papers, options: options)
        features = v.featureCount
        nonZeros = x.nonZeroCount
    }
    let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    emit(["papers": papers.count, "parsed_papers": parsed, "megabytes": Double(bytes) / 1e6, "parse_seconds": parse,
          "vectorize_seconds": tfidf, "features": features, "non_zeros": nonZeros])
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

let args = CommandLine.arguments
do {
    switch args.count > 1 ? args[1] : "" {
    case "gemm": gemm()
    case "vectorize" where args.count >= 3: try vectorize(args[2], limit: args.count > 3 ? Int(args[3]) : nil)
    case "tag" where args.count >= 4: try tag(model: args[2], input: args[3])
    case "kmeans" where args.count >= 3: try kmeansBench(args[2], limit: args.count > 3 ? Int(args[3]) : nil)
    default:
        FileHandle.standardError.write(Data(
            "usage: topickit-bench gemm | vectorize CORPUS [N] | tag MODEL INPUT | kmeans CORPUS [N]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
