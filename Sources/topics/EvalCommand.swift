import ArgumentParser
import Foundation
import TopicKit

/// `topics eval`: how good is a tagger (or a clustering) on labeled papers, where does it fail, what changed.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate taggers and clusterings against labeled papers: metrics, cross-validation, reports.",
        discussion: """
            With --model DIR (repeatable) each saved model tags the labeled papers and the models are compared \
            side by side. With --cv K the training setup (train options below) is cross-validated: each fold \
            trains anew on the other folds and scores its held-out papers; metrics are pooled out-of-fold, with \
            mean ± std over folds. --clusters compares a clustering (a bundle from `topics cluster --save` or the \
            JSON Lines `topics cluster` writes) with the tags. --report DIR writes metrics.json, report.md and \
            report.html (self-contained: inline SVG, no scripts).
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Labels: a TSV of title<TAB>tags (tags comma-separated, '-' for none).")
    var labels: String?

    @Option(name: .customLong("label-field"), help: "Without --labels, take labels from this field of the inputs.")
    var labelField = "tags"

    @Option(name: .shortAndLong, help: "A trained model bundle to evaluate (repeat to compare models).")
    var model: [String] = []

    @Option(help: "Cross-validate the training setup with this many folds instead of evaluating saved models.")
    var cv: Int?

    @Option(help: "Clusters to compare with the tags: a clustering bundle or a JSON Lines file of {\"id\", \"cluster\"}.")
    var clusters: String?

    @Option(help: "Write metrics.json, report.md and report.html to this directory.")
    var report: String?

    @Option(help: "Output format on standard output: table or json.")
    var format: EvalFormat = .table

    @Option(help: "Worst false positives and false negatives to show per tag.")
    var errors = 3

    @Option(name: .customLong("min-label-count"), help: "Drop tags carried by fewer evaluated papers than this.")
    var minLabelCount = 1

    @Flag(help: "Fail when a labeled title matches no input paper or a paper has no label.")
    var strict = false

    @Option(help: "Seed of the cross-validation folds and of each fold's training (train's default, 42).")
    var seed: UInt64 = TaggerOptions().seed

    @OptionGroup(title: "Train options (with --cv)") var vectorizer: VectorizerOptions

    @OptionGroup(title: "Logistic regression (with --cv)") var solver: SolverOptions

    enum EvalFormat: String, ExpressibleByArgument { case table, json }

    func validate() throws {
        if !model.isEmpty && cv != nil { throw ValidationError("give either --model DIR (one or more) or --cv K, not both") }
        if model.isEmpty && cv == nil && clusters == nil {
            throw ValidationError("nothing to evaluate: give --model DIR, --cv K or --clusters FILE_OR_MODEL")
        }
        if let cv, cv < 2 { throw ValidationError("--cv needs at least 2 folds, got \(cv)") }
        if errors < 0 { throw ValidationError("--errors must be 0 or more") }
        if cv == nil && solver.isSet {
            throw ValidationError("--c, --class-weight, --cv-folds, --tol and --max-iter are train options: they only apply with --cv")
        }
    }

    func run() throws {
        try reportingErrors {
            InterruptHandling.install()
            let papers = try input.read()
            let table = try labels.map { try LabelTable.read(path: $0) }
            let corpus = LabeledCorpus(papers: papers, table: table, field: labelField,
                                       minLabelCount: max(1, minLabelCount))
            if strict && !corpus.unmatchedTitles.isEmpty {
                throw ValidationError("\(corpus.unmatchedTitles.count) labeled titles match no input paper, e.g. \"\(corpus.unmatchedTitles[0])\"")
            }
            if strict && !corpus.unlabeledPapers.isEmpty {
                throw ValidationError("\(corpus.unlabeledPapers.count) input papers have no label entry")
            }
            let dropped = Set(corpus.droppedTags.map(\.tag))
            for d in corpus.droppedTags { note("dropped tag \(d.tag): \(d.count) papers < --min-label-count \(minLabelCount)") }
            let labelTags = Array(Set((table?.tagNames ?? []) + corpus.labels.joined()).subtracting(dropped)).sorted()
            var evaluation = try EvaluationReport(corpus: corpus, labelTags: labelTags, inputs: input.inputs,
                                                  labelsPath: labels ?? "field \"\(labelField)\" of the inputs")
            for path in model {
                let loaded = try TopicModel.load(from: path)
                guard let tagger = loaded.tagger else {
                    throw ValidationError("\(path) holds a clustering, not a tagger: pass it with --clusters")
                }
                let alignment = TagAlignment(modelTags: tagger.tags, labelTags: labelTags)
                let scored = try ScoredPapers(tagger: tagger, papers: corpus.papers, labels: corpus.labels, alignment: alignment)
                evaluation.add(try ModelEvaluation(name: path, alignment: alignment, scored: scored, errorCount: errors))
                if loaded.bundle.provenance?.trainingDigest == corpus.digest {
                    evaluation.warnings.append("\(path) was trained on exactly these labeled papers: its numbers are "
                                               + "training-set numbers; use --cv K for an estimate on unseen papers")
                }
            }
            if let cv {
                var options = solver.apply(to: TaggerOptions())
                options.seed = seed
                let progress = ProgressBar(label: "cross-validating")
                let result = try TaggerCrossValidation(folds: cv, seed: seed).run(
                    papers: corpus.papers, labels: corpus.labels, tags: corpus.tags,
                    vectorizerOptions: try vectorizer.apply(to: TfidfOptions()), options: options, progress: progress.update)
                progress.finish()
                let alignment = TagAlignment(modelTags: corpus.tags, labelTags: labelTags)
                evaluation.add(try ModelEvaluation(name: "cross-validation (\(cv) folds)", alignment: alignment,
                                                   scored: result.outOfFold, crossValidation: result.summary, errorCount: errors))
            }
            if let clusters {
                evaluation.clusters = try clusterEvaluation(clusters, corpus: corpus, tags: labelTags)
            }
            if let report {
                try ReportDirectory.write(evaluation.files(errorCount: errors), to: report)
                note("report written to \(report)/ (report.html, report.md, metrics.json)")
            }
            switch format {
            case .table: try TextOutput.write(evaluation.text(errorCount: errors), to: "-")
            case .json: try TextOutput.write(evaluation.json(), to: "-")
            }
        }
    }

    private func clusterEvaluation(_ path: String, corpus: LabeledCorpus, tags: [String]) throws -> ClusterEvaluation {
        var isDirectory: ObjCBool = false
        let assignments: ClusterAssignments
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            guard let model = try TopicModel.load(from: path).clusters else {
                throw ValidationError("\(path) holds no clustering: save one with `topics cluster --save DIR`")
            }
            assignments = try ClusterAssignments(model: model, papers: corpus.papers)
        } else {
            assignments = try ClusterAssignments(jsonLines: path, papers: corpus.papers, seed: seed)
            if !assignments.unknownIDs.isEmpty {
                note("warning: \(assignments.unknownIDs.count) ids in \(path) match no labeled paper, e.g. \(assignments.unknownIDs[0])")
            }
        }
        let placed = assignments.placed
        if placed.count < corpus.papers.count {
            note("warning: \(corpus.papers.count - placed.count) labeled papers have no cluster in \(path)")
        }
        return try ClusterEvaluation(source: path, assignments: placed.map { assignments.clusters[$0]! },
                                     labels: placed.map { corpus.labels[$0] }, tags: tags, keywords: assignments.keywords,
                                     embedding: assignments.embedding.map { $0.selectingRows(placed) }, seed: seed)
    }
}
