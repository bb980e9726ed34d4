"""The area and commune reports as rows for a workbook or a CSV file (the dashboards' figures, as numbers)."""

from django.utils.translation import gettext as _

from .selectors import spreadsheet_value, target_spreadsheet_value


def _verdict(met: bool) -> str:
    return _("Đạt") if met else _("Chưa đạt")


def area_table(overview) -> tuple[list[str], list[list]]:
    headers = [_("Mã xã"), _("Xã/phường"), _("Huyện/cụm")]
    for criterion in overview.criteria:
        headers += [f"{criterion.order}. {criterion.title} ({criterion.target_display})", _("Đạt")]
    headers += [_("Số tiêu chí đạt"), _("Tổng số tiêu chí"), _("Kết quả")]
    rows = []
    for row in overview.rows:
        cells = [row.unit.code, row.unit.name, str(row.unit.district or "")]
        for result in row.results:
            cells += [spreadsheet_value(result.metric, result.value), _verdict(result.met)]
        cells += [row.met_count, len(row.results), _verdict(row.met_all)]
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
            spreadsheet_value(r.metric, r.value),
            r.figure.numerator,
            r.figure.denominator,
            r.gap_size,
            _verdict(r.met),
        ]
        for r in (dashboard.row.results if dashboard.row else [])
    ]
    if dashboard.hamlet_rows:
        rows.append([])
        rows.append([_("Theo thôn, khu phố"), *[f"{c.order}. {c.title}" for c in dashboard.hamlet_criteria]])
        for hamlet_row in dashboard.hamlet_rows:
            values = [spreadsheet_value(r.metric, r.value) for r in hamlet_row.results]
            rows.append([hamlet_row.unit.full_name, *values])
    return headers, rows
