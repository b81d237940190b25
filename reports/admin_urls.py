from django.urls import path

from reports import views

app_name = "reports_admin"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("activites.<str:fmt>", views.former_activity_export),
    path("exports/", views.export_ask, name="export_ask"),
    path("exports/<uuid:pk>/", views.export_detail, name="export"),
    path("exports/<uuid:pk>/etat.json", views.export_state, name="export_state"),
    path("exports/<uuid:pk>/fichier", views.export_download, name="export_download"),
    path("exports/<uuid:pk>/supprimer", views.export_discard, name="export_delete"),
    path("statistiques.xlsx", views.statistics_export, name="statistics_xlsx"),
    path("rapport.pdf", views.report_pdf, name="report_pdf"),
    path("emargement/", views.signin_sheets, name="signin_sheets"),
    path("emargement/atelier/<int:pk>.pdf", views.workshop_signin_sheet, name="workshop_sheet"),
    path("emargement/escale/<int:pk>.pdf", views.stop_signin_sheets, name="stop_sheets"),
]
