from django.urls import path

from cms import flyer_views, module_views, seo_views, views

app_name = "cms"

# The public schedule.
urlpatterns = [
    path("communes/", views.commune_search, name="commune_search"),
    path("communes/<slug:slug>/", views.commune_page, name="commune"),
    path("communes/<slug:slug>/agenda.ics", views.commune_feed, name="commune_feed"),
    path("escales/<int:pk>/", views.stop_page, name="stop"),
    path("carte/", views.map_page, name="map"),
    path("agenda.ics", views.tour_feed, name="feed"),
    path("intercommunalites/<slug:slug>/agenda.ics", views.epci_feed, name="epci_feed"),
]

# Printed flyers.
urlpatterns += [
    path("communes/<slug:slug>/affiche.pdf", flyer_views.commune_flyer, name="commune_flyer"),
    path(
        "intercommunalites/<slug:slug>/affiches.pdf",
        flyer_views.epci_flyers,
        name="epci_flyers",
    ),
]

# Tutorial modules: paths fixed by the URL contract.
urlpatterns += [
    path("modules/", module_views.module_list, name="module_list"),
    path("modules/<slug:slug>/", module_views.module_detail, name="module_detail"),
    path("modules/<slug:slug>/fiche.pdf", module_views.module_handout, name="module_handout"),
]

# For search engines.
urlpatterns += [
    path("robots.txt", seo_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo_views.sitemap, name="sitemap"),
]
