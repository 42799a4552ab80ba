import ArgumentParser
import TopicKit

/// `topics inspect`: what a model bundle holds and how good it was in cross-validation.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model bundle: tags, sizes, thresholds, top terms per tag, clusters, CV metrics.")

    @Argument(help: "Model bundle directory.")
    var model = "Models/default"

    @Option(help: "Top terms to show per tag or cluster.")
    var terms = 10

    func run() throws {
        try reportingErrors {
            print(try TopicModel.load(from: model).description(topTerms: terms))
        }
    }
}
