"""Read queries compiled to SQL once per process, run with fresh parameters on every call.

Django compiles a QuerySet to SQL each time it is evaluated: for the short queries of an
uncached public page (a stop by its key, that stop's workshops) cloning and compiling the
QuerySet cost several times what the database takes to answer (measured on the stop page:
0.5 ms of compiling against 0.1 ms of database per query). The SQL of such a query depends on
the code only, never on the data, so it is compiled once per process and database; only the
parameters change, and every row is read from the database on every call.
"""

import datetime as dt
import inspect
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

__all__ = [
    "MARKER_DATE",
    "MARKER_END_DATE",
    "MARKER_PK",
    "MARKER_TIME",
    "PreparedQuery",
    "converted",
]

# Django 6.1 gave QuerySets a fetch mode (what a deferred field or a relation not loaded
# fetches), which the instances and their related objects carry; 5.2 has none.
_HAS_FETCH_MODES = "fetch_mode" in inspect.signature(get_related_populators).parameters


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: list[tuple[int, str, int | None]]  # (position, parameter, index in a list or None)
    compiler: object
    converters: dict
    init_list: list[str] | None  # None: a values() query, rows only
    model_columns: slice | None
    annotations: dict[str, int]  # annotate()d attribute -> its column
    fetch_mode: object = None  # the QuerySet's (Django 6.1 and later)


def _adapt(connection, value):
    # Dates and times are the only values that databases take in another form (SQLite: text).
    if isinstance(value, dt.datetime):
        raise TypeError("datetime parameters are not supported")
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, dt.time):
        return connection.ops.adapt_timefield_value(value)
    if isinstance(value, int | str | Decimal):
        # A Decimal as the field's to_python() gives it (Django passes it on unchanged).
        return value
    raise TypeError(f"unsupported parameter type: {type(value).__name__}")


# Markers for the usual parameters: values no query of this site otherwise holds (a query
# with a start and an end date takes one of each).
MARKER_PK = -987_654_321
MARKER_DATE = dt.date(1901, 2, 3)
MARKER_END_DATE = dt.date(1901, 3, 4)
MARKER_TIME = dt.time(1, 2, 3, 456_789)


def _list_markers(length: int, list_number: int) -> list[int]:
    # Distinct from one list to another: each value must be found in one list only.
    return [-987_000_000 - 10_000 * list_number - i for i in range(length)]


def converted(row, converters: dict, connection) -> list:
    """The row's values as the ORM reads them (SQLite gives dates as text): `converters` maps
    a column's position to its functions and expression, as SQLCompiler.get_converters()."""
    row = list(row)
    for position, (functions, expression) in converters.items():
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row


class PreparedQuery:
    """`build(**markers)` returns the QuerySet; each marker is a value (an int, a str, a
    Decimal, a date or a time, distinct from every other parameter of the query) that stands for a
    parameter passed on each call under the same name. A list marker (`ids=[]`) stands for
    a list of ints in an `__in` lookup: the query is compiled once per length of the list."""

    def __init__(self, build: Callable[..., QuerySet], **markers) -> None:
        self._build = build
        self._markers = markers
        self._lists = {name for name, marker in markers.items() if isinstance(marker, list)}
        self._compiled: dict[tuple, _Compiled] = {}

    def _compile(self, connection, key: tuple, lengths: dict[str, int]) -> _Compiled:
        markers = {
            name: _list_markers(lengths[name], number) if name in self._lists else marker
            for number, (name, marker) in enumerate(self._markers.items())
        }
        queryset = self._build(**markers)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for name, marker in markers.items():
            parts = enumerate(marker) if name in self._lists else [(None, marker)]
            for index, value in parts:
                adapted = _adapt(connection, value)
                found = [i for i, param in enumerate(params) if param == adapted]
                if not found:
                    raise ValueError(f"the marker of {name!r} is not a parameter of the query")
                slots.extend((position, name, index) for position in found)
        select = compiler.select[: compiler.col_count]
        init_list, model_columns = None, None
        if compiler.klass_info:
            model_fields = compiler.klass_info["select_fields"]
            model_columns = slice(model_fields[0], model_fields[-1] + 1)
            init_list = [column[0].target.attname for column in select[model_columns]]
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select]),
            init_list=init_list,
            model_columns=model_columns,
            annotations=dict(compiler.annotation_col_map or {}),
            fetch_mode=queryset._fetch_mode if _HAS_FETCH_MODES else None,
        )
        self._compiled[key] = compiled
        return compiled

    def _run(self, using: str, values: dict) -> tuple[_Compiled, list]:
        connection = connections[using]
        lengths = {name: len(values[name]) for name in self._lists}
        if not all(lengths.values()):
            return None, []  # an empty `__in` list matches nothing
        key = (connection.alias, connection.vendor, *sorted(lengths.items()))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(connection, key, lengths)
        params = list(compiled.params)
        for position, name, index in compiled.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = _adapt(connection, value)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            # Applied with this thread's connection, not the one the query was compiled on.
            rows = [converted(row, compiled.converters, connection) for row in rows]
        return compiled, rows

    def rows(self, *, using: str = "default", **values) -> list:
        """The rows as sequences of values, in the order of the query's columns (for a
        values_list() query, its fields)."""
        return self._run(using, values)[1]

    def objects(self, *, using: str = "default", **values) -> list[Model]:
        """The model instances, with their select_related objects, as the QuerySet gives them."""
        compiled, rows = self._run(using, values)
        if not rows:
            return []
        compiler = compiled.compiler
        model = compiler.klass_info["model"]
        if compiled.fetch_mode is None:
            from_db = model.from_db
            populators = get_related_populators(compiler.klass_info, compiler.select, using)
        else:
            from_db = partial(model.from_db, fetch_mode=compiled.fetch_mode)
            populators = get_related_populators(
                compiler.klass_info, compiler.select, using, compiled.fetch_mode
            )
        peers = [] if getattr(compiled.fetch_mode, "track_peers", False) else None
        objects = []
        for row in rows:
            obj = from_db(using, compiled.init_list, row[compiled.model_columns])
            if peers is not None:
                # As Django's ModelIterable: FETCH_PEERS loads a field for all the list at once.
                peers.append(weakref.ref(obj))
                obj._state.peers = peers
            for populator in populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
