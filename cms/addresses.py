"""Old addresses keep working: a commune whose slug changed answers at its former one."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from mediation.models import FormerCommuneSlug


def follows_former_commune_slugs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view taking a commune's `slug` redirects permanently (301) from a former slug, with
    the query string kept, so printed flyers and their QR codes never lead nowhere."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        try:
            return view(request, slug=slug, **kwargs)
        except Http404:
            former = FormerCommuneSlug.objects.select_related("commune").filter(slug=slug).first()
            if former is None:
                raise
            url = reverse(
                request.resolver_match.view_name, kwargs={**kwargs, "slug": former.commune.slug}
            )
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return wrapper
