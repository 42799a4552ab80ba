import ArgumentParser
import TopicKit

/// A k range written `MIN...MAX` (or `MIN-MAX`).
struct KRange: ExpressibleByArgument {
    let range: ClosedRange<Int>
    init?(argument: String) {
        let parts = argument.replacingOccurrences(of: "...", with: "-").split(separator: "-").map { Int($0) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo <= hi else { return nil }
        range = lo...hi
    }
}

/// `topics cluster`: find the topics of a corpus with LSA and k-means.
struct Cluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the topics in a corpus: TF-IDF, LSA (randomized SVD), k-means, keywords per cluster.",
        discussion: """
            JSON Lines output gives each paper's cluster and squared distance to its centroid in the \
            normalised LSA space; --format table (or --summary FILE) describes each cluster by its keywords \
            and most central papers. --save DIR keeps the clustering as a model bundle, so \
            `topics tag --model DIR` places new papers in these clusters.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .short, help: "Number of clusters.")
    var k: Int?

    @Option(name: .customLong("auto-k"), help: "Choose k in MIN...MAX by silhouette (e.g. 4...40).")
    var autoK: KRange?

    @Option(help: "LSA dimensions.")
    var dims = 128

    @Option(name: .customLong("n-init"), help: "k-means restarts; the lowest inertia wins.")
    var nInit = 4

    @Option(help: "Seed for every random choice.")
    var seed: UInt64 = 0

    @Flag(name: .customLong("mini-batch"), help: "Mini-batch k-means (for corpora too large for full passes).")
    var miniBatch = false

    @Option(help: "Output format: jsonl or table.")
    var format: ResultFormat = .jsonl

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output = "-"

    @Option(help: "Also write the cluster summary (sizes, keywords, central papers) to this file.")
    var summary: String?

    @Option(help: "Save the clustering as a model bundle in this directory.")
    var save: String?

    @OptionGroup(title: "TF-IDF") var vectorizer: VectorizerOptions

    func validate() throws {
        guard (k == nil) != (autoK == nil) else { throw ValidationError("give either -k N or --auto-k MIN...MAX") }
        guard format == .jsonl || format == .table else { throw ValidationError("--format must be jsonl or table") }
        guard nInit >= 1 else { throw ValidationError("--n-init must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            InterruptHandling.install()
            var papers = try input.read()
            // The digest covers the abstracts, which the vectorizer releases: take it first.
            let digest = save == nil ? nil : LabeledCorpus.digest(papers: papers, labels: nil)
            let options = try vectorizer.apply(to: TfidfOptions.clustering)
            let (fitted, matrix) = try TfidfVectorizer.fitTransform(releasingTextOf: &papers, options: options)
            var tfidf = matrix
            var pipeline = k.map { TopicClustering(k: $0, dims: dims, nInit: nInit, seed: seed) }
                ?? TopicClustering(autoK: autoK!.range, dims: dims, nInit: nInit, seed: seed)
            if miniBatch { pipeline.algorithm = .miniBatch(batchSize: 1024) }
            pipeline.keepsBasis = save != nil
            let result = try pipeline.fit(lending: &tfidf, vocabulary: fitted.vocabulary)
            let text = result.summary(papers: papers)
            if format == .table {
                try TextOutput.write(text, to: output)
            } else {
                try result.writeAssignments(papers: papers, to: output)
            }
            if let summary { try TextOutput.write(text, to: summary) }
            if let save, let digest {
                let model = try ClusterModel(result: result, vectorizer: fitted, papers: papers, nInit: nInit, seed: seed)
                try model.modelBundle(provenance: Provenance(trainingDigest: digest, trainingPapers: papers.count,
                                                             sources: input.inputs)).save(to: save)
                note("clustering saved to \(save)")
            }
        }
    }
}
