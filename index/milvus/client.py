"""One connection per Milvus URI, and what milvus-lite 3.2.2 / pymilvus 3.0.2 need said to them exactly.

A URI ending in `.db` is a milvus-lite folder, served by a thread of this process (one process at a time:
the folder is locked); `http(s)://host:19530` is a Milvus server, standalone or distributed. The same
client code reaches both. What differs, and is coded around here (measured in the spike, see README):

- index build parameters are kept only nested as `params={"params": {...}}` (flat ones are silently dropped);
- a reopened lite collection must be loaded before it is searched;
- a second process on the same lite folder gets an opaque `Open local milvus failed`: the lock is probed
  here and the error says what holds it; `client.close()` does not release the lock, `release` does;
- pymilvus logs every failed call with a traceback (its loggers are configured when it is imported).
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import Any

from index.errors import InputError, StoreUnavailableError

BATCH = 1000  # rows per upsert or query page: well under the server's 64 MB and lite's 256 MB messages
_clients: dict[tuple[str, str], Any] = {}


def is_lite(uri: str) -> bool:
    return not uri.startswith(("http://", "https://"))


def _quiet() -> None:
    """pymilvus configures its loggers when imported: quieten them after the import (and milvus-lite's)."""
    for name in ("pymilvus", "milvus_lite"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    import jieba

    jieba.setLogLevel(logging.WARNING)


def check_uri(uri: str) -> str:
    """The URI, checked: a lite path ending in .db whose parent can be made, or http(s)://."""
    if is_lite(uri):
        if not uri.endswith(".db"):
            raise InputError(
                f"INTEGRITY_MILVUS_URI is '{uri}'; give a path ending in .db (milvus-lite) or "
                "http://host:19530 (a Milvus server)."
            )
        try:
            Path(uri).absolute().parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise InputError(f"cannot create the folder of {uri} ({e.strerror}); set INTEGRITY_MILVUS_URI.") from e
        return str(Path(uri).absolute())
    return uri


def connect(uri: str, token: str | None = None) -> Any:
    """The MilvusClient for `uri` (shared by the searches and the writer of this process)."""
    uri = check_uri(uri)
    key = (uri, token or "")
    if key in _clients:
        return _clients[key]
    from pymilvus import MilvusClient, MilvusException
    from pymilvus.exceptions import ConnectionConfigException

    _quiet()
    try:
        client = MilvusClient(uri=uri, token=token or "")
    except ConnectionConfigException as e:
        if is_lite(uri) and locked(uri):
            raise StoreUnavailableError(
                f"the Milvus store {uri} is open in another process (milvus-lite lets one process at a time use "
                f"a folder); stop that process, or serve the folder to both with `milvus-lite server --data-dir "
                f"{uri} --host 127.0.0.1 --port 19530` and set INTEGRITY_MILVUS_URI=http://127.0.0.1:19530."
            ) from None
        raise StoreUnavailableError(
            f"cannot open the Milvus store {uri} ({e.message}); check INTEGRITY_MILVUS_URI."
        ) from None
    except MilvusException as e:
        raise unavailable(uri, e) from None
    _clients[key] = client
    return client


def unavailable(uri: str, e: Any) -> StoreUnavailableError:
    """The one-line error for a server that does not answer or refuses us."""
    message = str(getattr(e, "message", e)).splitlines()[0] if str(e) else type(e).__name__
    return StoreUnavailableError(
        f"cannot use Milvus at {uri} ({message}); check that the server runs, INTEGRITY_MILVUS_URI and "
        "INTEGRITY_MILVUS_TOKEN."
    )


def release(uri: str) -> None:
    """Close this process's connections to `uri`; for milvus-lite also stop its server thread, which is what
    frees the folder for another process (`close()` alone keeps it until the interpreter exits)."""
    uri = check_uri(uri)
    for key in [k for k in _clients if k[0] == uri]:
        _clients.pop(key).close()
    if is_lite(uri):
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(uri)


def locked(path: str) -> bool:
    """Whether another process holds milvus-lite's lock on the folder (`flock` on <path>/LOCK)."""
    lock = Path(path) / "LOCK"
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def quote(value: str) -> str:
    """A Milvus string literal (filter templates are not supported by lite: expressions are built here)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def one_of(field: str, values: list[str] | tuple[str, ...], negate: bool = False) -> str:
    return f"{field} {'not in' if negate else 'in'} [{', '.join(quote(v) for v in values)}]"


def rows(client: Any, collection: str, fields: list[str], expr: str = "") -> list[dict[str, Any]]:
    """Every row matching `expr`, page by page (a server caps one query at 16 384 rows)."""
    it = client.query_iterator(collection, batch_size=BATCH, filter=expr, output_fields=fields)
    out: list[dict[str, Any]] = []
    try:
        while page := it.next():
            out.extend(page)
    finally:
        it.close()
    return out


def upsert(client: Any, collection: str, data: list[dict[str, Any]]) -> None:
    """Upsert (never insert: a server would keep both rows of a repeated key) in pages."""
    for start in range(0, len(data), BATCH):
        client.upsert(collection, data[start : start + BATCH])
