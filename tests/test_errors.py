"""Domain errors say their one line in the reader's language: each kind raised by the real code on real input,
in English (what the CLI prints) and in Chinese (no English words beyond the names in its fields)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfWriter

from assistant import limits as question_limits
from assistant.brief.make import check_theme, resolve_docs
from assistant.pipeline import Assistant
from assistant.settings import PACKAGE_ROOT, Settings
from index.build import expand_paths, pick, read_document, refusal
from index.errors import DataDirError, InputError, IntegrityError, messages
from index.limits import Limits
from index.read import read_text
from index.types import Document
from ui.i18n import message

CJK = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"\{(\w+)\}")
# what a Chinese line may hold in Latin letters besides its fields: settings, commands, formats and units
NAMES = re.compile(r"INTEGRITY_\w+|`[^`]*`|U\+|UTF-8|\.docx|PDF|Word|MB")


def english_words(zh: str, fields: dict[str, object]) -> list[str]:
    """The ASCII words of a Chinese line once the values of its fields and the allowed names are taken out."""
    for v in sorted((str(v) for v in fields.values()), key=len, reverse=True):
        zh = zh.replace(v, " ")
    return re.findall(r"[A-Za-z]{2,}", NAMES.sub(" ", zh))


def test_every_message_has_both_languages_with_the_same_fields() -> None:
    for key, entry in messages().items():
        assert set(entry) == {"zh", "en"}, key
        assert CJK.search(entry["zh"]) and not CJK.search(FIELD.sub("", entry["en"]).replace("问责制", "")), key
        assert set(FIELD.findall(entry["zh"])) <= set(FIELD.findall(entry["en"])), key  # zh may say less
        assert not english_words(FIELD.sub(" ", entry["zh"]), {}), (key, entry["zh"])


def test_every_key_raised_in_the_code_is_in_the_messages_and_every_message_is_raised() -> None:
    raised: set[str] = set()
    for folder in ("index", "assistant", "ui"):
        for py in (PACKAGE_ROOT / folder).rglob("*.py"):
            text = py.read_text("utf-8")
            raised |= set(re.findall(r"(?:Error|check_text)\(\s*\"([a-z0-9_]+)\"", text))
            raised |= set(re.findall(r"\"(no_text_pdf|no_text)\"", text))
    raised.discard("cannot_write")  # raised through DataDirError.about
    assert raised <= set(messages()), raised - set(messages())
    assert set(messages()) - raised == {"cannot_write"}


def docx_bytes(members: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(members):
            z.writestr(f"word/part{i}.xml", "<x/>")
    return buf.getvalue()


def blank_pdf(pages: int = 1) -> bytes:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(200, 200)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def read(name: str, data: bytes, **kw: object) -> Callable[[Path], object]:
    def go(tmp: Path) -> object:
        p = tmp / name
        p.write_bytes(data)
        return read_text(p, **kw)  # type: ignore[arg-type]

    return go


DOC = Document("A_1.zh", "/x/a.md", "A/1", "道德操守办公室的活动", "活动", origin="bundled")
OTHER = Document("A_1.up", "/x/b.md", "A/1", "另一份报告", "报告", origin="uploaded")
UNSIGNED = replace(OTHER, symbol=None, short_title="活动")
SETTINGS = Settings()
CASES: dict[str, Callable[[Path], object]] = {
    "no_such_path": lambda tmp: read_text(tmp / "gone.txt"),
    "not_a_file": lambda tmp: read_text(Path(tmp)),
    "no_documents_here": lambda tmp: expand_paths([tmp]),
    "unsupported_format": read("budget.xlsx", b"PK\x03\x04"),
    "empty_file": read("empty.txt", b""),
    "too_big": read("big.txt", b"x" * 2048, max_mb=0.001),
    "binary_file": read("bin.txt", b"\x00\x01\x02" * 10),
    "not_utf8": read("latin.txt", "問責".encode("big5")),
    "no_text": read("blank.md", b"  \n\n "),
    "no_text_pdf": read("scan.pdf", blank_pdf()),
    "too_many_pages": read("long.pdf", blank_pdf(3), limits=Limits(max_pdf_pages=2)),
    "bad_pdf": read("broken.pdf", b"%PDF-1.4 not really"),
    "too_much_text": read("long.txt", "问责。".encode() * 10, limits=Limits(max_text_chars=5)),
    "docx_members": read("many.docx", docx_bytes(3), limits=Limits(max_archive_members=2)),
    "docx_ratio": read("bomb.docx", b"", limits=Limits()),  # replaced below: needs a 1 MB member
    "docx_unzipped": read("huge.docx", docx_bytes(1), limits=Limits(max_unzipped_mb=0.0000001)),
    "bad_docx": read("broken.docx", b"PK\x03\x04 not a zip"),
    "no_paragraphs": lambda tmp: read_document(write(tmp / "x.md", "# 只有标题"), SETTINGS.index),
    "no_document": lambda tmp: pick({"A_1.zh": DOC}, "A/9"),
    "ambiguous_document": lambda tmp: pick({"A_1.zh": DOC, "A_1.en": OTHER}, "A/1"),
    "poses_file_name": lambda tmp: raise_(refusal(tmp / "a.md", DOC, DOC)),
    "poses_symbol": lambda tmp: raise_(refusal(tmp / "a.md", OTHER, DOC)),
    "poses_label": lambda tmp: raise_(refusal(tmp / "a.md", UNSIGNED, replace(DOC, symbol=None))),
    "unreadable": lambda tmp: raise_(InputError("unreadable", name="a.txt", reason="Permission denied")),
    "cannot_write": lambda tmp: raise_(DataDirError.about(tmp, PermissionError(13, "Permission denied"))),
    "question_empty": lambda tmp: question_limits.check_question("  ", SETTINGS),
    "question_too_long": lambda tmp: question_limits.check_question("问" * 2001, SETTINGS),
    "surrogate_question": lambda tmp: question_limits.check_question("问\ud800", SETTINGS),
    "surrogate_history": lambda tmp: question_limits.check_history(["\ud800"], SETTINGS),
    "surrogate_filter": lambda tmp: question_limits.check_docs(["\ud800"], SETTINGS),
    "history_items": lambda tmp: question_limits.check_history(["问"] * 1000, SETTINGS),
    "history_item_chars": lambda tmp: question_limits.check_history(["问" * 100_000], SETTINGS),
    "doc_filters": lambda tmp: question_limits.check_docs([f"A/{i}" for i in range(1000)], SETTINGS),
    "doc_filter_chars": lambda tmp: question_limits.check_docs(["A" * 1000], SETTINGS),
    "followup_query": lambda tmp: question_limits.check_query("问" * 100_000, SETTINGS),
    "theme_empty": lambda tmp: check_theme(" ", "zh"),
    "theme_too_long": lambda tmp: check_theme("问" * 1000, "zh"),
}


def write(p: Path, text: str) -> Path:
    p.write_text(text, "utf-8")
    return p


def raise_(e: Exception) -> None:
    raise e


def bomb(tmp: Path) -> object:
    p = tmp / "bomb.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "0" * 2_000_000)  # deflates about 1000 times
    return read_text(p, limits=Limits(max_compression_ratio=100))


CASES["docx_ratio"] = bomb


@pytest.mark.parametrize("key", sorted(CASES))
def test_each_error_kind_says_its_line_in_english_and_in_chinese(key: str, tmp_path: Path) -> None:
    with pytest.raises(IntegrityError) as info:
        CASES[key](tmp_path)
    says_both(info.value, key)


def test_an_unknown_brief_document_is_said_in_both_languages(assistant: Assistant) -> None:
    with pytest.raises(IntegrityError) as info:
        resolve_docs(assistant, ["A/99/999"])
    says_both(info.value, "unknown_brief_document")


def says_both(e: IntegrityError, key: str) -> None:
    assert e.key == key
    en, zh = e.say("en"), e.say("zh-CN")
    assert str(e) == en == message(e, "en") and zh == message(e, "zh")
    assert "\n" not in en and "\n" not in zh
    assert not CJK.search(en.replace("问责制", "")) or any(CJK.search(str(v)) for v in e.fields.values())
    assert CJK.search(zh) and not english_words(zh, e.fields), zh


def test_an_error_raised_with_a_plain_sentence_says_it_in_every_language() -> None:
    e = IntegrityError("the index is on fire; put it out.")
    assert e.key is None and e.say("zh") == e.say("en") == str(e) == "the index is on fire; put it out."


def test_all_cases_are_covered() -> None:
    assert set(CASES) | {"unknown_brief_document"} == set(messages())
