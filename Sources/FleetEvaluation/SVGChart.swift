import Foundation

/// A small SVG plotting helper for the HTML report: a frame with axes and ticks mapping data to pixels, and the
/// marks (lines, steps, bars, rectangles, text) drawn in it. No scripts, no external references.
struct SVGChart {
    let width: Double
    let height: Double
    var left = 64.0
    let right = 28.0
    let top = 28.0
    let bottom = 40.0
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    private(set) var body = ""

    /// Creates a chart with its title and axis ranges.
    init(title: String, width: Double = 560, height: Double = 260, x: ClosedRange<Double>, y: ClosedRange<Double>) {
        self.width = width
        self.height = height
        self.x = x.lowerBound == x.upperBound ? x.lowerBound...(x.lowerBound + 1) : x
        self.y = y.lowerBound == y.upperBound ? y.lowerBound...(y.lowerBound + 1) : y
        body += text(width / 2, 16, title, anchor: "middle", size: 13, weight: "bold")
    }

    /// Pixel x of a data value.
    func px(_ v: Double) -> Double {
        left + (v - x.lowerBound) / (x.upperBound - x.lowerBound) * (width - left - right)
    }
    /// Pixel y of a data value.
    func py(_ v: Double) -> Double {
        height - bottom - (v - y.lowerBound) / (y.upperBound - y.lowerBound) * (height - top - bottom)
    }

    /// Draws both axes with round ticks and their labels; `yTicks: false` leaves the y axis unlabelled (Gantt).
    mutating func axes(
        xLabel: String, yLabel: String, yTicks: Bool = true, xTick: (Double) -> String = { String(format: "%g", $0) }
    ) {
        let x0 = left
        let y0 = height - bottom
        body += "<line x1='\(x0)' y1='\(y0)' x2='\(width - right)' y2='\(y0)' stroke='#444'/>"
        body += "<line x1='\(x0)' y1='\(top)' x2='\(x0)' y2='\(y0)' stroke='#444'/>"
        for vx in Self.ticks(x) {
            body += "<line x1='\(r(px(vx)))' y1='\(y0)' x2='\(r(px(vx)))' y2='\(y0 + 4)' stroke='#444'/>"
            body += text(px(vx), y0 + 16, xTick(vx), anchor: "middle")
        }
        for vy in yTicks ? Self.ticks(y) : [] {
            body += "<line x1='\(x0 - 4)' y1='\(r(py(vy)))' x2='\(width - right)' y2='\(r(py(vy)))' stroke='#eee'/>"
            body += text(x0 - 6, py(vy) + 4, String(format: "%g", vy), anchor: "end")
        }
        body += text((x0 + width - right) / 2, height - 6, xLabel, anchor: "middle")
        body +=
            "<text x='14' y='\(r((top + y0) / 2))' font-size='11' text-anchor='middle' "
            + "transform='rotate(-90 14 \(r((top + y0) / 2)))'>\(Format.escape(yLabel))</text>"
    }

    /// Round tick values (steps of 1, 2, 2.5 or 5 × 10^k, four to eight of them) inside `range`.
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var values: [Double] = []
        var v = (range.lowerBound / step).rounded(.up) * step
        while v <= range.upperBound + step * 1e-9 {
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return values
    }

    /// A polyline through the points; `step` draws a right-continuous step function.
    mutating func line(_ points: [(Double, Double)], color: String, step: Bool = false, width w: Double = 1.5) {
        guard !points.isEmpty else { return }
        var path = "M\(r(px(points[0].0))),\(r(py(points[0].1)))"
        for (i, p) in points.enumerated().dropFirst() {
            if step { path += " L\(r(px(p.0))),\(r(py(points[i - 1].1)))" }
            path += " L\(r(px(p.0))),\(r(py(p.1)))"
        }
        body += "<path d='\(path)' fill='none' stroke='\(color)' stroke-width='\(w)'/>"
    }

    /// A vertical reference line at data x with a label.
    mutating func vertical(at v: Double, color: String, label: String) {
        guard x.contains(v) else { return }
        body +=
            "<line x1='\(r(px(v)))' y1='\(top)' x2='\(r(px(v)))' y2='\(height - bottom)' stroke='\(color)' "
            + "stroke-dasharray='5,3' stroke-width='1.5'/>"
        let nearRight = px(v) > width - right - 90
        body += text(px(v) + (nearRight ? -4 : 4), top + 12, label, anchor: nearRight ? "end" : "start", color: color)
    }

    /// A rectangle in data coordinates.
    mutating func rect(x0: Double, x1: Double, y0: Double, y1: Double, color: String, title: String? = nil) {
        let (a, b) = (px(x0), px(x1))
        let (c, d) = (py(y1), py(y0))
        body +=
            "<rect x='\(r(a))' y='\(r(c))' width='\(r(max(0.5, b - a)))' height='\(r(max(0.5, d - c)))' "
            + "fill='\(color)'>" + (title.map { "<title>\(Format.escape($0))</title>" } ?? "") + "</rect>"
    }

    /// A label at pixel coordinates.
    func text(
        _ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Int = 11, weight: String = "normal",
        color: String = "#222"
    ) -> String {
        "<text x='\(r(x))' y='\(r(y))' font-size='\(size)' font-weight='\(weight)' fill='\(color)' "
            + "text-anchor='\(anchor)'>\(Format.escape(s))</text>"
    }

    /// Adds raw SVG.
    mutating func raw(_ s: String) { body += s }

    /// The `<svg>` element.
    var svg: String {
        "<svg class='chart' width='\(Int(width))' height='\(Int(height))' "
            + "viewBox='0 0 \(Int(width)) \(Int(height))' font-family='sans-serif'>\(body)</svg>"
    }

    private func r(_ v: Double) -> String { String(format: "%.1f", v) }
}
