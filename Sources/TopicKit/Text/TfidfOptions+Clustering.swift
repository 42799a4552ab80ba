extension TfidfOptions {
    /// Defaults for clustering: words and bigrams seen in at least two papers and at most half of them,
    /// titles counted once (topics should reflect the whole text, and rare terms only add noise to LSA).
    public static var clustering: TfidfOptions {
        TfidfOptions(ngramRange: 1...2, stopWords: .english, minDF: .count(2), maxDF: .proportion(0.5),
                     sublinearTF: true, titleWeight: 1)
    }
}
