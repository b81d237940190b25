from django.urls import path

from sessions.public import views

app_name = "workshops"

urlpatterns = [
    path("ateliers/<int:workshop_pk>/inscription/", views.signup, name="signup"),
    path(
        "inscription/<str:token>/confirmation/",
        views.registration_confirmation,
        name="registration_confirmation",
    ),
    path(
        "inscription/<str:token>/annuler/",
        views.registration_cancel_view,
        name="registration_cancel",
    ),
    path("inscription/<str:token>/", views.registration_detail, name="registration_detail"),
]
