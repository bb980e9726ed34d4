"""The roadmap as grouped bars per year, inline SVG drawn on the server (no chart library, it prints)."""

WIDTH, HEIGHT, PAD, BAR = 560, 200, 28, 12
SERIES = (("target", "#adb5bd"), ("registered", "#0d6efd"), ("recognised", "#198754"), ("revoked", "#dc3545"))


def roadmap_chart(years) -> dict | None:
    if not years:
        return None
    top = max([1] + [getattr(y, name) or 0 for y in years for name, _colour in SERIES])
    step = (WIDTH - 2 * PAD) / len(years)
    scale = (HEIGHT - 2 * PAD) / top
    groups = []
    for i, year in enumerate(years):
        x0 = PAD + i * step + (step - BAR * len(SERIES)) / 2
        bars = []
        for j, (name, colour) in enumerate(SERIES):
            value = getattr(year, name) or 0
            height = round(value * scale, 1)
            bars.append(
                {
                    "name": name,
                    "value": value,
                    "x": round(x0 + j * BAR, 1),
                    "y": HEIGHT - PAD - height,
                    "height": height,
                    "colour": colour,
                }
            )
        groups.append({"year": year.year, "label_x": round(PAD + i * step + step / 2, 1), "bars": bars})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bottom": HEIGHT - PAD,
        "left": PAD,
        "right": WIDTH - PAD,
        "top_value": top,
        "top": PAD,
        "bar": BAR - 2,
        "groups": groups,
    }
