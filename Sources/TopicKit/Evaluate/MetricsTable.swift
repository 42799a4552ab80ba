extension MultiLabelMetrics {
    /// A classification report in the layout scikit-learn users know: precision, recall, F1 and support
    /// per tag, then the micro and macro averages.
    public var table: String {
        let nameWidth = max(12, tags.map(\.tag.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        func num(_ x: Double) -> String { PaperResultWriter.fixed(Float(x), digits: 3) }
        var lines = [pad("", nameWidth) + pad("precision", 11) + pad("recall", 9) + pad("f1", 9) + pad("support", 9)]
        for t in tags {
            lines.append(pad(t.tag, nameWidth) + pad(num(t.precision), 11) + pad(num(t.recall), 9)
                         + pad(num(t.f1), 9) + pad(String(t.support), 9))
        }
        let support = tags.reduce(0) { $0 + $1.support }
        lines.append("")
        lines.append(pad("micro avg", nameWidth) + pad(num(microPrecision), 11) + pad(num(microRecall), 9)
                     + pad(num(microF1), 9) + pad(String(support), 9))
        lines.append(pad("macro avg", nameWidth) + pad(num(macroPrecision), 11) + pad(num(macroRecall), 9)
                     + pad(num(macroF1), 9) + pad(String(support), 9))
        return lines.joined(separator: "\n")
    }
}

extension TrainingReport {
    /// What `topics train` prints: the cross-validated report at the chosen thresholds, and the thresholds.
    public var summary: String {
        var text = "\(papers) papers, \(features) features, \(tags.count) tags\n"
        if let cv = crossValidation {
            text += "\ncross-validated (\(folds) folds, out-of-fold scores at the chosen thresholds):\n" + cv.table + "\n"
        } else {
            text += "no cross-validation (--cv-folds 0): thresholds fixed\n"
        }
        text += "\nthresholds: " + zip(tags, thresholds).map { "\($0) \(PaperResultWriter.fixed($1, digits: 3))" }
            .joined(separator: ", ")
        if implicationsApplied && !learnedImplications.isEmpty {
            text += "\nimplications: " + learnedImplications.map { "\($0.premise) ⇒ \($0.conclusion)" }.joined(separator: ", ")
        }
        let stopped = tags.indices.filter { $0 < converged.count && $0 < iterations.count && !converged[$0] }
        if !stopped.isEmpty {
            text += "\nwarning: \(stopped.count) of \(tags.count) tags stopped before reaching the tolerance (Newton iterations: "
                + stopped.map { "\(tags[$0]) \(iterations[$0])" }.joined(separator: ", ") + "); raise --max-iter, or loosen --tol"
        }
        return text
    }
}
