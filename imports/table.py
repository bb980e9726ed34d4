"""What reading a household list gives: the sheet's rows keyed by canonical field, and the error it may raise.

Values are as the file holds them (calamine gives str, float, int, date, datetime), text already converted from
legacy encodings.
"""

import os
from dataclasses import dataclass, field
from typing import IO, Any

from .legacy_encoding import Encoding


class SpreadsheetError(Exception):
    """The file cannot be read as a household list; `message` says why, in words a commune officer understands."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True, slots=True)
class SourceRow:
    row_number: int  # 1-based, as the spreadsheet shows it
    values: dict[str, Any]  # canonical field -> raw cell value


@dataclass
class Table:
    sheet_name: str
    header_row_number: int
    headers: list[str]
    columns: dict[int, str | None]
    rows: list[SourceRow]
    encoding: Encoding = "unicode"
    column_encodings: dict[int, Encoding] = field(default_factory=dict)  # columns typed in TCVN3 or VNI
    # First row read as data: two below the header row when it has a second row ("Năm sinh" over "Nam | Nữ").
    data_start_row_number: int = 0
    # How a .csv/.txt file's bytes were decoded (a `text_files` encoding); "" for a workbook.
    text_encoding: str = ""
    # The rows are CleanRow already (a stream cleaned in the reading child: `reading.read_stream`).
    rows_cleaned: bool = False
    field_headers: dict[str, str] = field(init=False)  # field -> its header text in the file

    def __post_init__(self):
        self.field_headers = {f: self.headers[i] for i, f in self.columns.items() if f and i < len(self.headers)}

    def __reduce__(self):
        # A table crosses a pipe from the reading child: rows as tuples under one list of fields pickle 3× faster
        # than frozen dataclasses holding dicts. Every row has the same fields in the same order (data_rows).
        fields = tuple(self.rows[0].values) if self.rows else ()
        rows = [(row.row_number, tuple(row.values.values())) for row in self.rows]
        layout = (self.sheet_name, self.header_row_number, self.headers, self.columns, self.encoding,
                  self.column_encodings)  # fmt: skip
        return _unpickle_table, (layout, self.data_start_row_number, fields, rows, self.text_encoding,
                                 self.rows_cleaned)  # fmt: skip


def _unpickle_table(
    layout: tuple,
    data_start_row_number: int,
    fields: tuple,
    rows: list[tuple],
    text_encoding: str = "",
    rows_cleaned: bool = False,
) -> Table:
    sheet_name, header_row_number, headers, columns, encoding, column_encodings = layout
    return Table(
        sheet_name=sheet_name, header_row_number=header_row_number, headers=headers, columns=columns,
        rows=[SourceRow(number, dict(zip(fields, values, strict=True))) for number, values in rows],
        encoding=encoding, column_encodings=column_encodings, data_start_row_number=data_start_row_number,
        text_encoding=text_encoding, rows_cleaned=rows_cleaned,
    )  # fmt: skip


Source = str | os.PathLike | bytes | IO[bytes]
