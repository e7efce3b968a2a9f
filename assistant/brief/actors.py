"""Who does what: the offices, bodies, bulletins and resolutions a brief's paragraphs name, with where
they are named and one verified sentence from those paragraphs that shows the office at work."""

from __future__ import annotations

import re

from assistant.brief.model import Actor, Quote
from assistant.brief.select import BOILERPLATE, Candidate, Found, split
from assistant.evidence import supports
from index.entities import ENTITIES

GAZETTEER = tuple(e for e in ENTITIES if e.brief)  # the offices and bodies a brief names (index/data/entities.toml)
BULLETIN = re.compile(r"ST/(?:SGB|AI)/\d{4}/\d+[A-Z]?(?:/(?:Rev|Amend)\.\d+)*")
RESOLUTION = re.compile(r"第\s?(\d{2,4}/\d{1,3})\s?号决议")
MOST = 8
MOST_POLICIES = 3


def mentions(text: str) -> list[tuple[str, str, str]]:
    """(Chinese name, English name, kind) of every office, body, bulletin and resolution `text` names."""
    out: list[tuple[str, str, str]] = [(e.name_zh, e.name_en, e.kind) for e in GAZETTEER if e.in_chinese.search(text)]
    out += [
        (m, f"Secretary-General's bulletin {m}" if "SGB" in m else f"Administrative instruction {m}", "policy")
        for m in dict.fromkeys(BULLETIN.findall(text))
    ]
    out += [(f"第 {m} 号决议", f"Resolution {m}", "resolution") for m in dict.fromkeys(RESOLUTION.findall(text))]
    return out


def pattern_for(name_zh: str) -> re.Pattern[str]:
    for e in GAZETTEER:
        if e.name_zh == name_zh:
            return e.in_chinese
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
