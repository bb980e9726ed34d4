"""A query asked on every request, compiled by the ORM once per database connection and then run with its values.

Django's query compiler costs ~0.5–1 ms of Python per query on the officers' pages (issue 17, README "Page cost"),
about as much as PostgreSQL's own time for these small statements, and a signed-in request asks the same two on
every page: its session and its user. `Prepared` asks the ORM for the statement once, with a marker in place of each
value, and keeps what the ORM keeps after compiling (the selected columns, the related models, the annotations, the
converters): each later call runs that SQL with the values in the markers' places and builds the instances as the
ORM's own iterator builds them. The statement is the ORM's, so it is the same SQL; `tests/test_prepared.py` checks
that the instances are the same as the queryset's, field by field, on SQLite and PostgreSQL.

Only for querysets whose SQL depends on nothing but the values given (no `now()` computed in Python at build time,
no settings read): the statement is never rebuilt in the life of the connection.
"""

import threading
import weakref
from collections.abc import Callable

from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators


class Marker:
    """Stands for a value in the queryset handed to `Prepared`: one marker a value, used once in the query."""

    def __init__(self, field: Field, example):
        # The example is a value of the field's type that no caller asks for: it finds the value's place among the
        # compiled statement's parameters.
        self.field = field
        self.example = example

    def db_value(self, value, connection):
        """The value as the ORM hands it to the driver for an exact lookup on the field."""
        return self.field.get_db_prep_value(self.field.get_prep_value(value), connection, prepared=True)


class _Compiled:
    """What the ORM knows after compiling the queryset once on a connection, without the per-call work."""

    def __init__(self, queryset: QuerySet, markers: tuple[Marker, ...], connection):
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.places = []
        for marker in markers:
            example = marker.db_value(marker.example, connection)
            found = [n for n, param in enumerate(self.params) if param == example and type(param) is type(example)]
            if len(found) != 1:
                raise ValueError(f"{marker.field}: its marker is in the statement's parameters {len(found)} times")
            self.places.append(found[0])
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.model_slice = slice(fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.model_slice]]
        self.related_populators = get_related_populators(klass_info, select, connection.alias)
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])

    def run(self, markers: tuple[Marker, ...], values: tuple, connection) -> list[Model]:
        params = list(self.params)
        for place, marker, value in zip(self.places, markers, values, strict=True):
            params[place] = marker.db_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        instances = []
        for row in rows:
            instance = self.model.from_db(connection.alias, self.init_list, row[self.model_slice])
            for populator in self.related_populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


class Prepared:
    """`build(*examples)` returns the queryset (of model instances: no `values()`, no prefetching, no deferred
    loading beyond `only()`), with each marker's example where a value goes (`pk=pk`, `session_key=key`).
    `prepared.all(*values)` returns the instances the queryset would with the values in place."""

    def __init__(self, build: Callable[..., QuerySet], *markers: Marker):
        self.build = build
        self.markers = markers
        self._model = markers[0].field.model if markers else build().model
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def all(self, *values) -> list[Model]:
        connection = connections[router.db_for_read(self._model)]
        compiled = self._compiled.get(connection)
        if compiled is None:
            queryset = self.build(*(marker.example for marker in self.markers))
            compiled = _Compiled(queryset, self.markers, connection)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled.run(self.markers, values, connection)

    def first(self, *values) -> Model | None:
        return next(iter(self.all(*values)), None)

    def forget(self) -> None:
        """Compile again on the next call (the queryset `build` returns has changed)."""
        with self._lock:
            self._compiled = weakref.WeakKeyDictionary()
