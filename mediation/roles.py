"""Staff roles as groups with permissions: coordinators plan and manage, mediators run the stops."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

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
    found = []
    for app_label, codename in pairs:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            found.append(permission)
    return found


def ensure_staff_groups(**kwargs) -> None:
    """Create or update the two staff groups; safe to run after every migration."""
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(*_permissions(coordinator_permission_pairs()))
    _grant_content_permissions(coordinators)
    mediators, _ = Group.objects.get_or_create(name=MEDIATORS)
    mediators.permissions.add(*_permissions(mediator_permission_pairs()))


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


def require_permissions(request, *permissions: str) -> None:
    """Refuse (403) unless the signed-in user holds every one of these permissions."""
    if not all(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied


def require_coordinator(request) -> None:
    """Refuse (403) unless the signed-in user is a coordinator (or a superuser)."""
    if not is_coordinator(request.user):
        raise PermissionDenied
