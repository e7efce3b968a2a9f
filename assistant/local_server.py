"""llama.cpp's OpenAI-compatible server, run in this process by xllamacpp (the `local` extra), on loopback.

One server per process and configuration (`serve`): each loads its own copy of the model (about 2 GB), so
the generator, the condenser and the brief writer share it. `xlc.Server(params)` returns once the model is
loaded and a free port is bound (port 0, 127.0.0.1 only); llama.cpp's threads die with the process. Dropping
the last reference stops it, but only safely once its main loop runs: before that the destructor can hang
forever (a race seen in the research spike), so `start` waits for one request through the loop (GET /slots).
"""

from __future__ import annotations

import gc
import json
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.llm import Endpoint
from assistant.local_model import ALIAS, check_gguf, model_path
from assistant.settings import Settings
from index.errors import InputError

EXTRA = "pip install -e '.[local]'"
CACHE_RAM_MIB = 256  # llama.cpp's host-memory prompt cache (its default is 8 GiB)


@dataclass(frozen=True)
class Config:
    model: Path
    threads: int
    context: int


@dataclass
class Running:
    server: Any
    base: str
    load_s: float


_servers: dict[Config, Running] = {}
_lock = threading.Lock()


def config(settings: Settings) -> Config:
    s = settings.llm
    path = check_gguf(s.local_model) if s.local_model else model_path(settings.index.data_dir)
    return Config(path, s.local_threads, s.local_context)


def alias(c: Config) -> str:
    """The model name the server reports (in /v1/models and every reply): the small model's, or the file's."""
    return ALIAS if c.model.name.startswith(ALIAS) else c.model.stem


def params(c: Config) -> Any:
    try:
        import xllamacpp as xlc
    except ImportError as e:
        raise InputError(f"the local generator needs xllamacpp, which is not installed: {EXTRA}.") from e
    p = xlc.CommonParams()
    p.model.path = str(c.model)
    p.model_alias = {alias(c)}
    p.n_ctx = c.context
    p.n_parallel = 1  # one answer at a time: on a few cores parallel slots only split the speed
    p.cpuparams.n_threads = c.threads or -1
    p.cpuparams_batch.n_threads = c.threads or -1
    p.hostnames = ["127.0.0.1"]
    p.port = 0  # the OS picks a free port; the server reports it
    p.cache_ram_mib = CACHE_RAM_MIB
    p.offline = True
    p.warmup = False
    p.verbosity = 1  # llama.cpp's own log to stderr: errors only
    return p


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as r:
        data: bytes = r.read()
        return data


def wait(base: str, path: str, timeout: float = 60.0) -> bytes:
    end = time.monotonic() + timeout
    while True:
        try:
            return get(base + path)
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


def start(c: Config) -> Running:
    import xllamacpp as xlc

    p = params(c)
    t = time.perf_counter()
    try:
        server = xlc.Server(p)
    except RuntimeError as e:  # its only words: "Failed to init server, please check the input params."
        raise InputError(
            f"llama.cpp could not load {c.model} with a context of {c.context} tokens ({e}); check the file and "
            "INTEGRITY_LOCAL_CONTEXT."
        ) from e
    base = str(server.listening_address)
    if json.loads(wait(base, "/health")).get("status") != "ok":
        raise InputError(f"the local model server at {base} is not healthy; see its log on stderr.")
    wait(base, "/slots")  # answered by the main loop: from now on dropping the server cannot hang
    return Running(server, base, time.perf_counter() - t)


def serve(settings: Settings) -> Endpoint:
    """The endpoint of this process's server for the configured model, started on first use."""
    c = config(settings)
    with _lock:
        running = _servers.get(c) or _servers.setdefault(c, start(c))
    return Endpoint(running.base + "/v1", alias(c), "", settings.llm.local_timeout, 0)


def running(settings: Settings) -> Running | None:
    """The server already started for this configuration, if any (the benchmark reads its load time)."""
    return _servers.get(config(settings))


def stop_all() -> None:
    """Stop every server this process started (each was past its first request: no hang)."""
    with _lock:
        _servers.clear()
    gc.collect()
