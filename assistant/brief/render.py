"""A brief as a printable sequence of blocks (title, headings, numbered items, quotes, sources), and as
Markdown. The DOCX export (brief_export) lays out the same blocks, so both read the same.

Framing text (headings, notes, questions) comes from the labels below in the brief's language; every
quoted sentence is followed by its citation number `[n]`, and `Sources` gives each paragraph in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.brief.model import Brief, Figure
from assistant.evidence import GENERIC
from assistant.mdtext import with_markers
from assistant.phrases import table
from index.entities import ENTITIES
from index.glossary import GLOSSARY

L: dict[str, dict[str, str]] = table("brief")  # assistant/data/phrases.toml
UNITS_EN = {
    "名": "people",
    "人": "people",
    "起": "cases",
    "件": "cases",
    "例": "cases",
    "次": "times",
    "天": "days",
    "种": "kinds",
    "家": "entities",
    "场": "sessions",
    "门": "courses",
    "小时": "hours",
    "周": "weeks",
    "美元": "US dollars",
}
CJK_TERM = re.compile(r"[\u3400-\u9fff]{2,}")


@dataclass(frozen=True, slots=True)
class Printed:
    """One printable element: title, meta, note, h1, h2, item (numbered), bullet, gloss, source, source_path,
    source_text, text."""

    kind: str
    text: str = ""
    lead: str = ""
    number: int = 0


def labels(lang: str) -> dict[str, str]:
    return L["en" if lang == "en" else "zh"]


GLOSS_SHORT = frozenset(
    [
        "问责",
        "报复",
        "举报",
        "骚扰",
        "歧视",
        "文明",
        "尊重",
        "廉正",
        "欺诈",
        "腐败",
        "监督",
        "审计",
        "调查",
        "案件",
        "申诉",
        "纪律",
        "培训",
        "契约",
        "授权",
        "评价",
        "披露",
        "馈赠",
        "礼品",
        "外联",
        "保密",
    ]
)
NO_GLOSS = frozenset(["秘书处", "秘书长", "工作人员", "会员国", "管理人员", "联合国", "行为"])
# how a glossary term is written in English when it is an acronym: the entities' own, and a few more
ACRONYMS = {a.lower(): a for a in [*(a for e in ENTITIES for a in e.acronyms), "KPI", "IPSAS", "SDGs"]}


@lru_cache(maxsize=1)
def inverse_glossary() -> list[tuple[str, str]]:
    """Chinese glossary terms (longest first) with an English phrase: the first whose primary translation
    it is, else the first that lists it. Two-character terms only from a short list of unambiguous ones."""
    primary: dict[str, str] = {}
    listed: dict[str, str] = {}
    for en, zh in GLOSSARY.items():
        if en in GENERIC or len(en) < 3:
            continue
        name = ACRONYMS.get(en, en)
        for i, term in enumerate(zh.split()):
            if CJK_TERM.fullmatch(term) and (len(term) > 2 or term in GLOSS_SHORT) and term not in NO_GLOSS:
                (primary if i == 0 else listed).setdefault(term, name)
    inv = {**listed, **primary}
    return sorted(inv.items(), key=lambda kv: -len(kv[0]))


def terms_en(quote: str, most: int = 4) -> str:
    """`领导力对话 leadership dialogue; 问责制 accountability`: a glossary aid for English readers."""
    out: list[str] = []
    rest = quote
    for zh, en in inverse_glossary():
        if zh in rest:
            out.append(f"{zh} {en}")
            rest = rest.replace(zh, " ")
            if len(out) >= most:
                break
    return "; ".join(out)


def figure_value(value: str, lang: str) -> str:
    """`40 000 名 (people)` for English readers; the number as printed otherwise."""
    if lang != "en":
        return value
    unit = next((u for u in sorted(UNITS_EN, key=len, reverse=True) if value.endswith(u)), "")
    return f"{value} ({UNITS_EN[unit]})" if unit else value


def figure_lead(f: Figure, lang: str) -> str:
    return " · ".join(figure_value(v, lang) for v in f.values[:4])


def header(brief: Brief, t: dict[str, str]) -> list[Printed]:
    out = [Printed("title", t["title"].format(theme=brief.theme_label))]
    ndocs = len({s.paragraph.doc_id for s in brief.sources})
    n = len(brief.sources)
    meta = t["meta"].format(
        date=brief.created.isoformat(), n=n, d=ndocs, ns="" if n == 1 else "s", ds="" if ndocs == 1 else "s"
    )
    out.append(Printed("meta", meta if brief.covered else meta.split(" · ")[0] + " · " + brief.created.isoformat()))
    if brief.docs:
        out.append(Printed("meta", t["docs"].format(docs=", ".join(brief.docs))))
    return out


def key_points(brief: Brief, t: dict[str, str]) -> list[Printed]:
    out: list[Printed] = []
    n = 0
    for stage, points in brief.points_by_stage():
        out.append(Printed("h2", t[stage]))
        for p in points:
            n += 1
            if brief.lang == "en" and p.text_en:  # a model's translation, checked; the original beneath it
                out.append(Printed("item", f"{p.text_en} [{brief.ref(p.quote.key)}]", number=n))
                out.append(Printed("gloss", f"{t['original']}: “{p.quote.text}”"))
                continue
            out.append(Printed("item", f"“{p.quote.text}” [{brief.ref(p.quote.key)}]", number=n))
            gloss = terms_en(p.quote.text) if brief.lang == "en" else ""
            if gloss:
                out.append(Printed("gloss", f"{t['terms']}: {gloss}"))
    return out


def actors(brief: Brief, t: dict[str, str]) -> list[Printed]:
    out: list[Printed] = []
    for a in brief.actors:
        lead = a.name_zh if brief.lang != "en" else a.name_en if a.kind == "policy" else f"{a.name_en} · {a.name_zh}"
        quoted = f"“{a.quote.text}” [{brief.ref(a.quote.key)}]" if a.quote else ""
        others = [f"[{brief.ref(k)}]" for k in a.keys if not a.quote or k != a.quote.key]
        also = t["also"].format(refs=", ".join(others)) if others else ""
        out.append(Printed("bullet", " — ".join(x for x in (quoted, also) if x), lead=lead))
    return out


def sources(brief: Brief, t: dict[str, str]) -> list[Printed]:
    out = [Printed("h1", t["sources"])]
    for s in brief.sources:
        title = s.title_en if brief.lang == "en" and s.title_en else s.title
        out.append(Printed("source", title, lead=f"[{s.number}] {s.key}", number=s.number))
        if s.paragraph.heading:
            out.append(Printed("source_path", " › ".join(s.paragraph.heading)))
        out.append(Printed("source_text", s.paragraph.text))
        out += [Printed("source_text", f"{t['footnote']}: {fn}") for fn in s.paragraph.footnotes]
    return out


def blocks(brief: Brief) -> list[Printed]:
    """The brief in print order: header, the numbered sections that have content, then the sources."""
    t = labels(brief.lang)
    out = header(brief, t)
    if not brief.covered:
        ev = brief.evidence
        text = t["none"].format(
            n=int(ev.get("on_theme", 0)),
            theme=brief.theme_label,
            need=int(ev.get("need", 0)),
            points=int(ev.get("need_points", 0)),
            keys=", ".join(brief.nearest) or t["none_keys"],
        )
        return [*out, Printed("h1", t["none_title"]), Printed("text", text)]
    out.append(Printed("note", t["intro"]))
    figures = [
        Printed("bullet", f"“{f.quote.text}” [{brief.ref(f.quote.key)}]", lead=figure_lead(f, brief.lang))
        for f in brief.figures
    ]
    questions = [Printed("item", q, number=i) for i, q in enumerate(brief.discussion.questions, start=1)]
    scenarios = [
        b
        for i, sc in enumerate(brief.discussion.scenarios, start=1)
        for b in (Printed("h2", t["scenario"].format(n=i, title=sc.title)), Printed("text", sc.text))
    ]
    sections = [
        ("points", key_points(brief, t)),
        ("figures", figures),
        ("actors", actors(brief, t)),
        ("questions", questions),
        ("scenarios", scenarios),
    ]
    number = 0
    for name, body in sections:
        if body:
            number += 1
            out += [Printed("h1", f"{number}. {t[name]}"), *body]
    return out + sources(brief, t)


def to_markdown(brief: Brief) -> str:
    """The brief in Markdown; every text (documents' and the theme typed) is escaped, so it shows as written."""
    lines: list[str] = []
    for raw in blocks(brief):
        heading = raw.kind in ("title", "h1", "h2")  # after `# `: no block can start there
        text = raw.text.replace("\n", " ") if heading else raw.text
        b = Printed(raw.kind, with_markers(text, heading), with_markers(raw.lead), raw.number)
        if b.kind == "title":
            lines += [f"# {b.text}", ""]
        elif b.kind == "meta":
            lines += [f"*{b.text}*", ""]
        elif b.kind == "note":
            lines += [f"> {b.text}", ""]
        elif b.kind == "h1":
            lines += ["", f"## {b.text}", ""]
        elif b.kind == "h2":
            lines += ["", f"### {b.text}", ""]
        elif b.kind == "item":
            lines += [f"{b.number}. {b.text}"]
        elif b.kind == "gloss":
            lines[-1] += "  "  # a hard line break: the gloss sits under its quote
            lines += [f"   <small>{b.text}</small>"]
        elif b.kind == "bullet":
            lines += [f"- **{b.lead}**: {b.text}" if b.lead else f"- {b.text}"]
        elif b.kind == "source":
            lines += ["", f"**{b.lead}** · {b.text}", ""]
        elif b.kind == "source_path":
            lines += [f"> *{b.text}*", ">"]
        elif b.kind == "source_text":
            lines += [f"> {line}" for line in b.text.split("\n")] + [">"]
        else:
            lines += [b.text, ""]
    return "\n".join(_tidy(lines)).strip() + "\n"


def _tidy(lines: list[str]) -> list[str]:
    """No blank-line runs, no stray `>` continuation at the end of a quoted source, lists kept tight."""
    out: list[str] = []
    for line in lines:
        if line == ">" and (not out or out[-1] == ">"):
            continue
        if line == "" and out and out[-1] in ("", ">"):
            if out[-1] == ">":
                out[-1] = ""
            continue
        out.append(line)
    if out and out[-1] == ">":
        out.pop()
    return out
