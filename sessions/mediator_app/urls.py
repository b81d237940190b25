"""The mediators' app, under /tablette/ (the paths on the mediators' home screens stay)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from sessions.mediator_app import views

app_name = "mediator_app"

urlpatterns = [
    path("tablette/", views.home, name="home"),
    path("tablette/connexion/", views.MediatorLoginView.as_view(), name="login"),
    path(
        "tablette/deconnexion/",
        auth_views.LogoutView.as_view(next_page="mediator_app:login"),
        name="logout",
    ),
    path("tablette/api/jour/", views.day, name="day"),
    path("tablette/sync/", views.sync, name="sync"),
    path(
        "tablette/tablettes/<int:pk>/reinitialisee/",
        views.lending_tablet_reset,
        name="tablet_reset",
    ),
    path("tablette/sw.js", views.service_worker, name="service_worker"),
    path("tablette/manifest.webmanifest", views.web_app_manifest, name="manifest"),
]
