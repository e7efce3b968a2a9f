"""Paragraphs to citable units (a paragraph, or a sub-paragraph with its lead-in) and the pieces indexed.

A unit is what a hit returns and a citation names. A unit too long for the embedder is indexed as
several pieces cut at sentence ends; every piece points back to its unit.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.types import Paragraph

SUB_MARK = re.compile(r"^\(([a-z]{1,2}|[ivx]{1,4})\)\s*")
SENTENCE_END = re.compile(r"(?<=[。；！？!?;])|(?<=\.)\s+")


def sentences(text: str) -> list[str]:
    """Sentence-sized spans of Chinese or English text (split after 。；！？ and English full stops)."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(s.strip() for s in SENTENCE_END.split(line) if s and s.strip())
    return out


CHAIN_MAX = 320  # a chain of ；-separated clauses up to this length is quoted whole


def spans(text: str) -> list[str]:
    """The quotable spans of a text: its sentences, with a short ；-separated list kept whole.

    Chinese UN text strings list items with ；, so "…以下六个重大风险：组织文化；…；燃料、口粮和存货盗窃。"
    answers only as one span."""
    out: list[str] = []
    chain: list[tuple[int, int]] = []  # (start, end) of each sentence of the open chain, in `text`
    pos = 0
    for s in [*sentences(text), ""]:
        if s:
            start = text.find(s, pos)
            pos = start + len(s)
            chain.append((start, pos))
            if s.endswith(("；", ";")):
                continue
        whole = text[chain[0][0] : chain[-1][1]] if chain else ""
        out.extend([whole] if len(chain) > 1 and len(whole) <= CHAIN_MAX else [text[a:b] for a, b in chain])
        chain = []
    return out


def unit_spans(unit: Paragraph) -> list[str]:
    """What an answer may quote from a unit: the spans of its text, then its footnotes whole."""
    return spans(unit.text) + list(unit.footnotes)


def units(paragraphs: list[Paragraph], max_chars: int) -> list[Paragraph]:
    """Long paragraphs with sub-paragraphs become one unit per sub-paragraph, each with the lead-in."""
    out: list[Paragraph] = []
    for p in paragraphs:
        parts = p.text.split("\n")
        subs = [(SUB_MARK.match(s), s) for s in parts[1:]]
        if len(p.text) <= max_chars or len(parts) < 2 or not all(m for m, _ in subs):
            out.append(replace(p, text=p.text.replace("\n", " ")))
            continue
        lead = parts[0]
        out.append(replace(p, text=lead))
        for m, s in subs:
            assert m is not None
            out.append(replace(p, number=f"{p.number}({m.group(1)})", text=f"{lead} {s}", footnotes=()))
    return [replace(u, position=i) for i, u in enumerate(out)]


def pieces(unit: Paragraph, max_chars: int) -> list[str]:
    """The texts embedded for a unit: its heading-led text, cut at sentence ends when too long."""
    head = " ".join(unit.heading[-2:])
    body = sentences(unit.text) + list(unit.footnotes)
    out: list[str] = []
    cur = ""
    for s in body:
        if cur and len(cur) + len(s) > max_chars:
            out.append(cur)
            cur = ""
        cur += s
    if cur:
        out.append(cur)
    return [f"{head}\n{p}" if head else p for p in out]
