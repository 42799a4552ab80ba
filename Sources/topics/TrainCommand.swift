import ArgumentParser
import Foundation
import TopicKit

/// `topics train`: learn a tagger from labeled papers and save it as a model bundle.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a multi-label tagger from labeled papers and save it as a model bundle.",
        discussion: """
            Labels come from --labels (a TSV of title<TAB>tags joined by normalised title) or from a field \
            of JSON Lines/CSV inputs (--label-field, default "tags"). Thresholds are chosen per tag by \
            cross-validation; the cross-validated metrics are printed at the end and stored in the bundle. \
            Set SOURCE_DATE_EPOCH for a byte-identical bundle on every run.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Labels: a TSV of title<TAB>tags (tags comma-separated, '-' for none).")
    var labels: String?

    @Option(name: .customLong("label-field"), help: "Take labels from this field of the inputs (tags, categories, …).")
    var labelField = "tags"

    @Option(name: .customLong("min-label-count"), help: "Drop tags carried by fewer papers than this.")
    var minLabelCount = 1

    @Flag(help: "Fail when a labeled title matches no paper or a paper has no label.")
    var strict = false

    @Option(name: .shortAndLong, help: "Directory to write the model bundle to (replaced atomically).")
    var out: String

    @OptionGroup(title: "TF-IDF") var vectorizer: VectorizerOptions

    @OptionGroup(title: "Logistic regression") var solver: SolverOptions

    @Option(help: "Seed for the folds (every random choice).")
    var seed: UInt64?

    func run() throws {
        try reportingErrors {
            InterruptHandling.install()
            let papers = try input.read()
            let table = try labels.map { try LabelTable.read(path: $0) }
            let corpus = LabeledCorpus(papers: papers, table: table, field: labelField, minLabelCount: max(1, minLabelCount))
            try report(corpus)
            var options = solver.apply(to: TaggerOptions())
            if let seed { options.seed = seed }
            let vectorizerOptions = try vectorizer.apply(to: TfidfOptions())
            let progress = ProgressBar(label: "training")
            let (tagger, trainingReport) = try Tagger.train(
                papers: corpus.papers, labels: corpus.labels, tags: corpus.tags,
                vectorizerOptions: vectorizerOptions, options: options, progress: progress.update)
            progress.finish()
            let provenance = Provenance(trainingDigest: corpus.digest, trainingPapers: corpus.papers.count,
                                        sources: input.inputs + (labels.map { [$0] } ?? []))
            try tagger.modelBundle(report: trainingReport, provenance: provenance).save(to: out)
            print(trainingReport.summary)
            note("model saved to \(out)")
        }
    }

    private func report(_ corpus: LabeledCorpus) throws {
        if !corpus.unmatchedTitles.isEmpty {
            let examples = corpus.unmatchedTitles.prefix(3).map { "  \"\($0)\"" }.joined(separator: "\n")
            let text = "\(corpus.unmatchedTitles.count) labeled titles match no input paper, e.g.\n\(examples)"
            if strict { throw ValidationError(text) }
            note("warning: " + text)
        }
        if !corpus.unlabeledPapers.isEmpty {
            let text = "\(corpus.unlabeledPapers.count) papers have no label entry and are left out of training"
            if strict { throw ValidationError(text) }
            note("warning: " + text)
        }
        for dropped in corpus.droppedTags {
            note("dropped tag \(dropped.tag): \(dropped.count) papers < --min-label-count \(minLabelCount)")
        }
        let counts = corpus.tagCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        note("training on \(corpus.papers.count) labeled papers" + (counts.isEmpty ? "" : ": \(counts)"))
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(2) != 0
    private let lock = NSLock()
    private var lastDrawn = -1

    init(label: String) { self.label = label }

    /// Redraws the bar at `fraction` (0…1) with the current `stage`.
    func update(_ stage: String, _ fraction: Double) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded())
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let filled = percent * 30 / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% \(stage)\u{1B}[K".utf8))
    }

    /// Clears the bar.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
