from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from mediation.health import health
from mediation.planning_views import private_feed
from mediation.sites import with_site
from mediation.tour_cache import tour_cached
from sessions.backoffice import site_history

# The public pages come first: Django tries the patterns in order, and every pattern before
# a page's costs each of its requests (a cached page is answered in about a millisecond).
# The home page lists the next stops: cached until the tour changes, looked up before
# Wagtail's routing (a few queries) even starts.
urlpatterns = [
    path("", tour_cached(with_site(wagtail_views.serve)), {"path": ""}),
    path("", include("cms.urls")),
    path("health/", health, name="health"),
    # Before Wagtail's admin: its "Site history" names residents, for coordinators only.
    path("", include(site_history.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("agenda/prive/<str:token>.ics", private_feed, name="private_feed"),
    path("", include("tablets.urls")),
    path("", include("sessions.public.urls")),
    path("", include("sessions.mediator_app.urls")),
    path("rapports/", include("reports.urls")),
]

if settings.BENCH_ENDPOINTS:
    # The floors of `make bench` (bench/views.py): never in a real deployment.
    urlpatterns.insert(0, path("_bench/", include("bench.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it answers every path no other pattern took.
urlpatterns += [path("", include(wagtail_urls))]
