"""The public site's page tree: a home page at the root of the default site."""

from wagtail.models import Page, Site

from cms.models import HomePage

HOME_INTRODUCTION = (
    "<p>Le bus numérique vient dans votre village avec des tablettes et des médiateurs. "
    "Ils vous aident, gratuitement, à faire vos démarches en ligne : CAF, impôts, santé, "
    "e-mail, réseaux sociaux.</p>"
)


def seed_site(*, site_name: str) -> HomePage:
    """Put a HomePage at the root of the default site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
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
