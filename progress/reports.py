"""The area and commune reports as rows for a workbook or a CSV file (the dashboards' figures, as numbers)."""

from django.utils.translation import gettext as _

from .selectors import NO_DATA, spreadsheet_value, target_spreadsheet_value


def report_titles(title: str, place, programme, as_of) -> list[str]:
    """The lines above a printed table: what, where, under which legal document, and as of which date."""
    titles = [f"{title} · {place}"]
    if programme is not None:
        titles.append(f"{programme} — {programme.legal_document}")
    titles.append(_("Số liệu đến ngày %(day)s") % {"day": f"{as_of:%d/%m/%Y}"})
    return titles


def _verdict(result) -> str:
    if not result.has_data:
        return str(NO_DATA)
    return _("Đạt") if result.met else _("Chưa đạt")


def _value(result):
    return spreadsheet_value(result.metric, result.value) if result.has_data else str(NO_DATA)


def area_table(overview, *, marks=None) -> tuple[list[str], list[list]]:
    """One row per commune; `marks` (communes.marks) add a column each, in words, after the commune's name."""
    headers = [_("Mã xã"), _("Xã/phường"), _("Huyện/cụm")]
    headers += [str(mark.label) for mark in (marks.columns if marks else [])]
    for criterion in overview.criteria:
        headers += [f"{criterion.order}. {criterion.title} ({criterion.target_display})", _("Đạt")]
    headers += [_("Số tiêu chí đạt"), _("Tổng số tiêu chí"), _("Kết quả")]
    rows = []
    for row in overview.rows:
        cells = [row.unit.code, row.unit.name, str(row.unit.district or "")]
        cells += marks.texts(row.unit.pk) if marks else []
        for result in row.results:
            cells += [_value(result), _verdict(result)]
        verdict = (_("Đạt") if row.met_all else _("Chưa đạt")) if row.has_data else str(NO_DATA)
        cells += [row.met_count, len(row.results), verdict]
        rows.append(cells)
    return headers, rows


def commune_table(dashboard) -> tuple[list[str], list[list]]:
    headers = [
        _("STT"),
        _("Tiêu chí"),
        _("So sánh"),
        _("Chỉ tiêu"),
        _("Giá trị"),
        _("Tử số"),
        _("Mẫu số"),
        _("Còn thiếu"),
        _("Kết quả"),
    ]
    rows = [
        [
            r.criterion.order,
            r.criterion.title,
            r.criterion.get_comparison_display(),
            target_spreadsheet_value(r.criterion),
            _value(r),
            r.figure.numerator,
            r.figure.denominator,
            r.gap_size,
            _verdict(r),
        ]
        for r in (dashboard.row.results if dashboard.row else [])
    ]
    if dashboard.hamlet_rows:
        rows.append([])
        # Short column names, as on the dashboard: the full criteria are the rows of the table above.
        labels = [str(c.metric.short_label or c.title) for c in dashboard.hamlet_criteria]
        rows.append([_("Theo thôn, khu phố"), *labels])
        for hamlet_row in dashboard.hamlet_rows:
            values = [_value(r) for r in hamlet_row.results]
            rows.append([hamlet_row.unit.full_name, *values])
    return headers, rows
