"""The area and commune tables' cells, written in Python: a province table has 166 × 11 of them, and a template loop
with a condition per cell costs more than the rest of the page (README "Speed")."""

from django import template
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from communes.templatetags.commune_marks import render_mark

register = template.Library()

MET, UNMET = "table-success", "table-danger"


@register.filter
def result_cells(results, extra_class: str = "") -> SafeString:
    """One `<td>` per criterion result: its value as written, green when met and red when not.

    `{{ row.results|result_cells }}` writes what `{% for r in row.results %}<td class="text-center small {% if r.met
    %}table-success{% else %}table-danger{% endif %}">{{ r.value_display }}</td>{% endfor %}` would."""
    classes = f"text-center {extra_class} " if extra_class else "text-center "
    return SafeString(
        "".join(f'<td class="{classes}{MET if r.met else UNMET}">{escape(r.value_display)}</td>' for r in results)
    )


@register.filter
def trend_cells(cells) -> SafeString:
    """One `<td>` per frozen month of a criterion (`CommuneDashboard.trend_rows`): green when it was met, red when
    not, uncoloured for a month without a snapshot; what a loop with two conditions per cell wrote."""

    def colour(snapshot):
        return "" if snapshot is None else MET if snapshot.met else UNMET

    return SafeString(
        "".join(f'<td class="text-center small {colour(snapshot)}">{escape(shown)}</td>' for snapshot, shown in cells)
    )


BADGES = "progress_class_badges"


@register.simple_tag(takes_context=True)
def class_badge(context, group) -> str:
    """`{% include "progress/_class_badge.html" with group=… %}`, rendered once per distinct class in a template's
    rendering (a province table has 166 rows and four classes at most)."""
    if BADGES not in context.render_context:
        context.render_context[BADGES] = {}
    badges = context.render_context[BADGES]
    key = group.pk if group is not None else None
    if key not in badges:
        badges[key] = get_template("progress/_class_badge.html").render({"group": group})
    return badges[key]


@register.simple_tag(takes_context=True)
def area_row(context, row, marks, classified) -> SafeString:
    """One commune's cells in the area table: name and district, its results, the criteria met (or one "no data"
    cell), its class when a classifying set applies (`classified`), its marks. Written in Python: 166 rows of a
    template with six conditions each cost most of a kept province dashboard."""
    # The cells from the figures are written once per kept overview (progress.stamps) and language; the marks
    # (another app's, not stamped) are written on every request.
    written = row.__dict__.setdefault("written_cells", {})
    key = (get_language(), row.url, bool(classified))
    if key not in written:
        written[key] = _figure_cells(context, row, classified)
    cells = [written[key]]
    for mark, value in marks.of(row.unit.pk) if marks else ():
        cells.append(f'<td class="text-center" data-mark="{escape(mark.key)}">{render_mark(context, mark, value)}</td>')
    return SafeString("".join(cells))


def _figure_cells(context, row, classified) -> str:
    unit = row.unit
    district = f' <small class="text-body-secondary">{escape(unit.district)}</small>' if unit.district else ""
    cells = [f'<td><a href="{escape(row.url)}">{escape(unit.name)}</a>{district}</td>']
    if row.has_data:
        cells.append(result_cells(row.results, "small"))
        met = " table-success fw-bold" if row.met_all else ""
        cells.append(f'<td class="text-center{met}">{row.met_count}/{len(row.results)}</td>')
    else:
        cells.append(
            f'<td colspan="{len(row.results) + 1}" class="text-center small text-body-secondary no-data">'
            f"{escape(gettext('chưa có số liệu'))}</td>"
        )
    if classified:
        badge = class_badge(context, row.classified_as) if row.has_data else NO_CLASS
        cells.append(f'<td class="text-center">{badge}</td>')
    return "".join(cells)


NO_CLASS = '<span class="small text-body-secondary">—</span>'


@register.tag
def kept_fragment(parser, token):
    """`{% kept_fragment dashboard.fragments part … %}…{% endkept_fragment %}`: the enclosed HTML, written from
    figures only, is kept with the kept dashboard it shows (progress.stamps) and rendered once per language and parts
    (the query string its links carry); rendered every time when the dashboard is not kept (`fragments` None)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("kept_fragment needs the dashboard's fragments")
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptFragment(nodelist, [parser.compile_filter(bit) for bit in bits])


class KeptFragment(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        fragments, *parts = (part.resolve(context) for part in self.parts)
        if fragments is None:
            return self.nodelist.render(context)
        # Where the tag stands names the fragment: one template may keep several.
        name = (self.origin.name, self.token.lineno, get_language(), *map(str, parts))
        html = fragments.get(name)
        if html is None:
            html = fragments[name] = self.nodelist.render(context)
        return html
