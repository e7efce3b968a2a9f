"""Any supported file to text, with the checks that turn bad input into one clear error."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import InputError
from index.limits import Limits
from index.types import Document

if TYPE_CHECKING:
    pass

SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
SYMBOL_LINE = re.compile(r"^\s*((?:A|E|S|ST)/(?:RES/)?\d+/[A-Za-z0-9./()-]+)\s*$")
JOB_LINE = re.compile(r"^\s*(\d{1,3}/\d{1,3}\s+)?\d{2}-\d{5}(\s+\d{1,3}/\d{1,3})?\s*$")  # `21-05791 14/20`


class _HTMLText(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag in ("h1", "h2", "h3", "h4") and not self.skip:
            self.parts.append("# ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data.replace("\n", " "))


def read_text(path: Path, max_mb: float = 20.0, limits: Limits | None = None) -> str:
    """The text of a document; raises InputError naming the problem and the fix."""
    limits = limits or Limits()
    try:
        text = _read(path, max_mb, limits)
    except OSError as e:
        raise InputError("unreadable", name=path.name, reason=e.strerror or e) from e
    limits.check_text(path.name, len(text))
    return text


def _read(path: Path, max_mb: float, limits: Limits) -> str:
    if not path.exists():
        raise InputError("no_such_path", path=path)
    if not path.is_file():
        raise InputError("not_a_file", path=path, kinds=", ".join(SUPPORTED))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError("unsupported_format", name=path.name, suffix=suffix or "none", kinds=", ".join(SUPPORTED))
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty_file", name=path.name)
    if size > max_mb * 1024 * 1024:
        raise InputError("too_big", name=path.name, size=f"{size / 1024 / 1024:.1f}", most=f"{max_mb:g}")
    if suffix == ".pdf":
        text = _pdf(path, limits)
    elif suffix == ".docx":
        from index.read_docx import read_docx

        text = read_docx(path, limits)
    else:
        raw = path.read_bytes()
        if b"\x00" in raw[:8192]:
            raise InputError("binary_file", name=path.name, suffix=suffix)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputError("not_utf8", name=path.name, reason=e.reason, byte=e.start) from e
        if suffix in (".html", ".htm"):
            p = _HTMLText()
            p.feed(text)
            text = "".join(p.parts)
    if not text.strip():
        raise InputError("no_text_pdf" if suffix == ".pdf" else "no_text", name=path.name)
    return text


def _pdf(path: Path, limits: Limits) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if (pages := len(reader.pages)) > limits.max_pdf_pages:
            raise InputError("too_many_pages", name=path.name, pages=f"{pages:,}", most=f"{limits.max_pdf_pages:,}")
        out, chars = [], 0
        for page in reader.pages:
            out.append(page.extract_text() or "")
            chars += len(out[-1])
            limits.check_text(path.name, chars)
        return "\n".join(out)
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise InputError("bad_pdf", name=path.name, reason=e) from e


def load_manifest(folder: Path) -> dict[str, dict[str, object]]:
    """The corpus manifest by file name ({} when the folder has none)."""
    mf = folder / "manifest.json"
    if not mf.exists():
        return {}
    try:
        data = json.loads(mf.read_text("utf-8"))
        return {d["file"]: d for d in data["documents"]}
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"{mf}: malformed manifest ({e}); fix the JSON.") from e


def doc_id_for(path: Path) -> str:
    """A document's id: its file name without the extension, made safe."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem)


def describe(path: Path, text: str, meta: dict[str, object] | None) -> Document:
    """The Document for a file: from the manifest entry when there is one, else from the text itself."""
    doc_id = doc_id_for(path)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if meta:
        return Document(
            doc_id=doc_id,
            path=str(path),
            symbol=meta.get("symbol") or None,  # type: ignore[arg-type]
            title=str(meta.get("title") or path.stem),
            short_title=str(meta.get("short_title") or meta.get("title") or path.stem),
            language=str(meta.get("language") or "zh"),
            date=str(meta["date"]) if meta.get("date") else None,
            source=str(meta.get("source") or ""),
            title_en=str(meta.get("title_en") or ""),
            sha256=sha,
        )
    first = next((ln.strip().lstrip("# ") for ln in text.splitlines() if ln.strip()), path.stem)
    return Document(doc_id, str(path), printed_symbol(text), first[:120], path.stem, "zh", None, "uploaded", "", sha)


def printed_symbol(text: str) -> str | None:
    """The symbol the text prints on a line of its own, never guessed; None when it prints none.

    A page header (a symbol line next to a job-number line such as `21-05791 14/20`) wins over a
    symbol that merely stands alone in a table cell; then the most frequent, then the first.
    """
    lines = text.splitlines()
    found: dict[str, list[int]] = {}  # symbol -> [header hits, count, -first line]
    for i, line in enumerate(lines):
        if m := SYMBOL_LINE.match(line):
            near = lines[max(0, i - 6) : i + 7]
            score = found.setdefault(m.group(1), [0, 0, -i])
            score[0] += any(JOB_LINE.match(x) for x in near)
            score[1] += 1
    return max(found, key=lambda k: found[k]) if found else None
