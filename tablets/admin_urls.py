from django.urls import path

from tablets import views

app_name = "tablets_admin"
urlpatterns = [
    path("", views.fleet_list, name="list"),
    path("export.csv", views.fleet_export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.fleet_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("alerts/", views.alerts, name="alerts"),
    path("labels.pdf", views.labels_pdf, name="labels"),
    path("<int:pk>/", views.tablet_detail, name="detail"),
    path("<int:pk>/reset/", views.tablet_reset, name="reset"),
    path("<int:pk>/check-out/", views.tablet_checkout, name="check_out"),
    path("<int:pk>/return/", views.tablet_return_view, name="return"),
]
