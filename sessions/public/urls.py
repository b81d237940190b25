from django.urls import path

from sessions.public import sms_webhook, views

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
    # Short personal links in SMS: every character counts.
    path("r/<str:token>", views.short_link, name="short_link"),
    path("sms/webhook/<str:token>/", sms_webhook.sms_webhook, name="sms_webhook"),
]
