"""A brief as a printable DOCX (python-docx): A4, title, date line, numbered headings, quotes with their
citation numbers, and the sources in full at the end. Every run names an East Asian font (`w:eastAsia`)
so Word and LibreOffice keep the Chinese text in a CJK face instead of falling back glyph by glyph.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from assistant.brief.model import Brief
from assistant.brief.render import Printed, blocks, labels

LATIN_FONT = "Arial"
CJK_FONT = "Noto Sans CJK SC"  # Word without it substitutes its own CJK face; LibreOffice finds it via fontconfig
UN_BLUE = RGBColor(0x00, 0x5B, 0x99)
GREY = RGBColor(0x55, 0x55, 0x55)


def set_fonts(
    target: object,
    size: float | None = None,
    bold: bool | None = None,
    color: RGBColor | None = None,
    italic: bool | None = None,
) -> None:
    """Latin and East Asian font on a run or a style (`rFonts w:ascii/w:hAnsi/w:eastAsia`)."""
    font = target.font  # type: ignore[attr-defined]
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
    el = target.element  # type: ignore[attr-defined]
    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    fonts.set(qn("w:hint"), "eastAsia")


def add_run(par: DocxParagraph, text: str, **kw: object) -> Run:
    run = par.add_run(text)
    set_fonts(run, **kw)  # type: ignore[arg-type]
    return run


def setup(doc: object, brief: Brief) -> None:
    d = doc  # python-docx Document
    section = d.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    styles = d.styles  # type: ignore[attr-defined]
    set_fonts(styles["Normal"], size=10.5)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 11.5)):
        set_fonts(styles[name], size=size, bold=True, color=UN_BLUE)
    styles["Title"].paragraph_format.space_after = Pt(2)
    styles["Heading 1"].paragraph_format.space_before = Pt(14)
    styles["Heading 2"].paragraph_format.space_before = Pt(8)
    header = section.header.paragraphs[0]
    add_run(header, labels(brief.lang)["title"].format(theme=brief.theme_label), size=8, color=GREY)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field(footer)


def page_field(par: DocxParagraph) -> None:
    """A PAGE field, so the printed pages are numbered."""
    run = add_run(par, "", size=8, color=GREY)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def rule(par: DocxParagraph) -> None:
    """A thin line under the title block."""
    ppr = par._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "005B99")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def render_block(doc: object, b: Printed) -> None:
    d = doc
    add = d.add_paragraph  # type: ignore[attr-defined]
    if b.kind == "title":
        add_run(d.add_heading(level=0), b.text, size=20, bold=True, color=UN_BLUE)  # type: ignore[attr-defined]
    elif b.kind == "meta":
        p = add()
        add_run(p, b.text, size=9, color=GREY)
        p.paragraph_format.space_after = Pt(0)
    elif b.kind == "note":
        p = add()
        rule(p)
        add_run(p, b.text, size=9, italic=True, color=GREY)
        p.paragraph_format.space_after = Pt(8)
    elif b.kind in ("h1", "h2"):
        h = d.add_heading(level=1 if b.kind == "h1" else 2)  # type: ignore[attr-defined]
        add_run(h, b.text, size=14 if b.kind == "h1" else 11.5, bold=True, color=UN_BLUE)
        h.paragraph_format.keep_with_next = True
    elif b.kind in ("item", "bullet"):
        p = add()
        p.paragraph_format.left_indent = Cm(0.8)
        p.paragraph_format.first_line_indent = Cm(-0.6)
        add_run(p, f"{b.number}.\u2002" if b.kind == "item" else "•\u2002", bold=b.kind == "item", color=UN_BLUE)
        if b.lead:
            add_run(p, f"{b.lead}: ", bold=True)
        add_run(p, b.text)
    elif b.kind == "gloss":
        p = add()
        p.paragraph_format.left_indent = Cm(0.8)
        add_run(p, b.text, size=8.5, italic=True, color=GREY)
    elif b.kind == "source":
        p = add()
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True
        add_run(p, b.lead, bold=True, size=9.5)
        add_run(p, f"  {b.text}", size=8.5, color=GREY)
    elif b.kind == "source_path":
        p = add()
        p.paragraph_format.left_indent = Cm(0.6)
        p.paragraph_format.space_after = Pt(1)
        p.paragraph_format.keep_with_next = True
        add_run(p, b.text, size=7.5, color=GREY)
    elif b.kind == "source_text":
        p = add()
        p.paragraph_format.left_indent = Cm(0.6)
        add_run(p, b.text, size=9)
    else:
        add_run(add(), b.text)


def to_docx(brief: Brief) -> bytes:
    """The brief as DOCX bytes (write them with a .docx name)."""
    doc = Document()
    setup(doc, brief)
    doc.core_properties.title = labels(brief.lang)["title"].format(theme=brief.theme_label)
    doc.core_properties.subject = brief.theme
    doc.core_properties.language = "en-GB" if brief.lang == "en" else "zh-CN"
    for b in blocks(brief):
        render_block(doc, b)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def soffice() -> str | None:
    """The LibreOffice binary, if installed (`apt-get install libreoffice-writer-nogui`)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, outdir: Path, timeout: float = 180) -> Path:
    """Convert with LibreOffice headless (own profile folder, so parallel runs do not share a lock)."""
    binary = soffice()
    if binary is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    pdf = outdir / f"{docx.stem}.pdf"
    if not pdf.exists():
        raise FileNotFoundError(f"LibreOffice wrote no {pdf.name}")
    return pdf


def pdf_page_png(pdf: Path, png: Path, dpi: int = 110, page: int = 1) -> Path:
    """One page of a PDF as PNG (poppler's pdftoppm)."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise FileNotFoundError("pdftoppm (poppler-utils) is not installed")
    png.parent.mkdir(parents=True, exist_ok=True)
    stem = png.with_suffix("")
    subprocess.run(
        [binary, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return png
