import ArgumentParser
import TopicKit

/// `topics tag`: tag papers (and place them in clusters) with a saved model.
struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tag papers with a trained model (and assign clusters when the model has them).",
        discussion: """
            Output is JSON Lines by default, one object per paper: \
            {"id": ..., "title": ..., "tags": [...], "scores": {"nas": 0.02, ...}}. \
            Papers are read, tagged and written in blocks, so inputs of any size stream in bounded memory.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Model bundle directory.")
    var model = "Models/default"

    @Option(help: "Output format: jsonl, tsv, csv or table.")
    var format: ResultFormat = .jsonl

    @Flag(help: "Add the terms that contributed most to each assigned tag.")
    var explain = false

    @Option(help: "One probability threshold for every tag, instead of the model's per-tag thresholds.")
    var threshold: Float?

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output = "-"

    func validate() throws {
        if let threshold, !(threshold > 0 && threshold < 1) {
            throw ValidationError("--threshold must be a probability between 0 and 1 (exclusive), got \(threshold)")
        }
    }

    func run() throws {
        try reportingErrors {
            InterruptHandling.install()
            let summary = try TopicModel.tag(model: model, inputs: input.inputs,
                                             readOptions: ReadOptions(format: input.inputFormat, skipBad: input.skipBad),
                                             threshold: threshold, explainTerms: explain ? 5 : 0, format: format, to: output)
            note("read \(summary.papers) papers (\(summary.duplicatesDropped) duplicates dropped, "
                 + "\(summary.recordsSkipped) records skipped)")
        }
    }
}
