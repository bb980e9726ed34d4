"""Charts drawn as inline SVG on the server: no chart library, no CDN, and they print."""

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


BAR_HEIGHT, BAR_GAP, BAR_AREA = 18, 8, 280


def bar_chart(items: list[tuple[str, int, int]]) -> dict:
    """Horizontal bars, one per (label, value, total): communes meeting each criterion."""
    bars = [
        Bar(label, value, total, i * (BAR_HEIGHT + BAR_GAP), BAR_AREA * value / total if total else 0)
        for i, (label, value, total) in enumerate(items)
    ]
    return {"bars": bars, "height": len(bars) * (BAR_HEIGHT + BAR_GAP), "area": BAR_AREA, "bar_height": BAR_HEIGHT}


TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 480, 160, 28


def trend_chart(points: list[tuple[str, int, int]]) -> dict | None:
    """A line of (month label, value, total) as the share of communes meeting every criterion, month by month."""
    if not points:
        return None
    step = (TREND_WIDTH - 2 * TREND_PAD) / max(1, len(points) - 1)
    plotted = []
    for i, (label, value, total) in enumerate(points):
        share = value / total if total else 0
        x = TREND_PAD + i * step
        y = TREND_HEIGHT - TREND_PAD - share * (TREND_HEIGHT - 2 * TREND_PAD)
        plotted.append({"x": round(x, 1), "y": round(y, 1), "label": label, "value": value, "total": total})
    return {
        "points": plotted,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in plotted),
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "top": TREND_PAD,
        "bottom": TREND_HEIGHT - TREND_PAD,
        "right": TREND_WIDTH - TREND_PAD,
        "left": TREND_PAD,
    }
