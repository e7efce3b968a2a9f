"""Cold start of `integrity serve` until the page loads and a question is answered (figures printed, not judged).

    python -m ui.bench_serve [--runs 3]

Uses the index of the current settings (INTEGRITY_DATA_DIR …); build it first with `integrity ingest`.
The tests and scripts/screenshot.py start their servers with `start_server` and `wait_ready` from here, and
drive Debian's Chromium with `CHROMIUM` and `CHROMIUM_ARGS`.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

CHROMIUM = "/usr/bin/chromium"  # Debian's (apt-get install -y chromium)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

QUESTION = "道德操守办公室2020年收到多少服务请求？"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, env: dict[str, str] | None = None, log: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """`integrity serve` on 127.0.0.1:`port` in a child process (its output to `log`, else discarded)."""
    full = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    out = log if log is not None else subprocess.DEVNULL
    return subprocess.Popen(cmd, env=full, stdout=out, stderr=subprocess.STDOUT, cwd=Path(__file__).parent.parent)


def wait_ready(
    url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0, t0: float | None = None
) -> tuple[float, float]:
    """Seconds since `t0` (default: now) until the page answers 200 and until POST /api/ask returns an answer."""
    t0 = time.perf_counter() if t0 is None else t0
    page_at = 0.0
    with httpx.Client(timeout=10) as client:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with code {proc.returncode} before answering")
            try:
                if not page_at and client.get(url + "/").status_code == 200:
                    page_at = time.perf_counter() - t0
                if page_at:
                    r = client.post(url + "/api/ask", json={"question": QUESTION})
                    if r.status_code == 200 and r.json().get("text"):
                        return page_at, time.perf_counter() - t0
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise TimeoutError(f"no answer from {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds from starting `integrity serve` (with `env` over this environment) to the page and to an answer."""
    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(port, env)
    try:
        return wait_ready(f"http://127.0.0.1:{port}", proc, t0=t0)
    finally:
        stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    runs = [measure() for _ in range(max(1, ap.parse_args().runs))]
    for i, (page, answer) in enumerate(runs, start=1):
        print(f"run {i}: page loads after {page:.2f} s, first answer after {answer:.2f} s")
    median = statistics.median(a for _, a in runs)
    print(
        f"cold start of `integrity serve` to a page that answers: median {median:.2f} s over {len(runs)} runs "
        f"(cpu cores: {os.cpu_count()})"
    )


if __name__ == "__main__":
    main()
