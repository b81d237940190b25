"""The mediators' tablet app: outside the "workshops" namespace, as its JavaScript expects."""

from django.contrib.auth import views as auth_views
from django.urls import path

from sessions import tablet_views

urlpatterns = [
    path("tablette/", tablet_views.tablet_app, name="tablet_app"),
    path("tablette/connexion/", tablet_views.TabletLoginView.as_view(), name="tablet_login"),
    path(
        "tablette/deconnexion/",
        auth_views.LogoutView.as_view(next_page="tablet_login"),
        name="tablet_logout",
    ),
    path("tablette/api/jour/", tablet_views.tablet_day, name="tablet_day"),
    path("tablette/sync/", tablet_views.tablet_sync, name="tablet_sync"),
    path(
        "tablette/tablettes/<int:pk>/reinitialisee/",
        tablet_views.tablet_reset,
        name="tablet_reset",
    ),
    path("tablette/sw.js", tablet_views.tablet_service_worker, name="tablet_sw"),
]
