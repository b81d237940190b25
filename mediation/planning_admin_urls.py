from django.urls import path

from mediation import planning_views as views

app_name = "planning"
urlpatterns = [
    path("planning/", views.planner, name="planner"),
    path("series/<int:pk>/apercu/", views.series_preview, name="series_preview"),
    path("itineraire/", views.route, name="route"),
    path("agendas/", views.calendars, name="calendars"),
    path("agendas/nouveau/", views.calendar_create, name="calendar_create"),
    path("agendas/<int:pk>/revoquer/", views.calendar_revoke, name="calendar_revoke"),
]
