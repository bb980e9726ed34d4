"""Charts drawn on the server: no chart library, no CDN, and they print.

Text stays at least 12 px on screen: the criteria bars are HTML (their labels are page text, whatever the width), and
the monthly trend is an SVG sized so that its labels are ≥ 12 px where it is shown (≥ 1200 px), with a table in its
place on smaller screens (templates/progress/_trend_chart.html)."""

from dataclasses import dataclass
from fractions import Fraction


@dataclass
class Bar:
    label: str
    value: int
    total: int
    y: int
    width: float

    @property
    def percent(self) -> Fraction:
        """Percentage points, written by the `percent` filter like every other percentage."""
        return Fraction(100 * self.value, self.total) if self.total else Fraction(0)

    @property
    def bar_width(self) -> str:
        """The bar's width in a style attribute: a CSS number, with a point."""
        return f"{float(self.percent):.1f}"


BAR_HEIGHT, BAR_GAP, BAR_AREA = 18, 8, 280


def bar_chart(items: list[tuple[str, int, int]]) -> dict:
    """Horizontal bars, one per (label, value, total): communes meeting each criterion."""
    bars = [
        Bar(label, value, total, i * (BAR_HEIGHT + BAR_GAP), BAR_AREA * value / total if total else 0)
        for i, (label, value, total) in enumerate(items)
    ]
    return {"bars": bars, "height": len(bars) * (BAR_HEIGHT + BAR_GAP), "area": BAR_AREA, "bar_height": BAR_HEIGHT}


TREND_WIDTH, TREND_HEIGHT, TREND_PAD, TREND_LEFT = 480, 200, 30, 56
# In user units: the SVG is drawn at ~3/4 of its width on a 1200 px screen, where 17 units are ~12.75 px.
TREND_FONT = 17
TREND_MAX_LABELS = 6


def trend_chart(points: list[tuple[str, int, int]]) -> dict | None:
    """A line of (month label, value, total) as the share of communes meeting every criterion, month by month."""
    if not points:
        return None
    step = (TREND_WIDTH - TREND_LEFT - TREND_PAD) / max(1, len(points) - 1)
    # Months labelled at most TREND_MAX_LABELS times, counted back from the latest so that it is always labelled.
    every = -(-len(points) // TREND_MAX_LABELS)
    plotted = []
    for i, (label, value, total) in enumerate(points):
        share = value / total if total else 0
        x = TREND_LEFT + i * step
        y = TREND_HEIGHT - TREND_PAD - share * (TREND_HEIGHT - 2 * TREND_PAD)
        point = {"x": round(x, 1), "y": round(y, 1), "label": label, "value": value, "total": total}
        point["labelled"] = (len(points) - 1 - i) % every == 0
        plotted.append(point)
    return {
        "points": plotted,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in plotted),
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "top": TREND_PAD,
        "bottom": TREND_HEIGHT - TREND_PAD,
        "right": TREND_WIDTH - TREND_PAD,
        "left": TREND_LEFT,
        "font": TREND_FONT,
    }
