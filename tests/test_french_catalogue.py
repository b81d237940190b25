"""The French catalogue: every string translated, with French typography."""

from pathlib import Path

import pytest

from mediation.text import typography_faults

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def msgstrs(text: str) -> list[str]:
    found = []
    for block in text.split("\n\n"):
        if "msgstr" not in block or 'msgid ""\nmsgstr ""\n"Project' in block:
            continue
        lines = block.split("msgstr", 1)[1].splitlines()
        value = "".join(
            line[line.index('"') + 1 : line.rindex('"')] for line in lines if '"' in line
        )
        if value:
            found.append(value.replace('\\"', '"'))
    return found


@pytest.mark.parametrize(
    ("sentence", "faulty"),
    [
        ("Appelez-nous\u00a0: 03\u00a022\u00a011\u00a022\u00a033", False),
        ("Appelez-nous : 03 22", True),
        ("Quand vient-il ?", True),
        ("Quand vient-il?", True),
        ("« Mon compte »", True),
        ("«\u00a0Mon compte\u00a0»", False),
        ("de 9 h 30 à 12\u00a0h", True),
        ("Voir https://www.caf.fr/ et le ratio 4,5:1", False),
    ],
)
def test_the_typography_check_tells_good_from_bad(sentence, faulty):
    assert bool(typography_faults(sentence)) is faulty


def test_every_french_string_has_non_breaking_spaces_where_french_wants_them():
    faults = {
        text: typography_faults(text)
        for text in msgstrs(CATALOGUE.read_text(encoding="utf-8"))
        if typography_faults(text)
    }
    assert faults == {}
    assert len(msgstrs(CATALOGUE.read_text(encoding="utf-8"))) > 300


def _entry(msgid: str, msgstr: str, reference: str = "tablets/models.py") -> str:
    return f'#: {reference}\nmsgid "{msgid}"\nmsgstr "{msgstr}"'


def test_a_translation_corrected_on_another_branch_survives_the_catalogue_merge():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "bin" / "merge_po.py"
    spec = importlib.util.spec_from_file_location("merge_po", path)
    merge_po = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(merge_po)
    base = "\n\n".join([_entry("OS version", "version du système"), _entry("Serial", "série")])
    # Their branch capitalised a header; ours corrected another string and added one.
    theirs = "\n\n".join([_entry("OS version", "Version du système"), _entry("Serial", "série")])
    ours = "\n\n".join(
        [
            _entry("OS version", "version du système"),
            _entry("Serial", "Numéro de série"),
            _entry("Brand", "Marque"),
        ]
    )
    union = ours  # msgcat --use-first: ours wherever both hold the string

    merged = merge_po.take_theirs_where_only_they_changed(base, ours, theirs, union)

    assert msgstrs(merged) == ["Version du système", "Numéro de série", "Marque"]
