"""Staff roles as groups with permissions: coordinators plan and manage, mediators run the stops."""

from django.apps import AppConfig, apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from mediation.staff_permissions import coordinator_permission_pairs, mediator_permission_pairs

COORDINATORS = "Coordinateurs"
MEDIATORS = "Médiateurs"

# Coordinators upload screenshots, logos and documents, and edit the site's pages.
COORDINATOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
COORDINATOR_PAGE_PERMISSIONS = [
    ("wagtailcore", "add_page"),
    ("wagtailcore", "change_page"),
    ("wagtailcore", "publish_page"),
]


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    """The permissions named (app label, codename), in one query; unknown names are skipped."""
    wanted = set(pairs)
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.filter(
            content_type__app_label__in={app_label for app_label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
    }
    return [found[pair] for pair in dict.fromkeys(pairs) if pair in found]


def ensure_staff_groups() -> None:
    """Create or update the two staff groups; safe to run after every migration."""
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(*_permissions(coordinator_permission_pairs()))
    _grant_content_permissions(coordinators)
    mediators, _ = Group.objects.get_or_create(name=MEDIATORS)
    mediators.permissions.add(*_permissions(mediator_permission_pairs()))


def ensure_staff_groups_after_migrate(sender: AppConfig, **kwargs) -> None:
    """post_migrate's receiver: the groups once per `migrate` (or test flush), not per app.

    Django sends post_migrate once for each installed app with models, in INSTALLED_APPS
    order, after that app's permissions were created: the groups need every app's, so they
    are made on the last app's signal only. Run for each app, as before, a flush between
    two browser tests cost 3,000 queries and three seconds.
    """
    if sender is _last_app_with_models():
        ensure_staff_groups()


def _last_app_with_models() -> AppConfig:
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def _grant_content_permissions(group: Group) -> None:
    """Wagtail grants images, documents and pages per collection and per page subtree."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for permission in _permissions(COORDINATOR_COLLECTION_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for permission in _permissions(COORDINATOR_PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )


def is_coordinator(user) -> bool:
    return user.is_superuser or user.groups.filter(name=COORDINATORS).exists()


def is_mediator(user) -> bool:
    return user.groups.filter(name=MEDIATORS).exists()


def staff_members(*, also: Q | None = None):
    """The active mediators and coordinators (and superusers), by name; `also` keeps those
    a record already names, whatever became of their role."""
    staff = Q(is_active=True) & (
        Q(groups__name__in=[MEDIATORS, COORDINATORS]) | Q(is_superuser=True)
    )
    if also is not None:
        staff |= also
    return (
        get_user_model()
        .objects.filter(staff)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def staff_member_name(user) -> str:
    return user.get_full_name() or user.get_username()


def is_staff_member(user) -> bool:
    """A coordinator or a mediator: who may print every flyer of an intercommunality."""
    return is_coordinator(user) or is_mediator(user)


def require_permissions(request, *permissions: str) -> None:
    """Refuse (403) unless the signed-in user holds every one of these permissions."""
    if not all(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied


def require_coordinator(request) -> None:
    """Refuse (403) unless the signed-in user is a coordinator (or a superuser)."""
    if not is_coordinator(request.user):
        raise PermissionDenied
