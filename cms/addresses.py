"""Old addresses keep working: a commune or a module whose slug changed answers at its former
one."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import reverse

from mediation.models import FormerCommuneSlug, FormerModuleSlug


def _follows_former_slugs(former_slugs, owner: str):
    """A decorator for views taking a `slug`: on a 404, a former slug of the owner (found in
    `former_slugs`, rows with `slug` and `owner`) redirects permanently (301) to its current
    address, with the query string kept."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
            try:
                return view(request, slug=slug, **kwargs)
            except Http404:
                former = former_slugs.select_related(owner).filter(slug=slug).first()
                if former is None:
                    raise
                current = getattr(former, owner).slug
                url = reverse(request.resolver_match.view_name, kwargs={**kwargs, "slug": current})
                query = request.META.get("QUERY_STRING")
                return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

        return wrapper

    return decorator


# A commune's pages and flyer: printed flyers and their QR codes never lead nowhere.
follows_former_commune_slugs = _follows_former_slugs(FormerCommuneSlug.objects.all(), "commune")
# A module's page and handout: the QR code printed on a handout leads to its address of that day.
follows_former_module_slugs = _follows_former_slugs(FormerModuleSlug.objects.all(), "module")


def without_query_string(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view that reads nothing from its query string: any ("?fbclid=…", "?x=1") leads
    to the bare address. Each would be cached apart and rendered again, and a PDF is rendered
    in the few slots that flyers and handouts wait for: a way to keep them busy."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.META.get("QUERY_STRING"):
            return redirect(request.path)
        return view(request, *args, **kwargs)

    return wrapper
