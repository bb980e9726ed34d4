"""A whole table cleaned row by row, as the import's pipeline cleans each row it reads (imports.cleaning.clean_row)."""

from datetime import date

from imports.cleaning import CleanRow, clean_row
from imports.table import Table


def clean_table(table: Table, *, today: date) -> list[CleanRow]:
    """Every row of `table`, with columns named in errors by their headers in the file."""
    return [clean_row(row, labels=table.field_headers, today=today) for row in table.rows]
