extension TopicModel {
    /// A human-readable summary of the bundle for `topics inspect`.
    public func description(topTerms: Int = 10) -> String {
        var lines: [String] = []
        let config = bundle.config
        lines.append("format \(config["format_version"]?.intValue ?? 0), made by TopicKit \(config["topickit_version"]?.stringValue ?? "?")")
        if let p = bundle.provenance {
            lines.append("trained \(p.createdAt) on \(p.trainingPapers) papers (\(p.trainingDigest))")
            if !p.sources.isEmpty { lines.append("sources: \(p.sources.joined(separator: " "))") }
        }
        lines.append("vocabulary: \(bundle.vocabulary.count) terms")
        if let tagger {
            let o = tagger.vectorizer.options
            lines.append("tf-idf: \(o.ngramRange.lowerBound)–\(o.ngramRange.upperBound)-grams, sublinear_tf \(o.sublinearTF), "
                         + "title weight \(o.titleWeight), min_df \(o.minDF), max_df \(o.maxDF)")
            lines.append("tagger: \(tagger.tags.count) tags, C = \(tagger.options.c), class weight \(tagger.options.classWeight.rawValue)")
            lines.append("")
            for (t, tag) in tagger.tags.enumerated() {
                lines.append("\(tag)  threshold \(PaperResultWriter.fixed(tagger.thresholds[t], digits: 3))")
                let top = topTermIndices(tag: t, tagger: tagger, count: topTerms)
                lines.append("  + " + top.map { tagger.vectorizer.vocabulary[$0] }.joined(separator: ", "))
            }
            if !tagger.implications.isEmpty {
                lines.append("implications: " + tagger.implications.map { "\($0.premise) ⇒ \($0.conclusion)" }.joined(separator: ", "))
            }
            if let report = Tagger.trainingReport(in: bundle), let cv = report.crossValidation {
                lines.append("")
                lines.append("cross-validated metrics (\(report.folds) folds):")
                lines.append(cv.table)
            }
        }
        if let clusters {
            let s = clusters.settings
            lines.append("")
            lines.append("clusters: k = \(s.k), \(s.dims) LSA dimensions, n_init \(s.nInit), seed \(s.seed), inertia \(s.inertia)")
            for topic in clusters.topics {
                lines.append("  \(topic.id) (\(topic.size) papers): " + topic.keywords.prefix(topTerms).joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Indices of the `count` terms with the largest weight for tag `t`.
    private func topTermIndices(tag t: Int, tagger: Tagger, count: Int) -> [Int] {
        let tagCount = tagger.tags.count
        let n = tagger.vectorizer.featureCount
        return (0..<n).sorted { a, b in
            let wa = tagger.weights[a * tagCount + t], wb = tagger.weights[b * tagCount + t]
            return wa != wb ? wa > wb : a < b
        }.prefix(count).map { $0 }
    }
}
