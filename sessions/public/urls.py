from django.urls import path

from sessions.public import message_views, views

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
    path("r/<str:token>", message_views.short_link, name="short_link"),
    path("sms/webhook/<str:token>/", message_views.sms_webhook, name="sms_webhook"),
]
