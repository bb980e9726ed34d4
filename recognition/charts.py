"""The roadmap as grouped bars per year, inline SVG drawn on the server (no chart library, it prints), with the
national goal as a dashed line and the communes recognised so far as a line."""

WIDTH, HEIGHT, PAD, BAR = 560, 200, 28, 12
SERIES = (("target", "#adb5bd"), ("registered", "#0d6efd"), ("recognised", "#198754"), ("revoked", "#dc3545"))
HELD_COLOUR, GOAL_COLOUR = "#146c43", "#fd7e14"


def roadmap_chart(years, goal=None) -> dict | None:
    """`goal` (selectors.RoadmapGoal) draws RECOGNITION_TARGET_PERCENT of the province's communes as a line."""
    if not years:
        return None
    values = [getattr(y, name) or 0 for y in years for name, _colour in SERIES]
    values += [y.held or 0 for y in years]
    if goal is not None:
        values.append(goal.goal)
    top = max([1, *values])
    step = (WIDTH - 2 * PAD) / len(years)
    scale = (HEIGHT - 2 * PAD) / top
    bottom = HEIGHT - PAD
    groups, held = [], []
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
                    "y": bottom - height,
                    "height": height,
                    "colour": colour,
                }
            )
        label_x = round(PAD + i * step + step / 2, 1)
        groups.append({"year": year.year, "label_x": label_x, "bars": bars})
        if year.held is not None:
            y = round(bottom - year.held * scale, 1)
            held.append({"x": label_x, "y": y, "value": year.held, "year": year.year})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bottom": bottom,
        "left": PAD,
        "right": WIDTH - PAD,
        "top_value": top,
        "top": PAD,
        "bar": BAR - 2,
        "groups": groups,
        "held": held,
        "held_points": " ".join(f"{point['x']},{point['y']}" for point in held),
        "held_colour": HELD_COLOUR,
        "goal": _goal_line(goal, bottom, scale),
    }


def _goal_line(goal, bottom: float, scale: float) -> dict | None:
    if goal is None or goal.goal == 0:
        return None
    return {"value": goal.goal, "y": round(bottom - goal.goal * scale, 1), "year": goal.year, "colour": GOAL_COLOUR}
