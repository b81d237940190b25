"""The public site's page tree: a home page at the root of the default site, and its legal pages."""

from django.conf import settings
from wagtail.models import Locale, Page, Site

from cms.models import ContentPage, HomePage
from mediation.models import Branding

HOME_INTRODUCTION = (
    "<p>Le bus numérique vient dans votre village avec des tablettes et des médiateurs. "
    "Ils vous aident, gratuitement, à faire vos démarches en ligne : CAF, impôts, santé, "
    "e-mail, réseaux sociaux.</p>"
)

# Demo texts: each operator rewrites them in the admin with its own details.
CONTENT_PAGES = {
    "legal_notice_page": (
        "Mentions légales",
        "mentions-legales",
        "<p>Ce site est édité par l’opérateur du bus numérique indiqué en bas de page.</p>"
        "<p>Données des communes : Sources : INSEE (COG 2026), La Poste, DGCL, "
        "IGN Admin Express — Licence Ouverte.</p>",
    ),
    "accessibility_page": (
        "Accessibilité",
        "accessibilite",
        "<p>Nous voulons que ce site soit facile à utiliser par tout le monde. "
        "Il suit le référentiel RGAA. Si vous avez du mal à l’utiliser, appelez-nous : "
        "nous vous aiderons.</p>",
    ),
    "privacy_page": (
        "Données personnelles",
        "donnees-personnelles",
        "<p>Cette page explique ce que nous faisons des informations que vous nous donnez "
        "quand vous vous inscrivez à un atelier.</p>",
    ),
}


def seed_site(*, site_name: str) -> HomePage:
    """Put a HomePage at the root of the default site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _tree_root()
        home = root.add_child(
            instance=HomePage(title=site_name, slug="accueil", introduction=HOME_INTRODUCTION)
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=site_name
        )
    elif site.root_page_id != home.pk:
        welcome = site.root_page
        site.root_page = home
        site.site_name = site_name
        site.save()
        if welcome.specific_class is Page and not welcome.get_children().exists():
            welcome.delete()
    return home


def seed_legal_pages(*, home: HomePage) -> None:
    """Legal notice, accessibility statement and privacy notice, linked from the footer."""
    branding = Branding.load()
    changed = False
    for field, (title, slug, body) in CONTENT_PAGES.items():
        page = ContentPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = home.add_child(instance=ContentPage(title=title, slug=slug, body=body))
        if getattr(branding, f"{field}_id") is None:
            setattr(branding, field, page)
            changed = True
    if changed:
        branding.save()


def _tree_root() -> Page:
    """Wagtail's root page and default locale, which a flushed database no longer has."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    return Page.add_root(instance=Page(title="Root", slug="root"))
