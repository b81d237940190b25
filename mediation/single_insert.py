"""One new row from a model instance, as `QuerySet.bulk_create([obj])` writes it, without
compiling the INSERT again each time.

Django compiles an INSERT field by field on every call; for the sign-up, which writes a
registration and its message log (20 columns each), compiling those two statements cost
more CPU than anything else in the request. `insert(obj)` runs Django's own statement,
compiled once per model and database, with each value prepared as the compiler prepares it
(the field's `pre_save`, which fills `auto_now` dates, then `get_db_prep_save`), and sets the
primary key the database returns. Like bulk_create it sends no signal and calls no `save()`.
A primary key set beforehand (a UUID's default) goes in with the other values. Whatever that
statement cannot hold goes through bulk_create: an expression as a value, a field with a
placeholder of its own, a database that cannot return the new key.
"""

import functools

from django.db import connections
from django.db.models import Model
from django.db.models.sql import InsertQuery

__all__ = ["insert"]


def insert(obj: Model, *, using: str = "default") -> Model:
    """INSERT `obj` (not saved yet) and give it its primary key; returns it."""
    model = type(obj)
    statement = _statement(model, using, with_key=obj.pk is not None)
    if statement is None:
        model._base_manager.using(using).bulk_create([obj])
        return obj
    sql, fields, key = statement
    # As bulk_create: a related object assigned before it had its key gives it now, or
    # raises ValueError for an unsaved one.
    obj._prepare_related_fields_for_save(operation_name="insert")
    connection = connections[using]
    values = []
    for field in fields:
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression"):  # compiled per call: the ORM's job
            model._base_manager.using(using).bulk_create([obj])
            return obj
        values.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if key is not None:
            (pk,) = cursor.fetchone()
            setattr(obj, key.attname, pk)
    obj._state.adding = False
    obj._state.db = using
    return obj


@functools.cache
def _statement(model: type[Model], using: str, with_key: bool):
    """(SQL, the fields its placeholders take in order, the key it returns) or None.

    With `with_key` (the object comes with its own key, a UUID's default), the key is among
    the fields and nothing is returned: only for a model whose database fills no column.
    """
    connection = connections[using]
    opts = model._meta
    returning = opts.db_returning_fields
    if with_key:
        if returning:
            return None
    elif not connection.features.can_return_columns_from_insert or returning != [opts.pk]:
        return None
    fields = [
        field
        for field in opts.concrete_fields
        if not field.generated and (with_key or (field is not opts.pk and not field.db_returning))
    ]
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = returning or None
    ((sql, params),) = compiler.as_sql()
    if len(params) != len(fields) or compiler.returning_params or sql.count("%s") != len(fields):
        return None
    return sql, fields, None if with_key else opts.pk
