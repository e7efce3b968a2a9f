"""The first screen: what this is and for whom, the documents it knows (named, dated), that it is not a
reporting channel, and the official channels the documents name, each with the paragraph that names it.

The channels are the `contact = true` entities of index/data/entities.toml; for each, the paragraphs of prose
(no table or annex) that name it are found by retrieval on its name and what staff turn to it for (the
`channel_…` phrases), so every line of the list is cited to a paragraph of the library as it is."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from assistant.brief.select import split
from assistant.pipeline import Assistant
from assistant.query import prepare
from index.entities import ENTITIES, Entity
from index.text import bigrams
from ui.i18n import TEXT, t
from ui.library import DocRow
from ui.render import attr, cite_button
from ui.session import Source, make_source

INTRO_TURN = "intro"  # the data-turn of the channels' citation markers
MOST_CITED = 2  # paragraphs cited for one channel
SEARCH_DEPTH = 40
NAMED = 2
MIN_SHARED = 3  # character pairs a cited sentence shares with the purpose, at least


@dataclass(frozen=True)
class Channel:
    entity: Entity
    purpose: str  # the phrase key of what staff turn to it for
    sources: tuple[Source, ...]  # the paragraphs that name it, best first, with the sentences that say so

    def name(self, lang: str) -> str:
        return self.entity.name_zh if lang == "zh" else self.entity.name_en


def purpose_key(e: Entity) -> str:
    return "channel_" + re.sub(r"\W+", "_", e.en[0].lower()).strip("_")


def prose(number: str) -> bool:
    return not number.startswith(("table", "annex"))


def said(text: str, purpose: str, e: Entity) -> list[tuple[int, str]]:
    """(character pairs shared with `purpose`, sentence) for each sentence of `text`, most shared first; a
    sentence that names the entity counts NAMED more."""
    want = bigrams(purpose)
    scored = [(len(bigrams(s) & want), s) for s in split(text)]
    return sorted(scored, key=lambda x: -(x[0] + (NAMED if e.in_chinese.search(x[1]) else 0)))


def find_channels(assistant: Assistant) -> list[Channel]:
    """Each contact entity the documents name in prose, with the paragraphs (at most two) that name it and say
    most of what staff turn to it for: retrieval's candidates, ranked by their sentence closest to the purpose."""
    docs = assistant.store.documents
    found: list[Channel] = []
    for e in ENTITIES:
        key = purpose_key(e)
        if not e.contact or key not in TEXT["zh"]:
            continue
        purpose = TEXT["zh"][key]
        q, _ = prepare(f"{e.name_zh}：{purpose}", [], None, assistant.settings, assistant.condenser)
        hits = assistant.searcher.search(q, SEARCH_DEPTH)
        naming = [h.paragraph for h in hits if prose(h.paragraph.number) and e.in_chinese.search(h.paragraph.text)]
        scored = [(said(p.text, purpose, e), rank, p) for rank, p in enumerate(naming)]
        best = sorted((x for x in scored if x[0] and x[0][0][0] >= MIN_SHARED), key=lambda x: (-x[0][0][0], x[1]))
        sources = tuple(
            make_source(p, i, docs, [sentences[0][1]]) for i, (sentences, _, p) in enumerate(best[:MOST_CITED], 1)
        )
        if sources:
            found.append(Channel(e, key, sources))
    return found


_cache: dict[int, list[Channel]] = {}


def channels(assistant: Assistant) -> list[Channel]:
    """`find_channels`, once per index (an upload or removal swaps in a new Assistant)."""
    if id(assistant) not in _cache:
        _cache.clear()
        _cache[id(assistant)] = find_channels(assistant)
    return _cache[id(assistant)]


def channel_sources(assistant: Assistant) -> list[Source]:
    return [s for c in channels(assistant) for s in c.sources]


def intro_html(assistant: Assistant, documents: list[DocRow], lang: str) -> str:
    """The About panel, in the reader's language."""
    e = html.escape
    docs = "".join(
        f"<li><b>{e(d.label)}</b> · {e(d.title_en if lang != 'zh' and d.title_en else d.title)} "
        f"<span class='doc-date'>({e(d.date or t(lang, 'doc_undated'))})</span></li>"
        for d in documents
    )
    lines = []
    for c in channels(assistant):
        marks = " ".join(cite_button(s, INTRO_TURN, lang, f"[{s.key}]") for s in c.sources)
        lines.append(f"<li><b>{e(c.name(lang))}</b>: {e(t(lang, c.purpose))} {marks}</li>")
    warning = f"<b>{e(t(lang, 'intro_not_channel'))}</b> {e(t(lang, 'intro_channels'))}"
    return (
        f"<div class='intro' lang='{attr('zh-CN' if lang == 'zh' else 'en')}'>"
        f"<p class='intro-what'>{e(t(lang, 'intro_what'))}</p>"
        f"<p class='intro-warning' role='note'>{warning}</p>"
        f"<ul class='channels'>{''.join(lines)}</ul>"
        f"<p class='intro-docs-title'>{e(t(lang, 'intro_docs'))}</p><ul class='intro-docs'>{docs}</ul></div>"
    )
