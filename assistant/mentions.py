"""What a question names that the passages answering it must name too: a year, an ordinal, an organisation.

A question on "2023", "the twelfth report" or "UNDP's ethics office" is not answered by passages on
2020, the eleventh report or the Secretariat's Ethics Office, however near the topic they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.evidence import squash
from assistant.types import Document, Hit, Paragraph

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
NOT_A_YEAR = re.compile(r"2019\s*冠状病毒病|COVID-19", re.I)  # the disease's name holds no year
ZH_ORDINAL = re.compile(r"第[一二三四五六七八九十]{2,}(?:次|届)")  # 第十二次, 第三十七届; not 第一次 ("the first time")
EN_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I)
EN_ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        1,
    )
}
EN_ORDINAL_WORD = re.compile(r"\b(" + "|".join(list(EN_ORDINAL_WORDS)[9:]) + r")\b", re.I)  # tenth and up
PERIOD = re.compile(  # the document's own reporting period, as its summary states it
    r"本报告(?:所述)?期间为\s*((?:19|20)\d{2})|this report covers the period[^.;]{0,30}?((?:19|20)\d{2})", re.I
)
DIGITS = "零一二三四五六七八九"

# Organisations of the UN system outside the Secretariat (and the Bretton Woods institutions): how a question
# names them, and how the Chinese documents do. The documents are the Secretariat's; another body's figures
# are only answered by a passage that names it.
ORGANISATIONS: dict[str, tuple[str, str]] = {
    "World Bank": (r"world bank|世界银行|世界銀行", r"世界银行|World Bank"),
    "IMF": (r"(?-i:\bIMF\b)|international monetary fund|货币基金|貨幣基金", r"货币基金"),
    "UNDP": (r"(?-i:\bUNDP\b)|development programme|开发署|开发计划署|開發署|開發計劃署", r"开发署|开发计划署"),
    "UNICEF": (r"(?-i:\bUNICEF\b)|children's fund|儿基会|儿童基金会|兒基會|兒童基金會", r"儿基会|儿童基金会"),
    "UNHCR": (
        r"(?-i:\bUNHCR\b)|refugee agency|high commissioner for refugees|难民署|難民署|难民事务高级专员",
        r"难民署|难民事务高级专员",
    ),
    "WFP": (r"(?-i:\bWFP\b)|world food programme|粮食署|粮食计划署|糧食署", r"粮食署|粮食计划署"),
    "WHO": (r"(?-i:\bWHO\b)|world health organi[sz]ation|世卫组织|世界卫生组织|世衛", r"世卫组织|世界卫生组织"),
    "UNFPA": (r"(?-i:\bUNFPA\b)|population fund|人口基金", r"人口基金"),
    "UNOPS": (r"(?-i:\bUNOPS\b)|project services|项目署|项目事务署|項目署", r"项目署|项目事务署"),
    "UN-Women": (r"\bUN[- ]Women\b|妇女署|婦女署", r"妇女署|增强妇女权能署"),
    "UNRWA": (r"(?-i:\bUNRWA\b)|近东救济|近東救濟", r"近东救济|近东巴勒斯坦难民救济"),
    "ILO": (r"(?-i:\bILO\b)|international labour organi[sz]ation|劳工组织|勞工組織", r"劳工组织"),
    "FAO": (r"(?-i:\bFAO\b)|food and agriculture organi[sz]ation|粮农组织|糧農組織", r"粮农组织|粮食及农业组织"),
    "UNESCO": (r"(?-i:\bUNESCO\b)|教科文组织|教科文組織", r"教科文组织"),
    "IAEA": (r"(?-i:\bIAEA\b)|atomic energy agency|原子能机构|原子能機構", r"原子能机构"),
}
_ORGS = [(name, re.compile(asks, re.I), re.compile(shows, re.I)) for name, (asks, shows) in ORGANISATIONS.items()]


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


def period_years(documents: dict[str, Document], units: Iterable[Paragraph]) -> dict[str, set[str]]:
    """Each document's reporting years, from its titles and a sentence stating its reporting period: a paragraph
    of the Ethics Office's 2020 report is about 2020 though it may name only 2019, the year it compares with."""
    years = {d: set(YEAR.findall(f"{doc.title} {doc.title_en}")) for d, doc in documents.items()}
    for p in units:
        years.setdefault(p.doc_id, set()).update(y for m in PERIOD.finditer(p.text) for y in m.groups() if y)
    return years


def named_years(question: str) -> list[str]:
    return list(dict.fromkeys(YEAR.findall(NOT_A_YEAR.sub(" ", question))))


def missing_years(question: str, hits: list[Hit], periods: dict[str, set[str]] | None = None) -> list[str]:
    """Years and ordinals the question names (2023, the twelfth report) that its best passages do not mention:
    the best one for a question naming one, the best n for one naming n ("2020 and 2021"). A year within a
    passage's document's reporting period counts as mentioned."""
    years, named = named_years(question), ordinals(question)
    best = hits[: max(1, len(years) + len(named))]
    text = squash(NOT_A_YEAR.sub(" ", " ".join(h.paragraph.searchable() for h in best)))
    covered = set().union(*((periods or {}).get(h.paragraph.doc_id, set()) for h in best))
    return [y for y in years if y not in text and y not in covered] + [
        word for word, zh in named if zh not in text and squash(word) not in text
    ]


def missing_organisations(question: str, hits: list[Hit]) -> list[str]:
    """Organisations outside the Secretariat that the question names and none of the hits does."""
    text = " ".join(h.paragraph.searchable() for h in hits)
    return [name for name, asks, shows in _ORGS if asks.search(question) and not shows.search(text)]
