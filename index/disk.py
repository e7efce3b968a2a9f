"""How one index folder lies on disk, so that a save killed at any instant leaves a loadable index.

    data/indexes/e5-1a2b3c4d5e/          the index folder ("slot"), named after what built it
        CURRENT                          {"version": "v-…", "manifest_sha256": "…"}: the one switch
        documents.json                   the document list, kept beside the versions (see below)
        v-<time_ns>-<pid>/               one complete index: vectors.faiss, units.jsonl, pieces.jsonl,
                                         spans.npy, spans.json, manifest.json (with each file's sha256)
        .tmp-<pid>-<time_ns>/            a version being written
    data/indexes/.e5-1a2b3c4d5e.lock     writers take turns on it (index.lock)

A save writes a whole new version in a `.tmp-` folder, renames it to `v-…` once complete, writes the
document list, and then switches CURRENT with one `os.replace`; only after that is the previous version
removed. Killed before the switch, CURRENT still names the previous, complete version; after it, the new
one. The leftovers of a dead writer (a `.tmp-` folder, a version no pointer names, the `.old-`/`.tmp-`
folders the earlier one-folder layout renamed) are cleaned by the next writer, under the lock, and only
when the process that made them is gone. A pointer that names a missing version, or no pointer at all
(the very first save killed before its switch), loads the newest complete version instead.

Why the document list is a file of its own: `integrity ingest --rebuild` must re-read every document the
index holds even when the index is unreadable, which is exactly when the manifest may be the damaged file.
documents.json is small, written whole by `os.replace`, and read only when the index itself cannot be;
when it is unreadable too, the manifest's document table is tried on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

from index.errors import IndexCorruptError, IndexMissingError

POINTER = "CURRENT"
DOCUMENTS = "documents.json"
FILES = ("vectors.faiss", "units.jsonl", "pieces.jsonl", "spans.npy", "spans.json", "manifest.json")
VERSION = re.compile(r"^v-(\d+)-(\d+)$")
TMP = re.compile(r"^\.tmp-(\d+)-\d+$")
FIX = "rebuild it with `integrity ingest --rebuild`."


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def alive(pid: int) -> bool:
    """Whether a process with this id still runs (a zombie, killed but not yet reaped, counts as gone)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)


# -- writing --------------------------------------------------------------------------------------------
def begin(slot: Path) -> Path:
    """A fresh folder for the files of a new version."""
    slot.mkdir(parents=True, exist_ok=True)
    tmp = slot / f".tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    return tmp


def commit(slot: Path, tmp: Path, manifest: dict[str, Any], documents: dict[str, Any]) -> Path:
    """Checksums into the manifest, the version renamed complete, the document list, then the switch."""
    manifest = {**manifest, "files": {p.name: sha256_file(p) for p in sorted(tmp.iterdir())}}
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    for p in tmp.iterdir():
        fsync(p)
    fsync(tmp)
    version = slot / f"v-{time.time_ns()}-{os.getpid()}"
    tmp.rename(version)
    write_atomic(slot / DOCUMENTS, json.dumps({"documents": documents}, ensure_ascii=False, indent=1))
    pointer = {"version": version.name, "manifest_sha256": sha256_file(version / "manifest.json")}
    write_atomic(slot / POINTER, json.dumps(pointer))
    fsync(slot)
    drop_others(slot, version.name)
    return version


def drop_others(slot: Path, keep: str) -> None:
    """Every version but `keep`, and the files of the earlier one-folder layout (a pointer names `keep`)."""
    for p in slot.iterdir():
        if VERSION.match(p.name) and p.name != keep:
            shutil.rmtree(p, ignore_errors=True)
        elif p.name in FILES and p.is_file():
            p.unlink(missing_ok=True)


# -- reading --------------------------------------------------------------------------------------------
def pointer(slot: Path) -> tuple[str, str] | None:
    """(version, manifest sha256) from CURRENT when it is readable and names a complete version."""
    try:
        d = json.loads((slot / POINTER).read_text("utf-8"))
        version, sha = str(d["version"]), str(d["manifest_sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (version, sha) if VERSION.match(version) and (slot / version / "manifest.json").is_file() else None


def versions(slot: Path) -> list[Path]:
    """Complete versions (a `v-` folder is renamed from `.tmp-` only once complete), newest first."""
    found = {
        p: int(m.group(1)) for p in slot.iterdir() if (m := VERSION.match(p.name)) and (p / "manifest.json").is_file()
    }
    return sorted(found, key=lambda p: found[p], reverse=True)


def locate(slot: Path) -> tuple[Path, str | None]:
    """The folder to load and the manifest's expected sha256 (None when no pointer vouches for it).

    IndexMissingError only when nothing says an index was ever here: otherwise the caller gets an
    IndexCorruptError, and no command builds a new index over the remains of one."""
    if (ptr := pointer(slot)) is not None:
        return slot / ptr[0], ptr[1]
    if slot.is_dir():
        if found := versions(slot):
            return found[0], None
        if (slot / "manifest.json").is_file():  # the earlier layout: the files in the folder itself
            return slot, None
        remains = [p.name for p in slot.iterdir() if p.name in (POINTER, DOCUMENTS, *FILES) or VERSION.match(p.name)]
        if remains:
            raise IndexCorruptError(f"the index at {slot} has no complete version left ({', '.join(remains)}); {FIX}")
    raise IndexMissingError(f"no index at {slot}; build it with `integrity ingest`.")


def check(folder: Path, name: str, expect: str | None) -> None:
    if expect is not None and sha256_file(folder / name) != expect:
        raise IndexCorruptError(
            f"the index at {folder.parent if VERSION.match(folder.name) else folder}: {name} does not match the "
            f"checksum recorded for it (it changed after it was written); {FIX}"
        )


def document_list(slot: Path) -> dict[str, dict[str, Any]] | None:
    """The documents the index holds, without loading it: documents.json, else the manifest's table alone."""
    for source in (slot / DOCUMENTS, *(v / "manifest.json" for v in (versions(slot) if slot.is_dir() else []))):
        try:
            docs = json.loads(source.read_text("utf-8"))["documents"]
            if isinstance(docs, dict) and all(isinstance(d, dict) and "path" in d for d in docs.values()):
                return docs
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def forget(slot: Path, doc_ids: list[str]) -> None:
    docs = document_list(slot) or {}
    kept = {k: d for k, d in docs.items() if k not in doc_ids}
    write_atomic(slot / DOCUMENTS, json.dumps({"documents": kept}, ensure_ascii=False, indent=1))


# -- cleaning (only under the writer lock) --------------------------------------------------------------
def clean(slot: Path) -> None:
    """Remove what dead writers left, restore what the earlier layout's killed save renamed away, and point
    CURRENT at the newest complete version when it names none. Best effort: what cannot go stays."""
    if not slot.parent.is_dir():
        return
    clean_earlier_layout(slot)
    if slot.is_dir():
        clean_versions(slot)


def clean_earlier_layout(slot: Path) -> None:
    """The `.NAME.tmp-PID` and `.NAME.old-PID` folders the earlier layout's save left when it was killed."""
    parent = slot.parent
    old_style = re.compile(rf"^\.{re.escape(slot.name)}\.(tmp|old)-(\d+)$")
    leftovers = [(m.group(1), p) for p in parent.iterdir() if (m := old_style.match(p.name)) and not alive(int(m[2]))]
    for kind, p in sorted(leftovers, key=lambda x: x[0] != "old"):
        try:
            if kind == "old" and not slot.exists():
                p.rename(slot)  # the previous index, renamed away by a save that was killed
            else:
                shutil.rmtree(p)
        except OSError:
            pass


def clean_versions(slot: Path) -> None:
    """Unfinished and superseded versions of dead writers; CURRENT set when it names none."""
    for p in slot.iterdir():
        if (m := TMP.match(p.name)) and not alive(int(m.group(1))):
            shutil.rmtree(p, ignore_errors=True)
    ptr = pointer(slot)
    if ptr is None and (found := versions(slot)):
        ptr = (found[0].name, sha256_file(found[0] / "manifest.json"))
        try:
            write_atomic(slot / POINTER, json.dumps({"version": ptr[0], "manifest_sha256": ptr[1]}))
        except OSError:
            return
    if ptr is not None:
        for p in slot.iterdir():
            if (m := VERSION.match(p.name)) and p.name != ptr[0] and not alive(int(m.group(2))):
                shutil.rmtree(p, ignore_errors=True)
            elif p.name in FILES and p.is_file():
                p.unlink(missing_ok=True)
