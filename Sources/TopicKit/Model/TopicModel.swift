/// A model bundle loaded for use: a tagger, a clustering, or both, whatever the bundle holds.
public struct TopicModel: Sendable {
    public let bundle: ModelBundle
    public let tagger: Tagger?
    public let clusters: ClusterModel?

    /// Loads and validates the bundle in `path` and rebuilds every model it holds.
    public static func load(from path: String) throws -> TopicModel {
        let bundle = try ModelBundle.load(from: path)
        let tagger = bundle.kinds.contains("tagger") ? try Tagger(bundle: bundle) : nil
        let clusters = bundle.kinds.contains("clusters") ? try ClusterModel(bundle: bundle) : nil
        guard tagger != nil || clusters != nil else {
            throw ModelBundleError.invalidConfig(path: path + "/" + ModelBundle.configFile,
                                                 reason: "holds neither a tagger nor clusters (\"kinds\": \(bundle.kinds))")
        }
        return TopicModel(bundle: bundle, tagger: tagger, clusters: clusters)
    }

    /// Tags, scores, explanations (`explainTerms` per assigned tag, 0 for none) and clusters for `papers`;
    /// `threshold` replaces every per-tag threshold.
    public func results(for papers: [Paper], threshold: Float? = nil, explainTerms: Int = 0) throws -> [PaperResult] {
        var results: [PaperResult]
        if let tagger {
            results = tagger.results(papers, threshold: threshold)
            if explainTerms > 0 {
                for i in results.indices {
                    results[i].explanations = try (results[i].tags ?? []).map { tag in
                        (tag: tag, terms: try tagger.explain(papers[i], tag: tag, count: explainTerms))
                    }
                }
            }
        } else {
            results = papers.map { PaperResult(id: $0.id, title: $0.title) }
        }
        if let clusters {
            let (assigned, distances) = try clusters.assign(papers)
            for i in results.indices {
                results[i].cluster = Int(assigned[i])
                results[i].distance = distances[i]
            }
        }
        return results
    }
}
