"""Who does what: the offices, bodies, bulletins and resolutions a brief's paragraphs name, with where
they are named and one verified sentence from those paragraphs that shows the office at work."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.brief_model import Actor, Quote
from assistant.brief_select import BOILERPLATE, Candidate, Found, split
from assistant.evidence import supports


@dataclass(frozen=True, slots=True)
class Entry:
    pattern: re.Pattern[str]
    name_zh: str
    name_en: str
    kind: str
    contact: bool  # staff can turn to it themselves (Ethics Office, OIOS, Ombudsman)


def _e(pattern: str, zh: str, en: str, kind: str = "office", contact: bool = False) -> Entry:
    return Entry(re.compile(pattern), zh, en, kind, contact)


GAZETTEER: tuple[Entry, ...] = (
    _e(r"(?<!各)(?<!的)(?<!署)(?<!处)道德操守办公室", "道德操守办公室", "Ethics Office", contact=True),
    _e(
        r"内部监督事务厅|监督厅",
        "内部监督事务厅（监督厅）",
        "Office of Internal Oversight Services (OIOS)",
        contact=True,
    ),
    _e(r"道德操守小组", "联合国道德操守小组", "Ethics Panel of the United Nations", "body"),
    _e(
        r"监察员和调解事务办公室|监察员",
        "联合国监察员和调解事务办公室",
        "Office of the Ombudsman and Mediation Services",
        contact=True,
    ),
    _e(r"业务转型和问责制?司", "业务转型和问责司", "Business Transformation and Accountability Division"),
    _e(r"管理战略、政策和合规部", "管理战略、政策和合规部", "Department of Management Strategy, Policy and Compliance"),
    _e(r"人力资源厅", "人力资源厅", "Office of Human Resources"),
    _e(r"业务支助部", "业务支助部", "Department of Operational Support"),
    _e(r"内部司法办公室", "内部司法办公室", "Office of Administration of Justice", contact=True),
    _e(r"高管业绩委员会", "高管业绩委员会", "Management Performance Board", "body"),
    _e(r"(?<!客户)管理委员会", "管理委员会", "Management Committee", "body"),
    _e(r"独立审计咨询委员会|审咨委", "独立审计咨询委员会", "Independent Audit Advisory Committee", "body"),
    _e(r"(?<!独立)审计委员会", "审计委员会", "Board of Auditors", "body"),
    _e(r"联合检查组|联检组", "联合检查组", "Joint Inspection Unit (JIU)", "body"),
    _e(
        r"行政和预算问题咨询委员会|行预咨委会",
        "行政和预算问题咨询委员会",
        "Advisory Committee on Administrative and Budgetary Questions (ACABQ)",
        "body",
    ),
    _e(r"多边组织道德操守网络", "多边组织道德操守网络", "Ethics Network of Multilateral Organizations", "body"),
    _e(r"管理问题高级别委员会", "管理问题高级别委员会", "High-level Committee on Management", "body"),
    _e(r"首协会|行政首长协调理事会", "联合国系统行政首长协调理事会（首协会）", "Chief Executives Board (CEB)", "body"),
)
BULLETIN = re.compile(r"ST/(?:SGB|AI)/\d{4}/\d+[A-Z]?(?:/(?:Rev|Amend)\.\d+)*")
RESOLUTION = re.compile(r"第\s?(\d{2,4}/\d{1,3})\s?号决议")
MOST = 8
MOST_POLICIES = 3


def mentions(text: str) -> list[tuple[str, str, str]]:
    """(Chinese name, English name, kind) of every office, body, bulletin and resolution `text` names."""
    out = [(e.name_zh, e.name_en, e.kind) for e in GAZETTEER if e.pattern.search(text)]
    out += [
        (m, f"Secretary-General's bulletin {m}" if "SGB" in m else f"Administrative instruction {m}", "policy")
        for m in dict.fromkeys(BULLETIN.findall(text))
    ]
    out += [(f"第 {m} 号决议", f"Resolution {m}", "resolution") for m in dict.fromkeys(RESOLUTION.findall(text))]
    return out


def pattern_for(name_zh: str) -> re.Pattern[str]:
    for e in GAZETTEER:
        if e.name_zh == name_zh:
            return e.pattern
    if name_zh.startswith("第 "):
        number = name_zh.split()[1]
        return re.compile(r"第\s?" + re.escape(number) + r"\s?号决议")
    return re.compile(re.escape(name_zh))


def actors(found: list[Found], cands: list[Candidate], limit: int = 25) -> list[Actor]:
    """Offices and policies named by the on-theme paragraphs, most-mentioned first; one sentence each,
    the best-scored candidate sentence that names it (checked against its paragraph)."""
    relevant = [f for f in found[:limit] if f.on_theme] or found[:5]
    weight: dict[tuple[str, str, str], float] = {}
    keys: dict[tuple[str, str, str], list[str]] = {}
    for f in relevant:
        for m in mentions(f.paragraph.text + " ".join(f.paragraph.footnotes)):
            weight[m] = weight.get(m, 0.0) + f.score
            keys.setdefault(m, []).append(f.paragraph.key)
    contact = {e.name_zh for e in GAZETTEER if e.contact}  # offices staff can turn to come forward a little
    ranked = sorted(weight, key=lambda m: -weight[m] * (1.5 if m[0] in contact else 1.0))
    ranked = [m for m in ranked if not any(o != m and o[2] == "policy" and m[0].startswith(o[0]) for o in ranked)]
    policies = [m for m in ranked if m[2] in ("policy", "resolution")][:MOST_POLICIES]
    ranked = [m for m in ranked if m[2] not in ("policy", "resolution") or m in policies][:MOST]
    by_key = {f.paragraph.key: f.paragraph for f in relevant}
    out: list[Actor] = []
    used: set[Quote] = set()
    for m in ranked:
        pat = pattern_for(m[0])
        named = [
            (
                c.score
                + (0.2 if (hit := pat.search(c.quote.text)) and hit.start() < 12 else 0.0)
                - (1.0 if c.quote in used else 0.0),
                c.quote,
            )
            for c in cands
            if pat.search(c.quote.text) and c.quote.key in keys[m] and not BOILERPLATE.search(c.quote.text)
        ]
        quote = max(named, key=lambda sq: sq[0])[1] if named else None
        if quote is None:  # no scored candidate names it: the first plain sentence of a paragraph that does
            found_in = ((s, k) for k in keys[m] for s in split(by_key[k].text))
            text, key = next(
                ((s, k) for s, k in found_in if pat.search(s) and len(s) <= 240 and not BOILERPLATE.search(s)), ("", "")
            )
            quote = Quote(text, key) if text else None
        if quote is not None:
            used.add(quote)
        if quote is not None and not supports(by_key[quote.key].text, quote.text):
            quote = None
        out.append(Actor(m[0], m[1], m[2], tuple(dict.fromkeys(keys[m]))[:6], quote, m[0] in contact))
    return out
