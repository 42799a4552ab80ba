import Dispatch

/// What a streamed `TopicModel.tag` run read.
public struct TagRunSummary: Sendable, Equatable {
    /// Papers tagged (after de-duplication).
    public var papers: Int
    public var duplicatesDropped: Int
    public var recordsSkipped: Int
}

extension TopicModel {
    /// Tags (and clusters) the papers of `inputs` and writes the results to `output` ("-" = standard output)
    /// block by block: read `blockSize` papers, vectorize, score, write, repeat. Memory stays bounded by the
    /// block size for JSON Lines inputs of any length, and output starts before the input ends (a regular
    /// output file appears atomically when the run completes). The bytes equal those of `results(for:)`
    /// plus `PaperResultWriter.write` on the whole input, for any block size and thread count.
    /// `.table` output needs every row to align its columns, so it is written at the end.
    public func tag(_ inputs: [String], readOptions: ReadOptions = .init(), threshold: Float? = nil,
                    explainTerms: Int = 0, format: ResultFormat = .jsonl, to output: String,
                    blockSize: Int = 16_384) throws -> TagRunSummary {
        var stream = PaperStream(inputs, options: readOptions, blockSize: blockSize)
        return try tag(&stream, threshold: threshold, explainTerms: explainTerms, format: format, to: output)
    }

    /// `load(from: model)` then `tag(inputs, ...)`, with the model loaded on one thread while the first block of
    /// papers is read and parsed on the others (loading is mostly sequential work). A model problem is reported
    /// before an input problem, as when loading first.
    public static func tag(model path: String, inputs: [String], readOptions: ReadOptions = .init(),
                           threshold: Float? = nil, explainTerms: Int = 0, format: ResultFormat = .jsonl,
                           to output: String, blockSize: Int = 16_384) throws -> TagRunSummary {
        final class Loading: @unchecked Sendable { var result: Result<TopicModel, Error>? }
        let loading = Loading()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { loading.result = Result { try TopicModel.load(from: path) } }
        var stream = PaperStream(inputs, options: readOptions, blockSize: blockSize)
        let first = Result { try stream.next() }
        group.wait()
        guard let loaded = loading.result else { preconditionFailure("model loading finished without a result") }
        let model = try loaded.get()
        return try model.tag(&stream, firstBlock: try first.get(), threshold: threshold, explainTerms: explainTerms,
                             format: format, to: output)
    }

    /// `tag(_:readOptions:...)` on an open stream (tests use it to force small line blocks); `firstBlock`, when
    /// given, is what `stream.next()` already returned.
    func tag(_ stream: inout PaperStream, firstBlock: [Paper]?? = nil, threshold: Float?, explainTerms: Int,
             format: ResultFormat, to output: String) throws -> TagRunSummary {
        let tagNames = tagger?.tags ?? []
        let sink = try OutputTarget(path: output)
        do {
            var tableRows: [PaperResult] = []
            var started = false
            var out: [UInt8] = []
            var preRead = firstBlock
            while true {
                let block: [Paper]?
                if let pre = preRead {
                    block = pre
                    preRead = nil
                } else {
                    block = try stream.next()
                }
                guard let papers = block else { break }
                let results = try self.results(for: papers, threshold: threshold, explainTerms: explainTerms)
                if format == .table {
                    tableRows += results
                    continue
                }
                out.removeAll(keepingCapacity: true)
                if !started { PaperResultWriter.appendHeader(format: format, tagNames: tagNames, first: results.first, to: &out) }
                started = true
                PaperResultWriter.appendRows(results, tagNames: tagNames, format: format, to: &out)
                try sink.write(out)
            }
            out.removeAll()
            if format == .table {
                out.append(contentsOf: PaperResultWriter.table(tableRows, tagNames: tagNames).utf8)
            } else if !started {
                PaperResultWriter.appendHeader(format: format, tagNames: tagNames, first: nil, to: &out)
            }
            if !out.isEmpty { try sink.write(out) }
            try sink.commit()
        } catch {
            sink.abort()
            throw error
        }
        return TagRunSummary(papers: stream.papersRead, duplicatesDropped: stream.duplicatesDropped,
                             recordsSkipped: stream.recordsSkipped)
    }
}
