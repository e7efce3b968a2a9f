"""Facilitator briefs for leadership dialogues: `make_brief` (theme in, cited `Brief` out) and `run_brief`
(the `integrity brief` command; its warm timings: `integrity bench --brief`).

Whether the documents cover a theme is decided in code, by an evidence threshold: at least
`MIN_ON_THEME` retrieved paragraphs mention the theme's concepts and at least `MIN_POINTS` sentences
quoting them survive the citation check. Otherwise the brief says so and gives no key points.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.brief.actors import actors as find_actors
from assistant.brief.discuss import DiscussionWriter, Fact, Facts, writer_for
from assistant.brief.model import Brief, BriefSource, Discussion, KeyPoint
from assistant.brief.render import figure_value, labels, to_markdown
from assistant.brief.select import MIN_ON_THEME, MIN_POINTS, candidates, choose_figures, choose_points, retrieve
from assistant.brief.themes import resolve
from assistant.brief.write_model import model_writer
from assistant.evidence import supports
from assistant.settings import Settings
from index.errors import InputError

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

MAX_THEME_CHARS = 200
REF = re.compile(r"\[(\d+)\]")


def resolve_docs(assistant: Assistant, docs: Iterable[str] | None) -> list[str]:
    """Document ids for the symbols, short titles or ids given; an unknown one is an input error."""
    wanted = [d.strip() for d in docs or [] if d and d.strip()]
    out: list[str] = []
    for w in wanted:
        match = [
            k
            for k, d in assistant.store.documents.items()
            if w.lower() in {k.lower(), (d.symbol or "").lower(), d.short_title.lower(), d.label.lower()}
        ]
        if not match:
            known = ", ".join(d.label for d in assistant.store.documents.values())
            raise InputError("unknown_brief_document", name=w, known=known)
        out += [m for m in match if m not in out]
    return out


def check_theme(theme: str, lang: str) -> str:
    t = " ".join(theme.split())
    if not t:
        raise InputError("theme_empty")
    if len(t) > MAX_THEME_CHARS:
        raise InputError("theme_too_long", n=len(t), most=MAX_THEME_CHARS)
    if lang not in ("zh", "en"):
        raise InputError(f"unknown brief language '{lang}'; use zh or en.")
    return t


def make_brief(
    assistant: Assistant,
    theme: str,
    lang: str = "zh",
    docs: Iterable[str] | None = None,
    writer: DiscussionWriter | None = None,
) -> Brief:
    """A facilitator brief on `theme` from the indexed documents (only `docs` when given)."""
    t0 = time.perf_counter()
    theme = check_theme(theme, lang)
    doc_ids = resolve_docs(assistant, docs)
    store = assistant.store
    th = resolve(theme, [u.searchable() for u in store.units])
    found = retrieve(assistant.retriever, th, doc_ids or None)
    t1 = time.perf_counter()
    cands = candidates(th, found)
    points = choose_points(cands)
    on_theme = sum(f.on_theme for f in found)
    labels_docs = [store.documents[d].label for d in doc_ids]
    brief = Brief(
        theme, th.label(lang), lang, covered=on_theme >= MIN_ON_THEME and len(points) >= MIN_POINTS, docs=labels_docs
    )
    brief.evidence = {
        "on_theme": on_theme,
        "need": MIN_ON_THEME,
        "points": len(points),
        "need_points": MIN_POINTS,
        "best": round(found[0].score, 3) if found else 0.0,
    }
    if not brief.covered:
        brief.nearest = [f.paragraph.key for f in found[:3]]
        brief.timings_ms = {"retrieve": (t1 - t0) * 1000, "total": (time.perf_counter() - t0) * 1000}
        return brief
    figures = choose_figures(cands, points)
    people = find_actors(found, cands)
    by_key = {f.paragraph.key: f.paragraph for f in found}
    order = [p.quote.key for p in points] + [f.quote.key for f in figures]
    order += [a.quote.key for a in people if a.quote] + [k for a in people for k in a.keys]
    docs_meta = store.documents
    for key in dict.fromkeys(order):
        p = by_key[key]
        d = docs_meta.get(p.doc_id)
        brief.sources.append(BriefSource(len(brief.sources) + 1, p, d.title if d else "", d.title_en if d else ""))
    brief.key_points, brief.figures, brief.actors = points, figures, people
    verify(brief)
    model = model_writer(assistant) if writer is None else None  # a model generator writes with its model
    if model is not None:
        model.start(brief)
        if brief.lang == "en":
            brief.key_points = model.english_points(brief)
    brief.discussion = check_discussion(brief, (writer or model or writer_for(assistant.settings))(facts(brief)))
    brief.timings_ms = {"retrieve": (t1 - t0) * 1000, "total": (time.perf_counter() - t0) * 1000}
    return brief


def verify(brief: Brief) -> None:
    """The last gate: every quote must be in the paragraph its citation names (else it is dropped)."""
    text = {s.key: s.paragraph.text for s in brief.sources}
    brief.key_points = [p for p in brief.key_points if supports(text.get(p.quote.key, ""), p.quote.text)]
    brief.figures = [f for f in brief.figures if supports(text.get(f.quote.key, ""), f.quote.text)]
    brief.actors = [
        a if a.quote is None or supports(text.get(a.quote.key, ""), a.quote.text) else replace(a, quote=None)
        for a in brief.actors
    ]


def check_discussion(brief: Brief, discussion: Discussion) -> Discussion:
    """A writer's questions and scenarios may point only at the brief's own sources (`[n]`); others are dropped."""
    known = {s.number for s in brief.sources}

    def ok(text: str) -> bool:
        return {int(n) for n in REF.findall(text)} <= known

    return replace(
        discussion,
        questions=[q for q in discussion.questions if ok(q)],
        scenarios=[s for s in discussion.scenarios if ok(s.text) and set(s.refs) <= known],
    )


def facts(brief: Brief) -> Facts:
    """The cited facts handed to a discussion writer, numbered as the brief numbers them."""
    en = brief.lang == "en"
    points = [
        Fact(brief.ref(p.quote.key), p.quote.key, p.quote.text, p.stage, i)
        for i, p in enumerate(ordered_points(brief), start=1)
    ]
    figures = [
        Fact(
            brief.ref(f.quote.key),
            f.quote.key,
            f.quote.text,
            "figure",
            values=tuple(figure_value(v, brief.lang) for v in f.values),
        )
        for f in brief.figures
    ]
    people = [
        Fact(
            brief.ref(a.quote.key),
            a.quote.key,
            a.quote.text,
            "contact" if a.contact else "actor",
            name=a.name_en if en else a.name_zh,
        )
        for a in sorted(brief.actors, key=lambda a: not a.contact)
        if a.quote and a.kind in ("office", "department", "body")
    ]
    label = brief.theme_label
    running = label[:1].lower() + label[1:] if en and not label[:2].isupper() else label  # mid-sentence form
    return Facts(running, brief.lang, points, figures, people)


def ordered_points(brief: Brief) -> list[KeyPoint]:
    return [p for _, group in brief.points_by_stage() for p in group]


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def run_brief(settings: Settings, theme: str, lang: str, docs: list[str] | None, out: Path | None) -> None:
    """The `integrity brief` command: Markdown to stdout, or a .md / .docx file."""
    from assistant.pipeline import Assistant

    if out is not None and out.suffix.lower() not in (".md", ".docx"):
        raise InputError(f"cannot write '{out.name}': the brief is exported as .md or .docx.")
    if out is not None and not out.parent.exists():
        raise InputError(f"folder {out.parent} does not exist; create it or choose another --out.")
    check_theme(theme, lang)
    brief = make_brief(Assistant.load(settings), theme, lang, docs)
    if out is None:
        sys.stdout.write(to_markdown(brief))
        return
    if out.suffix.lower() == ".md":
        write_atomic(out, to_markdown(brief).encode("utf-8"))
    else:
        from assistant.brief.export import to_docx

        write_atomic(out, to_docx(brief))
    what = (
        f"{len(brief.key_points)} key points, {len(brief.sources)} sources"
        if brief.covered
        else (labels("en")["none_title"].lower())
    )
    print(f"wrote {out} ({what})")
