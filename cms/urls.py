from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("communes/", views.commune_search, name="commune_search"),
    path("communes/<slug:slug>/", views.commune_page, name="commune"),
    path("communes/<slug:slug>/agenda.ics", views.commune_feed, name="commune_feed"),
    path("escales/<int:pk>/", views.stop_page, name="stop"),
    path("carte/", views.map_page, name="map"),
    path("agenda.ics", views.tour_feed, name="feed"),
    path("intercommunalites/<slug:slug>/agenda.ics", views.epci_feed, name="epci_feed"),
]
