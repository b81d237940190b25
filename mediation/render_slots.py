"""A bound on how many heavy renderings (PDFs) the web workers run at once on this host.

Each slot is a file locked with flock(): the lock is shared by every worker process, held
only while a rendering runs, and released by the kernel if a worker dies mid-way, so a slot
never leaks. When every slot is taken, a request waits a little, then gives up with
RenderBusy: the other workers stay free for the pages residents read.
Command-line renderings (generate_flyers) do not take slots.
"""

import contextlib
import fcntl
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

POLL_SECONDS = 0.05


class RenderBusy(Exception):
    """Every rendering slot is taken; the caller answers 503 with Retry-After."""

    code = "render_busy"


def _slots_dir() -> Path:
    folder = getattr(settings, "RENDER_SLOTS_DIR", None) or (
        Path(tempfile.gettempdir()) / "mediation-render-slots"
    )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _try_take(folder: Path, slots: int):
    for number in range(slots):
        handle = (folder / f"slot-{number}.lock").open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return handle
    return None


@contextlib.contextmanager
def render_slot(*, wait: float | None = None) -> Iterator[None]:
    """Hold one of `settings.RENDER_CONCURRENCY` slots while the block runs."""
    slots = settings.RENDER_CONCURRENCY
    wait = settings.RENDER_SLOT_WAIT_SECONDS if wait is None else wait
    folder = _slots_dir()
    deadline = time.monotonic() + wait
    handle = _try_take(folder, slots)
    while handle is None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        handle = _try_take(folder, slots)
    if handle is None:
        raise RenderBusy
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
