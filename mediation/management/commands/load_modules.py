from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mediation.module_loader import (
    DEMO_MODULES_FILE,
    ModuleFileError,
    modules_load,
    read_module_file,
)


class Command(BaseCommand):
    help = _(
        "Load tutorial modules from JSON files (the demo's six when no file is given). "
        "Idempotent: a module is matched by its slug and brought back to the file's content."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help=_("JSON files of modules"))

    def handle(self, *args, files, **options):
        paths = files or [DEMO_MODULES_FILE]
        try:
            # Every file is read and checked before anything is written.
            specs = [spec for path in paths for spec in read_module_file(path)]
        except ModuleFileError as error:
            raise CommandError(str(error)) from error
        modules = modules_load(specs=specs)
        self.stdout.write(_("Modules loaded: %(count)d.") % {"count": len(modules)})
