"""The rule vocabularies: TOML data files beside the code that reads them, loaded once.

Each file says in its header what it is for and how an entry earns its place. Floors above read their own
files the same way (`vocab.load(Path(__file__).parent / "data" / "cues.toml")`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(path: Path) -> dict[str, Any]:
    """A data file as parsed TOML; a broken file is a bug of this package, so its error names the file."""
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RuntimeError(f"vocabulary file {path} is unreadable: {e}") from e


def index_data(name: str) -> dict[str, Any]:
    return load(DATA / name)
