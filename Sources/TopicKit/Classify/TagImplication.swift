/// A rule learned from the training labels: every paper tagged `premise` is also tagged `conclusion`
/// (the guidelines' "a kv-cache paper always also gets transformers", found in the data rather than hard-coded).
public struct TagImplication: Codable, Equatable, Sendable {
    public var premise: String
    public var conclusion: String

    public init(premise: String, conclusion: String) {
        self.premise = premise
        self.conclusion = conclusion
    }

    /// Every A ⇒ B (A ≠ B) that holds in all of `truth` where A has at least `minimumSupport` papers.
    public static func learn(tags: [String], truth: [[Bool]], minimumSupport: Int) -> [TagImplication] {
        var rules: [TagImplication] = []
        for a in tags.indices {
            let withA = truth.filter { $0[a] }
            guard withA.count >= max(1, minimumSupport) else { continue }
            for b in tags.indices where b != a && withA.allSatisfy({ $0[b] }) {
                rules.append(TagImplication(premise: tags[a], conclusion: tags[b]))
            }
        }
        return rules
    }

    /// Adds the conclusions of `rules` to predicted flags (in `tags` order), repeated until nothing changes.
    static func apply(_ rules: [(Int, Int)], to flags: inout [Bool]) {
        var changed = true
        while changed {
            changed = false
            for (a, b) in rules where flags[a] && !flags[b] {
                flags[b] = true
                changed = true
            }
        }
    }
}
