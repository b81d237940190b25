from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from mediation.planning_views import private_feed

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("agenda/prive/<str:token>.ics", private_feed, name="private_feed"),
    path("", include("tablets.urls")),
    path("", include("sessions.public.urls")),
    path("", include("sessions.mediator_app.urls")),
    path("", include("cms.urls")),
    path("rapports/", include("reports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it answers every path no other pattern took.
urlpatterns.append(path("", include(wagtail_urls)))
