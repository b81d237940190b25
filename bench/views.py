"""Floors of `make bench`, served behind the same middleware as every page (BENCH_ENDPOINTS).

A bare page renders a small template without touching the database; a bare insert writes one
row through the same CSRF-checked POST as a sign-up; the flyer floor renders a flyer's own
HTML, gathered once per process, so that only WeasyPrint is timed.
"""

import datetime as dt

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import engines
from django.views.decorators.http import require_GET, require_POST

from bench.volume import BARE_INSERT_TABLE

BARE_TEMPLATE = engines["django"].from_string(
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title>'
    "</head><body><main><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>"
    "{% endfor %}</ul></main></body></html>"
)
_flyer_html: list[str] = []


@require_GET
def bare_page(request: HttpRequest) -> HttpResponse:
    context = {"title": "Le numérique vient à vous", "items": ["Amiens", "Abbeville", "Albert"]}
    return HttpResponse(BARE_TEMPLATE.render(context, request))


@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_INSERT_TABLE} (note, created_at) VALUES (%s, %s)",  # noqa: S608
            [request.POST.get("note", "")[:100], dt.datetime.now()],
        )
    return HttpResponseRedirect("/_bench/bare/")


@require_GET
def flyer_floor(request: HttpRequest) -> HttpResponse:
    from cms.flyers import STYLESHEETS, build_flyers, flyer_period, flyers_html
    from mediation.models import Commune
    from mediation.pdf import render_pdf

    if not _flyer_html:
        commune = Commune.objects.get(slug=request.GET["commune"])
        _flyer_html.append(flyers_html(build_flyers([commune], period=flyer_period())))
    return HttpResponse(render_pdf(_flyer_html[0], stylesheets=STYLESHEETS), "application/pdf")
