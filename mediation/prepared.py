"""Read queries compiled to SQL once per process, run with fresh parameters on every call.

Django compiles a QuerySet to SQL each time it is evaluated: for the short queries of an
uncached public page (a stop by its key, that stop's workshops) cloning and compiling the
QuerySet cost several times what the database takes to answer (measured on the stop page:
0.5 ms of compiling against 0.1 ms of database per query). The SQL of such a query depends on
the code only, never on the data, so it is compiled once per process and database; only the
parameters change, and every row is read from the database on every call.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

__all__ = ["PreparedQuery"]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: dict[str, list[int]]
    compiler: object
    converters: dict
    init_list: list[str] | None  # None: a values() query, rows only
    model_columns: slice | None


def _adapt(connection, value):
    # Dates are the only values that databases take in another form (SQLite: text).
    if isinstance(value, dt.datetime):
        raise TypeError("datetime parameters are not supported")
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, int):
        return value
    raise TypeError(f"unsupported parameter type: {type(value).__name__}")


class PreparedQuery:
    """`build(**markers)` returns the QuerySet; each marker is a value (an int or a date,
    distinct from every other parameter of the query) that stands for a parameter passed on
    each call under the same name."""

    def __init__(self, build: Callable[..., QuerySet], **markers: int | dt.date) -> None:
        self._build = build
        self._markers = markers
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _compile(self, connection) -> _Compiled:
        compiler = self._build(**self._markers).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = {}
        for name, marker in self._markers.items():
            adapted = _adapt(connection, marker)
            slots[name] = [i for i, param in enumerate(params) if param == adapted]
            if not slots[name]:
                raise ValueError(f"the marker of {name!r} is not a parameter of the query")
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
        )
        self._compiled[connection.alias, connection.vendor] = compiled
        return compiled

    def _run(self, using: str, values: dict) -> tuple[_Compiled, list]:
        connection = connections[using]
        compiled = self._compiled.get((connection.alias, connection.vendor))
        if compiled is None:
            compiled = self._compile(connection)
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            adapted = _adapt(connection, values[name])
            for position in positions:
                params[position] = adapted
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            # Applied with this thread's connection, not the one the query was compiled on.
            converters = list(compiled.converters.items())
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
        return compiled, rows

    def rows(self, *, using: str = "default", **values) -> list:
        """The rows as sequences of values, in the order of the query's columns (for a
        values_list() query, its fields)."""
        return self._run(using, values)[1]

    def objects(self, *, using: str = "default", **values) -> list[Model]:
        """The model instances, with their select_related objects, as the QuerySet gives them."""
        compiled, rows = self._run(using, values)
        compiler = compiled.compiler
        model = compiler.klass_info["model"]
        populators = get_related_populators(compiler.klass_info, compiler.select, using)
        objects = []
        for row in rows:
            obj = model.from_db(using, compiled.init_list, row[compiled.model_columns])
            for populator in populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects
