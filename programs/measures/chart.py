"""A small line chart of one measure's scores as server-rendered SVG (no JavaScript).

The template draws what `score_chart` computes: the plotted points, the line through them,
the score axis from the instrument's range, and dashed lines at the first score plus and
minus the MCID (the band within which a change is not yet clinically important). The page
shows the same numbers in a table, which is the chart's text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 480
HEIGHT = 200
LEFT = 40
RIGHT = 16
TOP = 12
BOTTOM = 28


@dataclass
class ChartPoint:
    x: float
    y: float
    score: float
    day: object


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def score_chart(series) -> dict | None:
    """Coordinates for the template, or None when there is nothing to draw."""
    scored = series.scored
    if not scored:
        return None
    low, high = series.instrument.score_range
    span = (high - low) or 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    first_day, last_day = scored[0].day, scored[-1].day
    days = max((last_day - first_day).days, 1)

    def y_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return round(TOP + plot_h * (high - clamped) / span, 1)

    points = []
    for point in scored:
        offset = (point.day - first_day).days / days if len(scored) > 1 else 0.5
        points.append(
            ChartPoint(round(LEFT + plot_w * offset, 1), y_of(point.score), point.score, point.day)
        )
    ticks = [{"y": y_of(value), "label": _fmt(value)} for value in (low, low + span / 2, high)]
    reference = series.first.score if not series.instrument.score_is_change else 0
    bands = [
        {"y": y_of(reference + sign * series.mcid), "label": _fmt(reference + sign * series.mcid)}
        for sign in (-1, 1)
        if low <= reference + sign * series.mcid <= high
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 8,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "ticks": ticks,
        "bands": bands,
        "first_day": first_day,
        "last_day": last_day,
    }
