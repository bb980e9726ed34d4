"""A database integrity error in the user's words: the field (or record) it concerns and why, never a constraint name.

Forms validate every constraint before saving, so these errors only reach users through races and bulk writes
(a checklist, an import, the admin). The constraint's own Vietnamese message is reused, so both paths say the same.
"""

import logging
import re
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# SQLite names the failed rule in its message; PostgreSQL in the error's diagnostics.
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")
_SQLITE_COLUMNS = re.compile(r"(UNIQUE|NOT NULL) constraint failed: ([\w.]+(?:, [\w.]+)*)")
_POSTGRES_KEY = re.compile(r"Key \(([^)]+)\)=")


@dataclass(frozen=True)
class Violation:
    message: str
    field: str | None = None  # the model field concerned; None when the rule spans the record
    field_label: str = ""
    model: type[models.Model] | None = None  # the model whose rule it is, when known

    @property
    def text(self) -> str:
        """The message with its field's label, for places that cannot show it next to the field."""
        return f"{self.field_label}: {self.message}" if self.field_label else self.message


@cache
def _constraints_by_name() -> dict[str, tuple[type[models.Model], models.BaseConstraint]]:
    return {
        constraint.name: (model, constraint) for model in apps.get_models() for constraint in model._meta.constraints
    }


@cache
def _models_by_table() -> dict[str, type[models.Model]]:
    return {model._meta.db_table: model for model in apps.get_models()}


def _field(model, name: str | None) -> tuple[str | None, str]:
    if not name:
        return None, ""
    try:
        return name, str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a column that is not a field of this model: name the record, not the column
        return None, ""


def _for_constraint(model, constraint) -> Violation:
    if isinstance(constraint, models.UniqueConstraint):
        return _duplicate(model, list(constraint.fields))
    field = getattr(constraint, "field", None)
    message = (
        constraint.message_for(model)
        if hasattr(constraint, "message_for")
        else constraint.get_violation_error_message()
    )
    name, label = _field(model, field)
    return Violation(str(message), name, label, model)


def _duplicate(model, fields: list[str]) -> Violation:
    labels = ", ".join(str(model._meta.get_field(name).verbose_name) for name in fields if name != "id")
    name, label = _field(model, fields[-1] if fields else None)
    message = _("Đã có %(record)s trùng %(fields)s này.") % {"record": model._meta.verbose_name, "fields": labels}
    return Violation(message, name, label, model)


def _for_columns(kind: str, columns: str) -> Violation | None:
    table, _dot, column = columns.split(", ")[0].rpartition(".")
    model = _models_by_table().get(table)
    if model is None:
        return None
    names = [
        field.name
        for field in model._meta.concrete_fields
        if field.column in {c.rpartition(".")[2] for c in columns.split(", ")}
    ]
    if kind == "UNIQUE":
        return _duplicate(model, names)
    name, label = _field(model, names[0] if names else None)
    return Violation(_("Không được để trống."), name, label, model)


def _diagnostics(error: Exception):
    """PostgreSQL's details of the error: on psycopg2's own error (COPY through the raw cursor) or on the one
    Django wrapped."""
    return getattr(error, "diag", None) or getattr(error.__cause__, "diag", None)


def violated_constraint(error: Exception) -> tuple[type[models.Model], models.BaseConstraint] | None:
    """The model and the named constraint the error reports, when it names one of the project's constraints."""
    constraint = getattr(_diagnostics(error), "constraint_name", None)
    if constraint is None and (match := _SQLITE_CHECK.search(str(error))):
        constraint = match.group(1)
    return _constraints_by_name().get(constraint)


def describe_integrity_error(error: Exception) -> Violation:
    """What went wrong, for the user; the database's own words go to the log.

    `error` is Django's IntegrityError, or psycopg2's own when raised through the raw cursor (the imports' COPY).
    """
    logger.warning("integrity error: %s", error)
    diag = _diagnostics(error)
    if found := violated_constraint(error):
        return _for_constraint(*found)
    if diag is not None and getattr(diag, "table_name", None):
        columns = getattr(diag, "column_name", None)
        if columns:
            found = _for_columns("NOT NULL", f"{diag.table_name}.{columns}")
        elif match := _POSTGRES_KEY.search(getattr(diag, "message_detail", None) or ""):
            columns = ", ".join(f"{diag.table_name}.{column}" for column in match.group(1).split(", "))
            found = _for_columns("UNIQUE", columns)
        else:
            found = None
        if found:
            return found
    if match := _SQLITE_COLUMNS.search(str(error)):
        found = _for_columns(match.group(1), match.group(2))
        if found:
            return found
    pgcode = getattr(error, "pgcode", None) or getattr(error.__cause__, "pgcode", None)
    if "FOREIGN KEY" in str(error) or pgcode == "23503":
        return Violation(_("Bản ghi liên quan đã bị xóa hoặc không còn tồn tại. Hãy tải lại trang và thử lại."))
    return Violation(_("Không lưu được vì dữ liệu mâu thuẫn với dữ liệu đã có. Hãy tải lại trang và thử lại."))
