"""Named evaluation configurations, one TOML file each in eval/configs/ (or any path to a .toml file).

description = "what this configuration is"
pipeline = "ours"        # ours | llamaindex (the outside baseline, eval/baseline.py)
mode = "hybrid"          # retrieval mode given to Assistant.ask: hybrid | dense | lexical
default = true           # optional: the configuration whose results are the run's own (one per run)
[settings]               # optional: overrides of assistant.settings.Settings fields
refusal_threshold = 0.35
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.settings import STAGE_OF, Settings
from index.errors import InputError
from index.retrieve import Mode
from index.settings import IndexSettings

FOLDER = Path(__file__).resolve().parent / "configs"
PIPELINES = ("ours", "llamaindex")
MODES = ("hybrid", "dense", "lexical")
KEYS = {"description", "pipeline", "mode", "default", "settings"}
# overrides of these fields need another index than the one already loaded
INDEX_FIELDS = set(IndexSettings.model_fields)
MODE_PRESET = {"hybrid": "hybrid", "dense": "dense", "lexical": "bm25"}


@dataclass(frozen=True)
class Preset:
    name: str
    path: Path
    description: str = ""
    pipeline: str = "ours"
    mode: Mode = "hybrid"
    default: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)

    def settings(self, base: Settings) -> Settings:
        """The base settings with this preset's overrides, validated field by field."""
        if not self.overrides:
            return base
        try:
            return base.replace(**self.overrides)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise InputError(f"{self.path}: setting '{where}': {err['msg']}; fix the [settings] table.") from None

    @property
    def needs_own_index(self) -> bool:
        return bool(INDEX_FIELDS & set(self.overrides))


def available(folder: Path = FOLDER) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.toml"))


def parse(path: Path, data: dict[str, Any]) -> Preset:
    """A preset from a parsed TOML table; unknown keys and values are errors naming the file and key."""
    name = path.stem
    for key in data:
        if key not in KEYS:
            raise InputError(f"{path}: unknown key '{key}'; use {', '.join(sorted(KEYS))}.")
    pipeline = data.get("pipeline", "ours")
    if pipeline not in PIPELINES:
        raise InputError(f"{path}: 'pipeline' is '{pipeline}'; use one of {', '.join(PIPELINES)}.")
    mode = data.get("mode", "hybrid")
    if mode not in MODES:
        raise InputError(f"{path}: 'mode' is '{mode}'; use one of {', '.join(MODES)}.")
    overrides = data.get("settings", {})
    if not isinstance(overrides, dict):
        raise InputError(f"{path}: 'settings' must be a table of Settings fields.")
    for key in overrides:
        if key not in STAGE_OF:
            raise InputError(f"{path}: [settings] '{key}' is not a Settings field (see assistant/settings.py).")
    return Preset(
        name, path, str(data.get("description", "")), pipeline, mode, bool(data.get("default")), dict(overrides)
    )


def load(name: str, folder: Path = FOLDER) -> Preset:
    """A preset by name (a file in eval/configs/) or by path to a .toml file."""
    path = Path(name) if name.endswith(".toml") else folder / f"{name}.toml"
    if not path.is_file():
        raise InputError(
            f"no configuration '{name}'; choose from {', '.join(available(folder))} or give a path to a .toml file."
        )
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not valid TOML ({e}).") from e
    return parse(path, data)


def load_many(names: str | None, mode: str = "hybrid", folder: Path = FOLDER) -> list[Preset]:
    """Comma-separated names (`bm25,dense,hybrid`); none given: the preset of the retrieval `mode`."""
    if names is None:
        if mode not in MODE_PRESET:
            raise InputError(f"--mode is '{mode}'; use one of {', '.join(MODE_PRESET)}.")
        names = MODE_PRESET[mode]
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    if not wanted:
        raise InputError("--configs is empty; name one or more of " + ", ".join(available(folder)) + ".")
    out = [load(n, folder) for n in wanted]
    seen: set[str] = set()
    for p in out:
        if p.name in seen:
            raise InputError(f"configuration '{p.name}' is named twice in --configs.")
        seen.add(p.name)
    return out


def primary(presets: list[Preset]) -> Preset:
    """The configuration whose results are the run's own (DIR/results.jsonl): the first marked
    `default = true`, else the first listed."""
    return next((p for p in presets if p.default), presets[0])
