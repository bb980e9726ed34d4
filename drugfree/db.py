"""Database expressions shared by the apps: Vietnam's date, one-field CHECK constraints, the search's lookups."""

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Lookup
from django.db.models.functions import Reverse
from django.db.models.lookups import Contains, EndsWith, StartsWith
from django.utils.translation import gettext_lazy as _

# Vietnam has kept UTC+7 without daylight saving since 1975, so SQLite (which has no time zone data) may add 7 hours.
VIETNAM_UTC_OFFSET_HOURS = 7


class VietnamDate(models.Func):
    """The date in Vietnam at an instant, computed by the database itself, whatever the session's time zone."""

    arity = 1
    output_field = models.DateField()
    template = "((%(expressions)s AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has no time zone data; its timestamps are UTC.
        return self.as_sql(
            compiler,
            connection,
            template=f"DATE(%(expressions)s, '+{VIETNAM_UTC_OFFSET_HOURS} hours')",
            **extra_context,
        )


class StatementTime(models.Func):
    """The current statement's clock. Not the transaction's start (now()): a row dated by Python a moment after
    midnight in Hanoi must not be refused by a transaction that began a moment before it. SQLite's CURRENT_TIMESTAMP
    is the only clock it allows in a CHECK constraint, and is per statement too."""

    output_field = models.DateTimeField()
    template = "statement_timestamp()"

    def as_sqlite(self, compiler, connection, **extra_context):
        return "CURRENT_TIMESTAMP", []


class VietnamToday(VietnamDate):
    """Today's date in Vietnam, as the database sees it: what "not in the future" is checked against."""

    def __init__(self):
        super().__init__(StatementTime())


class FieldCheck(models.CheckConstraint):
    """A CHECK constraint about one field: a form shows its Vietnamese message next to that field, not at the top.

    `after` names the field this date may not precede; the message then names both fields by their labels.
    """

    def __init__(self, *, field: str, after: str = "", **kwargs):
        super().__init__(**kwargs)
        self.field = field
        self.after = after

    def message_for(self, model) -> str:
        if self.after:
            return _("%(later)s không được trước %(earlier)s.") % {
                "later": model._meta.get_field(self.field).verbose_name.capitalize(),
                "earlier": model._meta.get_field(self.after).verbose_name,
            }
        return str(self.get_violation_error_message())

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: ValidationError(self.message_for(model), code=error.code)}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        if self.after:
            kwargs["after"] = self.after
        return path, args, kwargs

    def __eq__(self, other):
        return (
            super().__eq__(other)
            and isinstance(other, FieldCheck)
            and (self.field, self.after) == (other.field, other.after)
        )


def not_in_future(field: str, name: str) -> FieldCheck:
    return FieldCheck(
        field=field,
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__lte": VietnamToday()}),
        name=name,
        violation_error_message=_("Ngày này chưa tới: không được ghi một ngày sau hôm nay."),
        violation_error_code="date_in_future",
    )


def dates_in_order(earlier: str, later: str, name: str) -> FieldCheck:
    return FieldCheck(
        field=later,
        after=earlier,
        condition=models.Q(**{f"{later}__isnull": True}) | models.Q(**{f"{later}__gte": models.F(earlier)}),
        name=name,
        violation_error_code="dates_out_of_order",
    )


# --- search: each lookup asks SQLite what the search has always asked, and asks PostgreSQL the same question in the
# shape of an index of residents' migration 0017 (an expression index serves only a query that spells it alike). A
# name search across communes narrows its rows through residents' word tables first (residents.search_words).


class WordStarts(Lookup):
    """A word of a search key (lower case, one space between words) starts with the text, which has no space:
    "an" finds "nguyen van an" and "nguyen an khang", not "hoan". Two LIKEs, as the search has always asked: within
    one commune its index narrows the rows to a few tens of thousands; across communes, the word tables do."""

    lookup_name = "word_starts"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        first_sql, first_params = compiler.compile(StartsWith(self.lhs, self.rhs))
        later_sql, later_params = compiler.compile(Contains(self.lhs, f" {self.rhs}"))
        return f"({first_sql} OR {later_sql})", [*first_params, *later_params]


class HasSuffix(Lookup):
    """The text ends with these characters (a CCCD's or a household code's last digits)."""

    lookup_name = "has_suffix"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return compiler.compile(EndsWith(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        # A suffix is the prefix of the reversed text: a range scan of a B-tree of reverse(x).
        return compiler.compile(StartsWith(Reverse(self.lhs), self.rhs[::-1]))


class SortedByValue(models.Func):
    """Order by a text column's value without walking its B-tree in order, on PostgreSQL (the same order: the same
    text, the same collation). For a filter that an index narrows (the search's word starts), the planner otherwise
    walks the whole name index from "a" for LIMIT 25, betting on an early match; a surname that sorts late ("nguyen",
    "trinh") or a rare one made that walk read millions of rows. Sorting the matches themselves costs what they are."""

    template = "%(expressions)s"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s || '')", **extra_context)
