from django.urls import path

from cms import flyer_views

urlpatterns: list = []

# Printed flyers (issue 8).
urlpatterns += [
    path("communes/<slug:slug>/affiche.pdf", flyer_views.commune_flyer, name="commune_flyer"),
    path(
        "intercommunalites/<slug:slug>/affiches.pdf",
        flyer_views.epci_flyers,
        name="epci_flyers",
    ),
]
