from django.urls import path

from sessions.public import demand_views, sms_webhook, views

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
# "Prévenez-moi" and "Faites venir le bus" (the forms are on the commune page).
urlpatterns += [
    path("communes/<slug:slug>/prevenez-moi/", demand_views.alert_create, name="alert_create"),
    path("alertes/<str:key>/code/", demand_views.alert_code, name="alert_code"),
    path(
        "alertes/<str:key>/nouveau-code/",
        demand_views.alert_code_resend,
        name="alert_code_resend",
    ),
    path(
        "alertes/<str:key>/confirmer/", demand_views.alert_confirm_link, name="alert_confirm_link"
    ),
    path("alertes/<str:key>/arret/", demand_views.alert_unsubscribe, name="alert_unsubscribe"),
    path("communes/<slug:slug>/faites-venir-le-bus/", demand_views.bus_request, name="bus_request"),
    path(
        "communes/<slug:slug>/faites-venir-le-bus/merci/",
        demand_views.bus_request_sent,
        name="bus_request_sent",
    ),
]
