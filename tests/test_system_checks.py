"""A newcomer's first commands (`make run` migrates, imports, seeds) print no warning."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_system_checks_find_nothing_to_warn_about():
    # On SQLite, the embedded default, Django warns that the stops' covering index loses its
    # included column (models.W040): true, harmless, and silenced with the reason why.
    out, err = io.StringIO(), io.StringIO()

    # With the database's checks, as `migrate` and `runserver` run them.
    call_command("check", databases=["default"], stdout=out, stderr=err)

    assert "System check identified no issues (" in out.getvalue()
    assert "W040" not in out.getvalue() + err.getvalue()
