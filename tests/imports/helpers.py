"""Workbooks written on the fly for import tests."""

from pathlib import Path

from openpyxl import Workbook, load_workbook

HEADER = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Ngày sinh", "Giới tính", "Số CCCD", "Thôn/Khu phố", "Số nhân khẩu"]


def write_xlsx(path: Path, rows: list[list], *, header: list[str] | None = None, title: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sach"
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def household_row(number: int, *, members: int = 4, name: str | None = None, hamlet: str = "Khu phố Sỏi") -> list:
    """A valid row under HEADER: a man born in 1978 whose CCCD agrees with it."""
    return [number, f"H-{number:03d}", name or f"Lò Văn Hùng {number}", "12/03/1978", "Nam", f"038078{number:06d}",
            hamlet, members]  # fmt: skip


def edit_cells(source: Path, target: Path, edits: dict[str, object], *, sheet: str | None = None) -> Path:
    workbook = load_workbook(source)
    worksheet = workbook[sheet] if sheet else workbook.active
    for cell, value in edits.items():
        worksheet[cell] = value
    workbook.save(target)
    return target
