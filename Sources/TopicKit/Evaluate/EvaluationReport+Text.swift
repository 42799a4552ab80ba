extension EvaluationReport {
    static func number(_ x: Double, _ digits: Int = 3) -> String { PaperResultWriter.fixed(Float(x), digits: digits) }
    static func spread(_ m: MeanStd) -> String { number(m.mean) + " ± " + number(m.std) }
    static func signed(_ x: Double) -> String { (x > 0 ? "+" : x < 0 ? "−" : "±") + number(abs(x)) }

    /// The classification_report-style table of one model: per tag, then micro, macro and samples averages.
    public static func metricsTable(_ model: ModelEvaluation) -> TextTable {
        let m = model.metrics
        let cv = model.crossValidation
        var header = ["", "precision", "recall", "f1", "support", "AP", "threshold"]
        if cv != nil { header += ["f1 over folds", "AP over folds"] }
        var table = TextTable(header: header, numericColumns: Set(1..<header.count))
        for (t, tag) in m.tags.enumerated() {
            var row = [tag.tag, number(tag.precision), number(tag.recall), number(tag.f1), String(tag.support),
                       tag.averagePrecision.map { number($0) } ?? "", tag.threshold.map { number(Double($0)) } ?? ""]
            if let cv { row += [spread(cv.tags[t].f1), spread(cv.tags[t].averagePrecision)] }
            table.rows.append(row)
        }
        table.addSeparator()
        let support = String(m.tags.reduce(0) { $0 + $1.support })
        for (name, s) in [("micro avg", m.micro), ("macro avg", m.macro), ("samples avg", m.samples)] {
            var row = [name, number(s.precision), number(s.recall), number(s.f1), support,
                       name == "macro avg" ? (m.macroAveragePrecision.map { number($0) } ?? "") : "", ""]
            if let cv {
                switch name {
                case "micro avg": row += [spread(cv.microF1), ""]
                case "macro avg": row += [spread(cv.macroF1), spread(cv.macroAveragePrecision)]
                default: row += [spread(cv.samplesF1), ""]
                }
            }
            table.rows.append(row)
        }
        return table
    }

    /// "subset accuracy … · Hamming loss …" for one model.
    public static func headline(_ model: ModelEvaluation) -> String {
        let m = model.metrics
        var text = "\(m.papers) papers · micro F1 \(number(m.micro.f1)) · macro F1 \(number(m.macro.f1))"
            + " · subset accuracy \(number(m.subsetAccuracy)) · Hamming loss \(number(m.hammingLoss))"
        if let ap = m.macroAveragePrecision { text += " · mean AP \(number(ap))" }
        if m.emptyPapers > 0 {
            text += "\nsamples avg counts the \(m.emptyPapers) papers with no true and no predicted tag as 0 (scikit-learn's zero_division=0)"
        }
        if let cv = model.crossValidation {
            text += "\nover \(cv.folds) folds (seed \(cv.seed)): micro F1 \(spread(cv.microF1)) · macro F1 \(spread(cv.macroF1))"
                + " · subset accuracy \(spread(cv.subsetAccuracy)) · Hamming loss \(spread(cv.hammingLoss))"
                + "\n(pooled out-of-fold scores; each fold model uses its own thresholds, the threshold column is their mean)"
        }
        return text
    }

    /// F1 of every model side by side with the difference from the first.
    public var comparisonTable: TextTable? {
        let rows = comparison
        guard !rows.isEmpty else { return nil }
        var header = ["tag"] + models.map(\.name)
        header += models.dropFirst().map { "Δ " + $0.name }
        var table = TextTable(header: header, numericColumns: Set(1..<header.count))
        for r in rows {
            table.rows.append([r.tag] + r.f1.map { $0.map { Self.number($0) } ?? "—" }
                              + r.delta.dropFirst().map { $0.map(Self.signed) ?? "—" })
        }
        table.addSeparator()
        for (name, key) in [("micro F1", \ClassificationEvaluation.micro.f1), ("macro F1", \ClassificationEvaluation.macro.f1)] {
            let values = models.map { $0.metrics[keyPath: key] }
            table.rows.append([name] + values.map { Self.number($0) } + values.dropFirst().map { Self.signed($0 - values[0]) })
        }
        return table
    }

    /// One misclassified paper as a line: score, title, terms.
    static func mistakeLine(_ p: MisclassifiedPaper, width: Int = 80) -> String {
        let title = p.title.count <= width ? p.title : String(p.title.prefix(width - 1)) + "…"
        let terms = p.terms.map { "\($0.term) \(signed(Double($0.weight)))" }.joined(separator: ", ")
        return number(Double(p.score)) + "  " + title + (terms.isEmpty ? "" : "\n         terms: " + terms)
    }

    /// The cluster table: id, size, majority tag set and its share, tag counts, keywords.
    public var clusterTable: TextTable? {
        guard let c = clusters else { return nil }
        let header = ["cluster", "size", "majority tags", "share"] + c.tags + ["keywords"]
        var table = TextTable(header: header, numericColumns: Set([0, 1, 3] + (0..<c.tags.count).map { $0 + 4 }))
        for p in c.clusters.sorted(by: { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }) {
            table.rows.append([String(p.id), String(p.size), p.majorityLabel, Self.number(p.majorityShare, 2)]
                              + p.tagCounts.map(String.init) + [p.keywords.prefix(6).joined(separator: ", ")])
        }
        return table
    }

    /// One line of clustering agreement.
    public var clusterHeadline: String? {
        guard let c = clusters else { return nil }
        var text = "\(c.clusters.count) clusters of \(c.papers) papers from \(c.source): NMI \(Self.number(c.nmi))"
            + " · ARI \(Self.number(c.ari)) · purity \(Self.number(c.purity))"
        if let s = c.silhouette, let n = c.silhouetteSample { text += " · silhouette \(Self.number(s)) (cosine, \(n) papers)" }
        return text
    }

    /// What the terminal shows: a table per model, the comparison, the worst errors, the clustering.
    public func text(errorCount: Int = 3) -> String {
        var out: [String] = []
        out.append("evaluated \(papers) labeled papers from \(inputs.count) input(s) against \(labelsPath); tags: "
                   + tags.joined(separator: ", "))
        for w in warnings { out.append("warning: " + w) }
        for model in models {
            out.append("")
            out.append("== \(model.name)")
            out.append(Self.metricsTable(model).plain)
            out.append(Self.headline(model))
        }
        if let table = comparisonTable {
            out.append("")
            out.append("== F1 side by side (Δ against \(models[0].name))")
            out.append(table.plain)
        }
        if errorCount > 0 {
            for model in models {
                out.append("")
                out.append("== worst errors" + (models.count > 1 ? " — \(model.name)" : ""))
                for m in model.mistakes {
                    out.append("\(m.tag) (threshold \(Self.number(Double(m.threshold)))):")
                    out.append("  false positives" + (m.falsePositives.isEmpty ? ": none" : " (highest scores):"))
                    for p in m.falsePositives.prefix(errorCount) { out.append("    " + Self.mistakeLine(p)) }
                    out.append("  false negatives" + (m.falseNegatives.isEmpty ? ": none" : " (lowest scores):"))
                    for p in m.falseNegatives.prefix(errorCount) { out.append("    " + Self.mistakeLine(p)) }
                }
            }
        }
        if let headline = clusterHeadline, let table = clusterTable {
            out.append("")
            out.append("== clusters against tags (a paper's class is its tag set)")
            out.append(headline)
            out.append(table.plain)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// report.md: the same content as Markdown with padded tables, readable as plain text.
    public func markdown(errorCount: Int = 3) -> String {
        var out: [String] = []
        out.append("# TopicKit evaluation")
        out.append("")
        out.append("- inputs: " + inputs.map { "`\($0)`" }.joined(separator: ", "))
        out.append("- labels: `\(labelsPath)` — \(papers) labeled papers evaluated")
        out.append("- tags: " + tags.map { "`\($0)`" }.joined(separator: ", "))
        for w in warnings { out.append("- **warning:** " + w) }
        for model in models {
            out.append("")
            out.append("## \(model.name)")
            out.append("")
            out.append(Self.headline(model).split(separator: "\n").joined(separator: "  \n"))
            out.append("")
            out.append(Self.metricsTable(model).markdown)
        }
        if let table = comparisonTable {
            out.append("")
            out.append("## F1 side by side")
            out.append("")
            out.append("Δ is the difference from `\(models[0].name)`.")
            out.append("")
            out.append(table.markdown)
        }
        if errorCount > 0 {
            for model in models {
                out.append("")
                out.append("## Worst errors" + (models.count > 1 ? " — \(model.name)" : ""))
                for m in model.mistakes {
                    out.append("")
                    out.append("### \(m.tag) (threshold \(Self.number(Double(m.threshold))))")
                    for (kind, list) in [("False positives (highest scores)", m.falsePositives),
                                         ("False negatives (lowest scores)", m.falseNegatives)] {
                        out.append("")
                        out.append(list.isEmpty ? "\(kind): none." : "\(kind):")
                        if !list.isEmpty { out.append("") }
                        for p in list.prefix(errorCount) {
                            let terms = p.terms.map { "`\($0.term)` \(Self.signed(Double($0.weight)))" }.joined(separator: ", ")
                            out.append("- **\(Self.number(Double(p.score)))** \(p.title)" + (terms.isEmpty ? "" : " — \(terms)"))
                        }
                    }
                }
            }
        }
        if let headline = clusterHeadline, let table = clusterTable {
            out.append("")
            out.append("## Clusters against tags")
            out.append("")
            out.append(headline + ". A paper's class is its tag set (`-` for none).")
            out.append("")
            out.append(table.markdown)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
