"""Readers: every supported format to text, every bad input to one InputError naming problem and fix."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from index.errors import InputError
from index.parse import parse
from index.read import SUPPORTED, describe, load_manifest, read_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def make_pdf(lines: list[str]) -> bytes:
    """A minimal, valid one-page PDF whose content stream shows `lines` in Helvetica (ASCII only)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " ".join(f"({esc(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td 16 TL {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += b"".join(f"{off:010d} 00000 n \n".encode("ascii") for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return out


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- formats ------------------------------------------------------------------------------------


def test_txt_and_md_read_as_utf8_with_bom_dropped(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", "\ufeff道德操守办公室\n第二行")
    assert read_text(txt) == "道德操守办公室\n第二行"
    md = write(tmp_path / "b.MD", "# 标题\n\n正文。")
    assert read_text(md) == "# 标题\n\n正文。"


def test_corpus_files_read_byte_for_byte() -> None:
    for name in load_manifest(CORPUS):
        path = CORPUS / name
        assert read_text(path) == path.read_bytes().decode("utf-8")


def test_html_drops_script_and_style_and_marks_headings(tmp_path: Path) -> None:
    html = write(
        tmp_path / "page.html",
        "<html><head><title>t</title><style>p { color: red }</style>"
        "<script>var secret = 'do not index';</script></head><body>"
        "<h1>举报指南</h1><p>工作人员应当及时举报不当行为&amp;报复。</p>"
        "<script type='text/javascript'>alert('x')</script>"
        "<div>道德操守办公室提供保密咨询。</div></body></html>",
    )
    text = read_text(html)
    assert "secret" not in text and "alert" not in text and "color" not in text
    assert "# 举报指南" in text
    assert "工作人员应当及时举报不当行为&报复。" in text
    paras = parse(text, describe(html, text, None))
    assert [(p.number, p.heading, p.text) for p in paras] == [
        ("1", ("举报指南",), "工作人员应当及时举报不当行为&报复。"),
        ("2", ("举报指南",), "道德操守办公室提供保密咨询。"),
    ]


def test_htm_is_read_like_html(tmp_path: Path) -> None:
    htm = write(tmp_path / "page.htm", "<p>One.</p><style>x{}</style><p>Two.</p>")
    assert read_text(htm).split() == ["One.", "Two."]


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    pdf = write(
        tmp_path / "memo.pdf",
        make_pdf(["Staff may report misconduct.", "Retaliation is prohibited (see ST/SGB/2017/2/Rev.1)."]),
    )
    text = read_text(pdf)
    assert "Staff may report misconduct." in text
    assert "Retaliation is prohibited (see ST/SGB/2017/2/Rev.1)." in text


def test_pdf_without_text_asks_for_ocr(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(InputError, match=r"scan\.pdf: no text could be extracted; a scanned PDF needs OCR"):
        read_text(path)


def test_docx_paragraphs_and_headings(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("防止报复", level=1)
    d.add_paragraph("举报不当行为的工作人员受到保护。")
    d.add_heading("程序", level=2)
    d.add_paragraph("道德操守办公室进行初步审查。")
    path = tmp_path / "policy.docx"
    d.save(str(path))
    text = read_text(path)
    assert text == "# 防止报复\n\n举报不当行为的工作人员受到保护。\n\n# 程序\n\n道德操守办公室进行初步审查。"
    paras = parse(text, describe(path, text, None))
    assert [(p.number, p.heading[-1], p.text) for p in paras] == [
        ("1", "防止报复", "举报不当行为的工作人员受到保护。"),
        ("2", "程序", "道德操守办公室进行初步审查。"),
    ]


# -- bad input: one InputError that names the problem and the fix ---------------------------------


def _zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a word document")
    return path


BAD_INPUTS = [
    # (file name, content or None for "do not create", problem words, fix words)
    ("missing.txt", None, "no such file", "check the path"),
    ("empty.txt", b"", "the file is empty", "nothing to index"),
    ("blank.md", b"  \n\n\t\n", "no text could be extracted", "add text"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks binary", "export it as UTF-8 text"),
    ("program.exe", b"MZ\x90\x00", "unsupported format '.exe'", "use one of .txt"),
    ("sheet.xlsx", b"PK\x03\x04", "unsupported format '.xlsx'", "use one of .txt"),
    ("noext", b"text", "unsupported format 'none'", "use one of .txt"),
    ("latin1.txt", "café naïve résumé".encode("latin-1"), "not UTF-8 text", "save it as UTF-8"),
    ("gbk.html", "<p>道德操守</p>".encode("gbk"), "not UTF-8 text", "save it as UTF-8"),
    ("garbage.docx", b"this is not a zip archive", "not a readable .docx file", "re-save it from Word"),
    ("garbage.pdf", b"%PDF-1.4\nthis is not a pdf body", "not a readable PDF", "re-export it"),
    ("truncated.pdf", make_pdf(["cut short"])[:120], "not a readable PDF", "re-export it"),
]


@pytest.mark.parametrize(("name", "content", "problem", "fix"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_one_clear_input_error(
    tmp_path: Path, name: str, content: bytes | None, problem: str, fix: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_text(path)
    message = str(err.value)
    assert name in message
    assert problem in message
    assert fix in message


def test_docx_zip_without_document_is_an_input_error(tmp_path: Path) -> None:
    path = _zip_without_document(tmp_path / "empty.docx")
    with pytest.raises(InputError, match=r"empty\.docx: not a readable \.docx file .*re-save it from Word"):
        read_text(path)


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file; name a document file"):
        read_text(tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "问责制。" * 40_000)  # about 0.46 MB
    with pytest.raises(InputError) as err:
        read_text(path, max_mb=0.25)
    message = str(err.value)
    assert "big.txt: 0.5 MB is over the 0.25 MB limit" in message
    assert "split the document or raise INTEGRITY_MAX_UPLOAD_MB" in message
    assert read_text(path, max_mb=1).startswith("问责制。")


def test_every_supported_suffix_has_a_reader(tmp_path: Path) -> None:
    import docx

    samples: dict[str, bytes] = {
        ".txt": "文本。".encode(),
        ".md": "# 标题\n\n文本。".encode(),
        ".html": "<p>文本。</p>".encode(),
        ".htm": "<p>文本。</p>".encode(),
        ".pdf": make_pdf(["Text."]),
    }
    d = docx.Document()
    d.add_paragraph("文本。")
    d.save(str(tmp_path / "sample.docx"))
    samples[".docx"] = (tmp_path / "sample.docx").read_bytes()
    assert set(samples) == set(SUPPORTED)
    for suffix, data in samples.items():
        text = read_text(write(tmp_path / f"doc{suffix}", data))
        assert "文本" in text or "Text." in text, suffix


# -- manifest and describe --------------------------------------------------------------------------


def test_describe_takes_the_symbol_from_the_manifest() -> None:
    manifest = load_manifest(CORPUS)
    docs = {name: describe(CORPUS / name, read_text(CORPUS / name), meta) for name, meta in manifest.items()}
    ethics = docs["A_76_76_ethics_office_activities_2020.zh.txt"]
    assert ethics.symbol == "A/76/76" and ethics.label == "A/76/76"
    assert ethics.title == "道德操守办公室的活动"
    assert ethics.date == "2021" and ethics.language == "zh"
    assert ethics.doc_id == "A_76_76_ethics_office_activities_2020.zh"
    ceb = docs["CEB_annual_overview_2019.zh.txt"]
    assert ceb.symbol is None, "the CEB text prints no symbol; none may be invented"
    assert ceb.label == "CEB annual overview 2019"
    assert docs["A_RES_74_271_accountability_resolution.zh.txt"].symbol == "A/RES/74/271"


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("A_76_644_accountability_progress_report_11.zh.txt", "A/76/644"),  # not the table cell A/76/400/Corr.1
        ("A_76_76_ethics_office_activities_2020.zh.txt", "A/76/76"),
        ("A_75_201_management_reform_review.zh.txt", "A/75/201"),
        ("A_RES_74_271_accountability_resolution.zh.txt", None),  # never printed on a line of its own
        ("CEB_annual_overview_2019.zh.txt", None),
    ],
)
def test_describe_without_manifest_takes_only_a_printed_symbol(name: str, symbol: str | None) -> None:
    path = CORPUS / name
    doc = describe(path, read_text(path), None)
    assert doc.symbol == symbol
    assert doc.source == "uploaded"


def test_describe_without_manifest_never_guesses(tmp_path: Path) -> None:
    inline = tmp_path / "note.txt"
    text = "报告见 A/76/76 和 A/75/201。\n\n第二段。"
    assert describe(inline, text, None).symbol is None
    header = "正文第一段。\n\n   A/78/123  \n\n23-01234 2/10\n\n正文第二段。\n\nA/78/999\n"
    doc = describe(inline, header, None)
    assert doc.symbol == "A/78/123"  # the page header beats a lone symbol elsewhere
    assert doc.label == "A/78/123"
    assert doc.title == "正文第一段。"
    assert describe(inline, "# 标题\n\n没有文号。", None).title == "标题"


def test_load_manifest(tmp_path: Path) -> None:
    assert load_manifest(tmp_path) == {}
    (tmp_path / "manifest.json").write_text(json.dumps({"documents": [{"file": "x.txt", "symbol": None}]}))
    assert load_manifest(tmp_path) == {"x.txt": {"file": "x.txt", "symbol": None}}
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(InputError, match=r"malformed manifest .*fix the JSON"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"docs": []}))
    with pytest.raises(InputError, match="malformed manifest"):
        load_manifest(tmp_path)
