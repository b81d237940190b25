"""Fail when the French catalogue is not current: run makemessages and compare.

Only the POT-Creation-Date header is allowed to change. Also fails on untranslated
or fuzzy entries, on French typography (non-breaking spaces before ? ! : ; » and inside
times and numbers), on a .mo file older than its .po, and on a translation call inside an
f-string (xgettext does not look there: the string would silently stay English).
"""

import io
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from mediation.text import typography_faults  # noqa: E402  (needs ROOT on the path)

LOCALE = ROOT / "locale" / "fr" / "LC_MESSAGES"
MAKE_MESSAGES = [
    [
        "makemessages",
        "--locale",
        "fr",
        "--add-location",
        "file",
        "--no-obsolete",
        "--ignore",
        ".venv/*",
        "--ignore",
        "bench/*",
        "--ignore",
        "tests/*",
    ],
    [
        "makemessages",
        "--locale",
        "fr",
        "--add-location",
        "file",
        "--domain",
        "djangojs",
        "--no-obsolete",
        "--ignore",
        ".venv/*",
        "--ignore",
        "staticfiles/*",
        "--ignore",
        "tests/*",
        "--ignore",
        "node_modules/*",
    ],
]
HEADER = re.compile(r'^"POT-Creation-Date:.*\n', re.MULTILINE)


def entries(po_text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry, header excluded."""
    found = []
    for block in po_text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M)
        )
        strs = (
            "".join(
                re.findall(r'^(?:msgstr(?:\[\d\])?)?\s*"(.*)"$', block.split("msgstr", 1)[-1], re.M)
            )
            if "msgstr" in block
            else ""
        )
        if msgid:
            found.append((msgid, strs, fuzzy))
    return found


SOURCE_FOLDERS = ("mediation", "cms", "sessions", "tablets", "reports")
TRANSLATION_CALL = re.compile(r"(?<![\w.])(_|gettext|ngettext|pgettext|gettext_lazy)\(")


def translations_in_f_strings() -> list[str]:
    """Where a translation call sits inside an f-string: makemessages would not extract it."""
    faults = []
    for folder in SOURCE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            tokens = tokenize.generate_tokens(io.StringIO(source).readline)
            for token in tokens:
                prefix = re.match(r"[A-Za-z]*", token.string).group().lower()
                is_f_string = token.type == tokenize.STRING and "f" in prefix
                if (is_f_string or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1)) and (
                    TRANSLATION_CALL.search(token.string)
                ):
                    where = f"{path.relative_to(ROOT)}:{token.start[0]}"
                    faults.append(f"{where}: a translation call inside an f-string")
    return faults


def main() -> int:
    saved = tempfile.mkdtemp()
    originals = {po.name: po.read_text(encoding="utf-8") for po in LOCALE.glob("*.po")}
    shutil.copytree(LOCALE, saved, dirs_exist_ok=True, ignore=shutil.ignore_patterns("fresh-*"))
    try:
        for args in MAKE_MESSAGES:
            subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, check=True, capture_output=True
            )
        problems = []
        for po in sorted(LOCALE.glob("*.po")):
            current = po.read_text(encoding="utf-8")
            before = originals.get(po.name)
            if before is None or HEADER.sub("", before) != HEADER.sub("", current):
                problems.append(f"{po.name} is out of date: run `make messages` and commit it.")
                continue
            for msgid, msgstr, fuzzy in entries(current):
                if fuzzy:
                    problems.append(f"{po.name}: fuzzy translation for {msgid!r}")
                elif not msgstr:
                    problems.append(f"{po.name}: no French for {msgid!r}")
                else:
                    problems.extend(
                        f"{po.name}: {fault} in {msgstr!r}" for fault in typography_faults(msgstr)
                    )
            mo = po.with_suffix(".mo")
            fresh = Path(saved) / f"fresh-{mo.name}"
            subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
            if not mo.exists() or mo.read_bytes() != fresh.read_bytes():
                problems.append(f"{mo.name} does not match {po.name}: run `make messages`.")
    finally:
        shutil.copytree(saved, LOCALE, dirs_exist_ok=True, ignore=shutil.ignore_patterns("fresh-*"))
        shutil.rmtree(saved)
    problems.extend(translations_in_f_strings())
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("French catalogue is current.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
