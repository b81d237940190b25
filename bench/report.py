"""The tables of `bench/paths.py`, checked against the targets, in docs/benchmarks.md."""

import os
import platform
import statistics
from pathlib import Path

from bench.volume import BASE_DIR

DOCS = BASE_DIR / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:paths -->", "<!-- /bench:paths -->"

# The names the table has given two screens of the menu since it first measured them.
ADMIN_LABELS = {"/admin/presences/": "attendance report", "/admin/tablets/": "the fleet"}

# What "done" means (issue 18): a ratio to a floor (rate) or a ceiling in seconds (time).
TARGETS = {
    "commune-cached": ("≥", 0.60),
    "commune-fresh": ("≥", 0.15),
    "quiet-cached": ("≥", 0.60),
    "quiet-fresh": ("≥", 0.15),
    "home-cached": ("≥", 0.60),
    "home-fresh": ("≥", 0.15),
    "stop-cached": ("≥", 0.60),
    "stop-fresh": ("≥", 0.15),
    "map-fresh": ("≥", 0.30),
    "signup": ("≥", 0.50),
    "feed-fresh": ("≤", 0.300),
    "feed-cached": ("≤", 0.020),
    "sync": ("≤", 1.0),
    "sync-replay": ("≤", 0.5),
    "sync-wait": ("<", 0.100),
}
ADMIN_CEILING = 0.300


def sync_cases(port: int, mediator, targets, repeats: int) -> list:
    """The tablet's sync at volume (see bench/sync.py), when the sync endpoint is there."""
    try:
        from bench import sync
    except ImportError:
        return []
    return sync.cases(port, mediator, targets, repeats)


def clean_up_sync(started_at) -> None:
    try:
        from bench import sync
    except ImportError:
        return
    sync.clean_up(started_at)


def _target(case) -> tuple[str, float] | None:
    if case.key in TARGETS:
        return TARGETS[case.key]
    if case.key.startswith("admin:") or case.key == "dashboard":
        return ("≤", ADMIN_CEILING)
    return None


def _holds(sign: str, value: float, limit: float) -> bool:
    return {"≥": value >= limit, "≤": value <= limit, "<": value < limit}[sign]


def _format(case, value: float) -> str:
    if case.kind == "rate":
        return f"{value:,.0f} req/s"
    return f"{value * 1000:,.1f} ms" if value < 10 else f"{value:,.1f} s"


def markdown(cases, volume, *, scale: str, loads, seconds: float) -> str:
    by_key = {case.key: case for case in cases}
    lines = [
        BEGIN,
        "## Every path at volume (`bench/paths.py`)",
        "",
        f"**Data** ({scale} scale, built in {volume.built_seconds:.0f} s"
        + (", reused" if volume.reused else "")
        + f"): {volume.communes:,} communes, {volume.stops:,} stops ({volume.upcoming_stops:,} "
        f"to come), {volume.workshops:,} workshops, {volume.registrations:,} registrations "
        f"({volume.anonymised:,} anonymised), {volume.attendances:,} attendances, "
        f"{volume.tablets} tablets, {volume.vans} vans.",
        "",
        f"**Machine**: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, {platform.platform(terse=True)}; database "
        f"{_vendor()}; gunicorn, 2 sync workers per server, `MEDIATION_ENV=production`, Redis "
        f"cache. Load average (1, 5, 15 min) before: {_load(loads[0])}; after: "
        f"{_load(loads[1])} (the machine is shared with other engineers' tests).",
        "",
        f"**Method**: {len(next(iter(cases)).values)} turns; in each, every case in turn (the "
        "order reversed every other turn). Throughput: 4 client threads for a fixed time, one "
        "connection per request, loopback. Times: sequential requests, the median of each turn. "
        "Medians of the turns, with their range. Total bench time: "
        f"{seconds:.0f} s.",
        "",
        "| path | median | range | floor | ratio | target | holds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for case in cases:
        median = statistics.median(case.values)
        low, high = min(case.values), max(case.values)
        floor = by_key.get(case.floor)
        floor_text = ratio_text = ""
        ratio = None
        if floor:
            floor_median = statistics.median(floor.values)
            floor_text = _format(floor, floor_median)
            ratio = median / floor_median
            ratio_text = f"{ratio:.0%}" if case.kind == "rate" else f"{ratio:.1f}×"
        target = _target(case)
        target_text = holds = ""
        if target:
            sign, limit = target
            value = ratio if case.kind == "rate" else median
            if value is not None:
                shown = f"{limit:.0%}" if case.kind == "rate" else _format(case, limit)
                target_text = f"{sign} {shown}"
                holds = "yes" if _holds(sign, value, limit) else "**no**"
        lines.append(
            f"| {case.label} | {_format(case, median)} | {_format(case, low)} – "
            f"{_format(case, high)} | {floor_text} | {ratio_text} | {target_text} | {holds} |"
        )
    lines += ["", END]
    return "\n".join(lines)


def _load(values) -> str:
    return ", ".join(f"{value:.1f}" for value in values)


def _vendor() -> str:
    from django.db import connection

    return f"{connection.vendor} {connection.Database.__name__}"


def write_docs(text: str, path: Path = DOCS) -> None:
    """Replace the section between the markers (or append it), keeping the rest of the file."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        updated = head + text + tail
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(updated, encoding="utf-8")
