"""Writers of an index take turns: an inter-process lock file beside the index folder (`filelock`).

Every change to an index (a CLI ingest, rebuild or removal, a web upload or removal) holds the lock from
reading the index to switching in the new version, so a second writer waits and then builds on the first
one's result instead of overwriting it. Readers never take it: a save is atomic (`index.disk`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from index.errors import DataDirError

WAITING = "another ingest is running; waiting…"


def lock_path(slot: Path) -> Path:
    """`data/indexes/.e5-1a2b3c4d5e.lock` for the index folder `data/indexes/e5-1a2b3c4d5e`."""
    return slot.with_name(f".{slot.name}.lock")


@contextmanager
def writing(slot: Path) -> Iterator[None]:
    """Hold the index's writer lock; say so on stderr when another writer has it, and wait for it."""
    lock = FileLock(str(lock_path(slot)))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            print(WAITING, file=sys.stderr, flush=True)
            lock.acquire()
    except OSError as e:  # a read-only data folder, or one whose parent is a file
        raise DataDirError.about(slot.parent, e) from e
    try:
        yield
    finally:
        lock.release()


@contextmanager
def if_free(slot: Path) -> Iterator[bool]:
    """The writer lock when nobody holds it and it can be taken (True), else nothing (False): never waits."""
    if not slot.parent.is_dir():
        yield False
        return
    lock = FileLock(str(lock_path(slot)))
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()
