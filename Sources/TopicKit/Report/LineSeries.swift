/// One line of a `LineChart`, with an optional highlighted point (e.g. the model's threshold on a PR curve).
public struct LineSeries: Sendable, Equatable {
    /// How consecutive points are joined.
    public enum Interpolation: Sendable, Equatable {
        /// Straight segments.
        case straight
        /// Steps where each interval between neighbouring points sits at the level of its right-hand (larger x)
        /// point, whatever the order of the points: the precision–recall convention of average precision
        /// (Σ (Rₙ − Rₙ₋₁)·Pₙ) and of scikit-learn's PR display.
        case step
        /// Steps that hold each point's y until the next point in the given order (matplotlib's "steps-post";
        /// a cumulative count over increasing x).
        case stepPost
    }

    public var name: String
    public var points: [ChartPoint]
    public var marker: ChartPoint?
    /// Text next to the marker; nil prints its coordinates.
    public var markerLabel: String?
    public var interpolation: Interpolation

    public init(name: String, points: [ChartPoint], marker: ChartPoint? = nil, markerLabel: String? = nil,
                interpolation: Interpolation = .straight) {
        self.name = name
        self.points = points
        self.marker = marker
        self.markerLabel = markerLabel
        self.interpolation = interpolation
    }
}
