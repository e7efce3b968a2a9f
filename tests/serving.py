"""A real `integrity serve` on a copy of the session index, and a raw client of gradio's queue and upload routes
(what the browser sends: POST /gradio_api/queue/join, then the SSE stream of /gradio_api/queue/data)."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from assistant.settings import PACKAGE_ROOT, Settings
from index.build import index_folder
from ui.bench_serve import free_port, start_server, stop, wait_ready

PASSWORD = "correct horse"


@dataclass
class Server:
    url: str
    root: Path
    log: Path
    proc: subprocess.Popen[bytes]

    @property
    def uploads(self) -> Path:
        """gradio's upload folder of this server: the app's own temp folder under its data folder (ui/temp.py)."""
        return self.root / "data" / "web-temp"


@contextmanager
def serve_copy(
    root: Path, settings: Settings, embedder_name: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """`integrity serve` in a child process on a copy of the session index, with its own data and upload folders."""
    shutil.copytree(index_folder(settings.index, embedder_name), root / "index")
    full = {
        "INTEGRITY_DATA_DIR": str(root / "data"),
        "INTEGRITY_INDEX_PATH": str(root / "index"),
        "INTEGRITY_CORPUS_DIR": str(PACKAGE_ROOT / "corpus"),
        "INTEGRITY_ADMIN_PASSWORD": PASSWORD,
        "INTEGRITY_MAX_UPLOAD_MB": "1",
        "GRADIO_TEMP_DIR": str(root / "gradio"),
        **(env or {}),
    }
    port, log = free_port(), root / "server.log"
    with log.open("wb") as out:
        proc = start_server(port, full, out)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(url, proc, timeout=180)
            yield Server(url, root, log, proc)
        finally:
            stop(proc)


def client(source: str = "127.0.0.1") -> httpx.Client:
    """An HTTP client whose connections come from `source` (any 127.x address is this machine)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=120)


def event(config: dict[str, Any], elem_id: str, trigger: str) -> dict[str, Any]:
    """The dependency (event) that `trigger` on the component with `elem_id` runs, from /config."""
    ids = {c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id}
    return next(d for d in config["dependencies"] if any(t[0] in ids and t[1] == trigger for t in d["targets"]))


def file_data(path: str | Path, name: str | None = None) -> dict[str, Any]:
    return {"path": str(path), "orig_name": name or Path(path).name, "meta": {"_type": "gradio.FileData"}}


def queue_call(http: httpx.Client, url: str, elem_id: str, trigger: str, values: dict[str, Any]) -> dict[str, Any]:
    """Run one event as the page does; `values` by input elem_id. Returns the `process_completed` message."""
    config = http.get(url + "/config").json()
    dep = event(config, elem_id, trigger)
    by_id = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    session = uuid.uuid4().hex[:11]
    body = {
        "data": [values.get(by_id.get(i) or "") for i in dep["inputs"]],
        "fn_index": dep["id"],
        "trigger_id": dep["targets"][0][0],
        "session_hash": session,
        "event_data": None,
    }
    raw = json.dumps(body).encode()  # \uXXXX escapes: a lone surrogate travels as a browser would send it
    joined = http.post(url + "/gradio_api/queue/join", content=raw, headers={"content-type": "application/json"})
    assert joined.status_code == 200, joined.text
    with http.stream("GET", url + "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return dict(msg)
    raise AssertionError("the queue stream ended without process_completed")


def upload(http: httpx.Client, url: str, path: Path) -> httpx.Response:
    """POST a file to gradio's upload route, as the File component does."""
    with path.open("rb") as f:
        return http.post(url + "/gradio_api/upload", files={"files": (path.name, f)})


def status_of(done: dict[str, Any]) -> str:
    """The library status line an add or remove click returned (or gradio's error)."""
    out = done.get("output", {})
    if not done.get("success", False):
        return f"error: {out.get('error')}"
    return str(out["data"][0])
