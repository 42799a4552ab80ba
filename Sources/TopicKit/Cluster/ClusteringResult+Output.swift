extension ClusteringResult {
    /// Writes one JSON Lines record per paper, `{"id", "title", "cluster", "distance"}`, to `path` ("-" is
    /// standard output), atomically for files. Papers are formatted and written `blockSize` at a time, so the
    /// output never exists whole in memory; the bytes equal `PaperResultWriter.write` of the same results.
    public func writeAssignments(papers: [Paper], to path: String, blockSize: Int = 32_768) throws {
        guard papers.count == kmeans.assignments.count else {
            throw ClusterError.sizeMismatch("\(papers.count) papers for \(kmeans.assignments.count) cluster assignments")
        }
        let sink = try OutputTarget(path: path)
        do {
            var out: [UInt8] = []
            var start = 0
            while start < papers.count {
                let end = min(papers.count, start + max(1, blockSize))
                let results = (start..<end).map { i in
                    PaperResult(id: papers[i].id, title: papers[i].title, cluster: Int(kmeans.assignments[i]),
                                distance: kmeans.distances[i])
                }
                out.removeAll(keepingCapacity: true)
                PaperResultWriter.appendRows(results, tagNames: [], format: .jsonl, to: &out)
                try sink.write(out)
                start = end
            }
            try sink.commit()
        } catch {
            sink.abort()
            throw error
        }
    }
}
