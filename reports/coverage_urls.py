from django.urls import path

from reports import coverage_views

app_name = "coverage"
urlpatterns = [
    path("", coverage_views.coverage, name="report"),
    path("export.csv", coverage_views.coverage_export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", coverage_views.coverage_export, {"fmt": "xlsx"}, name="export_xlsx"),
]
