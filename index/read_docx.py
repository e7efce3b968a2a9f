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
        raise InputError(
            f"{path.name}: the .docx holds {len(members):,} files, over the limit of {limits.max_archive_members:,}; "
            "re-save it from Word, or raise INTEGRITY_MAX_ARCHIVE_MEMBERS."
        )
    for m in members:
        ratio = m.file_size / max(1, m.compress_size)
        if m.file_size > RATIO_FROM_BYTES and ratio > limits.max_compression_ratio:
            raise InputError(
                f"{path.name}: {m.filename} expands {ratio:,.0f} times (limit {limits.max_compression_ratio:g}), "
                "as an archive bomb does; re-save it from Word, or raise INTEGRITY_MAX_COMPRESSION_RATIO."
            )
    total = sum(m.file_size for m in members) / 1024 / 1024
    if total > limits.max_unzipped_mb:
        raise InputError(
            f"{path.name}: the .docx unpacks to {total:,.1f} MB, over the {limits.max_unzipped_mb:g} MB limit; "
            "split the document, or raise INTEGRITY_MAX_UNZIPPED_MB."
        )


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
        raise InputError(f"{path.name}: not a readable .docx file ({one_line(e)}); re-save it from Word.") from e
    return "\n\n".join(out)


def one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 160 else text[:159] + "…"
