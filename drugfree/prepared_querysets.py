"""Querysets compiled once per process and run with each call's values.

Django builds a queryset and compiles its SQL on every request: about 0.5–1 ms of Python a query, as much as
PostgreSQL takes to answer these small queries (issue 17). A page that asks the same query with other values (a
person's id, the commune, today) can compile it once:

    members = PreparedQuery(lambda household, person: Person.objects.filter(household=household).exclude(pk=person))
    members(household=12, person=40)   # a list, as list(queryset) would give

The first call for a shape builds the queryset twice, with two sets of stand-in values of the call's types (int, str,
date), compiles both, and checks that the SQL is the same and that the parameters differ exactly where a stand-in
went, as it was given (or as the database was given it: SQLite is given dates as text). Each call then runs that SQL
with its own values in those places and reads the rows with the queryset's own iterable (models with their
select_related, values, values_list), so a call returns what the ORM would. A value that changes the SQL's text (None,
a list, a bool) is refused with TypeError; so is anything the check cannot vouch for. `shape` is for what changes the
SQL itself (the user's scope, say): each shape is compiled once, in a bounded cache.

The ORM also leaves out a comparison whose integer its field cannot hold (an id typed into a URL beyond 2³¹, say):
a call with an int outside ±2³¹ is run through the queryset itself. An int meant for a small-integer field (a year)
must be one it can hold.

The queryset may depend only on the values and the shape it is given: anything else it reads while being built
(today's date, a setting) is compiled in once. Only for fixed queries on pages where the profile shows the
compiler; everything else uses querysets as usual.

The session row and the signed-in user, read on every request (accounts/sessions.py, accounts/backends.py), are
prepared here too; a datetime value (a session's expiry compared with now) must be aware, and goes to the
database as the backend adapts it.
"""

import copy
import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django.http import Http404

_INT_RANGE = (-(2**31), 2**31 - 1)  # what every integer field but the small ones holds
_SHAPES = 512  # compiled shapes kept per prepared query (a scope per commune, say)


def _stand_ins(values: dict, round_: int) -> dict:
    """Values of the same types as the call's, that no query would hold as a constant, distinct per name and round."""
    stand_ins = {}
    for number, (name, value) in enumerate(sorted(values.items())):
        kind = type(value)
        if kind is int:
            # Positive and small: a year's small-integer field takes it (the ORM leaves out a comparison with a
            # value its field cannot hold, so a stand-in out of range would change the SQL).
            stand_ins[name] = 30_001 + 1_000 * round_ + number
        elif kind is str:
            stand_ins[name] = f"\x1fprepared:{round_}:{number}\x1f"
        elif kind is datetime.date:
            stand_ins[name] = datetime.date(1001 + round_, 1, 1) + datetime.timedelta(days=number)
        elif kind is datetime.datetime:
            stand_ins[name] = datetime.datetime(1001 + round_, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
                days=number
            )
        else:
            raise TypeError(
                f"prepared query: {name}={value!r}: only int, str, date and datetime values can be parameters"
            )
    return stand_ins


def _plain(name: str, value):
    """The value as a plain int, str or date (a choice's value, a string marked safe), as the ORM would pass it."""
    kind = type(value)
    if kind is int or kind is str or kind is datetime.date:
        return value
    if kind is datetime.datetime:
        if value.tzinfo is None:
            raise TypeError(f"prepared query: {name}={value!r}: a datetime must be aware")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        return str.__str__(value)
    raise TypeError(f"prepared query: {name}={value!r}: only int, str, date and datetime values can be parameters")


def _as_given(value, connection):
    """A datetime as the backend hands it to its driver (SQLite: naive text in the database's zone); else itself."""
    if type(value) is datetime.datetime:
        return connection.ops.adapt_datetimefield_value(value)
    return value


class _Compiled:
    """One shape's compiled query: the compiler as the ORM left it after `as_sql()`, its parameters, and where each
    value goes (with how the database was given it)."""

    def __init__(self, queryset: QuerySet, compiler, sql: str, params: tuple, slots: list, empty: bool):
        self.queryset, self.compiler, self.sql, self.params, self.slots, self.empty = (
            queryset,
            compiler,
            sql,
            params,
            slots,
            empty,
        )

    def run(self, values: dict) -> list:
        if self.empty:
            return []
        params = list(self.params)
        connection = connections[self.queryset.db]
        for position, name, as_text in self.slots:
            value = _as_given(values[name], connection)
            params[position] = str(value) if as_text else value
        template = self.queryset
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[template.db]
        sql, params = self.sql, tuple(params)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = copy.copy(template.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        run = QuerySet(model=template.model, query=query, using=template.db)
        run._iterable_class, run._fields = template._iterable_class, template._fields
        return list(run)


def one_or_404(found: list, model):
    """What get_object_or_404(queryset, …) answers, from the rows of its query run prepared (the queryset filtered,
    without ordering, sliced to 21 rows: `queryset.filter(…).order_by()[:21]`, as QuerySet.get() asks)."""
    if not found:
        raise Http404(f"No {model._meta.object_name} matches the given query.")
    if len(found) > 1:
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")
    return found[0]


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._shapes: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._model = None

    def __call__(self, shape: Hashable = None, **values) -> list:
        values = {name: _plain(name, value) for name, value in values.items()}
        if any(type(value) is int and not _INT_RANGE[0] <= value <= _INT_RANGE[1] for value in values.values()):
            queryset = self._build(**values) if shape is None else self._build(shape, **values)
            return list(queryset)
        alias = router.db_for_read(self._model) if self._model is not None else None
        key = (shape, alias, connections[alias].vendor if alias else None, tuple(sorted(values)))
        compiled = self._shapes.get(key)
        if compiled is None:
            compiled = self._compile(shape, values)
            key = (shape, compiled.queryset.db, connections[compiled.queryset.db].vendor, tuple(sorted(values)))
            with self._lock:
                self._shapes[key] = compiled
                while len(self._shapes) > _SHAPES:
                    self._shapes.popitem(last=False)
        return compiled.run(values)

    def forget(self) -> None:
        """Compile again on the next call (what the queryset is built from has changed: an annotation registered)."""
        with self._lock:
            self._shapes = OrderedDict()

    def _compile(self, shape, values: dict) -> _Compiled:
        if shape is None:
            builds = [self._build(**_stand_ins(values, round_)) for round_ in (0, 1)]
        else:
            builds = [self._build(shape, **_stand_ins(values, round_)) for round_ in (0, 1)]
        self._model = builds[0].model
        alias = router.db_for_read(self._model)
        compiled = []
        for queryset in builds:
            queryset = queryset.using(alias)
            if queryset._prefetch_related_lookups or queryset._known_related_objects:
                raise TypeError("prepared query: prefetch_related and related managers' querysets are not supported")
            compiler = queryset.query.get_compiler(using=alias)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                sql, params = None, ()
            compiled.append((queryset, compiler, sql, tuple(params)))
        (queryset, compiler, sql, params), (_, _, other_sql, other_params) = compiled
        if sql is None:
            if other_sql is not None:
                raise TypeError("prepared query: the values decide whether the query is empty")
            return _Compiled(queryset, compiler, "", (), [], empty=True)
        if sql != other_sql or len(params) != len(other_params):
            raise TypeError("prepared query: the values change the SQL")
        connection = connections[alias]
        first = {name: _as_given(value, connection) for name, value in _stand_ins(values, 0).items()}
        second = {name: _as_given(value, connection) for name, value in _stand_ins(values, 1).items()}
        slots, placed = [], set()
        for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one == two:
                continue
            for name in first:
                if one == first[name] and two == second[name]:
                    slots.append((position, name, False))
                    break
                if one == str(first[name]) and two == str(second[name]) and type(first[name]) is not str:
                    slots.append((position, name, True))
                    break
            else:
                raise TypeError(f"prepared query: parameter {position} ({one!r}) is not a value as given")
            placed.add(slots[-1][1])
        if placed != set(first):
            raise TypeError(f"prepared query: {sorted(set(first) - placed)} not found among the SQL's parameters")
        return _Compiled(queryset, compiler, sql, params, slots, empty=False)
