import Foundation
import TopicKit

/// `topickit-bench tag MODEL INPUT`: the phases of `topics tag` timed one by one, so the in-memory part can be
/// set beside scikit-learn's figure (`vectorizer.transform(texts)` + `model.predict` on texts in memory).
/// Model loading and reading are timed once; vectorize + score + threshold (`TopicModel.results(for:)`) and the
/// JSON Lines formatting are the median of `repeats` runs.
func tag(model path: String, input: String, repeats: Int = 3) throws {
    var model: TopicModel?
    let load = try seconds { model = try TopicModel.load(from: path) }
    var papers: [Paper] = []
    let read = try seconds { papers = try PaperReader.read([input]).papers }
    guard let model, let tagger = model.tagger else {
        throw ClassifyError.invalidModel("\(path) holds no tagger")
    }
    var results: [PaperResult] = []
    var inMemory: [Double] = [], inMemoryCPU: [Double] = []
    for _ in 0..<max(1, repeats) {
        let cpu = processCPUSeconds()
        inMemory.append(try seconds { results = try model.results(for: papers) })
        inMemoryCPU.append(processCPUSeconds() - cpu)
    }
    var formatting: [Double] = []
    var bytes = 0
    for _ in 0..<max(1, repeats) {
        var out: [UInt8] = []
        formatting.append(seconds {
            PaperResultWriter.appendRows(results, tagNames: tagger.tags, format: .jsonl, to: &out)
        })
        bytes = out.count
    }
    let median = { (v: [Double]) -> Double in v.sorted()[v.count / 2] }
    let score = median(inMemory), format = median(formatting)
    emit(["papers": papers.count, "tags": tagger.tags.count, "features": tagger.vectorizer.featureCount,
          "load_seconds": load, "read_seconds": read,
          "vectorize_score_seconds": score, "vectorize_score_runs": inMemory,
          "vectorize_score_cpu_seconds": median(inMemoryCPU),
          "vectorize_score_papers_per_second": Double(papers.count) / score,
          "format_jsonl_seconds": format, "format_jsonl_bytes": bytes,
          "format_jsonl_papers_per_second": Double(papers.count) / format,
          "threads": Parallel.threadCount])
}

/// CPU seconds of this process so far (all threads): steadier than wall time on a shared machine.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
