""".docx to text, with the archive checked before anything is parsed.

A .docx is a zip of XML. A small file can hold hundreds of MB of XML (1.4 MB held 400 MB, and python-docx
then needed 4.2 GB), so the members are counted and their uncompressed sizes and compression ratios read
from the zip directory first, against the `Limits`; broken XML (lxml's errors) and broken zips become the
same one-line InputError as every other bad file.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from index.errors import InputError
from index.limits import Limits

RATIO_FROM_BYTES = 1024 * 1024  # the compression ratio is checked on members larger than this, uncompressed


def check_archive(path: Path, limits: Limits) -> None:
    """Raises InputError when the zip directory says the archive is bigger than the limits allow."""
    with zipfile.ZipFile(path) as z:
        members = z.infolist()
    if len(members) > limits.max_archive_members:
        raise InputError("docx_members", name=path.name, n=f"{len(members):,}", most=f"{limits.max_archive_members:,}")
    for m in members:
        ratio = m.file_size / max(1, m.compress_size)
        if m.file_size > RATIO_FROM_BYTES and ratio > limits.max_compression_ratio:
            raise InputError(
                "docx_ratio",
                name=path.name,
                member=m.filename,
                ratio=f"{ratio:,.0f}",
                most=f"{limits.max_compression_ratio:g}",
            )
    total = sum(m.file_size for m in members) / 1024 / 1024
    if total > limits.max_unzipped_mb:
        raise InputError("docx_unzipped", name=path.name, size=f"{total:,.1f}", most=f"{limits.max_unzipped_mb:g}")


def read_docx(path: Path, limits: Limits) -> str:
    import docx
    from docx.opc.exceptions import OpcError
    from lxml import etree

    try:
        check_archive(path, limits)
        d = docx.Document(str(path))
        out: list[str] = []
        chars = 0
        for p in d.paragraphs:
            style = (p.style.name if p.style is not None else "") or ""
            out.append(("# " if style.startswith("Heading") else "") + p.text)
            chars += len(out[-1]) + 2
            limits.check_text(path.name, chars)
    except (
        OpcError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        etree.LxmlError,  # malformed XML in any part (python-docx parses styles only when first asked)
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        NotImplementedError,
    ) as e:
        raise InputError("bad_docx", name=path.name, reason=one_line(e)) from e
    return "\n\n".join(out)


def one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 160 else text[:159] + "…"
