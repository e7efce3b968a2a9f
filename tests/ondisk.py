"""What the data-safety tests share: the real `integrity` command in subprocesses, small real corpora, index files.

Nothing here stands in for our code: these helpers start the real CLI, write real documents and find the real
files an index is made of, so that a test can damage them the way a disk, a crash or an attacker would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TIMEOUT = 300  # a guard so that a hung command fails the test instead of hanging it; never an assertion


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "INTEGRITY_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    env.pop("INTEGRITY_INDEX_PATH", None)
    return {**env, **extra}


def cli_cmd(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", *args]


def run_cli(args: list[str], data_dir: Path, timeout: float = TIMEOUT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_cmd(args), env=cli_env(data_dir, **env), capture_output=True, check=False, text=True, timeout=timeout
    )


def start_cli(args: list[str], data_dir: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli_cmd(args), env=cli_env(data_dir, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    """The single `error: …` line of a command that failed with exit code 2 (asserted), without the prefix."""
    assert r.returncode == 2, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr[-2000:]
    return lines[0].removeprefix("error: ")


def report(symbol: str, office: str, paragraphs: int = 3) -> str:
    """A small UN-style report that prints `symbol` and numbers its paragraphs (distinct text per office)."""
    lines = [symbol, "", f"# {office} 年度活动报告", ""]
    for i in range(1, paragraphs + 1):
        lines += [f"{i}. {office}在第 {i} 个报告期内处理了 {100 + i} 项请求，其中 {i} 项涉及{office}的报复投诉。", ""]
    return "\n".join(lines)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def tiny_corpus(folder: Path) -> Path:
    """A two-document corpus folder (with a manifest, as the bundled one has): builds in seconds."""
    write(folder / "ethics.md", report("A/90/1", "道德操守办公室"))
    write(folder / "oios.md", report("A/90/2", "内部监督事务厅"))
    return folder


def index_files(slot: Path, name: str) -> list[Path]:
    """Every copy of an index file named `name` under an index folder, whatever its layout."""
    return sorted(p for p in slot.rglob(name) if p.is_file())


def dead_pid() -> int:
    """The id of a process that has exited (what a killed writer leaves in the names of its leftovers)."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def flip_byte(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    i = min(len(data) - 1, int(len(data) * at))
    data[i] ^= 0x01
    path.write_bytes(bytes(data))
