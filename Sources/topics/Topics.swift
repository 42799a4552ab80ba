import ArgumentParser
import TopicKit

@main
struct Topics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Turn dumps of research-paper listings into topics: parse, train, tag, cluster, evaluate.",
        version: TopicKit.version,
        subcommands: [Parse.self, Train.self, Tag.self, Inspect.self, Cluster.self, Eval.self]
    )
}
