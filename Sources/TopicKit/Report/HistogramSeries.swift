/// One distribution of a `Histogram` (e.g. the scores of the papers that carry a tag).
public struct HistogramSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}
