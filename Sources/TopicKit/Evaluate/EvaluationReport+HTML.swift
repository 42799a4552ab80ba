extension EvaluationReport {
    /// report.html: one self-contained page (inline CSS and SVG, no scripts, no network) with the tables of
    /// report.md and the charts: per-tag F1 bars (CV std as error bars), precision–recall curves with each
    /// threshold marked, tag co-occurrence, score histograms per tag, and for clusterings a 2-D map and sizes.
    public func html(errorCount: Int = 3) -> String {
        var doc = HTMLDocument(title: "TopicKit evaluation")
        doc.paragraph("\(papers) labeled papers from " + inputs.joined(separator: ", ") + " against \(labelsPath). Tags: "
                      + tags.joined(separator: ", ") + ".")
        for w in warnings { doc.paragraph("Warning: " + w) }
        if !models.isEmpty { taggerSections(&doc, errorCount: errorCount) }
        if tags.count >= 2 {
            doc.heading("Tag co-occurrence")
            doc.figure(svg: Heatmap(title: "Papers per pair of tags (labels)", rowLabels: tags, columnLabels: tags,
                                    values: cooccurrence.map { $0.map(Double.init) },
                                    valueFormat: { String(Int($0)) }).svg(),
                       caption: "The diagonal counts the papers of each tag; off-diagonal cells count papers carrying both tags.")
        }
        if clusters != nil { clusterSection(&doc) }
        return doc.render()
    }

    private func taggerSections(_ doc: inout HTMLDocument, errorCount: Int) {
        doc.heading("Tagging quality")
        for model in models {
            doc.heading(model.name, level: 3)
            for line in Self.headline(model).split(separator: "\n") { doc.paragraph(String(line)) }
            let table = Self.metricsTable(model)
            doc.table(header: table.header, rows: table.rows.filter { !$0.isEmpty }, numericColumns: table.numericColumns)
        }
        if let table = comparisonTable {
            doc.heading("F1 side by side", level: 3)
            doc.paragraph("Δ is the difference from \(models[0].name).")
            doc.table(header: table.header, rows: table.rows.filter { !$0.isEmpty }, numericColumns: table.numericColumns)
        }
        var categories: [String] = []
        for m in models { for t in m.metrics.tags.map(\.tag) where !categories.contains(t) { categories.append(t) } }
        let series = models.map { m -> BarSeries in
            let f1 = categories.map { c in m.metrics.tags.first { $0.tag == c }?.f1 ?? .nan }
            let errors = m.crossValidation.map { cv in categories.map { c in cv.tags.first { $0.tag == c }?.f1.std ?? 0 } }
            return BarSeries(name: m.name, values: f1, errors: errors)
        }
        let hasCV = models.contains { $0.crossValidation != nil }
        doc.figure(svg: BarChart(title: "F1 per tag", categories: categories, series: series, yLabel: "F1",
                                 yRange: 0...1).svg(),
                   caption: hasCV ? "Out-of-fold F1 per tag; error bars show ± one standard deviation over the folds."
                                  : "F1 per tag at each model's own thresholds.")

        doc.heading("Precision–recall curves", level: 3)
        doc.paragraph("Precision and recall of each tag over every score threshold (scikit-learn's precision_recall_curve, "
                      + "drawn as steps); the marked point is the " + (hasCV ? "mean threshold of the fold models." : "model's own threshold."))
        let curvesPerModel = models.map { $0.scored.curves }
        for tag in categories {
            var lines: [LineSeries] = []
            for (m, model) in models.enumerated() {
                guard let t = model.scored.tags.firstIndex(of: tag) else { continue }
                let curve = curvesPerModel[m][t]
                let threshold = model.scored.thresholds[t]
                let at = curve.point(at: threshold)
                let points = [ChartPoint(x: 0, y: 1)] + curve.points.map { ChartPoint(x: $0.recall, y: $0.precision) }
                lines.append(LineSeries(name: (models.count > 1 ? model.name + ", " : "") + "AP \(Self.number(curve.averagePrecision))",
                                        points: points, marker: ChartPoint(x: at.recall, y: at.precision),
                                        markerLabel: "threshold \(Self.number(Double(threshold), 2))", interpolation: .step))
            }
            doc.figure(svg: LineChart(title: "Precision–recall — \(tag)", xLabel: "recall", yLabel: "precision",
                                      series: lines, xRange: 0...1, yRange: 0...1, height: 360).svg(), caption: "")
        }

        doc.heading("Score distributions", level: 3)
        doc.paragraph("Share of each group per score bin: positives right of the threshold line are found, negatives "
                      + "right of it are false positives.")
        for model in models {
            for (t, tag) in model.scored.tags.enumerated() {
                let column = model.scored.column(t)
                let positives = column.scores.indices.filter { column.truth[$0] }.map { Double(column.scores[$0]) }
                let negatives = column.scores.indices.filter { !column.truth[$0] }.map { Double(column.scores[$0]) }
                let threshold = Double(model.scored.thresholds[t])
                doc.figure(svg: Histogram(title: "\(tag) — \(model.name)", xLabel: "score (probability of \(tag))",
                                          series: [HistogramSeries(name: "papers with \(tag)", values: positives),
                                                   HistogramSeries(name: "papers without", values: negatives)],
                                          bins: 20, range: 0...1, marker: threshold,
                                          markerLabel: "threshold", normalized: true, height: 280).svg(), caption: "")
            }
        }

        if errorCount > 0 {
            doc.heading("Worst errors", level: 3)
            for model in models {
                if models.count > 1 { doc.heading(model.name, level: 4) }
                var rows: [[String]] = []
                for m in model.mistakes {
                    for (kind, list) in [("false positive", m.falsePositives), ("false negative", m.falseNegatives)] {
                        for p in list.prefix(errorCount) {
                            rows.append([m.tag, kind, Self.number(Double(p.score)), p.title,
                                         p.terms.map { "\($0.term) \(Self.signed(Double($0.weight)))" }.joined(separator: ", ")])
                        }
                    }
                }
                if rows.isEmpty {
                    doc.paragraph("No errors: every decision matches the labels.")
                } else {
                    doc.table(header: ["tag", "error", "score", "title", "terms behind the score"], rows: rows, numericColumns: [2])
                }
            }
        }
    }

    private func clusterSection(_ doc: inout HTMLDocument) {
        guard let c = clusters, let headline = clusterHeadline, let table = clusterTable else { return }
        doc.heading("Clusters against tags")
        doc.paragraph(headline + ". A paper's class is its tag set (“-” for none).")
        let ids = c.clusters.map(\.id)
        let names = c.clusters.map { p in "\(p.id): " + p.keywords.prefix(3).joined(separator: ", ") }
        if c.map.count == c.assignments.count, !c.map.isEmpty {
            let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
            doc.figure(svg: ScatterPlot(title: "Papers in the first two LSA components", xLabel: "LSA component 1",
                                        yLabel: "LSA component 2",
                                        points: c.map.map { ChartPoint(x: Double($0.x), y: Double($0.y)) },
                                        groups: c.assignments.map { index[$0] ?? -1 }, groupNames: names).svg(),
                       caption: "Each dot is a paper (unit-length LSA rows), coloured by cluster.")
        }
        doc.figure(svg: BarChart(title: "Cluster sizes", categories: ids.map(String.init),
                                 series: [BarSeries(name: "papers", values: c.clusters.map { Double($0.size) })],
                                 yLabel: "papers").svg(),
                   caption: "Papers per cluster among the evaluated papers.")
        doc.table(header: table.header, rows: table.rows.filter { !$0.isEmpty }, numericColumns: table.numericColumns)
    }
}
