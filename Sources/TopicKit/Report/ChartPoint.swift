/// A point in data coordinates, for line charts (PR curves) and scatter plots.
public struct ChartPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Whether both coordinates are finite (charts skip the others and say how many they skipped).
    public var isFinite: Bool { x.isFinite && y.isFinite }
}
