extension ClusteringResult {
    /// The per-cluster table people read: size, keywords and central papers, largest cluster first,
    /// plus the k-selection curve when k was chosen automatically.
    public func summary(papers: [Paper]) -> String {
        var lines: [String] = []
        if let selection {
            lines.append("choosing k by silhouette (sampled) — inertia for the elbow view:")
            lines.append("    k  silhouette      inertia")
            for c in selection.candidates {
                let mark = c.k == selection.bestK ? "  ← picked" : ""
                lines.append(pad(String(c.k), 5) + pad(PaperResultWriter.fixed(c.silhouette, digits: 4), 12)
                             + pad(PaperResultWriter.fixed(Float(c.inertia), digits: 1), 13) + mark)
            }
            lines.append("")
        }
        lines.append("\(kmeans.k) clusters of \(papers.count) papers in \(lsa.dimensions) LSA dimensions, inertia "
                     + PaperResultWriter.fixed(Float(kmeans.inertia), digits: 2))
        for cluster in clusters.sorted(by: { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }) {
            lines.append("")
            lines.append("cluster \(cluster.id) — \(cluster.size) papers")
            lines.append("  keywords: " + cluster.keywords.map(\.term).joined(separator: ", "))
            for index in cluster.centralPapers {
                lines.append("  • " + papers[index].title)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
