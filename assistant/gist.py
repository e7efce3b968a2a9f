"""What an English reader is told before a Chinese quote, in English, without translating the quote: the
paragraph key, the document's English title, and what needs no translation (figures with their counted noun
where the glossary names it, dates, document symbols, and offices by their English names from
index/data/entities.toml). `A/76/76 ¶6 (Activities of the Ethics Office): 1 681 service requests; 1 January
2020; Ethics Office`."""

from __future__ import annotations

import re

from assistant.brief.render import UNITS_EN, inverse_glossary
from index.entities import ENTITIES
from index.types import Document

MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTHS += ("September", "October", "November", "December")
DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")
SYMBOL = re.compile(r"(?<![A-Za-z])(?:A|E|S|ST|JIU)/[A-Za-z0-9./-]*(?:\([A-Za-z0-9.]+\))?[A-Za-z0-9)]?")
RESOLUTION = re.compile(r"第\s*(\d{2}/\d{1,3}(?:\s*[A-Z])?)\s*号决议")
FIGURE = re.compile(
    r"(?<![A-Za-z0-9/.(第])(\d{1,3}(?: \d{3})+|\d+(?:\.\d+)?)\s?(%|％|万|亿)?\s?"
    r"(名|人|项|起|次|天|份|件|种|家|倍|例|场|门|条|美元|小时|周|个月|个)?(?!\s*(?:年|月|日|\d|/))"
)
MOST_FACTS = 6


def title_en(doc: Document | None) -> str:
    """The document's English title, without its subtitle; a bracketed note after a comma."""
    title = doc.title_en.split(":")[0].strip() if doc is not None and doc.title_en else ""
    return re.sub(r"\s*\((.*)\)$", r", \1", title)


def date_en(m: re.Match[str]) -> str:
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and 1 <= int(month) <= 12:
        name = MONTHS[int(month) - 1]
        return f"{int(day)} {name} {year}" if day else f"{name} {year}"
    return year


def counted(rest: str) -> str:
    """The noun a figure counts, when the glossary gives it in English (`服务请求`: service requests)."""
    for zh, en in inverse_glossary():
        if rest.startswith(zh):
            return en
    return ""


def figure_en(m: re.Match[str], text: str) -> str:
    number, scale, unit = m.group(1), m.group(2) or "", m.group(3) or ""
    if scale in ("%", "％"):
        return f"{number}%"
    noun = counted(text[m.end() : m.end() + 12].lstrip())
    if scale:
        number = f"{number} {'ten thousand' if scale == '万' else 'hundred million'}"
    if unit == "美元":
        return f"US$ {number}"
    word = plural(noun, number) or UNITS_EN.get(unit, "")
    if unit == "个月":
        word = "months"
    if not word and len(re.sub(r"\D", "", number)) < 3 and "." not in number:
        return ""  # a bare small number tells an English reader nothing
    return f"{number} {word}".strip()


def plural(noun: str, number: str) -> str:
    if not noun or number == "1" or noun.endswith("s") or noun.isupper():
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def facts(text: str) -> list[str]:
    """The figures, offices, dates and symbols of a Chinese text, in English, each kind in the order they come."""
    found: list[tuple[int, int, str]] = []  # (order of kinds: figures first, position, what)
    taken: list[tuple[int, int]] = []

    def add(kind: int, start: int, end: int, what: str) -> None:
        if what and not any(a < end and start < b for a, b in taken):
            found.append((kind, start, what))
            taken.append((start, end))

    for m in SYMBOL.finditer(text):
        add(3, m.start(), m.end(), m.group(0))
    for m in RESOLUTION.finditer(text):
        add(3, m.start(), m.end(), f"resolution {m.group(1)}")
    for m in DATE.finditer(text):
        add(2, m.start(), m.end(), date_en(m))
    for e in ENTITIES:
        for m in e.in_chinese.finditer(text):
            add(1, m.start(), m.end(), e.en[0])
    for m in FIGURE.finditer(text):
        add(0, m.start(), m.end(), figure_en(m, text))
    out = list(dict.fromkeys(what for _, _, what in sorted(found)))
    return out[:MOST_FACTS]


def row_facts(shown: str) -> list[str]:
    """A table row shown as `label，header：value；…`: each value under its column header in English
    (`August 2015 to July 2016: 4`); a header without a date or figure in English is left out."""
    out = []
    for cell in shown.split("，", 1)[-1].split("；"):
        header, _, value = cell.rpartition("：")
        dates = [date_en(m) for m in DATE.finditer(header)]
        label = " to ".join(dates) if dates else (header if header.isascii() else "")
        if label and value:
            out.append(f"{label}: {value}")
    return out[-MOST_FACTS:]  # the latest columns


def gist(key: str, shown: str, doc: Document | None, row: bool = False) -> str:
    """`A/76/76 ¶6 (Activities of the Ethics Office): 1 681 service requests; …`"""
    title = title_en(doc)
    head = f"{key} ({title})" if title else key
    said = (row_facts(shown) or facts(shown)) if row else facts(shown)
    return f"{head}: {'; '.join(said)}" if said else head
