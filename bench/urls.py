"""Bench-only URLs, included by mediation.urls when settings.BENCH_ENDPOINTS is on."""

from django.urls import path

from bench import signup_ceiling, views

urlpatterns = [
    path("bare/", views.bare_page, name="bench_bare"),
    path("insert/", views.bare_insert, name="bench_insert"),
    path("signup-ceiling/<int:workshop_pk>/", signup_ceiling.signup_ceiling),
    path("flyer-floor/", views.flyer_floor, name="bench_flyer_floor"),
]
