/// One series of a grouped bar chart: a value per category and optional ± error (e.g. cross-validation std).
public struct BarSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double]
    public var errors: [Double]?

    public init(name: String, values: [Double], errors: [Double]? = nil) {
        self.name = name
        self.values = values
        self.errors = errors
    }
}
