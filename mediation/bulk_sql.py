"""Writing many rows with different values in one statement, without Django's bulk_update.

`QuerySet.bulk_update` builds one `CASE WHEN id = … THEN … END` per field and row: for 800
rows of 14 fields that is 11,200 expressions, which Django takes seconds to compile and which
the database evaluates row by row (a sync of 1,000 records spent 28 s there, measured). An
`UPDATE … FROM` joins the rows to their new values instead: one short statement, built in
milliseconds, a hash join for the database. On PostgreSQL the new values come as one array per
column (`unnest`), on SQLite (3.33 and later) as a VALUES list; any other database falls back
to bulk_update.

`in_array` is the `in` lookup for long lists: on PostgreSQL `= ANY(%s)` with the list as one
array parameter instead of a placeholder per value, the same `IN (…)` elsewhere.
"""

import sqlite3

from django.db import connections
from django.db.models import Field, Model
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

__all__ = ["InArray", "update_from_values"]

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
        return _update_from_arrays(connection, objs, columns)
    return _update_from_values(connection, objs, columns)


def _update_from_arrays(connection, objs: list[Model], columns: list) -> int:
    """PostgreSQL: one array per column, joined with `unnest`: a statement of a few
    placeholders, whatever the number of rows (psycopg scans a statement's text for its
    placeholders, which costs more than the database's work for thousands of them)."""
    quote = connection.ops.quote_name
    table = quote(columns[0].model._meta.db_table)
    names = [f"c{position}" for position in range(len(columns))]
    assignments = ", ".join(
        f"{quote(column.column)} = v.{name}"
        for column, name in zip(columns[1:], names[1:], strict=True)
    )
    arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    params = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for obj in objs]
        for column in columns
    ]
    sql = (
        f"UPDATE {table} SET {assignments} "  # noqa: S608 - quoted names
        f"FROM unnest({arrays}) AS v({', '.join(names)}) "
        f"WHERE {table}.{quote(columns[0].column)} = v.c0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


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
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)  # prepared, EmptyResultSet
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(rhs_params)]


@ForeignObject.register_lookup
class RelatedInArray(RelatedIn):
    """`foreign_key__in_array=ids`, likewise."""

    lookup_name = "in_array"
    as_postgresql = InArray.as_postgresql
