"""DOCX export of a brief: read back with python-docx (headings, Chinese text, East Asian fonts) and
converted to PDF with LibreOffice headless, whose first page is rendered to PNG."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from assistant.brief import make_brief
from assistant.brief.export import CJK_FONT, docx_to_pdf, pdf_page_png, soffice, to_docx
from assistant.brief.model import Brief
from assistant.pipeline import Assistant

INSTALL = "apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils"


@pytest.fixture(scope="module")
def brief_en(assistant: Assistant) -> Brief:
    return make_brief(assistant, "accountability", "en")


@pytest.fixture(scope="module")
def brief_zh(assistant: Assistant) -> Brief:
    return make_brief(assistant, "文明", "zh")


def read_back(brief: Brief) -> tuple[list[tuple[str, str]], object]:
    doc = Document(io.BytesIO(to_docx(brief)))
    return [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs], doc


def test_docx_reads_back_with_headings_and_chinese(brief_en: Brief) -> None:
    paragraphs, doc = read_back(brief_en)
    text = "\n".join(t for _, t in paragraphs)
    assert ("Title", "Leadership dialogue brief: Accountability") in paragraphs
    h1 = [t for s, t in paragraphs if s == "Heading 1"]
    assert h1 == [
        "1. What the documents say",
        "2. Key figures",
        "3. Who does what",
        "4. Questions for discussion",
        "5. Scenarios",
        "Sources",
    ]
    assert {"The commitment", "What has been done"} <= {t for s, t in paragraphs if s == "Heading 2"}
    for p in brief_en.key_points:  # Chinese quotes intact, each with its citation number
        assert f"“{p.quote.text}” [{brief_en.ref(p.quote.key)}]" in text
    assert "2021 年，年度领导力对话重点关注问责制" in text
    for s in brief_en.sources:
        assert f"[{s.number}] {s.key}" in text and s.paragraph.text in text
    assert doc.core_properties.title == "Leadership dialogue brief: Accountability"  # type: ignore[attr-defined]


def test_docx_runs_name_an_east_asian_font(brief_zh: Brief) -> None:
    paragraphs, doc = read_back(brief_zh)
    assert ("Title", "领导力对话主持人简报：文明礼貌") in paragraphs
    assert "1. 文件要点" in [t for s, t in paragraphs if s == "Heading 1"]
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]  # type: ignore[attr-defined]
    assert runs
    for r in runs:
        fonts = r._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) == CJK_FONT
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    assert normal.get(qn("w:eastAsia")) == CJK_FONT


def test_uncovered_brief_exports(assistant: Assistant) -> None:
    paragraphs, _ = read_back(make_brief(assistant, "cybersecurity of UN data centres", "en"))
    assert ("Heading 1", "The documents do not cover this theme") in paragraphs


@pytest.mark.skipif(soffice() is None, reason=f"LibreOffice is not installed ({INSTALL})")
def test_docx_converts_to_pdf_and_png(brief_en: Brief, tmp_path: Path) -> None:
    docx = tmp_path / "brief.docx"
    docx.write_bytes(to_docx(brief_en))
    pdf = docx_to_pdf(docx, tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Leadership dialogue brief: Accountability" in text
        assert "领导力对话" in text.replace(" ", "")  # Chinese survives as text, not as missing glyphs
    if shutil.which("pdftoppm"):
        png = pdf_page_png(pdf, tmp_path / "page1.png", dpi=50)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
