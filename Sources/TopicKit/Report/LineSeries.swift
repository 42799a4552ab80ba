/// One line of a `LineChart`, with an optional highlighted point (e.g. the model's threshold on a PR curve).
public struct LineSeries: Sendable, Equatable {
    /// How consecutive points are joined.
    public enum Interpolation: Sendable, Equatable {
        /// Straight segments.
        case straight
        /// Horizontal then vertical ("steps-post", as scikit-learn draws PR curves).
        case step
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
