"""The preview as a download: the user's own workbook with an error column and the bad cells highlighted.

An .xlsx is opened and annotated in place (formatting, merged title, other sheets kept); .xls, .ods and .csv files,
which openpyxl cannot write, are copied cell by cell into a new .xlsx first (legacy-encoded text converted).
"""

import io
from collections import defaultdict
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from imports.models import ImportRun

from .legacy_encoding import cell_to_unicode
from .limits import ReadLimits
from .planning import plan_import
from .previews import read_run_table, run_bytes
from .reading import read_guarded, read_sheet_rows

BAD_CELL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
HEADER_FONT = Font(bold=True, color="9C0006")


def _all_errors(run: ImportRun, data: bytes) -> list[dict]:
    if run.error_count <= len(run.errors):
        return run.errors
    plan = plan_import(read_run_table(run, data), commune=run.commune, full_list=run.full_list)
    return [
        {"row": e.row_number, "field": e.field, "column": e.column_label, "message": e.message} for e in plan.errors
    ]


def _open_sheet(
    data: bytes, name: str, limits: ReadLimits, *, sheet_name: str, encoding: str, column_encodings: dict[int, str]
):
    if Path(name).suffix.lower() == ".xlsx":
        workbook = load_workbook(io.BytesIO(data))
        return workbook, workbook[sheet_name]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (sheet_name or "Danh sach")[:31]
    for row in read_sheet_rows(data, name, limits, sheet=sheet_name or None):
        # As the import read it: data columns after their own encoding, the title and header after the file's.
        sheet.append([
            cell_to_unicode(v, column_encodings.get(index, encoding)) if isinstance(v, str) else v
            for index, v in enumerate(row)
        ])  # fmt: skip
    return workbook, sheet


def annotated_workbook(run: ImportRun) -> tuple[io.BytesIO, str]:
    data = run_bytes(run)
    errors = _all_errors(run, data)
    column_of = {field: index + 1 for index, field in run.column_mapping().items() if field}
    # openpyxl holds every cell as an object: a large or hostile workbook is opened where it can only end itself.
    content = read_guarded(
        _annotate, data, run.file_name, sheet_name=run.sheet_name, header_row_number=run.header_row_number or 1,
        encoding=run.summary.get("encoding", "unicode"), errors=errors, column_of=column_of,
        column_encodings={int(i): e for i, e in run.summary.get("column_encodings", {}).items()},
    )  # fmt: skip
    return io.BytesIO(content), f"{Path(run.file_name).stem}_loi.xlsx"


def _annotate(
    data: bytes,
    name: str,
    limits: ReadLimits,
    *,
    sheet_name: str,
    header_row_number: int,
    encoding: str,
    column_encodings: dict[int, str],
    errors: list[dict],
    column_of: dict[str, int],
) -> bytes:
    workbook, sheet = _open_sheet(
        data, name, limits, sheet_name=sheet_name, encoding=encoding, column_encodings=column_encodings
    )
    error_column = sheet.max_column + 1
    header = sheet.cell(row=header_row_number, column=error_column, value=_("Lỗi cần sửa"))
    header.font = HEADER_FONT
    sheet.column_dimensions[get_column_letter(error_column)].width = 60
    by_row: dict[int, list[dict]] = defaultdict(list)
    for error in errors:
        by_row[error["row"]].append(error)
    for row_number, row_errors in by_row.items():
        messages = "; ".join(f"{e['column']}: {e['message']}" for e in row_errors)
        cell = sheet.cell(row=row_number, column=error_column, value=messages)
        cell.font = ERROR_FONT
        for error in row_errors:
            column = column_of.get(error["field"])
            if column:
                bad = sheet.cell(row=row_number, column=column)
                bad.fill = BAD_CELL
                bad.comment = Comment(error["message"], "drugfree")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
