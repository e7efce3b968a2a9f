"""What a sentence states that must be in the paragraph it cites, in whatever language it is written: figures,
dates and document symbols. Pure functions over plain text.

An English sentence over a Chinese paragraph writes them differently: `1,681` or `1 681` for `1 681`, `26 per
cent` for `26%`, `six` for `六`, `1.2 million` for `120 万`, `31 December 2020` for `2020 年 12 月 31 日`,
`A/RES/74/271` as printed. Each figure must be found as a number of the paragraph (as written or scaled by its
万/亿), a small one also as a Chinese numeral; each month named must be a month of the paragraph; each symbol
must be printed in it.
"""

from __future__ import annotations

import re

from index.text import squash

THOUSANDS = re.compile(r"(?<=\d)[ ,，](?=\d{3}(?!\d))")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SCALED_EN = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", re.I)
SCALED_ZH = re.compile(r"(\d+(?:\.\d+)?)\s*([万亿])")
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "万": 1e4, "亿": 1e8}
ZH_NUMERALS = {str(i): c for i, c in enumerate("零一二三四五六七八九十")} | {"2": "二两"}
WORDS = dict(
    zip(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
        [str(i) for i in range(1, 13)],
        strict=True,
    )
)
NUMBER_WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.I)
MONTH_NAMES = (
    "jan january|feb february|mar march|apr april|may|jun june|jul july|aug august|sep sept september|oct october"
)
MONTHS = {
    m: i
    for i, names in enumerate(f"{MONTH_NAMES}|nov november|dec december".split("|"), start=1)
    for m in names.split()
}
MONTH = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(?=\d|of\b)", re.I)
MONTH_ZH = re.compile(r"(?<!\d)(\d{1,2})\s*月")
SYMBOL = re.compile(r"\b(?:A|E|S|ST|JIU|CEB|DP)/(?:[A-Z0-9]+[./()-]?)*\d(?:[./()-]?[A-Za-z0-9]+)*")


def numbers(text: str) -> list[str]:
    """The figures a text states, thousands separators removed (`1 681`, `1,681` → `1681`)."""
    return NUMBER.findall(THOUSANDS.sub("", text))


def values(text: str) -> set[float]:
    """Every number of a paragraph as a value, and scaled by the 万 or 亿 (thousand, million) that follows it."""
    plain = THOUSANDS.sub("", text)
    out = {float(n) for n in NUMBER.findall(plain)}
    out |= {float(n) * SCALE[s] for n, s in SCALED_ZH.findall(plain)}
    out |= {float(n) * SCALE[s.lower()] for n, s in SCALED_EN.findall(plain)}
    return out


def figure_ok(n: str, have: set[float], para: str, scaled: float | None = None) -> bool:
    if float(n) in have or (scaled is not None and any(abs(scaled - v) < 0.5 for v in have)):
        return True
    return n in ZH_NUMERALS and any(c in para for c in ZH_NUMERALS[n])


def numbers_ok(sentence: str, paragraph: str) -> bool:
    """Every figure in the sentence appears in the paragraph (small ones may be Chinese numerals, scaled ones may
    be written with 万 or 亿)."""
    para = THOUSANDS.sub("", squash(paragraph))
    have = values(paragraph)
    text = THOUSANDS.sub("", sentence)
    scaled = {m.start(1): float(m.group(1)) * SCALE[m.group(2).lower()] for m in SCALED_EN.finditer(text)}
    return all(figure_ok(m.group(0), have, para, scaled.get(m.start())) for m in NUMBER.finditer(text))


def words_ok(sentence: str, paragraph: str) -> bool:
    """Small numbers written as English words (`six components`) are in the paragraph, as digits or numerals."""
    para = THOUSANDS.sub("", squash(paragraph))
    have = values(paragraph)
    return all(figure_ok(WORDS[w.lower()], have, para) for w in NUMBER_WORD.findall(sentence))


def months_ok(sentence: str, paragraph: str) -> bool:
    """Each month an English date names (`31 December 2020`, `December 2020`) is a month of the paragraph."""
    named = {MONTHS[m.lower()] for m in MONTH.findall(sentence)}
    named |= {MONTHS[m.lower()] for m in re.findall(r"\d\s+(" + "|".join(MONTHS) + r")\b", sentence, re.I)}
    have = {int(m) for m in MONTH_ZH.findall(paragraph)} | {MONTHS[m.lower()] for m in MONTH.findall(paragraph)}
    have |= {MONTHS[m.lower()] for m in re.findall(r"\d\s+(" + "|".join(MONTHS) + r")\b", paragraph, re.I)}
    return named <= have


def symbols(text: str) -> list[str]:
    return [s.rstrip(".)-") for s in SYMBOL.findall(text)]


def symbols_ok(sentence: str, paragraph: str) -> bool:
    """Each document symbol the sentence prints (`A/RES/74/271`, `ST/SGB/2019/8`) is printed in the paragraph."""
    para = squash(paragraph)
    return all(squash(s) in para for s in symbols(sentence))


def facts_ok(sentence: str, paragraph: str) -> bool:
    """Figures, dates and symbols the sentence states are all in the paragraph."""
    return (
        numbers_ok(sentence, paragraph)
        and words_ok(sentence, paragraph)
        and months_ok(sentence, paragraph)
        and symbols_ok(sentence, paragraph)
    )


def anchors(sentence: str) -> int:
    """How many checkable facts a sentence states (figures other than a year, symbols): each found in the cited
    paragraph ties the sentence to it more than a close meaning does."""
    rest = SYMBOL.sub(" ", sentence)
    figures = [n for n in numbers(rest) if not re.fullmatch(r"(?:19|20)\d{2}", n)]
    return len(figures) + len(symbols(sentence))
