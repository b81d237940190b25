"""Writing many rows with different values in one statement, without Django's bulk_update.

`QuerySet.bulk_update` builds one `CASE WHEN id = … THEN … END` per field and row: for 800
rows of 14 fields that is 11,200 expressions, which Django takes seconds to compile and which
the database evaluates row by row (a sync of 1,000 records spent 28 s there, measured). An
`UPDATE … FROM` joins the rows to their new values instead: one short statement, built in
milliseconds, a hash join for the database. On PostgreSQL the new values come as one
JSON document (`json_to_recordset`), on SQLite (3.33 and later) as a VALUES list; any other
database falls back to bulk_update.

`in_array` is the `in` lookup for long lists: on PostgreSQL `= ANY(%s)` with the list as one
array parameter (one string for integers and UUIDs) instead of a placeholder per value, the
same `IN (…)` elsewhere.
"""

import datetime as dt
import json
import sqlite3
import uuid
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Field, Model
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

__all__ = ["InArray", "insert_rows", "update_from_values"]

# UPDATE … FROM arrived in SQLite 3.33 (2020).
_SQLITE_HAS_UPDATE_FROM = sqlite3.sqlite_version_info >= (3, 33, 0)


def supports_update_from(vendor: str) -> bool:
    return vendor == "postgresql" or (vendor == "sqlite" and _SQLITE_HAS_UPDATE_FROM)


def update_from_values(objs: list[Model], field_names: list[str], *, using: str = "default"):
    """Write `field_names` of every object in `objs` (all of one model, all saved) by primary key.

    Writes the attribute values as they are, like bulk_update: no `save()`, no signals, no
    `auto_now` (set such fields yourself). Returns the number of rows updated.
    """
    if not objs:
        return 0
    model = type(objs[0])
    connection = connections[using]
    if not supports_update_from(connection.vendor):
        return model._base_manager.using(using).bulk_update(objs, field_names)
    opts = model._meta
    columns = [opts.pk, *(opts.get_field(name) for name in field_names)]
    if connection.vendor == "postgresql":
        return _update_from_json(connection, objs, columns)
    return _update_from_values(connection, objs, columns)


def _json_value(value):
    """What json.dumps cannot write itself, as the text PostgreSQL reads back for the column."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()  # full precision (DjangoJSONEncoder cuts microseconds)
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if hasattr(value, "obj"):  # a JSONField's value, wrapped by psycopg (Jsonb): nested as is
        return value.obj
    raise TypeError(f"{type(value).__name__} cannot go through json_to_recordset")


# Values that get_db_prep_save gives back unchanged on PostgreSQL, and json.dumps (or
# _json_value) writes as the column reads them: skipping the field's preparation for them
# saves a dozen calls per value (14,000 values for 1,000 records).
_AS_THEY_ARE = frozenset({str, int, bool, uuid.UUID, dt.datetime, type(None)})


def _prepared(column, value, connection):
    if type(value) in _AS_THEY_ARE and not (type(value) is dt.datetime and value.tzinfo is None):
        return value
    return column.get_db_prep_save(value, connection)


def _update_from_json(connection, objs: list[Model], columns: list) -> int:
    """PostgreSQL: the rows as one JSON document, read by `json_to_recordset` with each
    column's type. One parameter whatever the number of rows, and json.dumps writes it in C:
    psycopg's array dumper quoted every element in Python (a timestamp has a space, a note
    may have quotes), which cost more than the UPDATE itself."""
    quote = connection.ops.quote_name
    table = quote(columns[0].model._meta.db_table)
    names = [f"c{position}" for position in range(len(columns))]
    assignments = ", ".join(
        f"{quote(column.column)} = v.{name}"
        for column, name in zip(columns[1:], names[1:], strict=True)
    )
    types = ", ".join(
        f"{name} {column.db_type(connection)}" for column, name in zip(columns, names, strict=True)
    )
    attnames = [(name, column.attname, column) for name, column in zip(names, columns, strict=True)]
    rows = [
        {
            name: _prepared(column, getattr(obj, attname), connection)
            for name, attname, column in attnames
        }
        for obj in objs
    ]
    sql = (
        f"UPDATE {table} SET {assignments} "  # noqa: S608 - quoted names
        f"FROM json_to_recordset(%s::json) AS v({types}) "
        f"WHERE {table}.{quote(columns[0].column)} = v.c0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows, default=_json_value)])
        return cursor.rowcount


def insert_rows(model, field_names: list[str], rows: list[tuple], *, using: str = "default"):
    """Insert `rows` (tuples of attribute values, in the order of `field_names`) into `model`'s
    table, without model instances, signals or returned keys; defaults are not applied, so
    every column without a database default must be named.

    On PostgreSQL one `INSERT … SELECT` from `json_to_recordset` (see _update_from_json);
    elsewhere bulk_create.
    """
    if not rows:
        return
    connection = connections[using]
    opts = model._meta
    columns = [opts.get_field(name) for name in field_names]
    if connection.vendor != "postgresql":
        attnames = [column.attname for column in columns]
        model._base_manager.using(using).bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        )
        return
    quote = connection.ops.quote_name
    names = [f"c{position}" for position in range(len(columns))]
    types = ", ".join(
        f"{name} {column.db_type(connection)}" for column, name in zip(columns, names, strict=True)
    )
    sql = (
        f"INSERT INTO {quote(opts.db_table)} "  # noqa: S608 - quoted names
        f"({', '.join(quote(column.column) for column in columns)}) "
        f"SELECT {', '.join(names)} FROM json_to_recordset(%s::json) AS v({types})"
    )
    document = json.dumps([dict(zip(names, row, strict=True)) for row in rows], default=_json_value)
    with connection.cursor() as cursor:
        cursor.execute(sql, [document])


def _update_from_values(connection, objs: list[Model], columns: list) -> int:
    """SQLite: a VALUES list (no arrays there), as many statements as its limit on
    parameters asks."""
    quote = connection.ops.quote_name
    table = quote(columns[0].model._meta.db_table)
    # The columns of a VALUES list are named column1, column2…; SQLite needs no cast (and a
    # CAST to its "datetime" would turn a date into a number).
    assignments = ", ".join(
        f"{quote(column.column)} = v.column{position + 1}"
        for position, column in enumerate(columns)
        if position
    )
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    limit = connection.features.max_query_params
    per_statement = max(1, limit // len(columns)) if limit else len(objs)
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection)
                for obj in chunk
                for column in columns
            ]
            sql = (
                f"UPDATE {table} SET {assignments} "  # noqa: S608 - names quoted, values bound
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v "
                f"WHERE {table}.{quote(columns[0].column)} = v.column1"
            )
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated


@Field.register_lookup
class InArray(In):
    """`field__in_array=values`: as `__in`, with one array parameter on PostgreSQL."""

    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]  # prepared by get_prep_lookup
        if not values:
            raise EmptyResultSet
        literal = array_literal(values)
        if literal is not None:
            # One string for the whole array, cast by the database: psycopg's list dumper
            # quotes element by element in Python (tens of milliseconds for 1,000 UUIDs).
            db_type = self.lhs.output_field.cast_db_type(connection)
            return f"{lhs} = ANY(%s::{db_type}[])", [*lhs_params, literal]
        params = [self.lhs.output_field.get_db_prep_value(v, connection) for v in values]
        return f"{lhs} = ANY(%s)", [*lhs_params, params]


def array_literal(values) -> str | None:
    """A PostgreSQL array literal for integers or UUIDs (which need no quoting), else None."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    if all(type(value) is uuid.UUID for value in values):
        return "{" + ",".join(value.hex for value in values) + "}"
    return None


@ForeignObject.register_lookup
class RelatedInArray(RelatedIn):
    """`foreign_key__in_array=ids`, likewise."""

    lookup_name = "in_array"
    as_postgresql = InArray.as_postgresql
