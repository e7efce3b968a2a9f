"""Archive bombs, broken files and a data folder that cannot be written give one-line errors (issue 11, item 10).

Every file is built here for real (zipfile, python-docx, a hand-written PDF) and given to the real `integrity`
command; the subprocess time-out is only a guard against a hang, never an assertion.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from ondisk import one_line_error, report, run_cli, tiny_corpus, write
from pydantic import SecretStr

from assistant.pipeline import Assistant, ingest
from assistant.settings import Settings
from index.build import index_folder
from index.embed import Embedder
from index.errors import InputError
from index.read import read_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GUARD = 120  # seconds: a guard against a hang (the bomb took over 150 s and 4.2 GB before the fix)


def plain_docx(path: Path, text: str = "道德操守办公室提供保密咨询。") -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    d.save(str(path))
    return path


def rewrite_docx(path: Path, replace: dict[str, bytes | Iterator[bytes]], add: int = 0) -> Path:
    """A copy of a real .docx with some members replaced (streamed, so a bomb is never held in memory)."""
    src = plain_docx(path.with_name("base-" + path.name))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename not in replace:
                zout.writestr(item, zin.read(item.filename))
        for name, data in replace.items():
            with zout.open(name, "w", force_zip64=True) as f:
                for part in [data] if isinstance(data, bytes) else data:
                    f.write(part)
        for i in range(add):
            zout.writestr(f"customXml/extra{i}.xml", b"<a/>")
    src.unlink()
    return path


def bomb_xml(mb: int) -> Iterator[bytes]:
    """`mb` MB of valid WordprocessingML: one paragraph repeated (compresses about 1000 times)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
    para = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 30_000  # about 1 MB
    for _ in range(mb):
        yield para
    yield b"</w:body></w:document>"


@pytest.fixture
def empty_data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_docx_bomb_is_refused_before_it_is_parsed(empty_data: Path, tmp_path: Path) -> None:
    bomb = rewrite_docx(tmp_path / "bomb.docx", {"word/document.xml": bomb_xml(400)})
    assert bomb.stat().st_size < 2 * 1024 * 1024  # 400 MB of XML in a small file
    msg = one_line_error(run_cli(["ingest", str(bomb)], empty_data, timeout=GUARD))
    assert msg.startswith("bomb.docx: ") and "word/document.xml" in msg and "INTEGRITY_MAX_COMPRESSION_RATIO" in msg


@pytest.mark.parametrize(
    ("case", "env", "message"),
    [
        ("members", {"INTEGRITY_MAX_ARCHIVE_MEMBERS": "20"}, "INTEGRITY_MAX_ARCHIVE_MEMBERS"),
        ("unzipped", {"INTEGRITY_MAX_UNZIPPED_MB": "1"}, "INTEGRITY_MAX_UNZIPPED_MB"),
        ("ratio", {}, "INTEGRITY_MAX_COMPRESSION_RATIO"),
        ("text", {"INTEGRITY_MAX_TEXT_CHARS": "1000"}, "INTEGRITY_MAX_TEXT_CHARS"),
    ],
)
def test_each_archive_limit_gives_a_one_line_error(
    empty_data: Path, tmp_path: Path, case: str, env: dict[str, str], message: str
) -> None:
    path = tmp_path / f"{case}.docx"
    if case == "members":
        rewrite_docx(path, {}, add=30)
    elif case == "unzipped":
        rewrite_docx(path, {"word/media/image1.bin": os.urandom(2 * 1024 * 1024)})
    elif case == "ratio":
        rewrite_docx(path, {"word/media/image1.bin": b"\x00" * (30 * 1024 * 1024)})
    else:
        plain_docx(path, "问责制。" * 600)
    msg = one_line_error(run_cli(["ingest", str(path)], empty_data, timeout=GUARD, **env))
    assert msg.startswith(f"{case}.docx: ") and message in msg
    assert not empty_data.exists() or not any(empty_data.rglob("*.jsonl"))


@pytest.mark.parametrize("member", ["word/document.xml", "word/styles.xml"])
def test_malformed_xml_in_a_docx_is_a_one_line_error(
    empty_data: Path, tmp_path: Path, settings: Settings, assistant: Assistant, member: str
) -> None:
    path = rewrite_docx(tmp_path / "broken.docx", {member: f'<w:document xmlns:w="{W}"><w:body><w:p>'.encode()})
    msg = one_line_error(run_cli(["ingest", str(path)], empty_data, timeout=GUARD))
    assert msg.startswith("broken.docx: not a readable .docx file") and "re-save it from Word" in msg
    from ui.library import Library

    lib = Library(settings.replace(admin_password=SecretStr("pw")), assistant)  # the web's check
    with pytest.raises(InputError, match=r"^broken\.docx: not a readable \.docx file[^\n]*re-save it from Word"):
        lib.check_upload(path)


def test_a_pdf_over_the_page_limit_is_refused(empty_data: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from test_read import make_pdf

    one = write(tmp_path / "one.pdf", "")
    one.write_bytes(make_pdf(["Staff may report misconduct."]))
    writer = PdfWriter()
    for _ in range(3):
        writer.add_page(PdfReader(str(one)).pages[0])
    path = tmp_path / "long.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert "Staff may report misconduct." in read_text(path)
    msg = one_line_error(run_cli(["ingest", str(path)], empty_data, timeout=GUARD, INTEGRITY_MAX_PDF_PAGES="2"))
    assert msg.startswith("long.pdf: 3 pages") and "INTEGRITY_MAX_PDF_PAGES" in msg


# -- a data folder that cannot be written ----------------------------------------------------------------
@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` and everything in it unwritable for this user, for real, and undo it afterwards.

    As root (as the tests run here), chmod does not stop writes: the immutable attribute (chattr +i) does.
    Where neither works the test is skipped and says why."""
    paths = [folder, *folder.rglob("*")]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(modes[p] & ~0o222)
        undo = lambda: [p.chmod(m) for p, m in modes.items()]  # noqa: E731
    else:
        r = subprocess.run(["chattr", "-R", "+i", str(folder)], capture_output=True, text=True, check=False)
        if r.returncode != 0:
            pytest.skip(f"as root chmod does not stop writes, and chattr +i failed here: {r.stderr.strip()}")
        undo = lambda: subprocess.run(["chattr", "-R", "-i", str(folder)], check=True)  # noqa: E731
    try:
        try:
            (folder / "probe").write_text("x")
        except OSError:
            pass
        else:
            pytest.skip(f"{folder} could still be written after making it read-only")
        yield
    finally:
        undo()


def test_a_read_only_data_folder_is_a_one_line_error(tmp_path: Path, settings: Settings, embedder: Embedder) -> None:
    s = settings.replace(data_dir=tmp_path / "data", corpus_dir=tiny_corpus(tmp_path / "corpus"))
    ingest([s.index.corpus_dir], s.index, embedder)
    doc = write(tmp_path / "in" / "canteen.md", report("A/90/3", "食堂管理处"))
    slot = index_folder(s.index, embedder.name)
    before = {p: p.read_bytes() for p in s.index.data_dir.rglob("*") if p.is_file()}
    with read_only(s.index.data_dir):
        for args in (["ingest", str(doc)], ["remove", "A/90/1"]):
            msg = one_line_error(run_cli(args, s.index.data_dir, INTEGRITY_CORPUS_DIR=str(s.index.corpus_dir)))
            assert "cannot write" in msg and str(s.index.data_dir) in msg and "INTEGRITY_DATA_DIR" in msg
    assert {p: p.read_bytes() for p in s.index.data_dir.rglob("*") if p.is_file()} == before
    assert slot.is_dir()


def test_a_data_folder_inside_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", "a regular file")
    doc = write(tmp_path / "in" / "canteen.md", report("A/90/3", "食堂管理处"))
    msg = one_line_error(run_cli(["ingest", str(doc)], blocker / "data"))
    assert "cannot write" in msg and "INTEGRITY_DATA_DIR" in msg
    shutil.rmtree(tmp_path / "in")
