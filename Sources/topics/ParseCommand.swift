import ArgumentParser
import TopicKit
#if canImport(Glibc)
import Glibc
#endif

extension InputFormat: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// `topics parse`: read dumps / JSON Lines / CSV / TSV and write the clean, de-duplicated papers.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read listing dumps, JSON Lines, CSV or TSV and write clean, de-duplicated papers.",
        discussion: """
            Formats are detected from content (then extension) unless --input-format is given; '-' reads \
            standard input. Lines/records longer than 8 MiB are refused. A summary goes to standard error.
            """
    )

    @Argument(help: "Input files ('-' for standard input).")
    var inputs: [String]

    @Option(name: .customLong("input-format"), help: "Force the input format: dump, jsonl, csv or tsv.")
    var inputFormat: InputFormat?

    @Option(help: "Output format: jsonl, tsv or csv.")
    var format: OutputFormat = .jsonl

    @Option(name: .shortAndLong, help: "Output file ('-' = standard output).")
    var output: String = "-"

    @Flag(name: .customLong("skip-bad"), help: "Skip bad records (and count them) instead of stopping at the first.")
    var skipBad = false

    func run() throws {
        try reportingErrors {
            InterruptHandling.install()
            let result = try PaperReader.read(inputs, options: ReadOptions(format: inputFormat, skipBad: skipBad))
            try PaperWriter.write(result.papers, format: format, to: output)
            note("\(result.papers.count) papers, \(result.duplicatesDropped) duplicates dropped, "
                 + "\(result.recordsSkipped) records skipped")
        }
    }
}
