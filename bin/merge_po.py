"""Git merge driver for the French catalogue: a union of both sides' entries, three-way.

`msgcat --use-first` makes the union (new strings from both branches) but, for a string
both sides hold, keeps ours: a translation corrected on the other branch was silently lost
("Version du système" came back as "version du système"). After msgcat, every entry that
only the other branch changed since the common ancestor takes the other branch's text.
`make messages` then tidies the file. Set up by `make git-setup`:

    merge.pocat.driver = python3 bin/merge_po.py %O %A %B
"""

import subprocess
import sys
from pathlib import Path


def _normal(lines: list[str]) -> str:
    """Lines of a po entry as keyword and string, however gettext wrapped them."""
    parts = []
    for line in lines:
        keyword, _, rest = line.partition(" ") if not line.startswith('"') else ("", "", line)
        if keyword:
            parts.append(keyword + ":")
        parts.append(rest.strip()[1:-1])
    return "".join(parts)


def _entries(text: str) -> dict[str, tuple[str, list[str], list[str]]]:
    """Each entry's key (msgctxt, msgid, msgid_plural) → (its flags and msgstr as compared,
    its flag lines, its msgstr lines)."""
    found = {}
    for block in text.split("\n\n"):
        key, flags, value, current = [], [], [], None
        for line in block.strip("\n").splitlines():
            if line.startswith("#~"):  # obsolete: not an entry
                key = []
                break
            if line.startswith("#,"):
                flags.append(line)
                continue
            if line.startswith("#"):
                continue
            if line.startswith(("msgctxt", "msgid")):
                current = key
            elif line.startswith("msgstr"):
                current = value
            if current is not None:
                current.append(line)
        if key:
            found[_normal(key)] = ("\n".join(flags) + _normal(value), flags, value)
    return found


def take_theirs_where_only_they_changed(base: str, ours: str, theirs: str, merged: str) -> str:
    """`merged` (msgcat's union, ours first) with the entries only `theirs` changed since
    `base` as `theirs` has them."""
    base_entries, our_entries = _entries(base), _entries(ours)
    their_entries = _entries(theirs)
    blocks = []
    for block in merged.split("\n\n"):
        entry = _entries(block)
        if len(entry) == 1:
            [key] = entry
            theirs_now = their_entries.get(key)
            before = base_entries.get(key)
            ours_now = our_entries.get(key)
            if (
                theirs_now is not None
                and before is not None
                and ours_now is not None
                and ours_now[0] == before[0] != theirs_now[0]
            ):
                _, flags, value = theirs_now
                lines = block.strip("\n").splitlines()
                comments = [line for line in lines if line.startswith(("#.", "#:", "# "))]
                keys = [line for line in lines if not line.startswith("#")]
                keys = keys[: next(i for i, line in enumerate(keys) if line.startswith("msgstr"))]
                block = "\n".join([*comments, *flags, *keys, *value])
        blocks.append(block)
    return "\n\n".join(blocks)


def main(base_path: str, ours_path: str, theirs_path: str) -> int:
    ours = Path(ours_path)
    merged_path = ours.with_name(ours.name + ".merged")
    union = subprocess.run(
        ["msgcat", "--use-first", "-o", str(merged_path), ours_path, theirs_path], check=False
    )
    if union.returncode != 0:
        return union.returncode
    read = lambda path: Path(path).read_text(encoding="utf-8")  # noqa: E731
    merged = take_theirs_where_only_they_changed(
        read(base_path), read(ours_path), read(theirs_path), read(merged_path)
    )
    ours.write_text(merged, encoding="utf-8")
    merged_path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
