"""Bounds on what one document may cost to read: archive members and sizes, pages, characters of text."""

from __future__ import annotations

from dataclasses import dataclass

from index.errors import InputError
from index.settings import IndexSettings


@dataclass(frozen=True)
class Limits:
    """Bounds on what one document may cost to read (the same code runs inside the web server): see the
    `IndexSettings` fields of the same names."""

    max_text_chars: int = 5_000_000
    max_archive_members: int = 2_000
    max_unzipped_mb: float = 100.0
    max_compression_ratio: float = 100.0
    max_pdf_pages: int = 2_000

    @classmethod
    def of(cls, settings: IndexSettings) -> Limits:
        return cls(
            settings.max_text_chars,
            settings.max_archive_members,
            settings.max_unzipped_mb,
            settings.max_compression_ratio,
            settings.max_pdf_pages,
        )

    def check_text(self, name: str, chars: int) -> None:
        if chars > self.max_text_chars:
            raise InputError("too_much_text", name=name, most=f"{self.max_text_chars:,}")
