from django.urls import path

from reports import views

app_name = "reports_admin"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    # Where the files were built in the request, before the worker built them.
    path("activites.<str:fmt>", views.former_file_address),
    path("statistiques.xlsx", views.former_file_address),
    path("rapport.pdf", views.former_file_address),
    path("exports/", views.export_ask, name="export_ask"),
    path("exports/<uuid:pk>/", views.export_detail, name="export"),
    path("exports/<uuid:pk>/etat.json", views.export_state, name="export_state"),
    path("exports/<uuid:pk>/fichier", views.export_download, name="export_download"),
    path("exports/<uuid:pk>/supprimer", views.export_discard, name="export_delete"),
    path("affiches/", views.flyers, name="flyers"),
    path("emargement/", views.signin_sheets, name="signin_sheets"),
    path("emargement/atelier/<int:pk>.pdf", views.workshop_signin_sheet, name="workshop_sheet"),
    path("emargement/escale/<int:pk>.pdf", views.stop_signin_sheets, name="stop_sheets"),
]
