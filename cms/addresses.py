"""Old addresses keep working: a commune or a module whose slug changed answers at its former
one."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from mediation.models import FormerCommuneSlug, FormerModuleSlug


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


def follows_former_module_slugs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """As follows_former_commune_slugs, for a module's page and handout: the QR code printed
    on a handout leads to the module's address of that day."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        try:
            return view(request, slug=slug, **kwargs)
        except Http404:
            former = FormerModuleSlug.objects.select_related("module").filter(slug=slug).first()
            if former is None:
                raise
            url = reverse(
                request.resolver_match.view_name, kwargs={**kwargs, "slug": former.module.slug}
            )
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return wrapper
