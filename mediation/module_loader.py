"""Tutorial modules as data: read a JSON file of modules and write them, idempotently.

The demo's six modules live in mediation/module_data/demo_modules.json; an operator loads
its own file the same way (`manage.py load_modules FILE`). A module is matched by its slug
and brought back to the file's content; outcomes are matched by label, the missing ones
added and the listed ones put back in order, and outcomes a coordinator added are left
alone, as attendance may already record them.
"""

import json
import uuid
from pathlib import Path

from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from mediation.errors import DomainError
from mediation.models import ModuleLevel, ModuleOutcome, ModuleTheme, TutorialModule
from mediation.models.modules import MAX_DURATION, MIN_DURATION

DEMO_MODULES_FILE = Path(__file__).parent / "module_data" / "demo_modules.json"

REQUIRED_TEXT = ("slug", "title", "goal")
OPTIONAL_TEXT = ("audience", "prerequisites")
STEP_FIELDS = {
    "step": ("title", "paragraphs"),
    "tip": ("paragraphs",),
    "warning": ("paragraphs",),
    "official_link": ("label", "url"),
}


class ModuleFileError(DomainError):
    """A module file that cannot be loaded; nothing was written."""


def _check_module(spec, position: int) -> dict:
    where = _("module %(position)d") % {"position": position}
    if not isinstance(spec, dict):
        raise ModuleFileError("not_an_object", _("%(where)s is not an object.") % {"where": where})
    for key in REQUIRED_TEXT:
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise ModuleFileError(
                "missing_field",
                _("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key},
            )
    where = _("module “%(slug)s”") % {"slug": spec["slug"]}
    if spec.get("level", ModuleLevel.BEGINNER) not in ModuleLevel.values:
        raise ModuleFileError(
            "invalid_level",
            _("%(where)s: unknown level “%(level)s”.") % {"where": where, "level": spec["level"]},
        )
    if spec.get("theme", ModuleTheme.ADMINISTRATIVE) not in ModuleTheme.values:
        raise ModuleFileError(
            "invalid_theme",
            _("%(where)s: unknown theme “%(theme)s”.") % {"where": where, "theme": spec["theme"]},
        )
    duration = spec.get("duration_minutes", 60)
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int)
        or not MIN_DURATION <= duration <= MAX_DURATION
    ):
        raise ModuleFileError(
            "invalid_duration",
            _("%(where)s: a duration is %(min)s to %(max)s minutes.")
            % {"where": where, "min": MIN_DURATION, "max": MAX_DURATION},
        )
    for key in ("documents", "outcomes"):
        values = spec.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ModuleFileError(
                "invalid_list",
                _("%(where)s: “%(key)s” must be a list of texts.") % {"where": where, "key": key},
            )
    steps = spec.get("steps", [])
    if not isinstance(steps, list):
        raise ModuleFileError(
            "invalid_steps", _("%(where)s: “steps” must be a list.") % {"where": where}
        )
    for number, step in enumerate(steps, start=1):
        fields = STEP_FIELDS.get(step.get("type")) if isinstance(step, dict) else None
        if fields is None or any(key not in step for key in fields):
            raise ModuleFileError(
                "invalid_step",
                _("%(where)s: step %(number)d cannot be read.")
                % {"where": where, "number": number},
            )
    return spec


def read_module_file(path: Path | str) -> list[dict]:
    """The modules of a JSON file ({"modules": [...]}), checked; raises ModuleFileError."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ModuleFileError(
            "unreadable", _("%(path)s: %(error)s.") % {"path": path, "error": error.strerror}
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ModuleFileError(
            "malformed_json",
            _("%(path)s is not valid JSON: %(error)s") % {"path": path, "error": error},
        ) from error
    modules = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(modules, list) or not modules:
        raise ModuleFileError("no_modules", _("%(path)s has no “modules” list.") % {"path": path})
    slugs = [spec.get("slug") for spec in modules if isinstance(spec, dict)]
    if len(set(slugs)) != len(slugs):
        raise ModuleFileError(
            "duplicate_slug", _("%(path)s lists a module twice.") % {"path": path}
        )
    return [_check_module(spec, position) for position, spec in enumerate(modules, start=1)]


def _html_paragraphs(paragraphs) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


def steps_stream_data(slug: str, steps: list[dict]) -> list[dict]:
    """The raw StreamField data of a module's steps.

    Block ids derive from the module and the position, so that loading again writes exactly
    the same data instead of new random ids.
    """
    data = []
    for index, step in enumerate(steps):
        kind = step["type"]
        if kind == "step":
            value = {
                "title": step["title"],
                "text": _html_paragraphs(step["paragraphs"]),
                "image": None,
                "image_description": "",
            }
        elif kind in ("tip", "warning"):
            value = {"text": _html_paragraphs(step["paragraphs"])}
        else:
            value = {"label": step["label"], "url": step["url"]}
        block_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"module:{slug}:{index}"))
        data.append({"type": kind, "value": value, "id": block_id})
    return data


@transaction.atomic
def modules_load(*, specs: list[dict]) -> list[TutorialModule]:
    """Create the modules, or bring existing ones (same slug) back to this content."""
    modules = []
    for spec in specs:
        module, _created = TutorialModule.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "goal": spec["goal"],
                "audience": spec.get("audience", ""),
                "level": spec.get("level", ModuleLevel.BEGINNER),
                "theme": spec.get("theme", ModuleTheme.ADMINISTRATIVE),
                "duration_minutes": spec.get("duration_minutes", 60),
                "prerequisites": spec.get("prerequisites", ""),
                "documents_to_bring": "\n".join(spec.get("documents", [])),
                "steps": steps_stream_data(spec["slug"], spec.get("steps", [])),
            },
        )
        for order, label in enumerate(spec.get("outcomes", [])):
            ModuleOutcome.objects.update_or_create(
                module=module, label=label, defaults={"sort_order": order}
            )
        modules.append(module)
    return modules
