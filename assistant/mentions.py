"""What a question names that the passages answering it must name too: a year, an ordinal, an organisation.

A question on "2023", "the twelfth report" or "UNDP's ethics office" is not answered by passages on
2020, the eleventh report or the Secretariat's Ethics Office, however near the topic they are.
"""

from __future__ import annotations

import re

from index.entities import ENTITIES, Entity
from index.text import YEAR, squash
from index.types import Hit, Query

NOT_A_YEAR = re.compile(r"2019\s*冠状病毒病|COVID-19", re.I)  # the disease's name holds no year
ZH_ORDINAL = re.compile(r"第[一二三四五六七八九十]{2,}(?:次|届)")  # 第十二次, 第三十七届; not 第一次 ("the first time")
EN_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I)
EN_ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        1,
    )
}
EN_ORDINAL_WORD = re.compile(r"\b(" + "|".join(list(EN_ORDINAL_WORDS)[9:]) + r")\b", re.I)  # tenth and up
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 as written in Chinese ordinals: 12 -> 十二, 37 -> 三十七, 20 -> 二十."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def ordinals(question: str) -> list[tuple[str, str]]:
    """Ordinals the question names, each with the Chinese form that shows it in a passage: ("37th", "第三十七")."""
    out = [(m, m[:-1]) for m in ZH_ORDINAL.findall(question)]
    found = [(m.group(0), int(m.group(1))) for m in EN_ORDINAL.finditer(question)]
    found += [(m.group(0), EN_ORDINAL_WORDS[m.group(1).lower()]) for m in EN_ORDINAL_WORD.finditer(question)]
    out += [(word, "第" + chinese_number(n)) for word, n in found if 1 < n < 100]
    return out


def named_years(question: str) -> list[str]:
    return list(dict.fromkeys(YEAR.findall(NOT_A_YEAR.sub(" ", question))))


def organisations_asked(question: str) -> list[str]:
    """Organisations outside the Secretariat (index/data/entities.toml) that a question names, by their acronym,
    else their English name."""
    return [name_of(e) for e in OUTSIDE if e.in_question.search(question)]


def name_of(e: Entity) -> str:
    return e.acronyms[0] if e.acronyms else e.en[0]


def missing_years(q: Query, hits: list[Hit], periods: dict[str, set[str]] | None = None) -> list[str]:
    """Years and ordinals the question names (2023, the twelfth report) that its best passages do not mention:
    the best one for a question naming one, the best n for one naming n ("2020 and 2021"). A year within a
    passage's document's reporting period counts as mentioned."""
    years, named = q.years, ordinals(q.own_text) or ordinals(q.text)
    best = hits[: max(1, len(years) + len(named))]
    text = squash(NOT_A_YEAR.sub(" ", " ".join(h.paragraph.searchable() for h in best)))
    covered = set().union(*((periods or {}).get(h.paragraph.doc_id, set()) for h in best))
    return [y for y in years if y not in text and y not in covered] + [
        word for word, zh in named if zh not in text and squash(word) not in text
    ]


def missing_organisations(q: Query, hits: list[Hit]) -> list[str]:
    """The organisations the question names (`Query.names`) that none of the hits does: the documents are the
    Secretariat's, and another body's figures are only answered by a passage that names it."""
    text = " ".join(h.paragraph.searchable() for h in hits)
    return [name for name in q.names if not BY_NAME[name].in_passage.search(text)]


OUTSIDE = tuple(e for e in ENTITIES if e.outside)
BY_NAME = {name_of(e): e for e in OUTSIDE}
