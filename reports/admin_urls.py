from django.urls import path

from reports import views

app_name = "reports_admin"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("activites.xlsx", views.activity_export, {"fmt": "xlsx"}, name="activity_xlsx"),
    path("activites.csv", views.activity_export, {"fmt": "csv"}, name="activity_csv"),
    path("statistiques.xlsx", views.statistics_export, name="statistics_xlsx"),
    path("rapport.pdf", views.report_pdf, name="report_pdf"),
    path("emargement/", views.signin_sheets, name="signin_sheets"),
    path("emargement/atelier/<int:pk>.pdf", views.workshop_signin_sheet, name="workshop_sheet"),
    path("emargement/escale/<int:pk>.pdf", views.stop_signin_sheets, name="stop_sheets"),
]
