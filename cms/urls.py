from django.urls import path

from cms import module_views

urlpatterns: list = []

# Tutorial modules (issue 7): paths fixed by the URL contract.
urlpatterns += [
    path("modules/", module_views.module_list, name="module_list"),
    path("modules/<slug:slug>/", module_views.module_detail, name="module_detail"),
    path("modules/<slug:slug>/fiche.pdf", module_views.module_handout, name="module_handout"),
]
